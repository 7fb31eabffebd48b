/** Drills on probability and regression diagnostics: prior correction after undersampling, VIF. */
import { fixed, makeDrill, show } from '../format.js';
import { createRng } from '../random.js';
import type { Drill, DrillKind } from '../types.js';

// ---------------------------------------------------------------------------------------------

export type PriorCorrectionInputs =
  /** Negatives kept with probability beta, all positives kept. */
  | { variant: 'beta'; sampledProb: number; beta: number }
  /** Trained on data with positive rate trainPrior; the real positive rate is truePrior. */
  | { variant: 'priors'; sampledProb: number; trainPrior: number; truePrior: number };

const odds = (p: number) => p / (1 - p);

export function generatePriorCorrection(seed: number): Drill<PriorCorrectionInputs> {
  const rng = createRng(seed);
  const variant = rng.chance(0.5) ? 'beta' : 'priors';
  let inputs: PriorCorrectionInputs = { variant: 'beta', sampledProb: 0.5, beta: 0.1 };
  let answer = 0;
  // Redraw until the corrected probability is one people can type with 4 decimals (>= 0.01).
  for (let attempt = 0; attempt < 50; attempt++) {
    const sampledProb = rng.step(0.3, 0.95, 0.05);
    inputs =
      variant === 'beta'
        ? { variant, sampledProb, beta: rng.pick([0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5]) }
        : { variant, sampledProb, trainPrior: rng.pick([0.2, 0.25, 0.3, 0.4, 0.5]), truePrior: rng.pick([0.005, 0.01, 0.02, 0.05, 0.1]) };
    const ratio = inputs.variant === 'beta' ? inputs.beta : odds(inputs.truePrior) / odds(inputs.trainPrior);
    const o = odds(sampledProb) * ratio;
    answer = o / (1 + o);
    if (answer >= 0.01 && answer <= 0.99) break;
  }
  const ps = inputs.sampledProb;
  const ratio = inputs.variant === 'beta' ? inputs.beta : odds(inputs.truePrior) / odds(inputs.trainPrior);
  const corrected = odds(ps) * ratio;
  const setup =
    inputs.variant === 'beta'
      ? `A click model was trained on data where every positive was kept but each negative was kept with probability $\\beta = ${show(inputs.beta)}$ (negative undersampling).`
      : `A churn model was trained on a rebalanced sample with ${show(inputs.trainPrior * 100)}% positives ($\\pi_s = ${show(inputs.trainPrior)}$); in the real population the positive rate is $\\pi = ${show(inputs.truePrior)}$.`;
  const ratioStep =
    inputs.variant === 'beta'
      ? `Undersampling negatives by $\\beta$ multiplies the odds by $1/\\beta$ (the number of negatives behind each score shrinks by $\\beta$), so the correction multiplies the odds by $\\beta = ${show(inputs.beta)}$.`
      : `Resampling changes only the prior: the odds scale by the ratio of prior odds, $\\frac{\\pi/(1-\\pi)}{\\pi_s/(1-\\pi_s)} = \\frac{${fixed(odds(inputs.truePrior), 5)}}{${fixed(odds(inputs.trainPrior), 5)}} = ${fixed(ratio, 5)}$.`;
  return makeDrill({
    kind: 'prior-correction',
    seed,
    title: 'Correcting probabilities after resampling',
    question: [
      setup,
      `For one example the model outputs $p_s = ${show(ps)}$. What is the calibrated probability for the real population (the same correction as shifting the logit by $\\ln$ of the odds ratio)?`,
    ].join('\n\n'),
    enter: 'as a probability between 0 and 1',
    answer,
    decimals: 4,
    tolerance: { abs: 0.0005, rel: 0.01 },
    steps: [
      ratioStep,
      `Model odds: $\\frac{p_s}{1-p_s} = \\frac{${show(ps)}}{${show(1 - ps)}} = ${fixed(odds(ps), 5)}$. Corrected odds: $${fixed(odds(ps), 5)} \\times ${fixed(ratio, 5)} = ${fixed(corrected, 5)}$ (in logits: $${fixed(Math.log(odds(ps)), 4)} ${Math.log(ratio) < 0 ? '-' : '+'} ${fixed(Math.abs(Math.log(ratio)), 4)} = ${fixed(Math.log(corrected), 4)}$).`,
      inputs.variant === 'beta'
        ? `$p = \\frac{\\beta p_s}{\\beta p_s + 1 - p_s} = \\frac{${fixed(corrected, 5)}}{1 + ${fixed(corrected, 5)}} = ${fixed(answer, 5)}$`
        : `$p = \\frac{\\text{odds}}{1 + \\text{odds}} = \\frac{${fixed(corrected, 5)}}{1 + ${fixed(corrected, 5)}} = ${fixed(answer, 5)}$`,
    ],
    inputs,
  });
}

export const priorCorrection: DrillKind<PriorCorrectionInputs> = {
  id: 'prior-correction',
  title: 'Prior correction after undersampling',
  description: 'Calibrate a probability after negative undersampling or a prior shift (odds times ratio).',
  generate: generatePriorCorrection,
};

// ---------------------------------------------------------------------------------------------

export interface VifInputs {
  r2: number;
  /** 'vif': the VIF itself; 'se': the factor by which the coefficient's standard error grows, sqrt(VIF). */
  ask: 'vif' | 'se';
  feature: string;
  others: string[];
}

const FEATURES = ['income', 'age', 'tenure', 'spend', 'visits', 'price', 'discount', 'sessions'];

export function generateVif(seed: number): Drill<VifInputs> {
  const rng = createRng(seed);
  const r2 = rng.step(0.5, 0.98, 0.01);
  const ask = rng.chance(0.6) ? 'vif' : 'se';
  const names = rng.shuffle(FEATURES);
  const feature = names[0] as string;
  const others = names.slice(1, 1 + rng.int(2, 4));
  const vif = 1 / (1 - r2);
  const answer = ask === 'vif' ? vif : Math.sqrt(vif);
  return makeDrill({
    kind: 'vif',
    seed,
    title: ask === 'vif' ? 'Variance inflation factor' : 'Standard-error inflation from collinearity',
    question: [
      `In a linear regression, regressing the predictor \`${feature}\` on the other predictors (${others.map((o) => `\`${o}\``).join(', ')}) gives $R^2_j = ${show(r2)}$.`,
      ask === 'vif'
        ? `What is the variance inflation factor $\\text{VIF}_j = \\frac{1}{1 - R^2_j}$ of \`${feature}\`?`
        : `By what factor is the standard error of \`${feature}\`'s coefficient inflated, compared with a predictor uncorrelated with the others? ($\\text{VIF}_j = \\frac{1}{1 - R^2_j}$ inflates the variance.)`,
    ].join('\n\n'),
    answer,
    decimals: 2,
    tolerance: { abs: 0.01, rel: 0.005 },
    steps: [
      `$\\text{VIF}_j = \\frac{1}{1 - ${show(r2)}} = \\frac{1}{${show(1 - r2)}} = ${fixed(vif, 4)}$${vif >= 10 ? ' (above 10: the usual red flag for collinearity)' : vif >= 5 ? ' (between 5 and 10: worth a look)' : ''}`,
      ...(ask === 'se' ? [`The VIF multiplies the coefficient's variance, so its standard error grows by $\\sqrt{\\text{VIF}_j} = \\sqrt{${fixed(vif, 4)}} = ${fixed(answer, 4)}$`] : []),
    ],
    inputs: { r2, ask, feature, others },
  });
}

export const vif: DrillKind<VifInputs> = {
  id: 'vif',
  title: 'Variance inflation factor',
  description: 'VIF (or standard-error inflation) from the R² of an auxiliary regression.',
  generate: generateVif,
};
