import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng, mulberry32, normalizeSeed, seedFrom } from '../../../src/drills/random.js';

describe('mulberry32', () => {
  it('is the reference algorithm (pinned: stored seeds must keep replaying)', () => {
    const next = mulberry32(1);
    expect([next(), next(), next()]).toEqual([0.6270739405881613, 0.002735721180215478, 0.5274470399599522]);
  });

  it('gives the same sequence for the same seed and values in [0, 1)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (seed) => {
        const a = mulberry32(seed);
        const b = mulberry32(seed);
        for (let i = 0; i < 20; i++) {
          const x = a();
          expect(b()).toBe(x);
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThan(1);
        }
      }),
    );
  });

  it('gives different sequences for neighbouring seeds', () => {
    const firsts = new Set(Array.from({ length: 1000 }, (_, s) => mulberry32(s)()));
    expect(firsts.size).toBe(1000);
  });

  it('is roughly uniform', () => {
    const next = mulberry32(7);
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) buckets[Math.floor(next() * 10)]!++;
    for (const b of buckets) expect(Math.abs(b - 10_000)).toBeLessThan(500);
  });
});

describe('normalizeSeed', () => {
  it('folds any number into an unsigned 32-bit integer', () => {
    expect(normalizeSeed(0)).toBe(0);
    expect(normalizeSeed(42)).toBe(42);
    expect(normalizeSeed(0xffffffff)).toBe(0xffffffff);
    expect(normalizeSeed(2 ** 32)).toBe(0);
    expect(normalizeSeed(-1)).toBe(0xffffffff);
    expect(normalizeSeed(1.9)).toBe(1);
    expect(normalizeSeed(Number.NaN)).toBe(0);
    expect(normalizeSeed(Number.POSITIVE_INFINITY)).toBe(0);
  });
});

describe('seedFrom', () => {
  it('is stable and separates parts', () => {
    expect(seedFrom('session-1', 'prompt-a')).toBe(seedFrom('session-1', 'prompt-a'));
    expect(seedFrom('ab', 'c')).not.toBe(seedFrom('a', 'bc'));
    expect(seedFrom('x', 1)).not.toBe(seedFrom('x', 2));
    expect(Number.isInteger(seedFrom('anything'))).toBe(true);
    expect(seedFrom('anything')).toBeGreaterThanOrEqual(0);
    expect(seedFrom('anything')).toBeLessThanOrEqual(0xffffffff);
  });
});

describe('createRng', () => {
  it('int stays within inclusive bounds and reaches both ends', () => {
    const rng = createRng(3);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) {
      const v = rng.int(2, 5);
      expect(v).toBeGreaterThanOrEqual(2);
      expect(v).toBeLessThanOrEqual(5);
      seen.add(v);
    }
    expect([...seen].sort()).toEqual([2, 3, 4, 5]);
  });

  it('step lands exactly on the grid, without float noise', () => {
    const rng = createRng(11);
    for (let i = 0; i < 1000; i++) {
      const v = rng.step(0.05, 0.95, 0.05);
      expect(v).toBeGreaterThanOrEqual(0.05);
      expect(v).toBeLessThanOrEqual(0.95);
      expect(String(v).length).toBeLessThanOrEqual(4);
      expect(Math.abs(v * 20 - Math.round(v * 20))).toBeLessThan(1e-9);
    }
  });

  it('shuffle returns a permutation and leaves the input alone', () => {
    fc.assert(
      fc.property(fc.nat(), fc.array(fc.integer(), { maxLength: 20 }), (seed, items) => {
        const copy = [...items];
        const out = createRng(seed).shuffle(items);
        expect(items).toEqual(copy);
        expect([...out].sort((a, b) => a - b)).toEqual([...items].sort((a, b) => a - b));
      }),
    );
  });

  it('pick refuses an empty array, chance respects its probability', () => {
    const rng = createRng(5);
    expect(() => rng.pick([])).toThrow(RangeError);
    let hits = 0;
    for (let i = 0; i < 10_000; i++) if (rng.chance(0.3)) hits++;
    expect(Math.abs(hits - 3000)).toBeLessThan(200);
  });
});
