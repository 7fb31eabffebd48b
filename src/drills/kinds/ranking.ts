/** Drills on ranking, calibration and off-policy evaluation: NDCG@K, ECE, IPS and SNIPS. */
import { fixed, makeDrill, show, sum, texTable } from '../format.js';
import { createRng } from '../random.js';
import type { Drill, DrillKind, ReliabilityBin } from '../types.js';

// ---------------------------------------------------------------------------------------------

export interface NdcgInputs {
  /** Graded relevance (0-3) of the items in the order the system ranked them. */
  relevances: number[];
  k: number;
}

const gain = (rel: number) => 2 ** rel - 1;
const discount = (position: number) => Math.log2(position + 1);
const dcgAt = (rels: readonly number[], k: number) => sum(rels.slice(0, k).map((r, i) => gain(r) / discount(i + 1)));

export function generateNdcg(seed: number): Drill<NdcgInputs> {
  const rng = createRng(seed);
  const length = rng.int(6, 8);
  const k = rng.int(3, 5);
  let relevances: number[] = [];
  // Redraw until the ranking is imperfect but not worthless (a handful of tries, deterministic).
  for (let attempt = 0; attempt < 20; attempt++) {
    relevances = Array.from({ length }, () => rng.pick([0, 0, 0, 1, 1, 2, 2, 3]));
    if (!relevances.some((r) => r > 0)) continue;
    const ideal = [...relevances].sort((a, b) => b - a);
    const dcg = dcgAt(relevances, k);
    if (dcg > 0 && dcg < dcgAt(ideal, k)) break;
  }
  if (!relevances.some((r) => r > 0)) relevances[length - 1] = 2;
  const ideal = [...relevances].sort((a, b) => b - a);
  const dcg = dcgAt(relevances, k);
  const idcg = dcgAt(ideal, k);
  const answer = dcg / idcg;
  const term = (rels: readonly number[]) =>
    rels
      .slice(0, k)
      .map((r, i) => `\\frac{${gain(r)}}{${fixed(discount(i + 1), 3)}}`)
      .join(' + ');
  return makeDrill({
    kind: 'ndcg',
    seed,
    title: `NDCG@${k} of a ranked list`,
    question: [
      `A search system returned ${length} documents. Their graded relevances (0 = irrelevant ... 3 = perfect), in ranked order:`,
      texTable([
        ['rank', relevances.map((_, i) => i + 1)],
        ['relevance', relevances],
      ]),
      `Compute $\\text{NDCG@}${k}$ using gain $2^{rel} - 1$ and discount $\\log_2(i+1)$ for rank $i$ (1-based): $\\text{DCG@}K = \\sum_{i=1}^{K} \\frac{2^{rel_i} - 1}{\\log_2(i+1)}$, normalised by the DCG@${k} of the ideal ordering of these same ${length} documents.`,
    ].join('\n\n'),
    answer,
    decimals: 3,
    tolerance: { abs: 0.002 },
    steps: [
      `Gains of the top ${k}: ${relevances
        .slice(0, k)
        .map((r) => `$2^{${r}}-1 = ${gain(r)}$`)
        .join(', ')}; discounts $\\log_2 2, \\log_2 3, \\ldots = ${relevances
        .slice(0, k)
        .map((_, i) => fixed(discount(i + 1), 3))
        .join(', ')}$.`,
      `$\\text{DCG@}${k} = ${term(relevances)} = ${fixed(dcg, 4)}$`,
      `Ideal order (all ${length} documents sorted by relevance): ${ideal.join(', ')}. $\\text{IDCG@}${k} = ${term(ideal)} = ${fixed(idcg, 4)}$`,
      `$\\text{NDCG@}${k} = \\frac{${fixed(dcg, 4)}}{${fixed(idcg, 4)}} = ${fixed(answer, 4)}$`,
    ],
    figure: { type: 'bars', title: 'Relevance by rank', labels: relevances.map((_, i) => String(i + 1)), values: relevances, xLabel: 'rank', yLabel: 'relevance' },
    inputs: { relevances, k },
  });
}

export const ndcg: DrillKind<NdcgInputs> = {
  id: 'ndcg',
  title: 'NDCG@K',
  description: 'NDCG@K of a ranked list of graded relevances (gain 2^rel - 1, log2 discount).',
  generate: generateNdcg,
};

// ---------------------------------------------------------------------------------------------

export interface EceBin {
  lo: number;
  hi: number;
  count: number;
  /** Predictions in the bin that were right. */
  correct: number;
  /** Mean confidence in the bin (meaningless when count is 0). */
  confidence: number;
}

export interface EceInputs {
  bins: EceBin[];
}

export function generateEce(seed: number): Drill<EceInputs> {
  const rng = createRng(seed);
  const width = 0.2;
  let bins: EceBin[] = [];
  for (let attempt = 0; attempt < 20; attempt++) {
    bins = Array.from({ length: 5 }, (_, b) => {
      const lo = Number((b * width).toFixed(1));
      const hi = Number(((b + 1) * width).toFixed(1));
      // Classifiers are rarely under 0.5 confident about their top class: the low bins are often empty.
      const count = rng.chance(b < 2 ? 0.5 : 0.1) ? 0 : rng.int(5, 60);
      const confidence = rng.step(lo + 0.02, hi - 0.02, 0.01);
      const accuracy = Math.min(1, Math.max(0, confidence + rng.step(-0.2, 0.1, 0.01)));
      return { lo, hi, count, correct: count ? Math.round(count * accuracy) : 0, confidence };
    });
    if (bins.filter((b) => b.count > 0).length >= 2) break;
  }
  if (bins.filter((b) => b.count > 0).length < 2) {
    bins[3] = { ...(bins[3] as EceBin), count: 20, correct: 13 };
    bins[4] = { ...(bins[4] as EceBin), count: 30, correct: 24 };
  }
  const total = sum(bins.map((b) => b.count));
  const filled = bins.filter((b) => b.count > 0);
  const gaps = filled.map((b) => Math.abs(b.correct / b.count - b.confidence));
  const contributions = filled.map((b, i) => (b.count / total) * (gaps[i] as number));
  const answer = sum(contributions);
  const reliability: ReliabilityBin[] = filled.map((b) => ({ lo: b.lo, hi: b.hi, count: b.count, confidence: b.confidence, accuracy: b.correct / b.count }));
  return makeDrill({
    kind: 'ece',
    seed,
    title: 'Expected calibration error',
    question: [
      `A classifier's ${total} test predictions, binned by confidence (the probability it gave its predicted class):`,
      texTable([
        ['bin', bins.map((b) => `[${show(b.lo)}, ${show(b.hi)})`)],
        ['count', bins.map((b) => b.count)],
        ['correct', bins.map((b) => (b.count ? b.correct : '-'))],
        ['mean conf.', bins.map((b) => (b.count ? show(b.confidence) : '-'))],
      ]),
      'Compute the expected calibration error $\\text{ECE} = \\sum_b \\frac{n_b}{N}\\,\\lvert \\text{acc}_b - \\text{conf}_b \\rvert$, where $\\text{acc}_b$ is the fraction correct in bin $b$.',
    ].join('\n\n'),
    answer,
    decimals: 3,
    tolerance: { abs: 0.002 },
    steps: [
      `Empty bins contribute nothing. For the others, $\\text{acc}_b = \\text{correct}/n_b$ and the weight is $n_b / N$ with $N = ${total}$:`,
      filled
        .map(
          (b, i) =>
            `- $[${show(b.lo)}, ${show(b.hi)})$: $\\text{acc} = \\frac{${b.correct}}{${b.count}} = ${fixed(b.correct / b.count, 4)}$, $\\lvert ${fixed(b.correct / b.count, 4)} - ${show(b.confidence)} \\rvert = ${fixed(gaps[i] as number, 4)}$, weighted $\\frac{${b.count}}{${total}} \\cdot ${fixed(gaps[i] as number, 4)} = ${fixed(contributions[i] as number, 4)}$`,
        )
        .join('\n'),
      `$\\text{ECE} = ${contributions.map((c) => fixed(c, 4)).join(' + ')} = ${fixed(answer, 4)}$`,
    ],
    figure: { type: 'reliability', bins: reliability },
    inputs: { bins },
  });
}

export const ece: DrillKind<EceInputs> = {
  id: 'ece',
  title: 'Expected calibration error',
  description: 'ECE from binned counts, mean confidences and accuracies.',
  generate: generateEce,
};

// ---------------------------------------------------------------------------------------------

export interface LoggedRow {
  /** Probability the logging policy gave the action it took. */
  propensity: number;
  /** Probability the new (target) policy gives that same action. */
  target: number;
  reward: number;
}

export interface OffPolicyInputs {
  rows: LoggedRow[];
}

function drawLog(seed: number): LoggedRow[] {
  const rng = createRng(seed);
  const n = rng.int(5, 8);
  const rows = Array.from({ length: n }, () => ({
    propensity: rng.pick([0.1, 0.2, 0.25, 0.4, 0.5, 0.8]),
    target: rng.pick([0, 0.2, 0.5, 0.8, 1]),
    reward: rng.chance(0.5) ? 1 : 0,
  }));
  // Both estimators need the target policy to want some logged action that paid off.
  if (!rows.some((r) => r.target > 0 && r.reward > 0)) rows[rng.int(0, n - 1)] = { propensity: 0.25, target: 0.8, reward: 1 };
  return rows;
}

function offPolicyDrill(kind: 'ips' | 'snips', seed: number): Drill<OffPolicyInputs> {
  const rows = drawLog(seed);
  const n = rows.length;
  const w = rows.map((r) => r.target / r.propensity);
  const wr = rows.map((r, i) => (w[i] as number) * r.reward);
  const ips = sum(wr) / n;
  const snips = sum(wr) / sum(w);
  const answer = kind === 'ips' ? ips : snips;
  const formula =
    kind === 'ips'
      ? '$\\hat V_{\\text{IPS}} = \\frac{1}{n}\\sum_i \\frac{\\pi(a_i \\mid x_i)}{\\pi_0(a_i \\mid x_i)}\\, r_i$'
      : '$\\hat V_{\\text{SNIPS}} = \\frac{\\sum_i w_i r_i}{\\sum_i w_i}$ with $w_i = \\frac{\\pi(a_i \\mid x_i)}{\\pi_0(a_i \\mid x_i)}$';
  const weightsLine = `Importance weights $w_i = \\pi / \\pi_0$: ${w.map((x) => fixed(x, 3)).join(', ')}; $w_i r_i$: ${wr.map((x) => fixed(x, 3)).join(', ')}.`;
  const steps =
    kind === 'ips'
      ? [
          weightsLine,
          `IPS is unbiased when every action the new policy may take has $\\pi_0 > 0$, but large weights make it noisy. (SNIPS would divide by $\\sum w_i = ${fixed(sum(w), 4)}$ instead of $n$, giving ${fixed(snips, 4)}.)`,
          `$\\hat V_{\\text{IPS}} = \\frac{1}{${n}}(${wr.map((x) => fixed(x, 3)).join(' + ')}) = \\frac{${fixed(sum(wr), 4)}}{${n}} = ${fixed(ips, 4)}$`,
        ]
      : [
          weightsLine,
          `$\\sum_i w_i r_i = ${fixed(sum(wr), 4)}$, $\\sum_i w_i = ${fixed(sum(w), 4)}$ (plain IPS would divide by $n = ${n}$ and give ${fixed(ips, 4)}).`,
          `$\\hat V_{\\text{SNIPS}} = \\frac{${fixed(sum(wr), 4)}}{${fixed(sum(w), 4)}} = ${fixed(snips, 4)}$: self-normalising trades a little bias for much lower variance, and keeps the estimate within the range of observed rewards.`,
        ];
  return makeDrill({
    kind,
    seed,
    title: kind === 'ips' ? 'Off-policy value: IPS' : 'Off-policy value: SNIPS',
    question: [
      `A recommender logged ${n} impressions under its current policy $\\pi_0$. For each: the logging propensity $\\pi_0(a \\mid x)$ of the shown item, the probability $\\pi(a \\mid x)$ that a new policy would show that same item, and the reward (click = 1):`,
      texTable([
        ['i', rows.map((_, i) => i + 1)],
        [{ tex: '\\pi_0(a \\mid x)' }, rows.map((r) => r.propensity)],
        [{ tex: '\\pi(a \\mid x)' }, rows.map((r) => r.target)],
        ['reward', rows.map((r) => r.reward)],
      ]),
      `Estimate the new policy's expected reward with ${kind === 'ips' ? 'inverse propensity scoring' : 'self-normalised inverse propensity scoring'}: ${formula}.`,
    ].join('\n\n'),
    answer,
    decimals: 3,
    tolerance: { abs: 0.002 },
    steps,
    // The weights are the first step of the solution: shown with it, not before.
    solutionFigure: { type: 'bars', title: 'Importance weights', labels: rows.map((_, i) => `#${i + 1}`), values: w, yLabel: 'w = π / π₀' },
    inputs: { rows },
  });
}

export const generateIps = (seed: number) => offPolicyDrill('ips', seed);
export const generateSnips = (seed: number) => offPolicyDrill('snips', seed);

export const ips: DrillKind<OffPolicyInputs> = {
  id: 'ips',
  title: 'Off-policy evaluation: IPS',
  description: 'Inverse propensity scoring estimate of a new policy from logged propensities and rewards.',
  generate: generateIps,
};

export const snips: DrillKind<OffPolicyInputs> = {
  id: 'snips',
  title: 'Off-policy evaluation: SNIPS',
  description: 'Self-normalised IPS estimate from logged propensities and rewards.',
  generate: generateSnips,
};
