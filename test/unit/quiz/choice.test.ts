import { Rating } from 'ts-fsrs';
import { describe, expect, it } from 'vitest';
import { seedFrom } from '../../../src/drills/random.js';
import { choiceOptions, gradeChoice, suggestRating } from '../../../src/quiz/grade.js';

const choice = {
  correct: '-G / (H + λ)',
  distractors: ['-H / (G + λ)', 'G / H', '-G / H - λ', 'G² / (H + λ)'],
  explanation: 'Minimising G w + ½ (H + λ) w² gives w* = -G / (H + λ).',
};

describe('choiceOptions', () => {
  it('returns every option once, ids indexing [correct, ...distractors]', () => {
    const opts = choiceOptions(choice, 1);
    expect(opts.map((o) => o.id).sort()).toEqual([0, 1, 2, 3, 4]);
    for (const o of opts) expect(o.text).toBe([choice.correct, ...choice.distractors][o.id]);
    expect(opts.filter((o) => o.correct)).toEqual([{ id: 0, text: choice.correct, correct: true }]);
  });

  it('is deterministic for a seed, so a session can replay it', () => {
    for (const seed of [0, 1, 42, 0xffffffff, seedFrom('session-9', 'xgb-leaf-weight')]) {
      expect(choiceOptions(choice, seed)).toEqual(choiceOptions(choice, seed));
    }
  });

  it('varies with the seed and puts the right answer everywhere', () => {
    const orders = new Set<string>();
    const positions = new Set<number>();
    for (let seed = 0; seed < 200; seed++) {
      const opts = choiceOptions(choice, seed);
      orders.add(opts.map((o) => o.id).join());
      positions.add(opts.findIndex((o) => o.correct));
    }
    expect(orders.size).toBeGreaterThan(50);
    expect([...positions].sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('does not modify the choice', () => {
    const copy = structuredClone(choice);
    choiceOptions(choice, 7);
    expect(choice).toEqual(copy);
  });
});

describe('gradeChoice', () => {
  it('is right exactly for id 0', () => {
    expect(gradeChoice(choice, 0)).toMatchObject({ correct: true, verdict: 'correct', rating: Rating.Good, correctText: choice.correct });
    for (const id of [1, 2, 3, 4]) expect(gradeChoice(choice, id)).toMatchObject({ correct: false, verdict: 'wrong', rating: Rating.Again });
  });

  it('treats unknown ids as wrong without throwing', () => {
    for (const id of [-1, 5, 0.5, Number.NaN, Number.POSITIVE_INFINITY]) expect(gradeChoice(choice, id).correct).toBe(false);
  });

  it('passes the explanation through', () => {
    expect(gradeChoice(choice, 2).explanation).toBe(choice.explanation);
  });

  it('suggests Easy when right and fast, Hard when right and slow', () => {
    expect(gradeChoice(choice, 0, { responseMs: 2000, fastMs: 5000 }).rating).toBe(Rating.Easy);
    expect(gradeChoice(choice, 0, { responseMs: 9000, fastMs: 5000, slowMs: 8000 }).rating).toBe(Rating.Hard);
    expect(gradeChoice(choice, 1, { responseMs: 100, fastMs: 5000 }).rating).toBe(Rating.Again);
  });

  it('grades a click on any shown option as that option, whatever the order', () => {
    for (const seed of [0, 99, 0xffffffff]) {
      for (const shown of choiceOptions(choice, seed)) expect(gradeChoice(choice, shown.id).correct).toBe(shown.correct);
    }
  });
});

describe('suggestRating', () => {
  it('follows the product rule', () => {
    expect(suggestRating('wrong', { responseMs: 1, fastMs: 10 })).toBe(Rating.Again);
    expect(suggestRating('partial', { responseMs: 1, fastMs: 10 })).toBe(Rating.Hard);
    expect(suggestRating('correct')).toBe(Rating.Good);
    expect(suggestRating('correct', { responseMs: 10, fastMs: 10 })).toBe(Rating.Easy);
    expect(suggestRating('correct', { responseMs: 11, fastMs: 10 })).toBe(Rating.Good);
    expect(suggestRating('correct', { responseMs: 5 })).toBe(Rating.Good);
    expect(suggestRating('correct', { responseMs: 21, slowMs: 20, fastMs: 30 })).toBe(Rating.Hard);
  });

  it('ignores nonsense response times', () => {
    for (const t of [-1, Number.NaN, Number.POSITIVE_INFINITY]) expect(suggestRating('correct', { responseMs: t, fastMs: 1e9, slowMs: 0 })).toBe(Rating.Good);
  });
});
