import { describe, expect, it } from 'vitest';
import { RenderError } from '../../../src/render/errors.js';
import { createCanvas, type Canvas } from '@napi-rs/canvas';
import { boxPixelSize, drawBox, rasterizeBox, renderTex, texToBox, warmUpTex, type TexBox } from '../../../src/render/tex.js';
import { SERIF_FONT_FAMILY, measureContext } from '../../../src/render/draw.js';
import { themes } from '../../../src/render/theme.js';
import { colourfulPixels, countColor, darkPixels, decodePng, distinctColors, pixelAt } from './pixels.js';

const GAIN = String.raw`\mathrm{Gain} = \frac{1}{2}\left[\frac{G_L^2}{H_L+\lambda} + \frac{G_R^2}{H_R+\lambda} - \frac{(G_L+G_R)^2}{H_L+H_R+\lambda}\right] - \gamma`;
const ALIGNED = String.raw`\begin{aligned} \mathcal{L}(\theta) &= -\sum_i y_i \log \sigma(z_i) \\ \frac{\partial \mathcal{L}}{\partial z_i} &= \sigma(z_i) - y_i \end{aligned}`;

function renderError(fn: () => unknown): RenderError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(RenderError);
    return err as RenderError;
  }
  throw new Error('expected a RenderError');
}

describe('renderTex: real pixels', () => {
  warmUpTex();

  for (const name of ['dark', 'light'] as const) {
    it(`${name} theme: background and crisp text colour present, not blank`, async () => {
      const theme = themes[name];
      const img = renderTex(GAIN, { theme: name });
      const px = await decodePng(img.png);
      expect(px.width).toBe(img.width);
      expect(px.height).toBe(img.height);
      // Rendered at 2x: a ~1000 px wide image for a one-line formula.
      expect(img.width).toBeGreaterThan(700);
      expect(img.width).toBeLessThan(1400);
      expect(img.height).toBeGreaterThan(80);
      expect(distinctColors(px)).toBeGreaterThan(10);
      // Corner is the theme background.
      expect(pixelAt(px, 0, 0).slice(0, 3)).toEqual(hexRgb(theme.background));
      expect(countColor(px, theme.background)).toBeGreaterThan(px.width * px.height * 0.5);
      // Crisp: many pixels are exactly the text colour (glyph interiors). A 1x bitmap
      // stretched to 2x has almost none.
      expect(countColor(px, theme.text, 3)).toBeGreaterThan(1500);
    });
  }

  it('is not blurry: far more solid text pixels than a 1x raster stretched to 2x', async () => {
    const box = texToBox(GAIN, { display: true, color: themes.light.text });
    const crisp = rasterizeBox(box, 40);
    // The blur trap: rasterise at 1x, then scale the bitmap up when drawing.
    const small = rasterizeBox(box, 20);
    const c2 = createCanvas(crisp.width, crisp.height);
    c2.getContext('2d').drawImage(small, 0, 0, crisp.width, crisp.height);
    const solid = async (c: Canvas) => countColor(await decodePng(c.toBuffer('image/png')), themes.light.text, 3);
    const crispSolid = await solid(crisp);
    const blurrySolid = await solid(c2);
    expect(crispSolid).toBeGreaterThan(blurrySolid * 1.5);
    // And the shipped renderer is the crisp one.
    const shipped = await decodePng(renderTex(GAIN, { theme: 'light' }).png);
    expect(countColor(shipped, themes.light.text, 3)).toBeGreaterThan(crispSolid * 0.9);
  });

  it('display vs inline, aligned is multi-line, caption adds height', async () => {
    const display = renderTex('\\sum_{i=1}^n x_i', { theme: 'dark' });
    const inline = renderTex('\\sum_{i=1}^n x_i', { theme: 'dark', display: false });
    expect(inline.height).toBeLessThan(display.height);
    const one = renderTex('a = b', { theme: 'dark' });
    const aligned = renderTex(ALIGNED, { theme: 'dark' });
    expect(aligned.height).toBeGreaterThan(one.height * 2);
    const captioned = renderTex('a = b', { theme: 'dark', caption: 'A caption under the formula' });
    expect(captioned.height).toBeGreaterThan(one.height + 20);
    const px = await decodePng(captioned.png);
    expect(countColor(px, themes.dark.muted, 3)).toBeGreaterThan(50);
  });

  it('replaces currentColor and injects the table CSS so \\hline tables are not solid boxes', async () => {
    const box = texToBox('\\begin{array}{|c|c|}\\hline a & b\\\\\\hline c & d\\\\\\hline\\end{array}', { display: true, color: '#123456' });
    expect(box.markup).not.toContain('currentColor');
    expect(box.markup).toContain('#123456');
    expect(box.markup).toContain('rect[data-frame]');
    const img = renderTex('\\begin{array}{|c|c|}\\hline \\quad & \\quad\\\\\\hline \\quad & \\quad\\\\\\hline\\end{array}', { theme: 'dark' });
    const px = await decodePng(img.png);
    // The middle of the first cell is background, not filled.
    const cx = Math.round(px.width * 0.35);
    const cy = Math.round(px.height * 0.35);
    expect(pixelAt(px, cx, cy).slice(0, 3)).toEqual(hexRgb(themes.dark.background));
    expect(countColor(px, themes.dark.background)).toBeGreaterThan(px.width * px.height * 0.6);
  });
});

describe('renderTex: errors in plain words', () => {
  it('undefined control sequence', () => {
    const e = renderError(() => renderTex('\\foo + 1', { theme: 'dark' }));
    expect(e.kind).toBe('tex');
    expect(e.message).toBe('Undefined control sequence \\foo');
  });

  it('missing braces', () => {
    expect(renderError(() => renderTex('\\frac{1}{2', { theme: 'dark' })).message).toBe('Missing close brace');
    expect(renderError(() => renderTex('x^{2', { theme: 'dark' })).message).toMatch(/missing close brace/i);
    expect(renderError(() => renderTex('x}', { theme: 'dark' })).message).toMatch(/Extra close brace/);
  });

  it('macro definition and loading are gone', () => {
    for (const cs of ['def', 'newcommand', 'renewcommand', 'require', 'href', 'style', 'let']) {
      const e = renderError(() => renderTex(`\\${cs}\\a{x}`, { theme: 'dark' }));
      expect(e.kind).toBe('tex');
      expect(e.message).toBe(`Undefined control sequence \\${cs}`);
    }
    expect(renderError(() => renderTex('\\DeclarePairedDelimiter\\abs{|}{|}', { theme: 'dark' })).message).toMatch(/not allowed/);
  });

  it('labels do not leak between renders', () => {
    renderTex('x \\label{eq}', { theme: 'dark' });
    expect(() => renderTex('x \\label{eq}', { theme: 'dark' })).not.toThrow();
  });

  it('refuses a 100,000-character input fast, before MathJax', () => {
    const t0 = performance.now();
    const e = renderError(() => renderTex('x+'.repeat(50_000), { theme: 'dark' }));
    expect(performance.now() - t0).toBeLessThan(50);
    expect(e.kind).toBe('invalid-input');
    expect(e.message).toBe('This formula is too long (100,000 characters; the limit is 2,000)');
  });

  it('refuses \\rule{100000em}{100000em} by the size check, quickly', () => {
    const t0 = performance.now();
    const e = renderError(() => renderTex('\\rule{100000em}{100000em}', { theme: 'dark' }));
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(e.kind).toBe('too-large');
    expect(e.message).toMatch(/too large to draw .* the limit is 4,000 px a side/);
  });

  // Text MathJax has no glyphs for is drawn with the bundled fonts: under librsvg an emoji took
  // 1-5 s (60 took 160 s) and had to be refused; with Skia's fallback it takes milliseconds.
  // (How fast: bench:render's emojiFormulaMs.)
  it('draws emoji in a formula in colour, and CJK, Arabic and accented text with real glyphs', async () => {
    const row = String.raw`\text{${'🦊🔥🇫🇷👍🏽'.repeat(8)}}`;
    const many = renderTex(String.raw`\begin{gathered}${row} \\ ${row}\end{gathered}`, { theme: 'light' });
    expect(many.width).toBeGreaterThan(1000);
    expect(colourfulPixels(await decodePng(many.png))).toBeGreaterThan(64 * 300);
    const px = await decodePng(renderTex(String.raw`x = \text{🦊}`, { theme: 'light' }).png);
    expect(colourfulPixels(px)).toBeGreaterThan(300);
    // A formula's own glyphs are one colour: no colourful pixels at all.
    expect(colourfulPixels(await decodePng(renderTex('x = y', { theme: 'light' }).png))).toBe(0);
    // CJK through the bundled Noto font: real glyphs differ in ink (one stroke vs sixteen).
    const ink = async (tex: string) => darkPixels(await decodePng(renderTex(tex, { theme: 'light' }).png));
    expect(await ink(String.raw`\text{龍龍龍龍}`)).toBeGreaterThan(3 * (await ink(String.raw`\text{一一一一}`)));
    for (const tex of [String.raw`\text{损失函数} = \text{خسارة}`, String.raw`\text{★ ✓ ♠ ☀ ©} \leftrightarrow ↔`, String.raw`\textbf{Zoë} \textit{한국어}`]) {
      const img = renderTex(tex, { theme: 'dark' });
      expect(distinctColors(await decodePng(img.png))).toBeGreaterThan(10);
    }
  });

  it('text MathJax has no glyphs for is laid out at its drawn width: an emoji no longer overlaps what follows', () => {
    const box = texToBox(String.raw`\text{🦊🦊}\text{中中}\text{x}`, { display: true, color: '#000000' });
    expect(box.texts.map((t) => t.text)).toEqual(['🦊', '🦊', '中', '中']);
    const ctx = measureContext();
    const drawnWidth = (t: (typeof box.texts)[number]) => {
      ctx.font = `${t.fontSize}px ${SERIF_FONT_FAMILY}`;
      return ctx.measureText(t.text).width;
    };
    // Each character starts where the previous one's drawn glyph ends (MathJax guessed 0.6 em
    // an emoji, which overlapped, and 1 em a CJK character, which left gaps).
    for (let i = 1; i < box.texts.length; i++) {
      const [prev, next] = [box.texts[i - 1]!, box.texts[i]!];
      expect(Math.abs(next.matrix[4] - prev.matrix[4] - drawnWidth(prev)), `${prev.text} -> ${next.text}`).toBeLessThan(1);
    }
    const last = box.texts.at(-1)!;
    expect(box.widthEm * 1000).toBeGreaterThan(last.matrix[4] + drawnWidth(last));
  });

  it('text inside a formula keeps its place, its \\color and its size in sub- and superscripts', async () => {
    const px = await decodePng(renderTex(String.raw`\color{#ff0000}{\text{中}} + x^{\text{中}}`, { theme: 'light' }).png);
    expect(countColor(px, '#ff0000', 40)).toBeGreaterThan(200);
    const box = texToBox(String.raw`a^{\text{中}}`, { display: true, color: '#000000' });
    expect(box.texts).toHaveLength(1);
    expect(box.markup).not.toContain('<text');
    // The superscript is drawn at MathJax's script size (0.707 of the text size).
    const m = box.texts[0]!.matrix;
    expect(Math.sqrt(Math.abs(m[0] * m[3] - m[1] * m[2]))).toBeCloseTo(0.707, 2);
  });

  it('a MathJax internal error on odd characters reads as plain words, not a JavaScript message', () => {
    const err = renderError(() => renderTex('1\uFE0F\u20E3', { theme: 'dark' }));
    expect(err.kind).toBe('tex');
    expect(err.message).toBe('MathJax could not read this formula (it may contain characters it cannot handle)');
    expect(err.detail).toMatch(/TypeError/);
  });

  it('deep nesting is an error, not a crash', () => {
    const e = renderError(() => renderTex('{'.repeat(990) + '}'.repeat(990), { theme: 'dark' }));
    expect(e.kind).toBe('tex');
  });

  it('empty and non-string input', () => {
    expect(renderError(() => renderTex('   ', { theme: 'dark' })).kind).toBe('invalid-input');
    expect(renderError(() => renderTex(42 as unknown as string, { theme: 'dark' })).kind).toBe('invalid-input');
  });
});

function hexRgb(hex: string): number[] {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
}

describe('formulas drawn straight onto the canvas (shapes) look as Skia draws their SVG', () => {
  /** The box drawn on a dark canvas at the bot's size, as RGBA. */
  const pixelsOf = (box: TexBox) => {
    const { width, height } = boxPixelSize(box, 40);
    const canvas = createCanvas(width, height);
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#313338';
    ctx.fillRect(0, 0, width, height);
    drawBox(ctx, box, 0, 0, 40, 1);
    return ctx.getImageData(0, 0, width, height).data;
  };

  it('glyphs, fraction bars, roots, delimiters, \\color, \\colorbox, \\boxed, aligned rows and a table with solid rules: the same pixels', () => {
    warmUpTex();
    const formulas = [
      GAIN,
      String.raw`\sqrt{x^2 + \frac{a}{b}} \left(\sum_{i=1}^{n} w_i\right)`,
      String.raw`\color{#ff5555}{\hat y} = \colorbox{#335533}{x} + \boxed{y}`,
      String.raw`\begin{aligned} m_t &= \beta_1 m_{t-1} + (1-\beta_1) g_t \\ \theta_t &= \theta_{t-1} - \eta\,\hat m_t \end{aligned}`,
      String.raw`\begin{array}{l|cc} y & 1 & 0 \\ \hline s & 0.9 & 0.2 \end{array}`,
      String.raw`\mathbb{E}\big[(y-\hat f(x))^2\big] \ne \mathcal{L}_{\mathrm{CE}}`,
    ];
    for (const tex of formulas) {
      const box = texToBox(tex, { display: true, color: '#dbdee1' });
      expect(box.shapes, tex).toBeDefined();
      const direct = pixelsOf(box);
      const svg = pixelsOf({ ...box, shapes: undefined });
      let differ = 0;
      let inkDirect = 0;
      let inkSvg = 0;
      for (let i = 0; i < direct.length; i += 4) {
        if (Math.max(Math.abs(direct[i]! - svg[i]!), Math.abs(direct[i + 1]! - svg[i + 1]!), Math.abs(direct[i + 2]! - svg[i + 2]!)) > 16) differ++;
        inkDirect += direct[i]! + direct[i + 1]! + direct[i + 2]!;
        inkSvg += svg[i]! + svg[i + 1]! + svg[i + 2]!;
      }
      // Anti-aliasing at a few edge pixels may round differently; nothing more.
      expect(differ / (direct.length / 4), tex).toBeLessThan(0.002);
      expect(Math.abs(inkDirect - inkSvg) / inkSvg, tex).toBeLessThan(0.002);
    }
  });

  it('what it does not draw (dashed table rules, \\cancel, errors) stays with the SVG renderer, and still draws', async () => {
    for (const tex of [String.raw`\begin{array}{c:c} a & b \end{array}`, String.raw`\cancel{x} + \bcancel{y}`, String.raw`\enclose{circle}{x}`]) {
      const box = texToBox(tex, { display: true, color: '#dbdee1' });
      expect(box.shapes, tex).toBeUndefined();
      const px = await decodePng(renderTex(tex, { theme: 'dark' }).png);
      expect(countColor(px, themes.dark.text, 40), tex).toBeGreaterThan(100);
    }
  });
});
