import type { Phrasebook } from '../../platform/errors.js';

/** Plain words for a member, per kind of rendering failure (`render.<kind>`, with the engine's message). */
export const renderPhrases: Phrasebook = {
  // MathJax names the TeX it stumbled on ("Undefined control sequence \foo"): shown as code.
  'render.tex': (p) => `MathJax could not read that: **${String(p.message).replace(/\\(?:[a-zA-Z]+|[^a-zA-Z\s])/g, (cs) => `\`${cs}\``)}**. Check the braces and command names (\`\\frac{a}{b}\`, \`\\sqrt{x}\`).`,
  'render.invalid-input': (p) => `${p.message}.`.replace(/\.\.$/, '.'),
  'render.too-large': (p) => `${p.message}.`.replace(/\.\.$/, '.'),
  'render.timeout': () => 'That took too long to render and was stopped. Try something smaller or simpler.',
  'render.worker-crashed': () => 'Rendering that needed too much memory and was stopped. Try something smaller or simpler.',
  'render.busy': () => 'The renderer is busy right now. Please try again in a few seconds.',
  'render.closed': () => 'Backprop is restarting. Please try again in a few seconds.',
  'render.internal': () => 'Something went wrong while drawing that image.',
};
