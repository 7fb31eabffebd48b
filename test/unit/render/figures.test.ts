/**
 * Drill figures: every kind draws, through the worker pool, in both themes, as a real plot
 * (background of the theme, data in the theme's colours, text), at a size that fits Discord's
 * preview; bad figures are refused before they are queued.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Figure } from '../../../src/drills/types.js';
import { RenderError } from '../../../src/render/errors.js';
import { allFigureTexts, figureTexts, niceTicks, renderDrillFigure } from '../../../src/render/figures.js';
import { createRenderer, type PooledRenderer } from '../../../src/render/renderer.js';
import { themes } from '../../../src/render/theme.js';
import { countColor, decodePng, distinctColors, pixelAt } from './pixels.js';

const hex = (h: string) => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)];

const FIGURES: Record<Figure['type'], Figure> = {
  roc: { type: 'roc', labels: [1, 0, 1, 0, 1, 0, 0], scores: [0.9, 0.6, 0.6, 0.2, 0.7, 0.3, 0.8] },
  bars: { type: 'bars', title: 'Gradients in the leaf', labels: ['#1 (y=0)', '#2 (y=1)', '#3 (y=0)'], values: [0.7, -0.45, 0.2], yLabel: 'g = p − y' },
  reliability: {
    type: 'reliability',
    bins: [
      { lo: 0.4, hi: 0.6, count: 12, confidence: 0.52, accuracy: 0.41 },
      { lo: 0.6, hi: 0.8, count: 30, confidence: 0.71, accuracy: 0.6 },
      { lo: 0.8, hi: 1, count: 45, confidence: 0.9, accuracy: 0.82 },
    ],
  },
  confusion: { type: 'confusion', tp: 40, fp: 7, fn: 12, tn: 141 },
};

describe('drill figures through the renderer', () => {
  let renderer: PooledRenderer;
  beforeAll(async () => {
    renderer = createRenderer({ size: 1 });
    await renderer.whenReady();
  });
  afterAll(() => renderer.close());

  for (const [type, figure] of Object.entries(FIGURES)) {
    it(`draws a ${type} figure in both themes`, async () => {
      for (const theme of ['dark', 'light'] as const) {
        const t = themes[theme];
        const img = await renderer.drillFigure(figure, { theme });
        const px = await decodePng(img.png);
        // Discord preview width (drawn at 2x), never a tall strip.
        expect(px.width / 2).toBeGreaterThanOrEqual(380);
        expect(px.width / 2).toBeLessThanOrEqual(560);
        expect(px.height / 2).toBeLessThanOrEqual(480);
        expect(pixelAt(px, 4, 4).slice(0, 3)).toEqual(hex(t.background));
        expect(distinctColors(px)).toBeGreaterThan(20);
        // Text in the theme's text colour, data in its accent (solid or blended).
        expect(countColor(px, t.text, 40)).toBeGreaterThan(200);
        expect(countColor(px, t.accent, 90)).toBeGreaterThan(300);
      }
    });
  }

  it('draws the ROC curve for the question without its AUC, and for the solution with it', async () => {
    const roc = FIGURES.roc;
    const question = await renderer.drillFigure(roc, { theme: 'dark' });
    const solution = await renderer.drillFigure(roc, { theme: 'dark', solution: true });
    // Same curve, different legends: different images (the legend is the only difference).
    expect(question.png.equals(solution.png)).toBe(false);
    expect(renderDrillFigure(roc, { theme: 'dark' }).drawn.join(' ')).not.toMatch(/AUC/);
    expect(renderDrillFigure(roc, { theme: 'dark', solution: true }).drawn).toContain('ROC (AUC = 0.792)');
  });

  it('states the ECE on a reliability diagram only for the solution', () => {
    expect(allFigureTexts(figureTexts(FIGURES.reliability)).join(' ')).not.toMatch(/ECE/);
    // (12·0.11 + 30·0.11 + 45·0.08) / 87 = 8.22 / 87 = 0.0945 (0.09448)
    expect(allFigureTexts(figureTexts(FIGURES.reliability, { solution: true }))).toContain('ECE = 0.094');
  });

  it('refuses a bad figure before drawing it', async () => {
    const bad = [
      { type: 'roc', labels: [1, 0], scores: [0.5] },
      { type: 'roc', labels: [2, 0], scores: [0.5, 0.1] },
      { type: 'bars', title: 't', labels: ['a'], values: [Number.NaN] },
      { type: 'bars', title: 't', labels: [], values: [] },
      { type: 'reliability', bins: [{ lo: 0.6, hi: 0.4, count: 3, confidence: 0.5, accuracy: 0.5 }] },
      { type: 'confusion', tp: -1, fp: 0, fn: 0, tn: 0 },
      { type: 'pie' },
    ];
    for (const figure of bad) {
      await expect(renderer.drillFigure(figure as Figure, { theme: 'dark' })).rejects.toSatisfy((e) => e instanceof RenderError && e.kind === 'invalid-input');
    }
  });
});

describe('bar scales', () => {
  it('ticks cover the data in round steps, whole numbers for whole-number data', () => {
    expect(niceTicks(0, 1).values).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(niceTicks(-0.7, 0.7).values).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(niceTicks(0, 3, true).values).toEqual([0, 1, 2, 3]);
    expect(niceTicks(0, 10).values).toEqual([0, 2.5, 5, 7.5, 10]);
  });
});
