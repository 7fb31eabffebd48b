/** Drills on neural-network mechanics: weight initialisation, batch norm, weight decay, Adam. */
import { fixed, makeDrill, paren, show, sig, sum, texNumber, texTable } from '../format.js';
import { createRng } from '../random.js';
import type { Drill, DrillKind } from '../types.js';

// ---------------------------------------------------------------------------------------------

export type InitScheme = 'xavier' | 'he' | 'lecun';
export type Layer = { type: 'dense'; fanIn: number; fanOut: number } | { type: 'conv'; kernel: number; inChannels: number; outChannels: number };

export interface InitInputs {
  scheme: InitScheme;
  distribution: 'normal' | 'uniform';
  layer: Layer;
}

export function fans(layer: Layer): { fanIn: number; fanOut: number } {
  if (layer.type === 'dense') return { fanIn: layer.fanIn, fanOut: layer.fanOut };
  const area = layer.kernel * layer.kernel;
  return { fanIn: area * layer.inChannels, fanOut: area * layer.outChannels };
}

const SCHEME_NAMES: Record<InitScheme, string> = {
  xavier: 'Xavier (Glorot)',
  he: 'He (Kaiming, fan-in mode, ReLU gain $\\sqrt 2$)',
  lecun: 'LeCun',
};

export function generateInit(seed: number): Drill<InitInputs> {
  const rng = createRng(seed);
  const scheme = rng.pick(['xavier', 'he', 'lecun'] as const);
  const distribution = rng.chance(0.5) ? 'normal' : 'uniform';
  const layer: Layer = rng.chance(0.5)
    ? { type: 'dense', fanIn: rng.pick([64, 128, 256, 300, 512, 784, 1024]), fanOut: rng.pick([10, 32, 64, 128, 256, 512]) }
    : { type: 'conv', kernel: rng.pick([1, 3, 5, 7]), inChannels: rng.pick([3, 16, 32, 64, 128]), outChannels: rng.pick([16, 32, 64, 128, 256]) };
  const { fanIn, fanOut } = fans(layer);
  // Target variance of the weights; a normal has it as sigma^2, a uniform U(-a, a) as a^2 / 3.
  const variance = scheme === 'xavier' ? 2 / (fanIn + fanOut) : scheme === 'he' ? 2 / fanIn : 1 / fanIn;
  const varianceTex = scheme === 'xavier' ? `\\frac{2}{n_{in} + n_{out}}` : scheme === 'he' ? `\\frac{2}{n_{in}}` : `\\frac{1}{n_{in}}`;
  const answer = distribution === 'normal' ? Math.sqrt(variance) : Math.sqrt(3 * variance);
  const layerText =
    layer.type === 'dense'
      ? `a dense layer with ${layer.fanIn} inputs and ${layer.fanOut} outputs`
      : `a ${layer.kernel}×${layer.kernel} convolution with ${layer.inChannels} input channels and ${layer.outChannels} output channels`;
  const fanSteps =
    layer.type === 'dense'
      ? `$n_{in} = ${fanIn}$, $n_{out} = ${fanOut}$.`
      : `For a convolution each output sees $k^2 C_{in}$ inputs: $n_{in} = ${layer.kernel}^2 \\cdot ${layer.inChannels} = ${fanIn}$, $n_{out} = ${layer.kernel}^2 \\cdot ${layer.outChannels} = ${fanOut}$.`;
  return makeDrill({
    kind: 'weight-init',
    seed,
    title: `${scheme === 'xavier' ? 'Xavier' : scheme === 'he' ? 'He' : 'LeCun'} ${distribution} initialisation`,
    question: [
      `You initialise ${layerText} with ${SCHEME_NAMES[scheme]} ${distribution} initialisation${distribution === 'normal' ? ' (a plain, untruncated normal)' : ''}.`,
      distribution === 'normal'
        ? 'What is the standard deviation $\\sigma$ of the weights?'
        : 'The weights are drawn from $U(-a, a)$. What is the bound $a$?',
    ].join('\n\n'),
    answer,
    decimals: 4,
    tolerance: { abs: 0.0005, rel: 0.01 },
    steps: [
      fanSteps,
      `${scheme === 'xavier' ? 'Xavier keeps the variance of activations and of gradients roughly constant, averaging the two fans' : scheme === 'he' ? 'He doubles LeCun’s variance because ReLU zeroes half its inputs' : 'LeCun keeps the forward variance constant for linear/tanh-like units'}: $\\text{Var}(W) = ${varianceTex} = ${sig(variance, 4)}$.`,
      distribution === 'normal'
        ? `$\\sigma = \\sqrt{\\text{Var}(W)} = \\sqrt{${sig(variance, 4)}} = ${fixed(answer, 5)}$`
        : `$U(-a, a)$ has variance $a^2/3$, so $a = \\sqrt{3\\,\\text{Var}(W)} = \\sqrt{${sig(3 * variance, 4)}} = ${fixed(answer, 5)}$`,
    ],
    inputs: { scheme, distribution, layer },
  });
}

export const weightInit: DrillKind<InitInputs> = {
  id: 'weight-init',
  title: 'Weight initialisation scale',
  description: 'Xavier, He or LeCun: standard deviation (normal) or bound (uniform) for a layer.',
  generate: generateInit,
};

// ---------------------------------------------------------------------------------------------

export interface BatchNormInputs {
  /** One feature's values over the mini-batch. */
  xs: number[];
  gamma: number;
  beta: number;
  eps: number;
  /** Which example's output to compute (0-based). */
  index: number;
}

export function generateBatchNorm(seed: number): Drill<BatchNormInputs> {
  const rng = createRng(seed);
  const m = rng.int(3, 5);
  let xs: number[] = [];
  do xs = Array.from({ length: m }, () => rng.step(-2, 4, 0.5));
  while (new Set(xs).size < 2);
  const gamma = rng.step(0.5, 2, 0.25);
  const beta = rng.step(-1, 1, 0.25);
  const eps = rng.pick([1e-5, 1e-3, 0.01, 0.1]);
  const index = rng.int(0, m - 1);
  const mean = sum(xs) / m;
  const variance = sum(xs.map((x) => (x - mean) ** 2)) / m;
  const x = xs[index] as number;
  const xhat = (x - mean) / Math.sqrt(variance + eps);
  const answer = gamma * xhat + beta;
  return makeDrill({
    kind: 'batch-norm',
    seed,
    title: 'Batch norm forward pass',
    question: [
      `A batch-norm layer in training mode sees one feature with these values over a mini-batch of ${m}:`,
      texTable([
        ['example', xs.map((_, i) => i + 1)],
        ['x', xs],
      ]),
      `With $\\gamma = ${show(gamma)}$, $\\beta = ${show(beta)}$ and $\\epsilon = ${texNumber(eps)}$, what does the layer output for example ${index + 1}? Use the batch statistics, with the biased variance (divide by $m$): $y = \\gamma \\frac{x - \\mu_B}{\\sqrt{\\sigma_B^2 + \\epsilon}} + \\beta$.`,
    ].join('\n\n'),
    answer,
    decimals: 3,
    tolerance: { abs: 0.002 },
    steps: [
      `$\\mu_B = \\frac{${xs.map((v) => show(v)).join(' + ')}}{${m}} = ${show(mean, 6)}$`,
      `$\\sigma_B^2 = \\frac{1}{${m}}\\sum (x_i - \\mu_B)^2 = \\frac{${xs.map((v) => `${paren(v - mean, 4)}^2`).join(' + ')}}{${m}} = ${show(variance, 6)}$`,
      `$\\hat x = \\frac{${show(x)} - ${paren(mean, 6)}}{\\sqrt{${show(variance, 6)} + ${texNumber(eps)}}} = ${fixed(xhat, 5)}$`,
      `$y = ${show(gamma)} \\cdot ${paren(xhat, 5)} + ${paren(beta)} = ${fixed(answer, 4)}$`,
    ],
    inputs: { xs, gamma, beta, eps, index },
  });
}

export const batchNorm: DrillKind<BatchNormInputs> = {
  id: 'batch-norm',
  title: 'Batch norm forward pass',
  description: 'One output of batch normalisation on a tiny batch (training mode, epsilon given).',
  generate: generateBatchNorm,
};

// ---------------------------------------------------------------------------------------------

export interface L2StepInputs {
  w: number;
  /** Gradient of the data loss with respect to w. */
  grad: number;
  lr: number;
  lambda: number;
  /** 'half': penalty (λ/2)w², gradient λw. 'full': penalty λw², gradient 2λw. */
  penalty: 'half' | 'full';
}

export function generateL2Step(seed: number): Drill<L2StepInputs> {
  const rng = createRng(seed);
  let inputs: L2StepInputs = { w: 1, grad: 0.1, lr: 0.1, lambda: 0.1, penalty: 'half' };
  // Redraw until weight decay moves the answer by at least 0.001, ten times the tolerance.
  for (let attempt = 0; attempt < 50; attempt++) {
    let w = rng.step(-2, 2, 0.1);
    if (w === 0) w = 0.5;
    inputs = {
      w,
      grad: rng.step(-1, 1, 0.05),
      lr: rng.pick([0.01, 0.05, 0.1, 0.5]),
      lambda: rng.pick([0.001, 0.01, 0.05, 0.1]),
      penalty: rng.chance(0.5) ? 'half' : 'full',
    };
    const c = inputs.penalty === 'half' ? 1 : 2;
    if (Math.abs(inputs.lr * c * inputs.lambda * inputs.w) >= 0.001) break;
  }
  const { w, grad, lr, lambda, penalty } = inputs;
  const c = penalty === 'half' ? 1 : 2;
  const regGrad = c * lambda * w;
  const total = grad + regGrad;
  const answer = w - lr * total;
  const penaltyTex = penalty === 'half' ? '\\frac{\\lambda}{2} w^2' : '\\lambda w^2';
  return makeDrill({
    kind: 'l2-step',
    seed,
    title: 'Gradient step with L2 regularisation',
    question: [
      `A weight $w = ${show(w)}$ is trained with plain gradient descent (learning rate $\\eta = ${show(lr)}$) on $\\mathcal{L}(w) + ${penaltyTex}$ with $\\lambda = ${show(lambda)}$.`,
      `The gradient of the data loss at $w$ is $\\frac{\\partial \\mathcal{L}}{\\partial w} = ${show(grad)}$. What is $w$ after one step?`,
    ].join('\n\n'),
    answer,
    decimals: 4,
    tolerance: { abs: 0.0001 },
    steps: [
      `The penalty $${penaltyTex}$ has gradient $${penalty === 'half' ? '\\lambda w' : '2\\lambda w'} = ${c === 1 ? '' : '2 \\cdot '}${show(lambda)} \\cdot ${paren(w)} = ${show(regGrad, 6)}$.`,
      `Total gradient: $${show(grad)} + ${paren(regGrad, 6)} = ${show(total, 6)}$.`,
      `$w' = w - \\eta\\,(\\nabla \\mathcal{L} + ${penalty === 'half' ? '\\lambda w' : '2\\lambda w'}) = ${show(w)} - ${show(lr)} \\cdot ${paren(total, 6)} = ${fixed(answer, 5)}$`,
      `Equivalently $w' = (1 - ${c === 1 ? '' : '2'}\\eta\\lambda)\\,w - \\eta\\,\\nabla\\mathcal{L}$: L2 regularisation with SGD is weight decay, shrinking $w$ by a factor ${show(1 - c * lr * lambda, 6)} each step before the data gradient acts.`,
    ],
    inputs,
  });
}

export const l2Step: DrillKind<L2StepInputs> = {
  id: 'l2-step',
  title: 'L2-regularised gradient step',
  description: 'One SGD step on a loss with an L2 penalty (weight decay).',
  generate: generateL2Step,
};

// ---------------------------------------------------------------------------------------------

export interface AdamInputs {
  w: number;
  grad: number;
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
}

export function generateAdam(seed: number): Drill<AdamInputs> {
  const rng = createRng(seed);
  const w = rng.step(-1, 1, 0.05);
  const magnitude = rng.step(1, 9.5, 0.5) * 10 ** rng.int(-3, 1);
  const grad = Number((rng.chance(0.5) ? magnitude : -magnitude).toPrecision(3));
  const lr = rng.pick([0.01, 0.05, 0.1, 0.2]);
  const beta1 = 0.9;
  const beta2 = 0.999;
  const eps = 1e-8;
  const m1 = (1 - beta1) * grad;
  const v1 = (1 - beta2) * grad * grad;
  const mHat = m1 / (1 - beta1);
  const vHat = v1 / (1 - beta2);
  const step = (lr * mHat) / (Math.sqrt(vHat) + eps);
  const answer = w - step;
  return makeDrill({
    kind: 'adam-first-step',
    seed,
    title: "Adam's first step",
    question: [
      `A parameter $w_0 = ${show(w)}$ is trained with Adam: $\\eta = ${show(lr)}$, $\\beta_1 = ${beta1}$, $\\beta_2 = ${beta2}$, $\\epsilon = 10^{-8}$, moments initialised to $m_0 = v_0 = 0$, with bias correction.`,
      `The first gradient is $g_1 = ${show(grad, 8)}$. What is $w_1$?`,
    ].join('\n\n'),
    answer,
    decimals: 4,
    tolerance: { abs: 0.0002 },
    steps: [
      `$m_1 = (1-\\beta_1) g_1 = ${show(m1, 10)}$, $v_1 = (1-\\beta_2) g_1^2 = ${show(v1, 12)}$`,
      `Bias correction at $t = 1$ divides by $1 - \\beta^1$, which undoes the shrinkage exactly: $\\hat m_1 = \\frac{m_1}{1-\\beta_1} = g_1 = ${show(mHat, 8)}$, $\\hat v_1 = \\frac{v_1}{1-\\beta_2} = g_1^2 = ${show(vHat, 10)}$`,
      `Step: $\\eta \\frac{\\hat m_1}{\\sqrt{\\hat v_1} + \\epsilon} = \\eta \\frac{g_1}{\\lvert g_1 \\rvert + \\epsilon} \\approx \\eta\\,\\text{sign}(g_1) = ${show(grad > 0 ? lr : -lr)}$, whatever the gradient's size: the first Adam step has length $\\eta$ in every coordinate.`,
      `$w_1 = w_0 - \\eta\\,\\text{sign}(g_1) = ${show(w)} - ${paren(grad > 0 ? lr : -lr)} = ${fixed(answer, 5)}$`,
    ],
    inputs: { w, grad, lr, beta1, beta2, eps },
  });
}

export const adamFirstStep: DrillKind<AdamInputs> = {
  id: 'adam-first-step',
  title: "Adam's first step",
  description: "Adam's first bias-corrected update, which is about lr times the gradient's sign.",
  generate: generateAdam,
};
