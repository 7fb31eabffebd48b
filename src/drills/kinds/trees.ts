/** Drills on gradient-boosted trees (XGBoost's second-order objective with logistic loss). */
import { fixed, makeDrill, paren, show, sum, texTable } from '../format.js';
import { createRng, type Rng } from '../random.js';
import type { Drill, DrillKind } from '../types.js';

export interface Sample {
  /** Label, 0 or 1. */
  y: number;
  /** The current model's predicted probability for the sample. */
  p: number;
}

/** Logistic loss derivatives with respect to the margin: g = p - y, h = p(1 - p). */
export const gradient = (s: Sample) => s.p - s.y;
export const hessian = (s: Sample) => s.p * (1 - s.p);

function drawSamples(rng: Rng, n: number): Sample[] {
  return Array.from({ length: n }, () => ({ y: rng.chance(0.5) ? 1 : 0, p: rng.step(0.1, 0.9, 0.1) }));
}

function sampleTable(samples: readonly Sample[], withDerivatives: boolean): string {
  const rows: [string | { tex: string }, (string | number)[]][] = [
    ['y', samples.map((s) => s.y)],
    ['p', samples.map((s) => s.p)],
  ];
  if (withDerivatives) {
    rows.push([{ tex: 'g = p - y' }, samples.map((s) => fixed(gradient(s), 2))]);
    rows.push([{ tex: 'h = p(1-p)' }, samples.map((s) => fixed(hessian(s), 2))]);
  }
  return texTable(rows);
}

const derivativesNote =
  'With logistic loss and margin (log-odds) $f$, each sample has gradient $g_i = p_i - y_i$ and hessian $h_i = p_i(1 - p_i)$, where $p_i = \\sigma(f_i)$ is the current predicted probability.';

// ---------------------------------------------------------------------------------------------

export interface LeafInputs {
  samples: Sample[];
  lambda: number;
}

export function generateLeafWeight(seed: number): Drill<LeafInputs> {
  const rng = createRng(seed);
  const lambda = rng.pick([0, 0.5, 1, 2]);
  let samples = drawSamples(rng, rng.int(3, 5));
  // A leaf whose gradients cancel has weight 0: legal, but it teaches nothing.
  for (let i = 0; i < 20 && Math.abs(sum(samples.map(gradient))) < 0.15; i++) samples = drawSamples(rng, samples.length);
  const G = sum(samples.map(gradient));
  const H = sum(samples.map(hessian));
  const answer = -G / (H + lambda);
  return makeDrill({
    kind: 'xgb-leaf-weight',
    seed,
    title: 'XGBoost leaf weight',
    question: [
      `Gradient boosting with logistic loss. These ${samples.length} training samples fall into one leaf of the next tree; $p$ is the current model's predicted probability:`,
      sampleTable(samples, false),
      `${derivativesNote} With L2 regularisation $\\lambda = ${show(lambda)}$, compute the optimal leaf weight $w^* = -\\frac{G}{H + \\lambda}$ (in log-odds), where $G = \\sum g_i$ and $H = \\sum h_i$.`,
    ].join('\n\n'),
    answer,
    decimals: 3,
    tolerance: { abs: 0.002, rel: 0.005 },
    steps: [
      'Per sample:',
      sampleTable(samples, true),
      `$G = ${samples.map((s) => paren(gradient(s), 2)).join(' + ')} = ${show(G, 4)}$, $H = ${samples.map((s) => show(hessian(s), 2)).join(' + ')} = ${show(H, 4)}$`,
      `The second-order objective for the leaf is $G w + \\frac12 (H + \\lambda) w^2$, minimised at $w^* = -\\frac{G}{H+\\lambda} = -\\frac{${show(G, 4)}}{${show(H, 4)} + ${show(lambda)}} = ${fixed(answer, 4)}$`,
    ],
    // The gradients are the first step of the solution: shown with it, not before.
    solutionFigure: { type: 'bars', title: 'Gradients in the leaf', labels: samples.map((s, i) => `#${i + 1} (y=${s.y})`), values: samples.map(gradient), yLabel: 'g = p − y' },
    inputs: { samples, lambda },
  });
}

export const xgbLeafWeight: DrillKind<LeafInputs> = {
  id: 'xgb-leaf-weight',
  title: 'XGBoost leaf weight',
  description: 'Optimal leaf weight -G/(H + lambda) from per-sample logistic-loss gradients and hessians.',
  generate: generateLeafWeight,
};

// ---------------------------------------------------------------------------------------------

export interface SplitInputs {
  left: Sample[];
  right: Sample[];
  lambda: number;
  gamma: number;
}

export function generateSplitGain(seed: number): Drill<SplitInputs> {
  const rng = createRng(seed);
  const left = drawSamples(rng, rng.int(2, 4));
  const right = drawSamples(rng, rng.int(2, 4));
  const lambda = rng.pick([0.5, 1, 2]);
  const gamma = rng.pick([0, 0.1, 0.2, 0.5]);
  const GL = sum(left.map(gradient));
  const HL = sum(left.map(hessian));
  const GR = sum(right.map(gradient));
  const HR = sum(right.map(hessian));
  const score = (G: number, H: number) => (G * G) / (H + lambda);
  const sL = score(GL, HL);
  const sR = score(GR, HR);
  const sP = score(GL + GR, HL + HR);
  const answer = 0.5 * (sL + sR - sP) - gamma;
  return makeDrill({
    kind: 'xgb-split-gain',
    seed,
    title: 'XGBoost split gain',
    question: [
      'Gradient boosting with logistic loss. A candidate split sends these samples left and right ($p$ is the current predicted probability):',
      `**Left**\n${sampleTable(left, false)}`,
      `**Right**\n${sampleTable(right, false)}`,
      `${derivativesNote} With $\\lambda = ${show(lambda)}$ and $\\gamma = ${show(gamma)}$, compute the split gain $$\\text{Gain} = \\frac12\\left[\\frac{G_L^2}{H_L+\\lambda} + \\frac{G_R^2}{H_R+\\lambda} - \\frac{(G_L+G_R)^2}{H_L+H_R+\\lambda}\\right] - \\gamma$$`,
    ].join('\n\n'),
    answer,
    decimals: 3,
    tolerance: { abs: 0.002, rel: 0.005 },
    steps: [
      `Left: $G_L = ${left.map((s) => paren(gradient(s), 2)).join(' + ')} = ${show(GL, 4)}$, $H_L = ${left.map((s) => show(hessian(s), 2)).join(' + ')} = ${show(HL, 4)}$`,
      `Right: $G_R = ${right.map((s) => paren(gradient(s), 2)).join(' + ')} = ${show(GR, 4)}$, $H_R = ${right.map((s) => show(hessian(s), 2)).join(' + ')} = ${show(HR, 4)}$`,
      `Scores $\\frac{G^2}{H+\\lambda}$: left $\\frac{${paren(GL, 4)}^2}{${show(HL, 4)} + ${show(lambda)}} = ${fixed(sL, 4)}$, right $\\frac{${paren(GR, 4)}^2}{${show(HR, 4)} + ${show(lambda)}} = ${fixed(sR, 4)}$, parent $\\frac{${paren(GL + GR, 4)}^2}{${show(HL + HR, 4)} + ${show(lambda)}} = ${fixed(sP, 4)}$`,
      `$\\text{Gain} = \\frac12(${fixed(sL, 4)} + ${fixed(sR, 4)} - ${fixed(sP, 4)}) - ${show(gamma)} = ${fixed(answer, 4)}$${answer <= 0 ? ' (not positive: the split would be pruned)' : ''}`,
    ],
    inputs: { left, right, lambda, gamma },
  });
}

export const xgbSplitGain: DrillKind<SplitInputs> = {
  id: 'xgb-split-gain',
  title: 'XGBoost split gain',
  description: 'Split gain from left/right gradient and hessian sums, lambda and gamma.',
  generate: generateSplitGain,
};
