import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../src/platform/errors.js';
import { checkInTime, checkJoinable, checkRoundOpen, checkSettings, checkStarter, closeChange, isRoundClosed, pickQuestions, rankStandings, SPRINT_LIMITS } from '../../../src/sprint/rules.js';

const now = new Date('2026-06-11T10:00:00.000Z');
const code = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    return err instanceof DomainError ? `${err.code} ${JSON.stringify(err.params)}` : String(err);
  }
  return null;
};

describe('sprint rules', () => {
  it('ranks by points, then right answers, then member id', () => {
    const p = (userId: string, points: number, correct: number) => ({ userId, name: userId, points, correct });
    expect(rankStandings([p('3', 1000, 1), p('2', 1500, 1), p('1', 1000, 1), p('4', 1000, 2)]).map((s) => s.userId)).toEqual(['2', '4', '1', '3']);
  });

  it('closes a round into the next one, timed from now, and the last into the end', () => {
    const s = { questions: ['a', 'b'], secondsPerRound: 20 };
    expect(closeChange(s, 0, now)).toEqual({ finished: false, change: { round: 1, roundStartedAt: now, deadline: new Date(now.getTime() + 20_000) } });
    expect(closeChange(s, 1, now)).toEqual({ finished: true, change: { status: 'finished' } });
  });

  it('takes answers only in the current round of an active sprint, until its deadline', () => {
    expect(code(() => checkRoundOpen({ status: 'active', round: 1 }, 1))).toBeNull();
    expect(code(() => checkRoundOpen({ status: 'active', round: 2 }, 1))).toBe('sprint.closed {}');
    expect(code(() => checkRoundOpen({ status: 'finished', round: 1 }, 1))).toBe('sprint.closed {}');
    expect(code(() => checkInTime({ deadline: now }, now))).toBeNull();
    expect(code(() => checkInTime({ deadline: now }, new Date(now.getTime() + 1)))).toBe('sprint.too-late {}');
  });

  it('says a round is closed once the sprint has moved past it or ended, never before it started', () => {
    const questions = ['a', 'b', 'c'];
    expect(isRoundClosed({ status: 'lobby', round: 0, questions }, 0)).toBe(false);
    expect(isRoundClosed({ status: 'active', round: 1, questions }, 0)).toBe(true);
    expect(isRoundClosed({ status: 'active', round: 1, questions }, 1)).toBe(false);
    expect(isRoundClosed({ status: 'active', round: 1, questions }, 2)).toBe(false);
    expect(isRoundClosed({ status: 'finished', round: 2, questions }, 2)).toBe(true);
    expect(isRoundClosed({ status: 'finished', round: 2, questions }, 3)).toBe(false);
  });

  it('lets members join a lobby until it is full, and only the starter start it early', () => {
    expect(code(() => checkJoinable({ status: 'lobby' }, SPRINT_LIMITS.maxPlayers - 1))).toBeNull();
    expect(code(() => checkJoinable({ status: 'lobby' }, SPRINT_LIMITS.maxPlayers))).toBe('sprint.full {}');
    expect(code(() => checkJoinable({ status: 'active' }, 1))).toBe('sprint.started {}');
    expect(code(() => checkStarter({ starterId: 'ann' }, 'ann'))).toBeNull();
    expect(code(() => checkStarter({ starterId: 'ann' }, null))).toBeNull();
    expect(code(() => checkStarter({ starterId: 'ann' }, 'bob'))).toBe('sprint.not-starter {}');
  });

  it('refuses settings out of range and draws different questions', () => {
    expect(code(() => checkSettings({ rounds: 21, seconds: 20 }))).toBe('sprint.rounds {"max":20}');
    expect(code(() => checkSettings({ rounds: 5, seconds: 4 }))).toBe('sprint.seconds {"min":5,"max":120}');
    expect(code(() => pickQuestions(['a'], 2, () => 0))).toBe('sprint.too-few {"available":1}');
    expect(new Set(pickQuestions(['a', 'b', 'c'], 3, (n) => n - 1)).size).toBe(3);
  });
});
