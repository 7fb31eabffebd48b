/** Drills on classification metrics: AUC with ties, precision under prevalence shift, F-beta, log-loss. */
import { fixed, makeDrill, show, sum, texTable } from '../format.js';
import { createRng } from '../random.js';
import type { Drill, DrillKind } from '../types.js';

// ---------------------------------------------------------------------------------------------

export interface AucInputs {
  /** 1 = positive, 0 = negative, in the order shown. */
  labels: number[];
  scores: number[];
}

/** Midranks (1-based) of values, ties sharing the mean of the ranks they span. */
export function midranks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const ranks = new Array<number>(values.length).fill(0);
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && (order[end + 1] as readonly [number, number])[0] === (order[start] as readonly [number, number])[0]) end++;
    const rank = (start + 1 + end + 1) / 2;
    for (let k = start; k <= end; k++) ranks[(order[k] as readonly [number, number])[1]] = rank;
    start = end + 1;
  }
  return ranks;
}

export function generateAuc(seed: number): Drill<AucInputs> {
  const rng = createRng(seed);
  const nPos = rng.int(3, 5);
  const nNeg = rng.int(3, 6);
  const pos = Array.from({ length: nPos }, () => rng.step(0.3, 0.9, 0.1));
  const neg = Array.from({ length: nNeg }, () => rng.step(0.1, 0.7, 0.1));
  // The point of the drill: at least one positive ties with a negative.
  if (!pos.some((p) => neg.includes(p))) neg[rng.int(0, nNeg - 1)] = rng.pick(pos);
  const items = rng.shuffle([...pos.map((s) => ({ s, y: 1 })), ...neg.map((s) => ({ s, y: 0 }))]);
  const labels = items.map((i) => i.y);
  const scores = items.map((i) => i.s);

  const ranks = midranks(scores);
  const rPos = sum(ranks.filter((_, i) => labels[i] === 1));
  const u = rPos - (nPos * (nPos + 1)) / 2;
  const auc = u / (nPos * nNeg);

  const sorted = scores.map((s, i) => ({ s, y: labels[i] as number, r: ranks[i] as number })).sort((a, b) => a.s - b.s || a.y - b.y);
  return makeDrill({
    kind: 'auc-ties',
    seed,
    title: 'ROC AUC with tied scores',
    question: [
      `A classifier gave these scores to ${nPos + nNeg} examples (label 1 = positive):`,
      texTable([
        ['score', scores],
        ['label', labels],
      ]),
      'Compute the ROC AUC. Tied scores cross any threshold together, so a positive-negative pair with equal scores counts as **half** a correctly ordered pair (Mann-Whitney $U$ with ties = 1/2).',
    ].join('\n\n'),
    answer: auc,
    decimals: 3,
    tolerance: { abs: 0.005 },
    steps: [
      `AUC is the probability that a random positive scores above a random negative: $\\text{AUC} = \\frac{U}{n_+ n_-}$ with $n_+ = ${nPos}$, $n_- = ${nNeg}$.`,
      'Sort the scores ascending and rank them; tied scores share the mean of their ranks (midranks):',
      texTable([
        ['score', sorted.map((x) => x.s)],
        ['label', sorted.map((x) => x.y)],
        ['rank', sorted.map((x) => x.r)],
      ]),
      `Sum of the positives' ranks: $R_+ = ${sorted.filter((x) => x.y === 1).map((x) => show(x.r)).join(' + ')} = ${show(rPos)}$.`,
      `$U = R_+ - \\frac{n_+(n_+ + 1)}{2} = ${show(rPos)} - ${show((nPos * (nPos + 1)) / 2)} = ${show(u)}$ (the number of correctly ordered positive-negative pairs, ties counting 1/2).`,
      `$\\text{AUC} = \\frac{${show(u)}}{${nPos} \\cdot ${nNeg}} = ${fixed(auc, 4)}$`,
    ],
    // The ROC curve is what is asked (its area): it comes with the solution. Before the answer,
    // only the scores themselves.
    figure: { type: 'bars', title: 'Scores by example', labels: labels.map((y, i) => `#${i + 1} (y=${y})`), values: scores, yLabel: 'score' },
    solutionFigure: { type: 'roc', labels, scores },
    inputs: { labels, scores },
  });
}

export const aucTies: DrillKind<AucInputs> = {
  id: 'auc-ties',
  title: 'ROC AUC with ties',
  description: 'AUC of a small scored sample with tied scores (Mann-Whitney, ties count 1/2).',
  generate: generateAuc,
};

// ---------------------------------------------------------------------------------------------

export interface PrevalenceInputs {
  tpr: number;
  fpr: number;
  oldPrevalence: number;
  newPrevalence: number;
}

const precisionAt = (tpr: number, fpr: number, prev: number) => (tpr * prev) / (tpr * prev + fpr * (1 - prev));

export function generatePrevalenceShift(seed: number): Drill<PrevalenceInputs> {
  const rng = createRng(seed);
  const tpr = rng.step(0.7, 0.95, 0.05);
  const fpr = rng.step(0.01, 0.1, 0.01);
  const oldPrevalence = rng.step(0.2, 0.5, 0.05);
  const newPrevalence = rng.pick([0.005, 0.01, 0.02, 0.03, 0.05, 0.1]);
  const oldPrecision = precisionAt(tpr, fpr, oldPrevalence);
  const answer = precisionAt(tpr, fpr, newPrevalence);
  const decimals = answer < 0.1 ? 4 : 3;
  const tp = tpr * newPrevalence;
  const fp = fpr * (1 - newPrevalence);
  return makeDrill({
    kind: 'precision-prevalence',
    seed,
    title: 'Precision after a prevalence shift',
    question: [
      `A fraud model was validated on a sample with prevalence $\\pi = ${show(oldPrevalence)}$, where it had $\\text{TPR} = ${show(tpr)}$ and $\\text{FPR} = ${show(fpr)}$ (precision ${fixed(oldPrecision, 3)}).`,
      `In production the prevalence is $\\pi' = ${show(newPrevalence)}$. Assuming the class-conditional score distributions (hence TPR and FPR at the same threshold) do not change, what is the precision in production?`,
    ].join('\n\n'),
    enter: 'as a fraction between 0 and 1',
    answer,
    decimals,
    tolerance: { abs: 10 ** -decimals, rel: 0.01 },
    steps: [
      'TPR and FPR are rates within each class, so they survive a prevalence shift; precision mixes the classes, so it does not.',
      `Per unit of traffic: true positives $\\text{TPR}\\cdot\\pi' = ${show(tpr)} \\cdot ${show(newPrevalence)} = ${show(tp, 6)}$, false positives $\\text{FPR}\\cdot(1-\\pi') = ${show(fpr)} \\cdot ${show(1 - newPrevalence)} = ${show(fp, 6)}$.`,
      `$\\text{precision} = \\frac{\\text{TPR}\\,\\pi'}{\\text{TPR}\\,\\pi' + \\text{FPR}\\,(1-\\pi')} = \\frac{${show(tp, 6)}}{${show(tp, 6)} + ${show(fp, 6)}} = ${fixed(answer, decimals + 1)}$`,
      `Equivalently in odds: posterior odds = prior odds $\\times \\frac{\\text{TPR}}{\\text{FPR}} = ${fixed(newPrevalence / (1 - newPrevalence), 5)} \\times ${show(tpr / fpr, 4)} = ${fixed(tp / fp, 5)}$, and precision = odds / (1 + odds). It fell from ${fixed(oldPrecision, 3)} to ${fixed(answer, decimals)} with the same model.`,
    ],
    // Its second bar is the answer: with the solution only.
    solutionFigure: {
      type: 'bars',
      title: 'Precision at each prevalence',
      labels: [`π = ${show(oldPrevalence)}`, `π' = ${show(newPrevalence)}`],
      values: [oldPrecision, answer],
      yLabel: 'precision',
    },
    inputs: { tpr, fpr, oldPrevalence, newPrevalence },
  });
}

export const precisionPrevalence: DrillKind<PrevalenceInputs> = {
  id: 'precision-prevalence',
  title: 'Precision after a prevalence shift',
  description: 'Precision in production from TPR, FPR and a new prevalence.',
  generate: generatePrevalenceShift,
};

// ---------------------------------------------------------------------------------------------

export interface FBetaInputs {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  beta: number;
}

export function generateFBeta(seed: number): Drill<FBetaInputs> {
  const rng = createRng(seed);
  const tp = rng.int(5, 80);
  const fp = rng.int(1, 40);
  const fn = rng.int(1, 40);
  const tn = rng.int(20, 200);
  const beta = rng.pick([0.5, 1, 2]);
  const b2 = beta * beta;
  const precision = tp / (tp + fp);
  const recall = tp / (tp + fn);
  const answer = ((1 + b2) * precision * recall) / (b2 * precision + recall);
  const leaning = beta > 1 ? 'weighs recall more' : beta < 1 ? 'weighs precision more' : 'is the plain harmonic mean';
  return makeDrill({
    kind: 'f-beta',
    seed,
    title: `F${beta === 0.5 ? '0.5' : beta} score from a confusion matrix`,
    question: [
      'A classifier produced this confusion matrix on a test set:',
      `$$\\begin{array}{c|cc} & \\text{predicted } + & \\text{predicted } - \\\\ \\hline \\text{actual } + & ${tp} & ${fn} \\\\ \\text{actual } - & ${fp} & ${tn} \\end{array}$$`,
      `Compute $F_\\beta$ with $\\beta = ${show(beta)}$: $F_\\beta = \\frac{(1+\\beta^2)\\, P\\, R}{\\beta^2 P + R}$.`,
    ].join('\n\n'),
    answer,
    decimals: 3,
    tolerance: { abs: 0.002 },
    steps: [
      `Precision $P = \\frac{TP}{TP+FP} = \\frac{${tp}}{${tp + fp}} = ${fixed(precision, 4)}$; recall $R = \\frac{TP}{TP+FN} = \\frac{${tp}}{${tp + fn}} = ${fixed(recall, 4)}$ (TN plays no part).`,
      `With $\\beta = ${show(beta)}$ ($\\beta^2 = ${show(b2)}$), $F_\\beta$ ${leaning}.`,
      `$F_\\beta = \\frac{${show(1 + b2)} \\cdot ${fixed(precision, 4)} \\cdot ${fixed(recall, 4)}}{${show(b2)} \\cdot ${fixed(precision, 4)} + ${fixed(recall, 4)}}$`,
      `Or straight from counts: $F_\\beta = \\frac{(1+\\beta^2)TP}{(1+\\beta^2)TP + \\beta^2 FN + FP} = \\frac{${show((1 + b2) * tp)}}{${show((1 + b2) * tp)} + ${show(b2 * fn)} + ${fp}} = ${fixed(answer, 4)}$`,
    ],
    figure: { type: 'confusion', tp, fp, fn, tn },
    inputs: { tp, fp, fn, tn, beta },
  });
}

export const fBeta: DrillKind<FBetaInputs> = {
  id: 'f-beta',
  title: 'F-beta from a confusion matrix',
  description: 'F0.5, F1 or F2 from TP, FP, FN and TN.',
  generate: generateFBeta,
};

// ---------------------------------------------------------------------------------------------

export interface LogLossInputs {
  labels: number[];
  /** Predicted probability of the positive class. */
  probs: number[];
}

export function generateLogLoss(seed: number): Drill<LogLossInputs> {
  const rng = createRng(seed);
  const n = rng.int(4, 6);
  const labels = Array.from({ length: n }, () => (rng.chance(0.5) ? 1 : 0));
  if (!labels.includes(1)) labels[0] = 1;
  if (!labels.includes(0)) labels[n - 1] = 0;
  const probs = Array.from({ length: n }, () => rng.step(0.05, 0.95, 0.05));
  const terms = labels.map((y, i) => {
    const p = probs[i] as number;
    return -(y * Math.log(p) + (1 - y) * Math.log(1 - p));
  });
  const answer = sum(terms) / n;
  return makeDrill({
    kind: 'log-loss',
    seed,
    title: 'Log-loss of a few predictions',
    question: [
      `A model predicted $p = P(y=1)$ for ${n} examples:`,
      texTable([
        ['y', labels],
        ['p', probs],
      ]),
      'Compute the mean log-loss (binary cross-entropy) with the natural logarithm: $\\mathcal{L} = -\\frac{1}{n}\\sum_i \\left[y_i \\ln p_i + (1-y_i)\\ln(1-p_i)\\right]$.',
    ].join('\n\n'),
    answer,
    decimals: 3,
    tolerance: { abs: 0.002 },
    steps: [
      'Each example costs minus the log of the probability given to its true class: $-\\ln p$ when $y = 1$, $-\\ln(1-p)$ when $y = 0$.',
      labels
        .map((y, i) => {
          const p = probs[i] as number;
          return y === 1
            ? `$-\\ln ${show(p)} = ${fixed(terms[i] as number, 4)}$`
            : `$-\\ln(1 - ${show(p)}) = -\\ln ${show(1 - p)} = ${fixed(terms[i] as number, 4)}$`;
        })
        .join(', '),
      `Mean: $\\frac{${terms.map((t) => fixed(t, 4)).join(' + ')}}{${n}} = \\frac{${fixed(sum(terms), 4)}}{${n}} = ${fixed(answer, 4)}$`,
    ],
    figure: {
      type: 'bars',
      title: 'Predicted probability of y = 1',
      labels: labels.map((y, i) => `#${i + 1} (y=${y})`),
      values: probs,
      yLabel: 'p',
    },
    // The per-example losses are the first step of the solution (their mean is the answer).
    solutionFigure: {
      type: 'bars',
      title: 'Loss per example',
      labels: labels.map((y, i) => `#${i + 1} (y=${y}, p=${show(probs[i] as number)})`),
      values: terms,
      yLabel: '−log p(true class)',
    },
    inputs: { labels, probs },
  });
}

export const logLoss: DrillKind<LogLossInputs> = {
  id: 'log-loss',
  title: 'Log-loss',
  description: 'Mean binary cross-entropy of a handful of predictions.',
  generate: generateLogLoss,
};
