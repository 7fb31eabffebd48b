import { describe, expect, it } from 'vitest';
import { RenderError } from '../../../src/render/errors.js';
import { renderPr, renderRoc, renderRocPr } from '../../../src/render/plots.js';
import { themes } from '../../../src/render/theme.js';
import { rocAuc, averagePrecision } from '../../../src/metrics/curves.js';
import { countColor, decodePng, distinctColors, pixelAt } from './pixels.js';

function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

function synthetic(n: number, seed = 1): { labels: number[]; scores: number[] } {
  const rand = lcg(seed);
  const labels: number[] = [];
  const scores: number[] = [];
  for (let i = 0; i < n; i++) {
    const y = rand() < 0.3 ? 1 : 0;
    labels.push(y);
    scores.push(Math.min(1, Math.max(0, 0.35 * rand() + 0.35 * rand() + (y ? 0.3 : 0))));
  }
  return { labels, scores };
}

describe('ROC / PR plots', () => {
  it('known data: perfect ranking gives AUC 1 and AP 1, drawn in both themes', async () => {
    const labels = [0, 0, 0, 1, 1, 1];
    const scores = [0.1, 0.2, 0.3, 0.7, 0.8, 0.9];
    for (const name of ['dark', 'light'] as const) {
      const img = renderRocPr(labels, scores, { theme: name, threshold: 0.5 });
      expect(img.metrics.auc).toBe(1);
      expect(img.metrics.averagePrecision).toBe(1);
      expect(img.metrics.prevalence).toBe(0.5);
      expect(img.metrics.operatingPoint).toMatchObject({ tp: 3, fp: 0, tn: 3, fn: 0 });
      const px = await decodePng(img.png);
      expect(px.width).toBeGreaterThanOrEqual(1000);
      expect(px.width).toBeLessThanOrEqual(1250);
      expect(pixelAt(px, 2 * 20, 2 * 2).slice(0, 3)).toEqual(hex(themes[name].background));
      expect(distinctColors(px)).toBeGreaterThan(20);
      // Curve, operating-point marker and text all drawn in their theme colours.
      expect(countColor(px, themes[name].accent, 3)).toBeGreaterThan(500);
      expect(countColor(px, themes[name].accent2, 3)).toBeGreaterThan(50);
      expect(countColor(px, themes[name].text, 3)).toBeGreaterThan(300);
    }
  });

  it('known data with ties: sklearn example AUC 0.75, AP 0.8333', () => {
    const img = renderRoc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], { theme: 'dark' });
    expect(img.metrics.auc).toBeCloseTo(0.75, 12);
    expect(img.metrics.averagePrecision).toBeCloseTo(0.8333333333, 9);
    const pr = renderPr([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], { theme: 'light' });
    expect(pr.height).toBeGreaterThan(300);
  });

  it('the ROC curve passes through the top-left corner for a perfect classifier', async () => {
    const img = renderRoc([0, 1], [0, 1], { theme: 'light', scale: 2 });
    const px = await decodePng(img.png);
    // Plot area starts at logical (58, 40); the point (FPR 0, TPR 1) is its top-left corner.
    const [r, g, b] = pixelAt(px, 58 * 2 + 6, 40 * 2 + 1);
    expect([r, g, b]).toEqual(hex(themes.light.accent));
  });

  it('100,000 points: fast, and AUC/AP are computed on the full data', () => {
    const { labels, scores } = synthetic(100_000, 5);
    const t0 = performance.now();
    const img = renderRocPr(labels, scores, { theme: 'dark' });
    expect(performance.now() - t0).toBeLessThan(1500);
    expect(img.metrics.auc).toBe(rocAuc(labels, scores));
    expect(img.metrics.averagePrecision).toBe(averagePrecision(labels, scores));
    expect(img.metrics.n).toBe(100_000);
  });

  it('bad input becomes a RenderError in plain words', () => {
    expect(() => renderRocPr([1, 1], [0.2, 0.3], { theme: 'dark' })).toThrow(/at least one positive and one negative/);
    expect(() => renderRocPr([1, 0], [0.2], { theme: 'dark' })).toThrow(RenderError);
    expect(() => renderRocPr([1, 0], [0.2, 0.1], { theme: 'dark', threshold: Number.NaN })).toThrow(/threshold/);
  });
});

function hex(h: string): number[] {
  return [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));
}
