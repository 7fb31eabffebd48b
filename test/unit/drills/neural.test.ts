import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateAdam, generateBatchNorm, generateInit, generateL2Step } from '../../../src/drills/kinds/neural.js';

const seeds = fc.integer({ min: 0, max: 0xffffffff });
const runs = { numRuns: 300 };

describe('weight-init', () => {
  it('gives weights the variance each scheme targets', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        const d = generateInit(seed);
        const { scheme, distribution, layer } = d.inputs;
        const receptiveField = layer.type === 'conv' ? layer.kernel * layer.kernel : 1;
        const fanIn = receptiveField * (layer.type === 'conv' ? layer.inChannels : layer.fanIn);
        const fanOut = receptiveField * (layer.type === 'conv' ? layer.outChannels : layer.fanOut);
        const target = { xavier: 2 / (fanIn + fanOut), he: 2 / fanIn, lecun: 1 / fanIn }[scheme];
        // Variance of N(0, s^2) is s^2; of U(-a, a) it is (2a)^2 / 12.
        const variance = distribution === 'normal' ? d.answer ** 2 : (2 * d.answer) ** 2 / 12;
        expect(variance).toBeCloseTo(target, 12);
      }),
      runs,
    );
  });

  it('agrees with hand-worked values', () => {
    const hand = { dense512: Math.sqrt(2 / 512) };
    expect(hand.dense512).toBeCloseTo(0.0625, 12);
    const kinds = new Set<string>();
    for (let seed = 0; seed < 300; seed++) {
      const d = generateInit(seed);
      kinds.add(`${d.inputs.scheme}-${d.inputs.distribution}-${d.inputs.layer.type}`);
    }
    expect(kinds.size).toBe(12);
  });
});

describe('batch-norm', () => {
  it('matches a forward pass computing the variance as E[x²] - E[x]²', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        const d = generateBatchNorm(seed);
        const { xs, gamma, beta, eps, index } = d.inputs;
        let s = 0;
        let s2 = 0;
        for (const x of xs) {
          s += x;
          s2 += x * x;
        }
        const mu = s / xs.length;
        const variance = s2 / xs.length - mu * mu;
        expect(variance).toBeGreaterThan(0);
        expect(d.answer).toBeCloseTo(gamma * ((xs[index]! - mu) / Math.sqrt(variance + eps)) + beta, 10);
      }),
      runs,
    );
  });

  it('normalised outputs of the whole batch have mean beta', () => {
    const d = generateBatchNorm(17);
    const { xs, gamma, beta, eps } = d.inputs;
    const outputs = xs.map((_, index) => generateBatchNormFor({ xs, gamma, beta, eps, index }));
    expect(outputs.reduce((a, b) => a + b, 0) / outputs.length).toBeCloseTo(beta, 10);
  });
});

function generateBatchNormFor({ xs, gamma, beta, eps, index }: { xs: number[]; gamma: number; beta: number; eps: number; index: number }): number {
  const mu = xs.reduce((a, b) => a + b, 0) / xs.length;
  const v = xs.reduce((a, b) => a + (b - mu) ** 2, 0) / xs.length;
  return gamma * ((xs[index]! - mu) / Math.sqrt(v + eps)) + beta;
}

describe('l2-step', () => {
  it('matches a step along the numerical gradient of loss + penalty', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        const d = generateL2Step(seed);
        const { w, grad, lr, lambda, penalty } = d.inputs;
        // A data loss with the stated gradient at w (linear around w), plus the penalty as written.
        const J = (v: number) => grad * v + (penalty === 'half' ? (lambda / 2) * v * v : lambda * v * v);
        const e = 1e-5;
        const slope = (J(w + e) - J(w - e)) / (2 * e);
        expect(d.answer).toBeCloseTo(w - lr * slope, 8);
        // Forgetting the penalty would be wrong by more than the tolerance.
        expect(Math.abs(d.answer - (w - lr * grad))).toBeGreaterThan(5 * (d.tolerance.abs ?? 0));
      }),
      runs,
    );
  });

  it('states which penalty convention it uses', () => {
    for (let seed = 0; seed < 50; seed++) {
      const d = generateL2Step(seed);
      expect(d.question).toContain(d.inputs.penalty === 'half' ? '\\frac{\\lambda}{2} w^2' : '\\lambda w^2');
    }
  });
});

describe('adam-first-step', () => {
  it('matches a literal Adam loop run for one step, which moves by about lr · sign(g)', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        const d = generateAdam(seed);
        const { w, grad, lr, beta1, beta2, eps } = d.inputs;
        let param = w;
        let m = 0;
        let v = 0;
        for (let t = 1; t <= 1; t++) {
          m = beta1 * m + (1 - beta1) * grad;
          v = beta2 * v + (1 - beta2) * grad * grad;
          const mHat = m / (1 - beta1 ** t);
          const vHat = v / (1 - beta2 ** t);
          param -= (lr * mHat) / (Math.sqrt(vHat) + eps);
        }
        expect(d.answer).toBeCloseTo(param, 10);
        expect(Math.abs(d.answer - (w - lr * Math.sign(grad)))).toBeLessThan(1e-5);
        // Plain SGD's answer would be marked wrong unless |g| happens to be close to 1.
        if (Math.abs(Math.abs(grad) - 1) > 0.1) expect(Math.abs(w - lr * grad - d.answer)).toBeGreaterThan(d.tolerance.abs ?? 0);
      }),
      runs,
    );
  });

  it('states the hyper-parameters and the bias correction', () => {
    const q = generateAdam(4).question;
    for (const s of ['\\beta_1 = 0.9', '\\beta_2 = 0.999', '\\epsilon = 10^{-8}', 'bias correction']) expect(q).toContain(s);
  });
});
