import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../src/platform/errors.js';
import { checkAccess, checkAnswerable, chooseChain, moveOn, parseDrillEntry, drillEntry, ratingOnMovingOn, SESSION_TTL_MS } from '../../../src/practice/rules.js';
import type { Session, StoredAnswer } from '../../../src/practice/types.js';

const now = new Date('2026-06-11T10:00:00.000Z');
const session = (over: Partial<Session> = {}): Session => ({
  id: '00000000-0000-4000-8000-000000000001',
  userId: 'ann',
  guildId: null,
  channelId: null,
  kind: 'chain',
  queue: ['p0', 'p1', 'p2'],
  position: 0,
  seed: 7,
  askedAt: now,
  expiresAt: new Date(now.getTime() + SESSION_TTL_MS),
  endedAt: null,
  ...over,
});
const code = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    return err instanceof DomainError ? err.code : String(err);
  }
  return null;
};

describe('practice rules', () => {
  it('lets only the owner use a live session', () => {
    expect(checkAccess(session(), 'ann', now).id).toBe(session().id);
    expect(code(() => checkAccess(null, 'ann', now))).toBe('practice.gone');
    expect(code(() => checkAccess(session(), 'bob', now))).toBe('practice.foreign');
    expect(code(() => checkAccess(session(), 'ann', new Date(now.getTime() + SESSION_TTL_MS + 1)))).toBe('practice.expired');
  });

  it('answers only the current step of an open session', () => {
    expect(code(() => checkAnswerable(session({ position: 1 }), 1))).toBeNull();
    expect(code(() => checkAnswerable(session({ position: 1 }), 0))).toBe('practice.answered');
    expect(code(() => checkAnswerable(session({ endedAt: now }), 0))).toBe('practice.finished');
  });

  it('moves to the next question, timed from now, and ends after the last', () => {
    const later = new Date(now.getTime() + 5_000);
    expect(moveOn(session(), 0, later)).toEqual({ position: 1, askedAt: later });
    expect(moveOn(session(), 2, later)).toEqual({ endedAt: later });
  });

  it('offers the weakest open chain, at random among ties, and mastered ones only when nothing else is left', () => {
    const candidates = [
      { chainId: 'a', strength: 0.1, mastered: false },
      { chainId: 'b', strength: 0.1, mastered: false },
      { chainId: 'c', strength: 0.5, mastered: false },
    ];
    expect(chooseChain(candidates, () => 0)).toBe('a');
    expect(chooseChain(candidates, (n) => n - 1)).toBe('b');
    expect(chooseChain([{ chainId: 'm', strength: 0.9, mastered: true }], () => 0)).toBe('m');
    expect(code(() => chooseChain([], () => 0))).toBe('practice.no-chain');
  });

  it('rates an unrated answer with the suggestion when moving on, except in drills', () => {
    const unrated: StoredAnswer = { given: 'x', verdict: 'wrong', score: 0, rating: null, responseMs: 1_000 };
    expect(ratingOnMovingOn(session(), unrated)).toBe(1);
    expect(ratingOnMovingOn(session(), { ...unrated, rating: 3 })).toBeNull();
    expect(ratingOnMovingOn(session({ kind: 'drill' }), unrated)).toBeNull();
  });

  it('reads back the drill it stored', () => {
    expect(parseDrillEntry(drillEntry({ kind: 'auc-ties', seed: 42 }))).toEqual({ kind: 'auc-ties', seed: 42 });
    expect(parseDrillEntry('no-seed')).toBeNull();
    expect(parseDrillEntry(undefined)).toBeNull();
  });
});
