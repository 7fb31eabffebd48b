import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eloDelta, expectedScore, MAX_K, ratingChanges, round1 } from '../../src/duel/rules.js';

/** New ratings after one game, as a finished duel stores them: A's delta, then both sides' changes. */
function eloUpdate(ra: number, rb: number, scoreA: number, k?: number) {
  const c = ratingChanges(ra, rb, eloDelta(ra, rb, scoreA, k));
  return { a: c.a.after, b: c.b.after };
}
import { isRetryable } from '../../src/platform/db/retry.js';

const rating = fc.double({ min: 100, max: 3000, noNaN: true }).map(round1);
const result = fc.constantFrom(0, 0.5, 1);
const k = fc.integer({ min: 1, max: MAX_K });

describe('expectedScore', () => {
  it('is 1/2 between equals and follows the logistic curve (400 points = 10:1)', () => {
    expect(expectedScore(1200, 1200)).toBe(0.5);
    expect(expectedScore(1600, 1200)).toBeCloseTo(10 / 11, 12);
    expect(expectedScore(1200, 1600)).toBeCloseTo(1 / 11, 12);
    expect(expectedScore(1400, 1200)).toBeCloseTo(0.7597469, 6);
  });

  it('sums to 1 for the two players and grows with the rating gap', () => {
    fc.assert(
      fc.property(rating, rating, (a, b) => {
        expect(expectedScore(a, b) + expectedScore(b, a)).toBeCloseTo(1, 12);
        expect(expectedScore(a + 50, b)).toBeGreaterThan(expectedScore(a, b));
      }),
    );
  });

  it('refuses ratings that are not finite', () => {
    expect(() => expectedScore(Number.NaN, 1200)).toThrow(TypeError);
    expect(() => expectedScore(1200, Infinity)).toThrow(TypeError);
  });
});

describe('a duel\'s rating changes', () => {
  it('starts at 1200 with K = 32: a win between equals moves 16 each way', () => {
    expect(eloUpdate(1200, 1200, 1)).toEqual({ a: 1216, b: 1184 });
    expect(eloUpdate(1200, 1200, 0)).toEqual({ a: 1184, b: 1216 });
  });

  it('a tie between equals changes nothing', () => {
    expect(eloUpdate(1200, 1200, 0.5)).toEqual({ a: 1200, b: 1200 });
    fc.assert(
      fc.property(rating, k, (r, kk) => {
        expect(eloUpdate(r, r, 0.5, kk)).toEqual({ a: r, b: r });
      }),
    );
  });

  it('a tie moves the lower-rated player up; an upset moves more than an expected win', () => {
    const tie = eloUpdate(1200, 1400, 0.5);
    expect(tie.a).toBeGreaterThan(1200);
    expect(tie.b).toBeLessThan(1400);
    expect(eloDelta(1200, 1400, 1)).toBeGreaterThan(eloDelta(1400, 1200, 1));
    expect(eloDelta(1200, 1400, 1)).toBe(24.3); // 32 * (1 - 0.2402531)
    expect(eloDelta(1400, 1200, 1)).toBe(7.7);
  });

  it('is zero-sum, rounded to 0.1', () => {
    fc.assert(
      fc.property(rating, rating, result, k, (a, b, s, kk) => {
        const next = eloUpdate(a, b, s, kk);
        expect(next.a - a + (next.b - b)).toBeCloseTo(0, 9);
        expect(Math.abs(next.a * 10 - Math.round(next.a * 10))).toBeLessThan(1e-6);
        expect(Math.abs(next.b * 10 - Math.round(next.b * 10))).toBeLessThan(1e-6);
      }),
    );
  });

  it('is symmetric: swapping the players (and the result) swaps the outcome exactly', () => {
    fc.assert(
      fc.property(rating, rating, result, k, (a, b, s, kk) => {
        const ab = eloUpdate(a, b, s, kk);
        const ba = eloUpdate(b, a, 1 - s, kk);
        expect(ba).toEqual({ a: ab.b, b: ab.a });
        expect(eloDelta(b, a, 1 - s, kk)).toBe(-eloDelta(a, b, s, kk) || 0);
      }),
    );
  });

  it('never moves a rating by more than K; the winner never loses, the loser never gains', () => {
    fc.assert(
      fc.property(rating, rating, result, k, (a, b, s, kk) => {
        const d = eloDelta(a, b, s, kk);
        expect(Math.abs(d)).toBeLessThanOrEqual(kk + 1e-9);
        if (s === 1) expect(d).toBeGreaterThanOrEqual(0);
        if (s === 0) expect(d).toBeLessThanOrEqual(0);
      }),
    );
    // The largest possible change: a win against an infinitely stronger player approaches K.
    expect(eloDelta(100, 3000, 1)).toBe(32);
    expect(eloDelta(3000, 100, 1)).toBe(0); // a certain win earns nothing (rounded)
  });

  it('K scales the change linearly (before rounding) and must be in (0, MAX_K]', () => {
    expect(eloDelta(1200, 1200, 1, 16)).toBe(8);
    expect(eloDelta(1200, 1200, 1, MAX_K)).toBe(50);
    for (const bad of [0, -1, MAX_K + 0.1, Number.NaN, Infinity]) expect(() => eloUpdate(1200, 1200, 1, bad)).toThrow(TypeError);
  });

  it('refuses results outside [0, 1]', () => {
    for (const bad of [-0.5, 1.5, Number.NaN]) expect(() => eloUpdate(1200, 1200, bad)).toThrow(TypeError);
  });

  it('round1 rounds halves away from zero, symmetrically', () => {
    expect(round1(0.25)).toBe(0.3);
    expect(round1(-0.25)).toBe(-0.3);
    expect(round1(1215.96)).toBe(1216);
    expect(Object.is(round1(-0.01), -0)).toBe(true);
  });
});

describe('isRetryable', () => {
  it('recognises deadlocks and serialization failures, wrapped or not', () => {
    expect(isRetryable({ code: '40P01' })).toBe(true);
    expect(isRetryable({ code: 'P2034' })).toBe(true);
    expect(isRetryable({ code: 'P2010', meta: { driverAdapterError: { cause: { originalCode: '40001' } } } })).toBe(true);
    expect(isRetryable(new Error('x', { cause: { code: '40P01' } }))).toBe(true);
    expect(isRetryable({ code: '23505' })).toBe(false);
    expect(isRetryable(null)).toBe(false);
  });
});
