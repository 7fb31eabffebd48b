import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateLeafWeight, generateSplitGain, type Sample } from '../../../src/drills/kinds/trees.js';

const seeds = fc.integer({ min: 0, max: 0xffffffff });
const runs = { numRuns: 200 };

// Independent of the generator's g = p - y, h = p(1 - p): the real logistic loss of the leaf as a
// function of the leaf's weight w (added to each sample's margin), differentiated numerically.
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const logit = (p: number) => Math.log(p / (1 - p));
const leafLoss = (samples: Sample[], w: number) =>
  samples.reduce((acc, s) => {
    const q = sigmoid(logit(s.p) + w);
    return acc - (s.y * Math.log(q) + (1 - s.y) * Math.log(1 - q));
  }, 0);
const derivatives = (samples: Sample[]) => {
  const e = 1e-4;
  const d1 = (leafLoss(samples, e) - leafLoss(samples, -e)) / (2 * e);
  const d2 = (leafLoss(samples, e) - 2 * leafLoss(samples, 0) + leafLoss(samples, -e)) / (e * e);
  return { G: d1, H: d2 };
};

// Minimises a 1-D convex function by golden-section search.
function argmin(f: (x: number) => number, lo = -50, hi = 50): number {
  const r = (Math.sqrt(5) - 1) / 2;
  let a = lo;
  let b = hi;
  for (let i = 0; i < 200; i++) {
    const c = b - r * (b - a);
    const d = a + r * (b - a);
    if (f(c) < f(d)) b = d;
    else a = c;
  }
  return (a + b) / 2;
}

// The regularised second-order objective of a leaf at its best weight.
const bestObjective = (samples: Sample[], lambda: number) => {
  const { G, H } = derivatives(samples);
  const objective = (w: number) => G * w + 0.5 * H * w * w + 0.5 * lambda * w * w;
  return objective(argmin(objective));
};

describe('xgb-leaf-weight', () => {
  it('is the Newton step on the real logistic loss, with lambda added to the curvature', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        const d = generateLeafWeight(seed);
        const { G, H } = derivatives(d.inputs.samples);
        expect(Math.abs(d.answer - -G / (H + d.inputs.lambda))).toBeLessThan(1e-4);
      }),
      runs,
    );
  });

  it('minimises the regularised second-order objective', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        const d = generateLeafWeight(seed);
        const { G, H } = derivatives(d.inputs.samples);
        const objective = (w: number) => G * w + 0.5 * (H + d.inputs.lambda) * w * w;
        expect(Math.abs(argmin(objective) - d.answer)).toBeLessThan(1e-4);
      }),
      runs,
    );
  });
});

describe('xgb-split-gain', () => {
  it('equals the drop in the optimised objective from splitting, minus gamma', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        const d = generateSplitGain(seed);
        const { left, right, lambda, gamma } = d.inputs;
        const gain = bestObjective([...left, ...right], lambda) - bestObjective(left, lambda) - bestObjective(right, lambda) - gamma;
        expect(Math.abs(d.answer - gain)).toBeLessThan(1e-4);
      }),
      runs,
    );
  });

  it('produces both positive and non-positive gains across seeds', () => {
    const gains = Array.from({ length: 200 }, (_, s) => generateSplitGain(s).answer);
    expect(gains.some((g) => g > 0)).toBe(true);
    expect(gains.some((g) => g <= 0)).toBe(true);
  });
});
