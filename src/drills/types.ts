/** A generated numeric problem, with everything needed to show it, grade it and explain it. */

export interface Tolerance {
  /** Accept |value - answer| <= abs. */
  abs?: number;
  /** Accept |value - answer| <= rel * |answer|. With both, the larger bound applies. */
  rel?: number;
}

export interface ReliabilityBin {
  /** Confidence range [lo, hi) of the bin. */
  lo: number;
  hi: number;
  count: number;
  /** Mean confidence of the bin's predictions. */
  confidence: number;
  /** Fraction of the bin's predictions that were right. */
  accuracy: number;
}

/** Data for the figure a drill comes with; the renderer draws it, drills only describe it. */
export type Figure =
  /** Binary labels (1 = positive) and scores, for a ROC curve. */
  | { type: 'roc'; labels: number[]; scores: number[] }
  /** One bar per label. */
  | { type: 'bars'; title: string; labels: string[]; values: number[]; xLabel?: string; yLabel?: string }
  /** A reliability diagram; only bins holding at least one prediction are listed. */
  | { type: 'reliability'; bins: ReliabilityBin[] }
  /** A 2x2 confusion matrix. */
  | { type: 'confusion'; tp: number; fp: number; fn: number; tn: number };

export interface Drill<I = unknown> {
  /** The kind's id in `drillKinds`. */
  kind: string;
  /** The (normalised, unsigned 32-bit) seed: `generate(seed)` rebuilds this exact drill. */
  seed: number;
  title: string;
  /** Markdown with LaTeX in $...$ and $$...$$. Ends with what to enter (e.g. "give 3 decimals"). */
  question: string;
  /** The exact answer (not rounded). */
  answer: number;
  /** The answer rounded as the question asks, e.g. "0.733". */
  answerText: string;
  /** Decimal places the question asks for. */
  decimals: number;
  tolerance: Tolerance;
  unit?: string;
  /** Worked steps, Markdown with LaTeX; the last line ends with `answerText`. */
  solution: string;
  /** Shown with the question: it must never give the answer away. */
  figure?: Figure;
  /** Shown only with the solution: a figure that shows what is asked (an AUC drill's ROC curve). */
  solutionFigure?: Figure;
  /** The generated inputs, structured (for tests, figures and anyone who wants to re-derive the answer). */
  inputs: I;
}

export interface DrillKind<I = unknown> {
  /** Slug, stable: stored with answers and carried in custom ids. */
  id: string;
  title: string;
  /** One line, at most 100 characters (it is shown as a slash-command choice). */
  description: string;
  generate(seed: number): Drill<I>;
}
