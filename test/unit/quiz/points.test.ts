import { describe, expect, it } from 'vitest';
import {
  answerPoints,
  basePoints,
  BASE_POINTS,
  MAX_SPEED_BONUS,
  POINTS_RULES,
  practicePoints,
  SPEED_GAME_RULE,
  speedPoints,
} from '../../../src/quiz/points.js';
import { helpText } from '../../../src/help.js';
import { leaderboardView } from '../../../src/leaderboard/discord/views.js';
import { testBank } from '../../integration/mastery/bank-fixture.js';

const MIN = 60_000;

describe('the points economy', () => {
  it('pays the same base for a right answer in every mode, more for harder levels', () => {
    expect([basePoints('L4'), basePoints('L5'), basePoints('L6'), basePoints(null)]).toEqual([100, 125, 150, 125]);
    // A right /chain answer and a right sprint answer given at the very end of its window are worth the same.
    expect(practicePoints('correct', 'L5', false)).toBe(speedPoints(true, 20_000, 20_000, 'L5'));
    expect(practicePoints('correct', null, false)).toBe(125); // a drill
  });

  it('bounds the speed bonus at +50%: practice earns at least 2/3 of the fastest speed-game answer', () => {
    for (const level of ['L4', 'L5', 'L6', null] as const) {
      const practice = practicePoints('correct', level, false);
      const fastest = speedPoints(true, 0, 30_000, level);
      expect(fastest / practice).toBeCloseTo(1 + MAX_SPEED_BONUS, 2);
      expect(practice / fastest).toBeGreaterThanOrEqual(2 / 3 - 0.01);
    }
    // Halfway through the window: +25%.
    expect(speedPoints(true, 15 * MIN, 30 * MIN, 'L4')).toBe(125);
    // Out-of-range times are clamped: never above +50%, never below the base.
    expect(speedPoints(true, -5, 1_000, 'L4')).toBe(150);
    expect(speedPoints(true, 5_000, 1_000, 'L4')).toBe(100);
    expect(speedPoints(false, 0, 1_000, 'L6')).toBe(0);
  });

  it('gives half for a partial answer, nothing for a wrong one, a repeat or an answer after the reveal', () => {
    expect(practicePoints('partial', 'L4', false)).toBe(50);
    expect(answerPoints({ verdict: 'partial', level: 'L6', speed: { responseMs: 0, windowMs: 1_000 } })).toBe(113); // 0.5 × 150 × 1.5
    expect(practicePoints('wrong', 'L6', false)).toBe(0);
    expect(practicePoints('correct', 'L6', true)).toBe(0);
    expect(answerPoints({ verdict: 'correct', level: 'L4', speed: { responseMs: 0, windowMs: 1_000 }, afterReveal: true })).toBe(0);
  });

  it('always pays a whole number of points, never negative', () => {
    for (let t = -1_000; t <= 40_000; t += 777) {
      for (const verdict of ['correct', 'partial', 'wrong'] as const) {
        const p = answerPoints({ verdict, level: 'L5', speed: { responseMs: t, windowMs: 30_000 } });
        expect(Number.isInteger(p)).toBe(true);
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThanOrEqual(Math.round(BASE_POINTS * 1.25 * 1.5));
      }
    }
  });

  it('is explained in two short lines built from the same numbers', () => {
    expect(POINTS_RULES).toEqual([
      'Points: 100 a right answer (L5 125, L6 150, drills 125), half for a partial one, in every mode.',
      'Live drops, duels and sprints add up to +50% for speed; practice scores a question once a day.',
    ]);
    expect(POINTS_RULES.every((l) => l.length <= 100)).toBe(true);
    expect(SPEED_GAME_RULE).toBe('A right answer: 100 (L5 125, L6 150, drills 125) + up to 50% for speed; 0 when wrong or late.');
  });

  it('/help and every leaderboard board say how points are earned', () => {
    const help = helpText(testBank(), [{ name: 'chain', summary: 'practice', audience: 'members' }]);
    expect(help.sections.find((s) => s.name === 'Points')?.value).toBe(POINTS_RULES.join('\n'));
    for (const board of ['points', 'accuracy', 'elo', 'streak'] as const) {
      const view = leaderboardView(
        { rows: [], caller: null, ...(board === 'accuracy' ? { minAnswers: 10, callerAnswers: 1 } : {}) },
        { period: 'month', board, callerId: 'u', names: new Map(), timeZone: 'UTC' },
      );
      for (const line of POINTS_RULES) {
        // The card's subtext says it (one `-#` line), and so does the image's footnote.
        expect(view.footnote.split('\n')).toContain(`-# ${POINTS_RULES.join(' ')}`);
        expect(view.footnote).toContain(line);
        expect(view.spec.footnote).toContain(line);
      }
      expect(view.spec.footnote!.length).toBeLessThanOrEqual(400);
    }
  });

  it('the accuracy board says what it counts and where an unranked caller stands, in plurals', () => {
    const one = leaderboardView({ rows: [], caller: null, minAnswers: 10, callerAnswers: 1 }, { period: 'week', board: 'accuracy', callerId: 'u', names: new Map(), timeZone: 'UTC' });
    expect(one.footnote).toContain('-# Right answers out of all answers in this server, every mode (a partial one is not right); ranked from 10 answers.');
    expect(one.summary).toContain('You are not ranked yet: 1 answer this week, 10 needed.');
    expect(`${one.summary}\n${one.footnote}`).not.toMatch(/answer a drop, a sprint or a duel/);
    const points = leaderboardView({ rows: [], caller: null }, { period: 'month', board: 'points', callerId: 'u', names: new Map(), timeZone: 'UTC' });
    expect(points.summary).toContain('Nobody has points yet: a right answer in this server earns them, in any mode.');
    expect(points.summary).toContain('You have no points in this period yet.');
  });
});
