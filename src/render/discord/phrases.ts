import type { Phrasebook } from '../../platform/errors.js';

/** Plain words for a member, per kind of rendering failure (`render.<kind>`, with the engine's message). */
export const renderPhrases: Phrasebook = {
  'render.tex': (p) => {
    // The engine's own words may already say it ("MathJax could not read this formula…"): not twice.
    const message = String(p.message);
    // MathJax's own words name TeX ("Undefined control sequence \\foo"): shown as code, the one place TeX is shown.
    const said = /^MathJax could not read/i.test(message) ? message.replace(/\.$/, '') : `MathJax could not read that (\`${message.replace(/`/g, "'")}\`)`;
    return `${said}; check the braces and command names, e.g. \`\\frac{a}{b}\` or \`\\sqrt{x}\`.`;
  },
  'render.invalid-input': (p) => `${p.message}.`.replace(/\.\.$/, '.'),
  'render.too-large': (p) => `${p.message}.`.replace(/\.\.$/, '.'),
  'render.timeout': () => 'That took too long to render and was stopped; try something smaller or simpler.',
  'render.worker-crashed': () => 'Rendering that needed too much memory and was stopped; try something smaller or simpler.',
  'render.busy': () => 'The renderer is busy right now; please try again in a few seconds.',
  'render.closed': () => 'Backprop is restarting; please try again in a few seconds.',
  'render.internal': () => 'Something went wrong while drawing that image.',
};
