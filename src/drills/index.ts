/**
 * Generated numeric problems ("drills"). Each kind turns a seed into one problem with an exact
 * answer, a tolerance, worked steps and optional figure data; the same seed always gives the
 * same drill, so a drill is stored as (kind, seed).
 */
import { aucTies, fBeta, logLoss, precisionPrevalence } from './kinds/classification.js';
import { adamFirstStep, batchNorm, l2Step, weightInit } from './kinds/neural.js';
import { ece, ips, ndcg, snips } from './kinds/ranking.js';
import { priorCorrection, vif } from './kinds/statistics.js';
import { xgbLeafWeight, xgbSplitGain } from './kinds/trees.js';
import type { Drill, DrillKind } from './types.js';

export type { Drill, DrillKind, Figure, ReliabilityBin, Tolerance } from './types.js';
export { createRng, mulberry32, normalizeSeed, seedFrom, type Rng } from './random.js';

/** Every drill kind, in the order they are offered. */
export const drillKinds: readonly DrillKind[] = [
  aucTies,
  precisionPrevalence,
  fBeta,
  logLoss,
  ndcg,
  ece,
  ips,
  snips,
  priorCorrection,
  vif,
  xgbLeafWeight,
  xgbSplitGain,
  weightInit,
  batchNorm,
  l2Step,
  adamFirstStep,
];

export const drillKindById: ReadonlyMap<string, DrillKind> = new Map(drillKinds.map((k) => [k.id, k]));

/** The drill of this kind and seed, or undefined for an unknown kind (e.g. a stale custom id). */
export function generateDrill(kindId: string, seed: number): Drill | undefined {
  return drillKindById.get(kindId)?.generate(seed);
}

