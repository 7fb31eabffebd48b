/**
 * Binary-classification curves and summary metrics: ROC, AUC, precision-recall, average
 * precision and operating points.
 *
 * Conventions (the same as scikit-learn):
 * - an item is predicted positive when `score >= threshold`;
 * - items with tied scores cross every threshold together, so they form one step of the
 *   curve (a diagonal ROC segment). AUC therefore equals the Mann-Whitney statistic with
 *   ties counted as 1/2, whatever the input order;
 * - average precision is the step-wise sum `sum_k (R_k - R_{k-1}) * P_k` over distinct
 *   thresholds (no interpolation).
 *
 * Everything is O(n log n): positives' and negatives' scores are sorted separately (native
 * typed-array sort) and merged, which groups ties for free.
 */

export class MetricsInputError extends Error {
  override readonly name = 'MetricsInputError';
}

/** A label is 1/true (positive) or 0/false (negative); anything else is rejected at run time. */
export type BinaryLabel = 0 | 1 | boolean;
/** Labels as callers usually hold them (number[], boolean[], Uint8Array); validated element by element. */
export type Labels = ArrayLike<number | boolean>;

/** Largest input accepted, to keep a single call's memory bounded (~100 MB). */
export const MAX_ITEMS = 5_000_000;

interface SplitScores {
  /** Scores of positive items, sorted ascending. */
  pos: Float64Array;
  /** Scores of negative items, sorted ascending. */
  neg: Float64Array;
}

function describe(v: unknown): string {
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return JSON.stringify(v.length > 20 ? `${v.slice(0, 20)}...` : v);
  if (v === null) return 'null';
  return typeof v;
}

function checkArrayLike(name: string, v: unknown): asserts v is ArrayLike<unknown> {
  if (v === null || typeof v !== 'object' || typeof (v as { length?: unknown }).length !== 'number') {
    throw new MetricsInputError(`${name} must be an array`);
  }
}

function readLabel(labels: ArrayLike<unknown>, i: number): 0 | 1 {
  const v = labels[i];
  if (v === 1 || v === true) return 1;
  if (v === 0 || v === false) return 0;
  throw new MetricsInputError(`labels[${i}] must be 0, 1, true or false (got ${describe(v)})`);
}

function readScore(scores: ArrayLike<unknown>, i: number, name: string): number {
  const v = scores[i];
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new MetricsInputError(`${name}[${i}] must be a finite number (got ${describe(v)})`);
  }
  // -0 and +0 are the same threshold; the typed-array sort would order them apart.
  return v === 0 ? 0 : v;
}

function checkPair(labels: unknown, scores: unknown, scoreName = 'scores'): number {
  checkArrayLike('labels', labels);
  checkArrayLike(scoreName, scores);
  if (labels.length !== scores.length) {
    throw new MetricsInputError(`labels and ${scoreName} must have the same length (${labels.length} vs ${scores.length})`);
  }
  if (labels.length === 0) throw new MetricsInputError('need at least one item');
  if (labels.length > MAX_ITEMS) throw new MetricsInputError(`at most ${MAX_ITEMS} items are supported (got ${labels.length})`);
  return labels.length;
}

function splitScores(labels: ArrayLike<unknown>, scores: ArrayLike<unknown>): SplitScores {
  const n = checkPair(labels, scores);
  let p = 0;
  for (let i = 0; i < n; i++) p += readLabel(labels, i);
  const pos = new Float64Array(p);
  const neg = new Float64Array(n - p);
  let ip = 0;
  let ineg = 0;
  for (let i = 0; i < n; i++) {
    const s = readScore(scores, i, 'scores');
    if (readLabel(labels, i) === 1) pos[ip++] = s;
    else neg[ineg++] = s;
  }
  pos.sort();
  neg.sort();
  return { pos, neg };
}

/** Cumulative counts at each distinct threshold, thresholds in decreasing order. */
export interface ThresholdCounts {
  thresholds: Float64Array;
  /** True positives among items with score >= thresholds[k]. */
  tp: Float64Array;
  /** False positives among items with score >= thresholds[k]. */
  fp: Float64Array;
  positives: number;
  negatives: number;
}

export function thresholdCounts(labels: Labels, scores: ArrayLike<number>): ThresholdCounts {
  const { pos, neg } = splitScores(labels, scores);
  const n = pos.length + neg.length;
  const thresholds = new Float64Array(n);
  const tp = new Float64Array(n);
  const fp = new Float64Array(n);
  let i = pos.length - 1;
  let j = neg.length - 1;
  let ctp = 0;
  let cfp = 0;
  let k = 0;
  while (i >= 0 || j >= 0) {
    const a = i >= 0 ? pos[i]! : -Infinity;
    const b = j >= 0 ? neg[j]! : -Infinity;
    const t = a > b ? a : b;
    while (i >= 0 && pos[i] === t) {
      ctp++;
      i--;
    }
    while (j >= 0 && neg[j] === t) {
      cfp++;
      j--;
    }
    thresholds[k] = t;
    tp[k] = ctp;
    fp[k] = cfp;
    k++;
  }
  return {
    thresholds: thresholds.subarray(0, k),
    tp: tp.subarray(0, k),
    fp: fp.subarray(0, k),
    positives: pos.length,
    negatives: neg.length,
  };
}

function needBothClasses(c: { positives: number; negatives: number }, what: string): void {
  if (c.positives === 0 || c.negatives === 0) {
    throw new MetricsInputError(
      `${what} needs at least one positive and one negative label (got ${c.positives} positive, ${c.negatives} negative)`,
    );
  }
}

export interface RocCurve {
  /** False-positive rate, non-decreasing, from 0 to 1. */
  fpr: Float64Array;
  /** True-positive rate, non-decreasing, from 0 to 1. */
  tpr: Float64Array;
  /** thresholds[0] is +Infinity (nothing predicted positive); then the distinct scores, decreasing. */
  thresholds: Float64Array;
  positives: number;
  negatives: number;
}

function rocFromCounts(c: ThresholdCounts): RocCurve {
  needBothClasses(c, 'A ROC curve');
  const m = c.thresholds.length + 1;
  const fpr = new Float64Array(m);
  const tpr = new Float64Array(m);
  const thresholds = new Float64Array(m);
  thresholds[0] = Infinity;
  for (let k = 1; k < m; k++) {
    fpr[k] = c.fp[k - 1]! / c.negatives;
    tpr[k] = c.tp[k - 1]! / c.positives;
    thresholds[k] = c.thresholds[k - 1]!;
  }
  return { fpr, tpr, thresholds, positives: c.positives, negatives: c.negatives };
}

/** ROC points, one per distinct score (ties grouped), starting at (0, 0). */
export function rocCurve(labels: Labels, scores: ArrayLike<number>): RocCurve {
  return rocFromCounts(thresholdCounts(labels, scores));
}

function aucFromCounts(c: ThresholdCounts): number {
  needBothClasses(c, 'AUC');
  // Trapezoid in count space: each tie group adds dFP * (TP_before + dTP / 2). Integer sums
  // until the final division keep it exact for any realistic n.
  let area = 0;
  let prevTp = 0;
  let prevFp = 0;
  for (let k = 0; k < c.thresholds.length; k++) {
    const tp = c.tp[k]!;
    const fp = c.fp[k]!;
    area += (fp - prevFp) * (prevTp + tp);
    prevTp = tp;
    prevFp = fp;
  }
  return area / (2 * c.positives * c.negatives);
}

/** Area under the ROC curve = P(score of a random positive > random negative) + P(tie) / 2. */
export function rocAuc(labels: Labels, scores: ArrayLike<number>): number {
  return aucFromCounts(thresholdCounts(labels, scores));
}

export interface PrCurve {
  /** Recall, non-decreasing; recall[0] = 0. */
  recall: Float64Array;
  /** Precision; precision[0] = 1 by convention (as in scikit-learn). */
  precision: Float64Array;
  /** thresholds[0] is +Infinity; then distinct scores, decreasing, up to the first reaching full recall. */
  thresholds: Float64Array;
  positives: number;
  negatives: number;
}

function prFromCounts(c: ThresholdCounts): PrCurve {
  if (c.positives === 0) throw new MetricsInputError('A precision-recall curve needs at least one positive label');
  // Like scikit-learn, stop at the first threshold with full recall: lower thresholds only add false positives.
  let last = c.thresholds.length - 1;
  for (let k = 0; k < c.thresholds.length; k++) {
    if (c.tp[k] === c.positives) {
      last = k;
      break;
    }
  }
  const m = last + 2;
  const recall = new Float64Array(m);
  const precision = new Float64Array(m);
  const thresholds = new Float64Array(m);
  precision[0] = 1;
  thresholds[0] = Infinity;
  for (let k = 0; k <= last; k++) {
    const tp = c.tp[k]!;
    recall[k + 1] = tp / c.positives;
    precision[k + 1] = tp / (tp + c.fp[k]!);
    thresholds[k + 1] = c.thresholds[k]!;
  }
  return { recall, precision, thresholds, positives: c.positives, negatives: c.negatives };
}

export function prCurve(labels: Labels, scores: ArrayLike<number>): PrCurve {
  return prFromCounts(thresholdCounts(labels, scores));
}

function apFromCounts(c: ThresholdCounts): number {
  if (c.positives === 0) throw new MetricsInputError('Average precision needs at least one positive label');
  let ap = 0;
  let prevTp = 0;
  for (let k = 0; k < c.thresholds.length; k++) {
    const tp = c.tp[k]!;
    if (tp !== prevTp) ap += ((tp - prevTp) / c.positives) * (tp / (tp + c.fp[k]!));
    prevTp = tp;
  }
  return ap;
}

/** Step-wise average precision, `sum_k (R_k - R_{k-1}) P_k` over distinct thresholds (scikit-learn's definition). */
export function averagePrecision(labels: Labels, scores: ArrayLike<number>): number {
  return apFromCounts(thresholdCounts(labels, scores));
}

/** Fraction of positive labels. */
export function prevalence(labels: Labels): number {
  checkArrayLike('labels', labels);
  if (labels.length === 0) throw new MetricsInputError('need at least one item');
  let p = 0;
  for (let i = 0; i < labels.length; i++) p += readLabel(labels, i);
  return p / labels.length;
}

export interface OperatingPoint {
  threshold: number;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  /** Recall / sensitivity; null without positives. */
  tpr: number | null;
  /** Fall-out; null without negatives. */
  fpr: number | null;
  /** null when nothing is predicted positive. */
  precision: number | null;
  specificity: number | null;
  accuracy: number;
  /** null when precision or recall is undefined or both are 0. */
  f1: number | null;
}

function ratio(a: number, b: number): number | null {
  return b === 0 ? null : a / b;
}

/** Confusion matrix and rates when predicting positive for `score >= threshold`. */
export function operatingPoint(labels: Labels, scores: ArrayLike<number>, threshold: number): OperatingPoint {
  const n = checkPair(labels, scores);
  if (typeof threshold !== 'number' || Number.isNaN(threshold)) throw new MetricsInputError('threshold must be a number');
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let i = 0; i < n; i++) {
    const y = readLabel(labels, i);
    const predicted = readScore(scores, i, 'scores') >= threshold;
    if (predicted) {
      if (y === 1) tp++;
      else fp++;
    } else if (y === 1) fn++;
    else tn++;
  }
  const precision = ratio(tp, tp + fp);
  const tpr = ratio(tp, tp + fn);
  const f1 = precision === null || tpr === null || precision + tpr === 0 ? null : (2 * precision * tpr) / (precision + tpr);
  return {
    threshold,
    tp,
    fp,
    tn,
    fn,
    tpr,
    fpr: ratio(fp, fp + tn),
    precision,
    specificity: ratio(tn, fp + tn),
    accuracy: (tp + tn) / n,
    f1,
  };
}

/** Everything the /roc command shows, computed in one sort. */
export interface BinarySummary {
  roc: RocCurve;
  pr: PrCurve;
  auc: number;
  averagePrecision: number;
  prevalence: number;
  n: number;
}

export function binarySummary(labels: Labels, scores: ArrayLike<number>): BinarySummary {
  const c = thresholdCounts(labels, scores);
  const n = c.positives + c.negatives;
  return {
    roc: rocFromCounts(c),
    pr: prFromCounts(c),
    auc: aucFromCounts(c),
    averagePrecision: apFromCounts(c),
    prevalence: c.positives / n,
    n,
  };
}

/**
 * Thin a polyline for drawing: keeps the first and last points and every point that moved
 * more than `epsilon` (in x or y) from the last kept one, plus the point just before such a
 * move so staircase corners survive. Only for display; metrics use the full curve.
 */
export function thinCurve(xs: ArrayLike<number>, ys: ArrayLike<number>, epsilon: number): { xs: Float64Array; ys: Float64Array } {
  const n = Math.min(xs.length, ys.length);
  if (n <= 2) return { xs: Float64Array.from({ length: n }, (_, i) => xs[i]!), ys: Float64Array.from({ length: n }, (_, i) => ys[i]!) };
  const ox = new Float64Array(n);
  const oy = new Float64Array(n);
  let m = 0;
  ox[m] = xs[0]!;
  oy[m] = ys[0]!;
  m++;
  let lastX = xs[0]!;
  let lastY = ys[0]!;
  for (let i = 1; i < n - 1; i++) {
    const x = xs[i]!;
    const y = ys[i]!;
    if (Math.abs(x - lastX) > epsilon || Math.abs(y - lastY) > epsilon) {
      const px = xs[i - 1]!;
      const py = ys[i - 1]!;
      if (px !== ox[m - 1] || py !== oy[m - 1]) {
        ox[m] = px;
        oy[m] = py;
        m++;
      }
      ox[m] = x;
      oy[m] = y;
      m++;
      lastX = x;
      lastY = y;
    }
  }
  ox[m] = xs[n - 1]!;
  oy[m] = ys[n - 1]!;
  m++;
  return { xs: ox.slice(0, m), ys: oy.slice(0, m) };
}
