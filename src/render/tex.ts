/**
 * TeX to SVG (MathJax 3) to PNG (node-canvas).
 *
 * Safety: user TeX runs with every macro-defining package removed (`\def`, `\newcommand`,
 * `\require`...), a length cap, a few remaining definers refused up front, and a pixel-size
 * check before rasterising. MathJax is synchronous, so callers run this inside a worker
 * with a time limit (see pool.ts).
 */
import { Image, type CanvasRenderingContext2D } from 'canvas';
import { mathjax } from 'mathjax-full/js/mathjax.js';
import { TeX } from 'mathjax-full/js/input/tex.js';
import { SVG } from 'mathjax-full/js/output/svg.js';
import { liteAdaptor, type LiteAdaptor } from 'mathjax-full/js/adaptors/liteAdaptor.js';
import { RegisterHTMLHandler } from 'mathjax-full/js/handlers/html.js';
import { AllPackages } from 'mathjax-full/js/input/tex/AllPackages.js';
import type { MathDocument } from 'mathjax-full/js/core/MathDocument.js';
import type { LiteElement } from 'mathjax-full/js/adaptors/lite/Element.js';
import { interruptible } from './interrupt.js';
import { RenderError } from './errors.js';
import { MAX_CAPTION_LENGTH, checkTex, formatInt } from './limits.js';
import { getTheme, type ThemeName } from './theme.js';
import {
  DEFAULT_SCALE,
  MAX_IMAGE_SIDE,
  cleanText,
  font,
  measureContext,
  scaledCanvas,
  textWidth,
  toRenderedImage,
  wrapText,
  type RenderedImage,
} from './draw.js';

export { MAX_TEX_LENGTH, MAX_CAPTION_LENGTH, checkTex } from './limits.js';

/** Formula size at scale 1: 1em = 20 px (Discord's message text is 16 px; maths reads better a bit larger). */
export const BASE_EM_PX = 20;

/**
 * Packages that let TeX define or load macros (expansion bombs, state that leaks between
 * jobs), plus the two that turn errors into rendered red text instead of errors.
 */
const REMOVED_PACKAGES = new Set(['newcommand', 'configmacros', 'require', 'autoload', 'html', 'noerrors', 'noundefined']);

/**
 * The parts of MathJax's stand-alone CSS an SVG needs outside a browser page. Without the
 * table rules, `\hline` and `|` columns (rect[data-frame], line[data-line]) fill as solid boxes.
 */
const MATHJAX_SVG_CSS = [
  'g[data-mml-node="merror"]>g{fill:red;stroke:red}',
  'g[data-mml-node="merror"]>rect[data-background]{fill:yellow;stroke:none}',
  'g[data-mml-node="mtable"]>line[data-line],svg[data-table]>g>line[data-line]{stroke-width:70px;fill:none}',
  'g[data-mml-node="mtable"]>rect[data-frame],svg[data-table]>g>rect[data-frame]{stroke-width:70px;fill:none}',
  'g[data-mml-node="mtable"]>.mjx-dashed,svg[data-table]>g>.mjx-dashed{stroke-dasharray:140}',
  'g[data-mml-node="mtable"]>.mjx-dotted,svg[data-table]>g>.mjx-dotted{stroke-linecap:round;stroke-dasharray:0,140}',
  'g[data-mml-node="mtable"]>g>svg{overflow:visible}',
  'path[data-c],use[data-c]{stroke-width:3}',
].join('');

interface MathJaxEngine {
  adaptor: LiteAdaptor;
  input: TeX<unknown, unknown, unknown>;
  doc: MathDocument<unknown, unknown, unknown>;
}

let engine: MathJaxEngine | undefined;

function getEngine(): MathJaxEngine {
  if (engine) return engine;
  const adaptor = liteAdaptor();
  RegisterHTMLHandler(adaptor);
  const packages = AllPackages.filter((p) => !REMOVED_PACKAGES.has(p));
  const input = new TeX({
    packages,
    // Throw instead of rendering an error box, so callers get MathJax's own message.
    formatError: (_jax: unknown, err: Error) => {
      throw err;
    },
  });
  const output = new SVG({ fontCache: 'local' });
  const doc = mathjax.document('', { InputJax: input, OutputJax: output }) as MathDocument<unknown, unknown, unknown>;
  engine = { adaptor, input: input as TeX<unknown, unknown, unknown>, doc };
  return engine;
}

/** Load MathJax and compile its code paths once (the first conversion is slow). */
export function warmUpTex(): void {
  rasterizeBox(texToBox('\\frac{a}{b}+\\sqrt{x}\\begin{aligned}a&=b\\end{aligned}', { display: true, color: '#000000' }), 10);
}

/** A formula laid out by MathJax, in em units, ready to rasterise at any size. */
export interface TexBox {
  /** Stand-alone SVG (colours and CSS fixed) with `{{W}}`/`{{H}}` size placeholders. */
  markup: string;
  widthEm: number;
  heightEm: number;
  /** From the top of the box down to the maths baseline. */
  ascentEm: number;
}

export interface TexBoxOptions {
  display: boolean;
  /** Replaces `currentColor` (which would fall back to black: invisible on dark). */
  color: string;
}

function texErrorMessage(err: unknown): RenderError {
  if (err instanceof RangeError) {
    return new RenderError('tex', 'This formula is nested too deeply to render', err.message);
  }
  // A JavaScript error from inside MathJax (e.g. "Cannot read properties of null" on some
  // characters it mishandles) is a MathJax bug, not words for the user.
  if (err instanceof TypeError) {
    return new RenderError('tex', 'MathJax could not read this formula (it may contain characters it cannot handle)', err.stack);
  }
  // MathJax's TexError is not an Error subclass, but it has a `message`.
  const message =
    typeof err === 'object' && err !== null && typeof (err as { message?: unknown }).message === 'string'
      ? (err as { message: string }).message
      : String(err);
  // TexError messages are already plain words: "Undefined control sequence \foo".
  const plain = message.replace(/\s+/g, ' ').trim().slice(0, 300) || 'MathJax could not read this formula';
  const id = typeof err === 'object' && err !== null ? (err as { id?: unknown }).id : undefined;
  return new RenderError('tex', plain, err instanceof Error ? err.stack : typeof id === 'string' ? `TexError ${id}` : undefined);
}

/**
 * Characters MathJax has no glyph for become SVG <text>, which librsvg draws through pango.
 * Where that falls back to the colour emoji font it costs 1-5 s a character (a 60-emoji
 * formula took 160 s; canvas's own fillText draws the same in milliseconds), stuck in native
 * code where a render cannot be stopped safely. Such characters are refused in formulas.
 */
const EMOJI = /[\p{Emoji_Presentation}\p{Regional_Indicator}\u{FE0F}\u{20E3}\u{E0020}-\u{E007F}]/u;
const SVG_TEXT = /<text\b[^>]*>([^<]*)<\/text>/g;

function refuseEmoji(markup: string): void {
  const found = new Set<string>();
  for (const m of markup.matchAll(SVG_TEXT)) {
    for (const ch of m[1]!) if (EMOJI.test(ch) && found.size < 5) found.add(ch);
  }
  if (found.size > 0) {
    throw new RenderError('invalid-input', `Formulas can't contain emoji (${[...found].join(' ')}): put them in your message, outside the formula.`);
  }
}

const VIEWBOX = /^(-?[\d.]+(?:e-?\d+)?) (-?[\d.]+(?:e-?\d+)?) ([\d.]+(?:e-?\d+)?) ([\d.]+(?:e-?\d+)?)$/;

/** TeX to a laid-out formula. Throws RenderError ('invalid-input' | 'tex'). */
export function texToBox(tex: string, options: TexBoxOptions): TexBox {
  const source = checkTex(tex);
  const { adaptor, input, doc } = getEngine();
  let svgNode: LiteElement;
  try {
    // Forget \label and equation numbers from earlier jobs ("Label 'a' multiply defined").
    input.reset();
    // Pure JavaScript, where runaway formulas spend their time: the pool may stop us here.
    const container = interruptible(() => doc.convert(source, { display: options.display }) as LiteElement);
    svgNode = adaptor.firstChild(container) as LiteElement;
  } catch (err) {
    throw texErrorMessage(err);
  } finally {
    doc.clear();
  }
  const viewBox = VIEWBOX.exec(adaptor.getAttribute(svgNode, 'viewBox') ?? '');
  if (!viewBox) throw new RenderError('internal', 'Could not measure the formula', 'missing viewBox');
  // viewBox units are 1/1000 em; the maths baseline is y = 0. MathJax's own width/height
  // are in ex, which renderers disagree about, so they are replaced with pixels.
  adaptor.setAttribute(svgNode, 'width', '{{W}}');
  adaptor.setAttribute(svgNode, 'height', '{{H}}');
  adaptor.removeAttribute(svgNode, 'style');
  adaptor.removeAttribute(svgNode, 'role');
  adaptor.removeAttribute(svgNode, 'focusable');
  const svg = adaptor.outerHTML(svgNode);
  refuseEmoji(svg);
  const markup = svg
    .replace(/^<svg([^>]*)>/, (open) => `${open}<style>${MATHJAX_SVG_CSS}</style>`)
    .replace(/currentColor/g, options.color);
  return {
    markup,
    widthEm: Number(viewBox[3]) / 1000,
    heightEm: Number(viewBox[4]) / 1000,
    ascentEm: -Number(viewBox[2]) / 1000,
  };
}

/** Pixel size of a box at `emPx`, refusing anything over the limit before any rasterising. */
export function boxPixelSize(box: TexBox, emPx: number): { width: number; height: number } {
  const width = Math.max(1, Math.ceil(box.widthEm * emPx));
  const height = Math.max(1, Math.ceil(box.heightEm * emPx));
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE) {
    throw new RenderError(
      'too-large',
      `This formula is too large to draw (${formatInt(width)}×${formatInt(height)} px; the limit is ${formatInt(MAX_IMAGE_SIDE)} px a side)`,
    );
  }
  return { width, height };
}

export interface RasterFormula {
  image: Image;
  width: number;
  height: number;
  /** Pixels from the top to the baseline. */
  baseline: number;
}

/**
 * Rasterise at `emPx` pixels per em. The SVG carries its final pixel size and img.width /
 * img.height are set before drawing, so librsvg renders at that size; scaling at draw
 * time would stretch a 1x bitmap (the blur trap).
 */
export function rasterizeBox(box: TexBox, emPx: number): RasterFormula {
  const { width, height } = boxPixelSize(box, emPx);
  const svg = box.markup.replace('{{W}}', `${width}px`).replace('{{H}}', `${height}px`);
  const image = new Image();
  let failure: Error | undefined;
  image.onerror = (err: Error) => {
    failure = err;
  };
  try {
    image.src = Buffer.from(svg, 'utf8');
  } catch (err) {
    failure = err as Error;
  }
  if (failure || !image.complete) {
    throw new RenderError('internal', 'Could not draw this formula', failure?.message ?? 'SVG did not load');
  }
  image.width = width;
  image.height = height;
  return { image, width, height, baseline: box.ascentEm * emPx };
}

/**
 * Draw a formula with its top-left at logical (x, y), 1:1 on the device pixel grid: the
 * context's scale is bypassed because the formula is already rasterised at device size.
 */
export function drawBox(ctx: CanvasRenderingContext2D, box: TexBox, logicalX: number, logicalY: number, emLogicalPx: number, scale: number): void {
  const r = rasterizeBox(box, emLogicalPx * scale);
  ctx.save();
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.drawImage(r.image, Math.round(logicalX * scale), Math.round(logicalY * scale), r.width, r.height);
  ctx.restore();
}

export interface TexImageOptions {
  theme: ThemeName;
  /** Display style (default) or inline (text) style. */
  display?: boolean;
  /** A line of plain text under the formula. */
  caption?: string;
  /** Device pixels per logical pixel (default 2). */
  scale?: number;
}

const PAD = 14;
const CAPTION_FONT = 14;
const CAPTION_GAP = 10;
const MIN_CAPTION_WIDTH = 320;

/** A formula as a padded PNG on the theme background, with an optional caption. */
export function renderTex(tex: string, options: TexImageOptions): RenderedImage {
  const theme = getTheme(options.theme);
  const scale = options.scale ?? DEFAULT_SCALE;
  const box = texToBox(tex, { display: options.display ?? true, color: theme.text });
  const { width: devW, height: devH } = boxPixelSize(box, BASE_EM_PX * scale);
  const formulaW = devW / scale;
  const formulaH = devH / scale;

  let captionLines: string[] = [];
  let captionW = 0;
  const caption = options.caption === undefined ? '' : cleanText(options.caption, MAX_CAPTION_LENGTH).trim();
  if (caption !== '') {
    const measure = measureContext();
    measure.font = font(CAPTION_FONT);
    captionLines = wrapText(measure, caption, Math.max(formulaW, MIN_CAPTION_WIDTH), 4);
    captionW = Math.max(...captionLines.map((l) => textWidth(measure, l)));
  }
  const lineH = CAPTION_FONT * 1.35;
  const contentW = Math.max(formulaW, captionW);
  const width = contentW + 2 * PAD;
  const height = formulaH + 2 * PAD + (captionLines.length > 0 ? CAPTION_GAP + captionLines.length * lineH : 0);

  const { canvas, ctx } = scaledCanvas(width, height, scale, theme.background);
  drawBox(ctx, box, PAD + (contentW - formulaW) / 2, PAD, BASE_EM_PX, scale);
  if (captionLines.length > 0) {
    ctx.font = font(CAPTION_FONT);
    ctx.fillStyle = theme.muted;
    ctx.textAlign = 'center';
    let y = PAD + formulaH + CAPTION_GAP + CAPTION_FONT;
    for (const line of captionLines) {
      ctx.fillText(line, width / 2, y);
      y += lineH;
    }
  }
  return toRenderedImage(canvas);
}
