import { describe, expect, it } from 'vitest';
import { createEmptyCard, FSRS6_DEFAULT_DECAY, fsrs, generatorParameters, Rating, State, type Grade } from 'ts-fsrs';
import { buildBank } from '../../../src/bank/load.js';
import type { Level, PromptData } from '../../../src/bank/schema.js';
import { capGiven, conceptRootToResurface, GIVEN_MAX_CHARS, ratingFor, RESPONSE_TIMES } from '../../../src/answers/rules.js';
import { chainMastered, emptyCard, fromFsrsCard, isGrade, MASTERED_RETRIEVABILITY, retrievability, review, scheduler, toFsrsCard } from '../../../src/mastery/rules.js';

const DAY = 86_400_000;

describe('ratingFor (product rule)', () => {
  it('maps verdicts and response times to ratings', () => {
    expect(ratingFor('wrong', 1_000)).toBe(Rating.Again);
    expect(ratingFor('wrong', null)).toBe(Rating.Again);
    expect(ratingFor('partial', 1_000)).toBe(Rating.Hard);
    expect(ratingFor('correct', 15_000)).toBe(Rating.Easy); // at the fast threshold
    expect(ratingFor('correct', 15_001)).toBe(Rating.Good);
    expect(ratingFor('correct', 60_000)).toBe(Rating.Good); // at the slow threshold
    expect(ratingFor('correct', 60_001)).toBe(Rating.Hard);
    expect(ratingFor('correct', null)).toBe(Rating.Good); // unknown time: neither fast nor slow
  });

  it('takes other thresholds (free text is slower to type)', () => {
    const { fastMs, slowMs } = RESPONSE_TIMES.freeText;
    expect(ratingFor('correct', 45_000, fastMs, slowMs)).toBe(Rating.Easy);
    expect(ratingFor('correct', 200_000, fastMs, slowMs)).toBe(Rating.Good);
    expect(ratingFor('correct', 250_000, fastMs, slowMs)).toBe(Rating.Hard);
    expect(ratingFor('correct', 4 * 10_000 + 1, 10_000)).toBe(Rating.Hard); // slow defaults to 4x fast
  });
});

function prompt(id: string, level: Level): PromptData {
  return {
    id,
    level,
    question: 'q',
    testing: 't',
    answer: 'a',
    keyPoints: [
      { point: 'p', accept: ['p'] },
      { point: 'q', accept: ['q'] },
    ],
    choice: { correct: 'r', distractors: ['a', 'b', 'c'], explanation: 'e' },
  };
}
const bank = buildBank([
  {
    file: 't.yaml',
    data: { topic: 't', title: 'T', summary: 's', chains: [{ id: 'c', title: 'C', prompts: [prompt('root', 'L4'), prompt('f1', 'L5'), prompt('f2', 'L6')] }] },
  },
]);

describe('concept rule', () => {
  it('names the chain root when a follow-up is rated Again, and only then', () => {
    const f2 = bank.promptById.get('f2')!;
    const root = bank.promptById.get('root')!;
    expect(conceptRootToResurface(f2, Rating.Again, bank)).toBe('root');
    expect(conceptRootToResurface(bank.promptById.get('f1')!, Rating.Again, bank)).toBe('root');
    for (const r of [Rating.Hard, Rating.Good, Rating.Easy, null, undefined] as (Grade | null | undefined)[]) expect(conceptRootToResurface(f2, r, bank)).toBeNull();
    expect(conceptRootToResurface(root, Rating.Again, bank)).toBeNull();
    expect(conceptRootToResurface({ chainId: 'unknown', step: 1 }, Rating.Again, bank)).toBeNull();
  });
});

describe('capGiven', () => {
  it('keeps short answers, cuts long ones at 2,000 code points without splitting a pair, drops NUL', () => {
    expect(capGiven('hello')).toBe('hello');
    expect(capGiven('a\u0000b')).toBe('ab');
    const emoji = '😀'.repeat(2_500); // 5,000 UTF-16 units
    const capped = capGiven(emoji);
    expect(Array.from(capped)).toHaveLength(GIVEN_MAX_CHARS);
    expect(capped.endsWith('😀')).toBe(true);
  });
});

describe('chainMastered', () => {
  it('needs every prompt seen, in Review, at or above the threshold', () => {
    const ok = { state: State.Review, r: MASTERED_RETRIEVABILITY };
    expect(chainMastered([ok, ok])).toBe(true);
    expect(chainMastered([ok, undefined])).toBe(false);
    expect(chainMastered([ok, { state: State.Relearning, r: 0.99 }])).toBe(false);
    expect(chainMastered([ok, { state: State.Review, r: 0.8999 }])).toBe(false);
    expect(chainMastered([])).toBe(false);
  });
});

describe('fsrs mapping', () => {
  it('round-trips a ts-fsrs card through the row shape', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const card = fsrs(generatorParameters({ enable_fuzz: false })).next(createEmptyCard(now), now, Rating.Good).card;
    expect(toFsrsCard(fromFsrsCard(card))).toEqual(card);
    expect(emptyCard(now)).toMatchObject({ due: now, state: State.New, reps: 0, lastReview: null });
  });

  it('schedules with ts-fsrs and no fuzz', () => {
    expect(scheduler.parameters.enable_fuzz).toBe(false);
    const now = new Date('2026-01-01T00:00:00Z');
    let row = emptyCard(now);
    row = review(row, now, Rating.Easy);
    expect(row.state).toBe(State.Review);
    const due = row.due;
    // Same inputs, same due date: deterministic.
    expect(review(emptyCard(now), now, Rating.Easy).due).toEqual(due);
  });

  it('computes retrievability as the FSRS-6 forgetting curve on the fractional days elapsed', () => {
    const now = new Date('2026-01-20T12:00:00Z');
    const decay = -FSRS6_DEFAULT_DECAY;
    const hand = (t: number, s: number) => Math.pow(1 + ((Math.pow(0.9, 1 / decay) - 1) * t) / s, decay);
    const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * DAY);
    expect(retrievability({ stability: 4, state: State.Review, lastReview: at(4) }, now)).toBeCloseTo(0.9, 6);
    expect(retrievability({ stability: 4, state: State.Review, lastReview: at(13) }, now)).toBeCloseTo(hand(13, 4), 6);
    expect(retrievability({ stability: 4, state: State.Review, lastReview: at(13.9) }, now)).toBeCloseTo(hand(13.9, 4), 6);
    expect(retrievability({ stability: 4, state: State.Review, lastReview: at(0.5) }, now)).toBeCloseTo(hand(0.5, 4), 6);
    expect(retrievability({ stability: 4, state: State.Review, lastReview: at(0) }, now)).toBe(1);
    // A review recorded a little in the future (clock skew between processes) reads as just reviewed.
    expect(retrievability({ stability: 4, state: State.Review, lastReview: at(-0.01) }, now)).toBe(1);
    expect(retrievability({ stability: 0, state: State.New, lastReview: null }, now)).toBe(0);
  });

  it('lets a card failed this morning fade during the day, faster than one remembered (not 1 until midnight)', () => {
    const morning = new Date('2026-01-20T08:00:00Z');
    const evening = new Date('2026-01-20T20:00:00Z');
    let row = review(emptyCard(new Date('2026-01-01T08:00:00Z')), new Date('2026-01-01T08:00:00Z'), Rating.Good);
    row = review(row, new Date('2026-01-10T08:00:00Z'), Rating.Good);
    const remembered = review(row, morning, Rating.Good);
    const failed = review(row, morning, Rating.Again);
    expect(retrievability(failed, morning)).toBe(1);
    expect(retrievability(failed, evening)).toBeLessThan(0.99);
    expect(1 - retrievability(failed, evening)).toBeGreaterThan(3 * (1 - retrievability(remembered, evening)));
    // ts-fsrs's own reading counts calendar days: 1 all day.
    expect(scheduler.get_retrievability(toFsrsCard(failed), evening, false)).toBe(1);
  });

  it('recognises grades', () => {
    expect([0, 1, 2, 3, 4, 5, 2.5, '3', null].map(isGrade)).toEqual([false, true, true, true, true, false, false, false, false]);
  });
});
