/**
 * A small seeded random source. Everything that must replay (drills, the order of
 * multiple-choice options) draws from here, never from Math.random.
 */

/** Seeds are unsigned 32-bit integers; anything else is folded into that range (NaN and ±Infinity become 0). */
export function normalizeSeed(seed: number): number {
  if (!Number.isFinite(seed)) return 0;
  return Math.trunc(seed) >>> 0;
}

/** mulberry32: a 32-bit generator, fast and good enough for problem generation (not for secrets). */
export function mulberry32(seed: number): () => number {
  let a = normalizeSeed(seed);
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Hashes strings and numbers into a seed, e.g. `seedFrom(sessionId, promptId)`, so replays need no stored seed. */
export function seedFrom(...parts: (string | number)[]): number {
  // FNV-1a over the parts' text, with a separator so ("ab","c") differs from ("a","bc").
  let h = 0x811c9dc5;
  for (const part of parts) {
    const s = `${String(part)}\u0000`;
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
  }
  return h >>> 0;
}

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** A new array with the items in random order (Fisher-Yates). */
  shuffle<T>(items: readonly T[]): T[];
  /** True with probability p. */
  chance(p: number): boolean;
  /** A value on the grid min, min+step, ..., max (rounded to the step's decimals, so no 0.30000000000000004). */
  step(min: number, max: number, step: number): number;
}

export function createRng(seed: number): Rng {
  const next = mulberry32(seed);
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new RangeError('pick from an empty array');
      return items[int(0, items.length - 1)] as T;
    },
    shuffle<T>(items: readonly T[]): T[] {
      const out = items.slice();
      for (let i = out.length - 1; i > 0; i--) {
        const j = int(0, i);
        [out[i], out[j]] = [out[j] as T, out[i] as T];
      }
      return out;
    },
    chance: (p: number) => next() < p,
    step(min: number, max: number, step: number): number {
      const n = Math.round((max - min) / step);
      const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
      return Number((min + int(0, n) * step).toFixed(decimals + 2));
    },
  };
}
