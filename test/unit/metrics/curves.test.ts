import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  MetricsInputError,
  averagePrecision,
  binarySummary,
  operatingPoint,
  prCurve,
  prevalence,
  rocAuc,
  rocCurve,
  thinCurve,
} from '../../../src/metrics/curves.js';

/** O(n^2) Mann-Whitney: P(pos > neg) + P(tie) / 2. */
function bruteAuc(labels: number[], scores: number[]): number {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== 1) continue;
    for (let j = 0; j < labels.length; j++) {
      if (labels[j] !== 0) continue;
      pairs++;
      if (scores[i]! > scores[j]!) wins += 1;
      else if (scores[i] === scores[j]) wins += 0.5;
    }
  }
  return wins / pairs;
}

/** Brute-force AP: for each distinct threshold, recall step times precision. */
function bruteAp(labels: number[], scores: number[]): number {
  const P = labels.filter((y) => y === 1).length;
  const ts = [...new Set(scores)].sort((a, b) => b - a);
  let ap = 0;
  let prevR = 0;
  for (const t of ts) {
    let tp = 0;
    let fp = 0;
    labels.forEach((y, i) => {
      if (scores[i]! >= t) {
        if (y === 1) tp++;
        else fp++;
      }
    });
    const r = tp / P;
    ap += (r - prevR) * (tp / (tp + fp));
    prevR = r;
  }
  return ap;
}

/** Labelled data with both classes and many ties (scores drawn from a small set). */
const tiedData = fc
  .array(fc.tuple(fc.constantFrom(0, 1), fc.integer({ min: 0, max: 6 })), { minLength: 2, maxLength: 60 })
  .filter((rows) => rows.some((r) => r[0] === 1) && rows.some((r) => r[0] === 0))
  .map((rows) => ({ labels: rows.map((r) => r[0]), scores: rows.map((r) => r[1] / 6) }));

const continuousData = fc
  .array(fc.tuple(fc.constantFrom(0, 1), fc.double({ min: -1e6, max: 1e6, noNaN: true })), { minLength: 2, maxLength: 80 })
  .filter((rows) => rows.some((r) => r[0] === 1) && rows.some((r) => r[0] === 0))
  .map((rows) => ({ labels: rows.map((r) => r[0]), scores: rows.map((r) => r[1]) }));

describe('known values (scikit-learn documentation examples)', () => {
  const y = [0, 0, 1, 1];
  const s = [0.1, 0.4, 0.35, 0.8];

  it('roc_auc_score = 0.75', () => {
    expect(rocAuc(y, s)).toBeCloseTo(0.75, 12);
  });

  it('average_precision_score = 0.8333', () => {
    expect(averagePrecision(y, s)).toBeCloseTo(0.8333333333333333, 12);
  });

  it('roc_curve points', () => {
    const roc = rocCurve(y, s);
    expect(Array.from(roc.fpr)).toEqual([0, 0, 0.5, 0.5, 1]);
    expect(Array.from(roc.tpr)).toEqual([0, 0.5, 0.5, 1, 1]);
    expect(Array.from(roc.thresholds)).toEqual([Infinity, 0.8, 0.4, 0.35, 0.1]);
  });

  it('precision_recall_curve points (stops at full recall)', () => {
    const pr = prCurve(y, s);
    expect(Array.from(pr.recall)).toEqual([0, 0.5, 0.5, 1]);
    expect(Array.from(pr.precision).map((p) => +p.toFixed(6))).toEqual([1, 1, 0.5, 0.666667]);
  });

  it('ties form one diagonal step: all scores equal gives AUC 0.5', () => {
    expect(rocAuc([1, 0, 1, 0, 0], [0.3, 0.3, 0.3, 0.3, 0.3])).toBe(0.5);
    const roc = rocCurve([1, 0, 1, 0, 0], [0.3, 0.3, 0.3, 0.3, 0.3]);
    expect(Array.from(roc.fpr)).toEqual([0, 1]);
    expect(Array.from(roc.tpr)).toEqual([0, 1]);
  });

  it('ties do not depend on order: a positive tied with a negative counts 1/2', () => {
    expect(rocAuc([1, 0], [0.5, 0.5])).toBe(0.5);
    expect(rocAuc([0, 1], [0.5, 0.5])).toBe(0.5);
    expect(rocAuc([1, 0, 0], [0.9, 0.9, 0.1])).toBe(0.75);
  });

  it('accepts booleans and treats -0 like 0', () => {
    expect(rocAuc([true, false], [-0, 0])).toBe(0.5);
  });

  it('prevalence', () => {
    expect(prevalence([1, 0, 0, 0])).toBe(0.25);
  });

  it('operating point uses score >= threshold', () => {
    const op = operatingPoint([1, 1, 0, 0], [0.9, 0.5, 0.5, 0.1], 0.5);
    expect(op).toMatchObject({ tp: 2, fp: 1, tn: 1, fn: 0, tpr: 1, fpr: 0.5, accuracy: 0.75 });
    expect(op.precision).toBeCloseTo(2 / 3);
    expect(op.f1).toBeCloseTo(0.8);
    expect(operatingPoint([1, 0], [0.1, 0.2], 0.9).precision).toBeNull();
  });

  it('binarySummary agrees with the individual functions', () => {
    const sum = binarySummary(y, s);
    expect(sum.auc).toBe(rocAuc(y, s));
    expect(sum.averagePrecision).toBe(averagePrecision(y, s));
    expect(sum.prevalence).toBe(0.5);
    expect(sum.n).toBe(4);
  });
});

describe('input validation', () => {
  it('rejects mismatched lengths, empty input, bad labels and scores', () => {
    expect(() => rocAuc([1, 0], [0.1])).toThrow(MetricsInputError);
    expect(() => rocAuc([], [])).toThrow(/at least one item/);
    expect(() => rocAuc([1, 2] as never, [0.1, 0.2])).toThrow(/labels\[1\] must be 0, 1, true or false \(got 2\)/);
    expect(() => rocAuc([1, 0], [0.1, Number.NaN])).toThrow(/scores\[1\] must be a finite number/);
    expect(() => rocAuc([1, 0], [0.1, '0.2'] as never)).toThrow(/scores\[1\]/);
    expect(() => rocAuc('10' as never, [1, 2])).toThrow(/labels must be an array/);
    expect(() => rocAuc(null as never, [1])).toThrow(/labels must be an array/);
  });

  it('AUC needs both classes, AP needs a positive', () => {
    expect(() => rocAuc([1, 1], [0.1, 0.2])).toThrow(/at least one positive and one negative/);
    expect(() => averagePrecision([0, 0], [0.1, 0.2])).toThrow(/at least one positive/);
    expect(averagePrecision([1, 1], [0.1, 0.2])).toBe(1);
  });
});

describe('properties', () => {
  it('AUC equals brute-force pairwise Mann-Whitney (ties 1/2)', () => {
    fc.assert(
      fc.property(tiedData, ({ labels, scores }) => {
        expect(rocAuc(labels, scores)).toBeCloseTo(bruteAuc(labels, scores), 12);
      }),
    );
    fc.assert(
      fc.property(continuousData, ({ labels, scores }) => {
        expect(rocAuc(labels, scores)).toBeCloseTo(bruteAuc(labels, scores), 12);
      }),
    );
  });

  it('AUC, AP and curves are invariant to input order (with ties)', () => {
    fc.assert(
      fc.property(
        tiedData.chain((d) =>
          fc.shuffledSubarray(
            d.labels.map((_, i) => i),
            { minLength: d.labels.length, maxLength: d.labels.length },
          ).map((perm) => ({ d, perm })),
        ),
        ({ d, perm }) => {
          const l2 = perm.map((i) => d.labels[i]!);
          const s2 = perm.map((i) => d.scores[i]!);
          expect(rocAuc(l2, s2)).toBe(rocAuc(d.labels, d.scores));
          expect(averagePrecision(l2, s2)).toBe(averagePrecision(d.labels, d.scores));
          expect(Array.from(rocCurve(l2, s2).tpr)).toEqual(Array.from(rocCurve(d.labels, d.scores).tpr));
        },
      ),
    );
  });

  it('AUC(1 - s) = 1 - AUC(s)', () => {
    fc.assert(
      fc.property(tiedData, ({ labels, scores }) => {
        const flipped = scores.map((s) => 1 - s);
        expect(rocAuc(labels, flipped)).toBeCloseTo(1 - rocAuc(labels, scores), 12);
      }),
    );
  });

  it('AP is within [prevalence-ish bounds, 1] and matches brute force', () => {
    fc.assert(
      fc.property(tiedData, ({ labels, scores }) => {
        const ap = averagePrecision(labels, scores);
        expect(ap).toBeGreaterThan(0);
        expect(ap).toBeLessThanOrEqual(1 + 1e-12);
        expect(ap).toBeCloseTo(bruteAp(labels, scores), 12);
        // A perfect ranking gives AP = 1.
        expect(averagePrecision(labels, labels.map((y) => y))).toBeCloseTo(1, 12);
      }),
    );
  });

  it('ROC starts at (0,0), ends at (1,1), and is monotone', () => {
    fc.assert(
      fc.property(continuousData, ({ labels, scores }) => {
        const { fpr, tpr } = rocCurve(labels, scores);
        expect(fpr[0]).toBe(0);
        expect(tpr[0]).toBe(0);
        expect(fpr[fpr.length - 1]).toBe(1);
        expect(tpr[tpr.length - 1]).toBe(1);
        for (let i = 1; i < fpr.length; i++) {
          expect(fpr[i]!).toBeGreaterThanOrEqual(fpr[i - 1]!);
          expect(tpr[i]!).toBeGreaterThanOrEqual(tpr[i - 1]!);
        }
      }),
    );
  });
});

describe('scale', () => {
  it('100,000 items in well under a second, and thinning keeps the ends', () => {
    const n = 100_000;
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const labels = Array.from({ length: n }, () => (rand() < 0.3 ? 1 : 0));
    const scores = labels.map((y) => Math.round((rand() + y * 0.4) * 1000) / 1000);
    const t0 = performance.now();
    const s = binarySummary(labels, scores);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(s.auc).toBeGreaterThan(0.7);
    const thin = thinCurve(s.roc.fpr, s.roc.tpr, 0.001);
    expect(thin.xs.length).toBeLessThan(s.roc.fpr.length + 1);
    expect(thin.xs[0]).toBe(0);
    expect(thin.xs[thin.xs.length - 1]).toBe(1);
    expect(thin.ys[thin.ys.length - 1]).toBe(1);
  });
});
