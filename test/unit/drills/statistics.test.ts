import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generatePriorCorrection, generateVif } from '../../../src/drills/kinds/statistics.js';

const seeds = fc.integer({ min: 0, max: 0xffffffff });
const runs = { numRuns: 300 };

describe('prior-correction', () => {
  it('undoing the correction with Bayes gives back the model output', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        const d = generatePriorCorrection(seed);
        const p = d.answer;
        const inputs = d.inputs;
        if (inputs.variant === 'beta') {
          // Keeping negatives with probability beta: P(y=1 | x, kept) = p / (p + beta (1 - p)).
          expect(p / (p + inputs.beta * (1 - p))).toBeCloseTo(inputs.sampledProb, 10);
        } else {
          // Same likelihood ratio P(x|1)/P(x|0) under both priors.
          const lr = (inputs.sampledProb / (1 - inputs.sampledProb)) * ((1 - inputs.trainPrior) / inputs.trainPrior);
          const pi = inputs.truePrior;
          expect(p).toBeCloseTo((pi * lr) / (pi * lr + (1 - pi)), 10);
        }
        expect(p).toBeGreaterThanOrEqual(0.01);
        expect(p).toBeLessThanOrEqual(0.99);
      }),
      runs,
    );
  });

  it('uses both variants', () => {
    const variants = new Set(Array.from({ length: 50 }, (_, s) => generatePriorCorrection(s).inputs.variant));
    expect(variants).toEqual(new Set(['beta', 'priors']));
  });
});

describe('vif', () => {
  it('recovers R² from the VIF, and the SE factor squares to the VIF', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        const d = generateVif(seed);
        const vif = d.inputs.ask === 'vif' ? d.answer : d.answer ** 2;
        expect(1 - 1 / vif).toBeCloseTo(d.inputs.r2, 10);
        expect(d.inputs.others).not.toContain(d.inputs.feature);
      }),
      runs,
    );
  });

  it('matches the VIF of a real regression with that R²', () => {
    // Build x2 = a x1 + noise so that regressing x2 on x1 has exactly the drill's R², then compute
    // VIF from the sample covariance matrix: VIF_j is the j-th diagonal entry of the inverse correlation matrix.
    const d = generateVif(3);
    const r2 = d.inputs.r2;
    const n = 400;
    const x1 = Array.from({ length: n }, (_, i) => Math.sin(i * 1.7) + Math.cos(i * 0.31));
    const z = Array.from({ length: n }, (_, i) => Math.sin(i * 2.9 + 1) * Math.cos(i * 0.13));
    // Orthogonalise z against x1 and centre both.
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    const c1 = x1.map((v) => v - mean(x1));
    let cz = z.map((v) => v - mean(z));
    const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i]!, 0);
    cz = cz.map((v, i) => v - (dot(cz, c1) / dot(c1, c1)) * c1[i]!);
    const scale = Math.sqrt(((1 - r2) / r2) * (dot(c1, c1) / dot(cz, cz)));
    const x2 = c1.map((v, i) => v + scale * cz[i]!);
    const corr = dot(c1, x2) / Math.sqrt(dot(c1, c1) * dot(x2, x2));
    const vifFromCorrelation = 1 / (1 - corr * corr); // inverse of a 2x2 correlation matrix, diagonal entry
    const expected = d.inputs.ask === 'vif' ? vifFromCorrelation : Math.sqrt(vifFromCorrelation);
    expect(d.answer).toBeCloseTo(expected, 8);
  });
});
