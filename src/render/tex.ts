/**
 * TeX to SVG (MathJax 3), drawn with Skia (@napi-rs/canvas): the SVG's paths by Skia's SVG
 * renderer, the text MathJax has no glyphs for with the bundled fonts (see TexText).
 *
 * Safety: user TeX runs with every macro-defining package removed (`\def`, `\newcommand`,
 * `\require`...), a length cap, a few remaining definers refused up front, and a pixel-size
 * check before rasterising. MathJax is synchronous, so callers run this inside a worker
 * with a time limit (see pool.ts).
 */
import { mathjax } from 'mathjax-full/js/mathjax.js';
import { TeX } from 'mathjax-full/js/input/tex.js';
import { SVG } from 'mathjax-full/js/output/svg.js';
import { liteAdaptor, type LiteAdaptor } from 'mathjax-full/js/adaptors/liteAdaptor.js';
import { RegisterHTMLHandler } from 'mathjax-full/js/handlers/html.js';
import { AllPackages } from 'mathjax-full/js/input/tex/AllPackages.js';
import type { MathDocument } from 'mathjax-full/js/core/MathDocument.js';
import type { LiteElement } from 'mathjax-full/js/adaptors/lite/Element.js';
import { Image, Path2D, type Canvas } from '@napi-rs/canvas';
import { boundedCache } from './cache.js';
import { RenderError } from './errors.js';
import { MAX_CAPTION_LENGTH, checkTex, formatInt } from './limits.js';
import { getTheme, type ThemeName } from './theme.js';
import {
  DEFAULT_SCALE,
  MAX_IMAGE_SIDE,
  SERIF_FONT_FAMILY,
  cleanText,
  font,
  measureContext,
  newCanvas,
  scaledCanvas,
  textWidth,
  toRenderedImage,
  wrapText,
  type CanvasRenderingContext2D,
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

/**
 * Width, in em, of text MathJax has no glyphs for, as drawTexts will draw it. MathJax's own
 * guess outside a browser (1 em a CJK character, 0.6 em anything else) left gaps after CJK
 * and let an emoji overlap what followed it.
 */
function textWidthEm(adaptor: LiteAdaptor, node: LiteElement): number {
  const ctx = measureContext();
  const style = textStyle(adaptor, node);
  ctx.font = textFont(style, 100);
  // The text is drawn at its font-size attribute, in MathJax's units of 1/1000 em.
  return (textWidth(ctx, adaptor.textContent(node)) / 100) * (style.fontSize / 1000);
}

type TextStyle = Pick<TexText, 'fontSize' | 'bold' | 'italic'>;

/** How MathJax asks for a <text> to be drawn: size (its units) and variant. */
function textStyle(adaptor: LiteAdaptor, el: LiteElement): TextStyle {
  return {
    fontSize: Number.parseFloat(adaptor.getAttribute(el, 'font-size') ?? '') || 884,
    bold: adaptor.getAttribute(el, 'font-weight') === 'bold',
    italic: adaptor.getAttribute(el, 'font-style') === 'italic',
  };
}

function textFont(style: TextStyle, sizePx: number): string {
  return font(sizePx, style.bold ? 'bold' : 'normal', style.italic ? 'italic' : 'normal', SERIF_FONT_FAMILY);
}

function getEngine(): MathJaxEngine {
  if (engine) return engine;
  const adaptor = liteAdaptor();
  adaptor.nodeSize = (node: LiteElement) => [textWidthEm(adaptor, node), 0.8];
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

/**
 * Load MathJax and compile its code paths once (the first conversion is slow), and make Skia
 * open every fallback font once (the first CJK or emoji character costs hundreds of ms).
 */
export function warmUpTex(): void {
  rasterizeBox(texToBox('\\frac{a}{b}+\\sqrt{x}\\begin{aligned}a&=\\text{é 中 한 ب 🙂 **}\\end{aligned}', { display: true, color: '#000000' }), 10);
  rasterizeBox(texToBox('\\textbf{é 中 한 ب 🙂} \\textit{é 中 한 ب 🙂}', { display: true, color: '#000000' }), 10);
}

/** A formula laid out by MathJax, in em units, ready to rasterise at any size. */
export interface TexBox {
  /** Stand-alone SVG (colours and CSS fixed) with `{{W}}`/`{{H}}` size placeholders. */
  markup: string;
  widthEm: number;
  heightEm: number;
  /** From the top of the box down to the maths baseline. */
  ascentEm: number;
  /** The viewBox's origin, in 1/1000 em. */
  minX: number;
  minY: number;
  /** Text MathJax has no glyphs for, drawn with the bundled fonts (taken out of `markup`). */
  texts: TexText[];
  /**
   * The SVG as a list of fills and strokes, when it uses only what `readSvg` draws (glyphs,
   * rules, fraction bars, solid table lines: 99% of the bank's formulas); drawn straight onto
   * the canvas, ~4x faster than Skia parsing and rendering the SVG. Otherwise undefined,
   * and `markup` is drawn by Skia's SVG renderer.
   */
  shapes?: TexShape[];
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

/** A 2D affine transform [a, b, c, d, e, f], as in SVG's matrix() and canvas's setTransform. */
type Matrix = [number, number, number, number, number, number];

const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

function multiply(m: Matrix, n: Matrix): Matrix {
  return [
    m[0] * n[0] + m[2] * n[1],
    m[1] * n[0] + m[3] * n[1],
    m[0] * n[2] + m[2] * n[3],
    m[1] * n[2] + m[3] * n[3],
    m[0] * n[4] + m[2] * n[5] + m[4],
    m[1] * n[4] + m[3] * n[5] + m[5],
  ];
}

const TRANSFORM_PART = /(matrix|translate|scale|rotate|skewX|skewY)\s*\(([^)]*)\)/g;

/** An SVG transform attribute as one matrix (the forms MathJax writes, and the rest of SVG's). */
export function parseTransform(attr: string | null | undefined): Matrix {
  let m = IDENTITY;
  if (!attr) return m;
  for (const [, op, args] of attr.matchAll(TRANSFORM_PART)) {
    const v = args!.split(/[\s,]+/).filter((x) => x !== '').map(Number);
    if (v.some((x) => !Number.isFinite(x))) continue;
    const rad = ((v[0] ?? 0) * Math.PI) / 180;
    let t: Matrix;
    switch (op) {
      case 'matrix':
        if (v.length !== 6) continue;
        t = v as Matrix;
        break;
      case 'translate':
        t = [1, 0, 0, 1, v[0] ?? 0, v[1] ?? 0];
        break;
      case 'scale':
        t = [v[0] ?? 1, 0, 0, v[1] ?? v[0] ?? 1, 0, 0];
        break;
      case 'rotate': {
        const [cx, cy] = [v[1] ?? 0, v[2] ?? 0];
        const r: Matrix = [Math.cos(rad), Math.sin(rad), -Math.sin(rad), Math.cos(rad), 0, 0];
        t = multiply(multiply([1, 0, 0, 1, cx, cy], r), [1, 0, 0, 1, -cx, -cy]);
        break;
      }
      case 'skewX':
        t = [1, 0, Math.tan(rad), 1, 0, 0];
        break;
      default:
        t = [1, Math.tan(rad), 0, 1, 0, 0];
    }
    m = multiply(m, t);
  }
  return m;
}

/**
 * A run of text MathJax has no glyph for (CJK or accented letters in `\text{}`, emoji,
 * symbols): MathJax leaves it as SVG <text> for the viewer's fonts. We draw it ourselves with
 * the bundled fonts and their fallbacks (colour emoji included), so it looks the same on
 * every machine; the SVG keeps only paths.
 */
export interface TexText {
  text: string;
  /** From the text's own coordinates to the formula's viewBox units (1/1000 em). */
  matrix: Matrix;
  /** In the text's own coordinates. */
  fontSize: number;
  bold: boolean;
  italic: boolean;
  /** CSS colour (the formula's colour, or a `\color` inside it). */
  color: string;
}

const VIEWBOX = /^(-?[\d.]+(?:e-?\d+)?) (-?[\d.]+(?:e-?\d+)?) ([\d.]+(?:e-?\d+)?) ([\d.]+(?:e-?\d+)?)$/;

/** One fill or stroke of a formula, in the viewBox's units (1/1000 em). */
export type TexShape =
  | { kind: 'path'; d: string; matrix: Matrix; fill: string | null; stroke: string | null; strokeWidth: number }
  | { kind: 'rect'; x: number; y: number; width: number; height: number; matrix: Matrix; fill: string | null; stroke: string | null; strokeWidth: number }
  | { kind: 'line'; x1: number; y1: number; x2: number; y2: number; matrix: Matrix; stroke: string; strokeWidth: number };

/** Attributes that change how an element looks in ways `readSvg`'s shapes do not draw. */
const UNDRAWN_ATTRIBUTES = ['style', 'opacity', 'fill-opacity', 'stroke-opacity', 'stroke-dasharray', 'clip-path', 'mask', 'filter', 'fill-rule', 'visibility', 'display'];

/**
 * Reads MathJax's SVG once, for the two things drawn without an SVG renderer:
 * - every <text> (taken out of the SVG), with where and how it is drawn;
 * - the SVG as fills and strokes, with the meaning its stylesheet (MATHJAX_SVG_CSS) gives
 *   them as Skia's SVG renderer draws it: glyphs filled (a <path data-c> also stroked 3
 *   units wide), rules and bars filled, solid table lines stroked 70 wide. Undefined as soon
 *   as anything else appears (nested <svg>, dashed or framed tables, ellipses, errors...):
 *   those formulas keep Skia's SVG renderer.
 */
function readSvg(adaptor: LiteAdaptor, root: LiteElement, color: string): { texts: TexText[]; shapes: TexShape[] | undefined } {
  const texts: TexText[] = [];
  const gone: LiteElement[] = [];
  const defs = new Map<string, string>();
  const shapes: TexShape[] = [];
  let drawable = true;
  const paint = (el: LiteElement, attr: 'fill' | 'stroke', inherited: string | null): string | null => {
    const v = adaptor.getAttribute(el, attr);
    if (v === null || v === undefined || v === '') return inherited;
    if (v === 'none') return null;
    return v === 'currentColor' ? color : v;
  };
  const numbers = (el: LiteElement, names: string[]): number[] | undefined => {
    const v = names.map((n) => Number(adaptor.getAttribute(el, n) ?? 0));
    return v.every(Number.isFinite) ? v : undefined;
  };
  /** What an element inherits. `text` is the colour text is drawn in (the nearest fill that is not none). */
  type Paint = { m: Matrix; fill: string | null; stroke: string | null; strokeWidth: number; table: boolean; text: string };

  /** Adds the element's shape; false if it is something the direct drawing does not do. */
  const addShape = (el: LiteElement, kind: string, own: Paint, inherited: Paint): boolean => {
    if (UNDRAWN_ATTRIBUTES.some((a) => adaptor.hasAttribute(el, a)) || adaptor.getAttribute(el, 'data-mml-node') === 'merror') return false;
    if (!Number.isFinite(own.strokeWidth)) return false;
    switch (kind) {
      case 'g':
        return !adaptor.hasAttribute(el, 'class');
      case 'use': {
        const href = adaptor.getAttribute(el, 'xlink:href') ?? adaptor.getAttribute(el, 'href') ?? '';
        const d = defs.get(href.replace(/^#/, ''));
        const at = numbers(el, ['x', 'y']);
        if (d === undefined || !at || adaptor.hasAttribute(el, 'class')) return false;
        // The stylesheet's stroke-width on <use> does not reach the path it draws in Skia's
        // SVG renderer (in a browser it does: 3/1000 em, a tenth of a pixel here); as Skia.
        shapes.push({ kind: 'path', d, matrix: multiply(own.m, [1, 0, 0, 1, at[0]!, at[1]!]), fill: own.fill, stroke: own.stroke, strokeWidth: own.strokeWidth });
        return true;
      }
      case 'path': {
        const d = adaptor.getAttribute(el, 'd');
        if (!d || adaptor.hasAttribute(el, 'class')) return false;
        const strokeWidth = adaptor.hasAttribute(el, 'data-c') ? 3 : own.strokeWidth;
        shapes.push({ kind: 'path', d, matrix: own.m, fill: own.fill, stroke: own.stroke, strokeWidth });
        return true;
      }
      case 'rect': {
        const r = numbers(el, ['x', 'y', 'width', 'height']);
        if (!r || ['class', 'data-frame', 'rx', 'ry'].some((a) => adaptor.hasAttribute(el, a))) return false;
        shapes.push({ kind: 'rect', x: r[0]!, y: r[1]!, width: r[2]!, height: r[3]!, matrix: own.m, fill: own.fill, stroke: own.stroke, strokeWidth: own.strokeWidth });
        return true;
      }
      case 'line': {
        // Only a table's solid rules: the stylesheet strokes them 70 wide.
        const l = numbers(el, ['x1', 'y1', 'x2', 'y2']);
        if (!l || !inherited.table || adaptor.getAttribute(el, 'class') !== 'mjx-solid' || !adaptor.hasAttribute(el, 'data-line') || own.stroke === null) return false;
        shapes.push({ kind: 'line', x1: l[0]!, y1: l[1]!, x2: l[2]!, y2: l[3]!, matrix: own.m, stroke: own.stroke, strokeWidth: 70 });
        return true;
      }
      default:
        return false;
    }
  };

  const walk = (node: LiteElement, inherited: Paint): void => {
    for (const child of adaptor.childNodes(node)) {
      const kind = adaptor.kind(child);
      if (kind === '#text' || kind === '#comment' || kind === 'style' || kind === 'title') continue;
      const el = child as LiteElement;
      if (kind === 'defs') {
        for (const def of adaptor.childNodes(el)) {
          if (adaptor.kind(def) === 'path') defs.set(adaptor.getAttribute(def as LiteElement, 'id') ?? '', adaptor.getAttribute(def as LiteElement, 'd') ?? '');
          else drawable = false;
        }
        continue;
      }
      let m = multiply(inherited.m, parseTransform(adaptor.getAttribute(el, 'transform')));
      if (kind === 'svg') m = multiply(m, [1, 0, 0, 1, Number(adaptor.getAttribute(el, 'x')) || 0, Number(adaptor.getAttribute(el, 'y')) || 0]);
      const f = adaptor.getAttribute(el, 'fill');
      const own: Paint = {
        m,
        fill: paint(el, 'fill', inherited.fill),
        stroke: paint(el, 'stroke', inherited.stroke),
        strokeWidth: adaptor.hasAttribute(el, 'stroke-width') ? Number(adaptor.getAttribute(el, 'stroke-width')) : inherited.strokeWidth,
        table: adaptor.getAttribute(el, 'data-mml-node') === 'mtable',
        text: f && f !== 'none' ? (f === 'currentColor' ? color : f) : inherited.text,
      };
      if (kind === 'text') {
        const text = adaptor.textContent(el);
        if (text.trim() !== '') texts.push({ text, matrix: own.m, ...textStyle(adaptor, el), color: own.text });
        gone.push(el);
        continue;
      }
      if (drawable) drawable = addShape(el, kind, own, inherited);
      walk(el, own);
    }
  };
  // The root <svg>: SVG's initial paint is a black fill and no stroke.
  walk(root, { m: IDENTITY, fill: paint(root, 'fill', '#000000'), stroke: paint(root, 'stroke', null), strokeWidth: 1, table: false, text: color });
  for (const el of gone) adaptor.remove(el);
  return { texts, shapes: drawable ? shapes : undefined };
}

/**
 * Formulas this thread has laid out, by (display, colour, TeX), at most 400 and 6 MB. A
 * whiteboard is drawn again with every step added: MathJax then lays out only the new step
 * (it is ~40% of a whiteboard's time). Boxes are shared: callers must not change them.
 * Errors are not kept.
 */
const boxes = boundedCache<TexBox>(400, 6 * 1024 * 1024, (b) => 2 * b.markup.length + b.texts.reduce((n, t) => n + 2 * t.text.length + 96, 0) + 120 * (b.shapes?.length ?? 0));

/** TeX to a laid-out formula. Throws RenderError ('invalid-input' | 'tex'). */
export function texToBox(tex: string, options: TexBoxOptions): TexBox {
  const key = `${options.display ? 'D' : 'T'}|${options.color}|${tex}`;
  const known = boxes.get(key);
  if (known) return known;
  const box = layOut(tex, options);
  boxes.set(key, box);
  return box;
}

function layOut(tex: string, options: TexBoxOptions): TexBox {
  const source = checkTex(tex);
  const { adaptor, input, doc } = getEngine();
  let svgNode: LiteElement;
  try {
    // Forget \label and equation numbers from earlier jobs ("Label 'a' multiply defined").
    input.reset();
    const container = doc.convert(source, { display: options.display }) as LiteElement;
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
  const { texts, shapes } = readSvg(adaptor, svgNode, options.color);
  const markup = adaptor
    .outerHTML(svgNode)
    .replace(/^<svg([^>]*)>/, (open) => `${open}<style>${MATHJAX_SVG_CSS}</style>`)
    .replace(/currentColor/g, options.color);
  return {
    markup,
    texts,
    ...(shapes ? { shapes } : {}),
    minX: Number(viewBox[1]),
    minY: Number(viewBox[2]),
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

/** The formula's SVG as a Skia image (vector: drawn at its final size, never a stretched bitmap). */
function svgImage(box: TexBox, width: number, height: number): Image {
  const image = new Image();
  let failure: string | undefined;
  image.onerror = (event) => {
    failure = String((event as { message?: unknown }).message ?? 'SVG did not load');
  };
  image.src = Buffer.from(box.markup.replace('{{W}}', `${width}px`).replace('{{H}}', `${height}px`), 'utf8');
  if (failure !== undefined || !image.complete || image.naturalWidth === 0) {
    throw new RenderError('internal', 'Could not draw this formula', failure ?? 'SVG did not load');
  }
  return image;
}

/** Glyph outlines parsed once per thread: the same few hundred come back in every formula. */
const paths = new Map<string, Path2D>();

function pathOf(d: string): Path2D {
  let p = paths.get(d);
  if (!p) {
    if (paths.size >= 4000) paths.clear();
    p = new Path2D(d);
    paths.set(d, p);
  }
  return p;
}

/** Draws the box's shapes; `device` maps viewBox units to the context's pixels. */
function drawShapes(ctx: CanvasRenderingContext2D, shapes: TexShape[], device: Matrix): void {
  ctx.lineCap = 'butt';
  ctx.lineJoin = 'miter';
  ctx.miterLimit = 4;
  for (const s of shapes) {
    const m = multiply(device, s.matrix);
    ctx.setTransform(m[0], m[1], m[2], m[3], m[4], m[5]);
    if (s.kind === 'line') {
      if (!(s.strokeWidth > 0)) continue;
      ctx.beginPath();
      ctx.moveTo(s.x1, s.y1);
      ctx.lineTo(s.x2, s.y2);
      ctx.strokeStyle = s.stroke;
      ctx.lineWidth = s.strokeWidth;
      ctx.stroke();
      continue;
    }
    const path = s.kind === 'path' ? pathOf(s.d) : undefined;
    if (s.fill !== null) {
      ctx.fillStyle = s.fill;
      if (path) ctx.fill(path);
      else if (s.kind === 'rect') ctx.fillRect(s.x, s.y, s.width, s.height);
    }
    if (s.stroke !== null && s.strokeWidth > 0) {
      ctx.strokeStyle = s.stroke;
      ctx.lineWidth = s.strokeWidth;
      if (path) ctx.stroke(path);
      else if (s.kind === 'rect') ctx.strokeRect(s.x, s.y, s.width, s.height);
    }
  }
}

/** Draws the box's text runs; `device` maps viewBox units to the context's pixels. */
function drawTexts(ctx: CanvasRenderingContext2D, box: TexBox, device: Matrix): void {
  for (const t of box.texts) {
    const m = multiply(device, t.matrix);
    // Draw at the device size with a unit-scale transform: glyphs are rasterised at the size
    // they appear, not at MathJax's 884 "px" and scaled down.
    const s = Math.sqrt(Math.abs(m[0] * m[3] - m[1] * m[2]));
    if (!(s > 0)) continue;
    ctx.setTransform(m[0] / s, m[1] / s, m[2] / s, m[3] / s, m[4], m[5]);
    ctx.font = textFont(t, t.fontSize * s);
    ctx.fillStyle = t.color;
    ctx.textAlign = 'left';
    ctx.textBaseline = 'alphabetic';
    ctx.fillText(t.text, 0, 0);
  }
}

/**
 * Draw a formula with its top-left at logical (x, y), on the device pixel grid: the context's
 * scale is bypassed so the formula is drawn at exactly its device size.
 */
export function drawBox(ctx: CanvasRenderingContext2D, box: TexBox, logicalX: number, logicalY: number, emLogicalPx: number, scale: number): void {
  const emPx = emLogicalPx * scale;
  const { width, height } = boxPixelSize(box, emPx);
  const x = Math.round(logicalX * scale);
  const y = Math.round(logicalY * scale);
  ctx.save();
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  if (box.shapes) {
    // As an SVG of that size maps its viewBox: one scale for both axes, centred ("meet").
    const w = box.widthEm * 1000;
    const h = box.heightEm * 1000;
    const s = Math.min(width / w, height / h);
    drawShapes(ctx, box.shapes, [s, 0, 0, s, x + (width - w * s) / 2 - box.minX * s, y + (height - h * s) / 2 - box.minY * s]);
  } else {
    ctx.drawImage(svgImage(box, width, height), x, y, width, height);
  }
  const k = emPx / 1000;
  drawTexts(ctx, box, [k, 0, 0, k, x - box.minX * k, y - box.minY * k]);
  ctx.restore();
}

/** A formula alone on a transparent canvas of its pixel size at `emPx` pixels per em. */
export function rasterizeBox(box: TexBox, emPx: number): Canvas {
  const { width, height } = boxPixelSize(box, emPx);
  const canvas = newCanvas(width, height);
  drawBox(canvas.getContext('2d'), box, 0, 0, emPx, 1);
  return canvas;
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
