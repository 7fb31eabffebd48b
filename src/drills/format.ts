import { normalizeSeed } from './random.js';
import type { Drill, Figure, Tolerance } from './types.js';

/** A number as plain decimal text: at most `maxDecimals` decimals, no trailing zeros, never an exponent. */
export function show(x: number, maxDecimals = 6): string {
  const s = x.toFixed(maxDecimals);
  const trimmed = s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
  return trimmed === '-0' ? '0' : trimmed;
}

/** A number rounded to `digits` significant digits, as plain decimal text ("0.0008333"). */
export function sig(x: number, digits = 4): string {
  if (x === 0 || !Number.isFinite(x)) return show(x);
  return show(Number(x.toPrecision(digits)), 12);
}

/** Fixed decimals ("0.730"), without a negative zero. */
export function fixed(x: number, decimals: number): string {
  const s = x.toFixed(decimals);
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
}

/** A number to put after a minus or a times sign in TeX: negative numbers get parentheses. */
export function paren(x: number, maxDecimals = 6): string {
  return x < 0 ? `(${show(x, maxDecimals)})` : show(x, maxDecimals);
}

/** Powers of ten as TeX: 0.00001 → 10^{-5}; other numbers as `show`. */
export function texNumber(x: number): string {
  const e = Math.log10(x);
  if (x > 0 && x < 0.01 && Math.abs(e - Math.round(e)) < 1e-12) return `10^{${Math.round(e)}}`;
  return show(x, 8);
}

/** A LaTeX table: one row per entry, a header column of labels (plain text, or `{ tex }` for math). */
export function texTable(rows: [string | { tex: string }, (string | number)[]][]): string {
  const width = Math.max(...rows.map(([, cells]) => cells.length));
  const body = rows
    .map(([head, cells]) =>
      [typeof head === 'string' ? `\\text{${head}}` : head.tex, ...cells.map((c) => (typeof c === 'number' ? show(c) : c))].join(' & '),
    )
    .join(' \\\\ ');
  return `$$\\begin{array}{l|${'c'.repeat(width)}} ${body} \\end{array}$$`;
}

export function sum(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

export interface DrillParts<I> {
  kind: string;
  seed: number;
  title: string;
  /** The problem, without the rounding instruction (added from `decimals` and `enter`). */
  question: string;
  /** Extra instruction on what to enter, e.g. "as a probability between 0 and 1". */
  enter?: string;
  answer: number;
  decimals: number;
  tolerance: Tolerance;
  unit?: string;
  /** Worked steps; the answer line is appended. */
  steps: string[];
  /** Shown with the question: inputs only, never the answer or a step towards it. */
  figure?: Figure;
  /** Shown with the solution: a figure of what is asked, or of a step towards it. */
  solutionFigure?: Figure;
  inputs: I;
}

export function makeDrill<I>(p: DrillParts<I>): Drill<I> {
  const answerText = fixed(p.answer, p.decimals);
  const enter = p.enter ? ` ${p.enter}` : '';
  const drill: Drill<I> = {
    kind: p.kind,
    seed: normalizeSeed(p.seed),
    title: p.title,
    question: `${p.question}\n\nGive your answer${enter} to ${p.decimals} decimal place${p.decimals === 1 ? '' : 's'}.`,
    answer: p.answer,
    answerText,
    decimals: p.decimals,
    tolerance: p.tolerance,
    solution: `${p.steps.join('\n\n')}\n\n**Answer:** ${answerText}`,
    inputs: p.inputs,
  };
  if (p.unit !== undefined) drill.unit = p.unit;
  if (p.figure !== undefined) drill.figure = p.figure;
  if (p.solutionFigure !== undefined) drill.solutionFigure = p.solutionFigure;
  return drill;
}
