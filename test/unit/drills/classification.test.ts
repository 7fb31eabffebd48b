import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateAuc, generateFBeta, generateLogLoss, generatePrevalenceShift, midranks } from '../../../src/drills/kinds/classification.js';

const seeds = fc.integer({ min: 0, max: 0xffffffff });
const runs = { numRuns: 300 };

describe('auc-ties', () => {
  // Independent: count every positive-negative pair (the generator ranks instead).
  const pairwiseAuc = (labels: number[], scores: number[]) => {
    let wins = 0;
    let pairs = 0;
    for (let i = 0; i < labels.length; i++) {
      for (let j = 0; j < labels.length; j++) {
        if (labels[i] !== 1 || labels[j] !== 0) continue;
        pairs++;
        if (scores[i]! > scores[j]!) wins += 1;
        else if (scores[i] === scores[j]) wins += 0.5;
      }
    }
    return wins / pairs;
  };

  // A third way: area under the ROC curve, stepping threshold by threshold with tied scores crossing together.
  const rocArea = (labels: number[], scores: number[]) => {
    const P = labels.filter((y) => y === 1).length;
    const N = labels.length - P;
    const thresholds = [...new Set(scores)].sort((a, b) => b - a);
    let area = 0;
    let prev = { tpr: 0, fpr: 0 };
    for (const t of thresholds) {
      const tpr = labels.filter((y, i) => y === 1 && scores[i]! >= t).length / P;
      const fpr = labels.filter((y, i) => y === 0 && scores[i]! >= t).length / N;
      area += ((fpr - prev.fpr) * (tpr + prev.tpr)) / 2;
      prev = { tpr, fpr };
    }
    return area;
  };

  it('matches brute-force pairwise counting and the ROC trapezoid area', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        const d = generateAuc(seed);
        const { labels, scores } = d.inputs;
        expect(d.answer).toBeCloseTo(pairwiseAuc(labels, scores), 12);
        expect(d.answer).toBeCloseTo(rocArea(labels, scores), 12);
      }),
      runs,
    );
  });

  it('always has both classes and at least one positive-negative tie', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        const { labels, scores } = generateAuc(seed).inputs;
        expect(labels).toContain(1);
        expect(labels).toContain(0);
        const pos = scores.filter((_, i) => labels[i] === 1);
        const neg = scores.filter((_, i) => labels[i] === 0);
        expect(pos.some((p) => neg.includes(p))).toBe(true);
      }),
      runs,
    );
  });

  it('ships its ROC curve with the solution and only the scores with the question', () => {
    const d = generateAuc(9);
    expect(d.solutionFigure).toEqual({ type: 'roc', labels: d.inputs.labels, scores: d.inputs.scores });
    expect(d.figure).toMatchObject({ type: 'bars', values: d.inputs.scores });
  });

  it('midranks average tied ranks', () => {
    expect(midranks([0.3, 0.1, 0.3, 0.2])).toEqual([3.5, 1, 3.5, 2]);
    expect(midranks([1, 1, 1])).toEqual([2, 2, 2]);
  });
});

describe('precision-prevalence', () => {
  it('matches Bayes in odds form and a simulated population', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        const d = generatePrevalenceShift(seed);
        const { tpr, fpr, newPrevalence } = d.inputs;
        const posteriorOdds = (newPrevalence / (1 - newPrevalence)) * (tpr / fpr);
        expect(d.answer).toBeCloseTo(posteriorOdds / (1 + posteriorOdds), 12);
        const population = 1_000_000;
        const positives = population * newPrevalence;
        const flagged = positives * tpr + (population - positives) * fpr;
        expect(d.answer).toBeCloseTo((positives * tpr) / flagged, 12);
        expect(d.inputs.oldPrevalence).not.toBe(newPrevalence);
      }),
      runs,
    );
  });
});

describe('f-beta', () => {
  it('matches the weighted harmonic mean of precision and recall', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        const d = generateFBeta(seed);
        const { tp, fp, fn, beta } = d.inputs;
        const p = tp / (tp + fp);
        const r = tp / (tp + fn);
        const w = beta * beta;
        expect(d.answer).toBeCloseTo(1 / ((1 / (1 + w)) * (1 / p) + (w / (1 + w)) * (1 / r)), 12);
        expect(d.figure).toEqual({ type: 'confusion', ...{ tp, fp, fn, tn: d.inputs.tn } });
      }),
      runs,
    );
  });

  it('equals F1 = 2TP / (2TP + FP + FN) when beta is 1', () => {
    for (let seed = 0; seed < 200; seed++) {
      const d = generateFBeta(seed);
      if (d.inputs.beta !== 1) continue;
      const { tp, fp, fn } = d.inputs;
      expect(d.answer).toBeCloseTo((2 * tp) / (2 * tp + fp + fn), 12);
    }
  });
});

describe('log-loss', () => {
  it('matches a loop over the probability given to the true class', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        const d = generateLogLoss(seed);
        const { labels, probs } = d.inputs;
        let total = 0;
        for (let i = 0; i < labels.length; i++) {
          const trueClassProb = labels[i] === 1 ? probs[i]! : 1 - probs[i]!;
          total += Math.log2(trueClassProb) * Math.LN2; // ln via log2, on purpose
        }
        expect(d.answer).toBeCloseTo(-total / labels.length, 12);
        expect(labels).toContain(0);
        expect(labels).toContain(1);
        for (const p of probs) expect(p > 0 && p < 1).toBe(true);
      }),
      runs,
    );
  });
});
