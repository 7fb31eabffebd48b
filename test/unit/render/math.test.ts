/**
 * typeset(): texts for one card, their formulas drawn (real MathJax and Skia, through
 * renderTex) and numbered across the texts, each image described for screen readers.
 */
import { describe, expect, it } from 'vitest';
import { typeset } from '../../../src/render/discord/math.js';
import type { Renderer } from '../../../src/render/renderer.js';
import { renderTex } from '../../../src/render/tex.js';
import { findRawTex } from '../../support/visible-text.js';
import { decodePng, distinctColors } from './pixels.js';

const tex = String.raw;

/** The real TeX renderer, on this thread (the pool only moves the same call to a worker). */
const renderer = { tex: async (t: string, o: { theme: 'dark' | 'light'; display?: boolean }) => renderTex(t, o) } as unknown as Renderer;

describe('typeset', () => {
  it('numbers formulas across texts, draws each and describes it as the text refers to it', async () => {
    const question = tex`Scores:

$$\begin{array}{l|ccc} \text{score} & 0.2 & 0.6 & 0.9 \\ \text{label} & 0 & 1 & 1 \end{array}$$

Compute $\text{AUC} = \frac{U}{n_+ n_-}$.`;
    const solution = tex`$U = 2$ and $$\text{AUC} = \frac{2}{1 \cdot 2} = 1$$`;
    const out = await typeset(renderer, 'light', [question, solution], 'drill');
    expect(out.texts).toEqual(['Scores:\n\n(formula 1 below)\n\nCompute AUC = U/(n₊ n₋).', 'U = 2 and (formula 2 below)']);
    for (const t of out.texts) expect(findRawTex(t)).toEqual([]);
    expect(out.images).toEqual([
      { name: 'drill-1.png', description: 'Formula 1: score, 0.2, 0.6, 0.9; label, 0, 1, 1' },
      { name: 'drill-2.png', description: 'Formula 2: AUC = 2/(1 · 2) = 1' },
    ]);
    expect(out.files.map((f) => f.name)).toEqual(['drill-1.png', 'drill-2.png']);
    for (const f of out.files) {
      const px = await decodePng(f.attachment as Buffer);
      expect(px.width).toBeGreaterThan(60);
      expect(distinctColors(px)).toBeGreaterThan(5);
    }
  }, 30_000);

  it('gives no images for text whose maths all reads as Unicode', async () => {
    const out = await typeset(renderer, 'dark', [tex`Add $\tfrac12\lambda\sum_j w_j^2$.`]);
    expect(out).toEqual({ texts: ['Add ½λ∑ⱼ wⱼ².'], files: [], images: [] });
  });
});
