import { RenderError, renderDomainError } from './errors.js';
import type { Renderer } from './renderer.js';

/**
 * Validates TeX by rendering it (in a worker, with the time limit and size checks) and turns
 * any rendering failure into a domain error the member can act on (`render.<kind>`). The
 * image lands in the cache, so a following /whiteboard show is cheaper.
 */
export function texValidator(renderer: Renderer) {
  return async (tex: string): Promise<void> => {
    try {
      await renderer.tex(tex, { theme: 'dark' });
    } catch (err) {
      if (err instanceof RenderError) throw renderDomainError(err);
      throw err;
    }
  };
}
