import { UserError } from '../platform/errors.js';
import { RenderError } from './errors.js';
import type { Renderer } from './renderer.js';

/**
 * Validates TeX by rendering it (in a worker, with the time limit and size checks) and turns
 * a refusal into a UserError the member can act on. The image lands in the cache, so a
 * following /whiteboard show is cheaper.
 */
export function texValidator(renderer: Renderer) {
  return async (tex: string): Promise<void> => {
    try {
      await renderer.tex(tex, { theme: 'dark' });
    } catch (err) {
      if (err instanceof RenderError) throw new UserError(renderErrorMessage(err));
      throw err;
    }
  };
}

/** Plain words for a member, per kind of rendering failure. */
export function renderErrorMessage(err: RenderError): string {
  switch (err.kind) {
    case 'tex':
      return `MathJax could not read that: **${err.message}**. Check the braces and command names (\`\\frac{a}{b}\`, \`\\sqrt{x}\`).`;
    case 'invalid-input':
    case 'too-large':
      return `${err.message}.`.replace(/\.\.$/, '.');
    case 'timeout':
      return 'That took too long to render and was stopped. Try something smaller or simpler.';
    case 'worker-crashed':
      return 'Rendering that needed too much memory and was stopped. Try something smaller or simpler.';
    case 'busy':
      return 'The renderer is busy right now. Please try again in a few seconds.';
    case 'closed':
      return 'Backprop is restarting. Please try again in a few seconds.';
    default:
      return 'Something went wrong while drawing that image.';
  }
}
