/**
 * Canvas helpers shared by formulas, plots and cards: fonts, safe text measuring,
 * wrapping, ellipsis, PNG encoding.
 */
import { PngFilter, createCanvas, type Canvas, type SKRSContext2D } from '@napi-rs/canvas';
import { RenderError } from './errors.js';
import { FALLBACK_FAMILIES, FAMILIES, registerFonts } from './fonts.js';

/** The 2D context of the canvas engine (Skia, through @napi-rs/canvas). */
export type CanvasRenderingContext2D = SKRSContext2D;

/** A rendered image. The Buffer is shared with the cache: treat it as read-only. */
export interface RenderedImage {
  png: Buffer;
  width: number;
  height: number;
}

/** Largest side of any image we produce, in pixels. */
export const MAX_IMAGE_SIDE = 4000;

/**
 * Discord shows chat images ~400-550 px wide; we lay out in logical pixels and draw at
 * this device scale so text stays crisp when Discord scales the image down.
 */
export const DEFAULT_SCALE = 2;

/** DejaVu first, then the bundled Noto fonts for what it lacks (CJK, Korean, Arabic, colour emoji). */
export const FONT_FAMILY = `"${FAMILIES.sans}", ${FALLBACK_FAMILIES}`;
export const MONO_FONT_FAMILY = `"${FAMILIES.mono}", ${FALLBACK_FAMILIES}`;
/** Text inside formulas (MathJax's own fonts are serif). */
export const SERIF_FONT_FAMILY = `"${FAMILIES.serif}", ${FALLBACK_FAMILIES}`;

export function font(sizePx: number, weight: 'normal' | 'bold' = 'normal', style: 'normal' | 'italic' = 'normal', family = FONT_FAMILY): string {
  return `${style === 'italic' ? 'italic ' : ''}${weight === 'bold' ? 'bold ' : ''}${sizePx}px ${family}`;
}

/**
 * PNG encoding dominates render time. The encoder's default tries every row filter; on our
 * flat images "no filter" is several times faster and about as small. zlib level 2 rather
 * than 4 (measured on Skia: a 20-step whiteboard 205 vs 236-272 ms, ROC+PR 13 vs 17-22 ms)
 * costs about 25% more bytes (475 vs 378 KB, 101 vs 79 KB), well within Discord's limits.
 */
const PNG_COMPRESSION = 2;

export function encodePng(canvas: Canvas): Buffer {
  return canvas.encodeSync('png', { compressionLevel: PNG_COMPRESSION, filters: PngFilter.None });
}

export function toRenderedImage(canvas: Canvas): RenderedImage {
  return { png: encodePng(canvas), width: canvas.width, height: canvas.height };
}

export interface ScaledCanvas {
  canvas: Canvas;
  ctx: CanvasRenderingContext2D;
  scale: number;
}

/** Every canvas comes from here: the bundled fonts are registered before anything is drawn. */
export function newCanvas(width: number, height: number): Canvas {
  registerFonts();
  return createCanvas(width, height);
}

/** A canvas of the given logical size drawn at `scale`, filled with `background`. */
export function scaledCanvas(logicalWidth: number, logicalHeight: number, scale: number, background: string): ScaledCanvas {
  const w = Math.ceil(logicalWidth * scale);
  const h = Math.ceil(logicalHeight * scale);
  if (!(w > 0 && h > 0)) throw new RenderError('internal', 'Could not lay out the image', `bad canvas size ${w}x${h}`);
  if (w > MAX_IMAGE_SIDE || h > MAX_IMAGE_SIDE) {
    throw new RenderError(
      'too-large',
      `This image would be too large to draw (${w}×${h} px; the limit is ${MAX_IMAGE_SIDE} px a side)`,
    );
  }
  const canvas = newCanvas(w, h);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = background;
  ctx.fillRect(0, 0, w, h);
  ctx.scale(scale, scale);
  ctx.textBaseline = 'alphabetic';
  return { canvas, ctx, scale };
}

let measureCtx: CanvasRenderingContext2D | undefined;

/** A scratch context for measuring text before the real canvas size is known. */
export function measureContext(): CanvasRenderingContext2D {
  measureCtx ??= newCanvas(1, 1).getContext('2d');
  return measureCtx;
}

// Control characters and bidi overrides/isolates: they can reorder or hide a row's text.
const UNSAFE_CHARS = /[\p{Cc}\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/gu;

/** Remove control characters and bidi overrides; cap the length before any measuring. */
export function cleanText(s: string, maxLength: number): string {
  const cleaned = s.replace(/\r\n?/g, '\n').replace(/[^\S\n]+/g, ' ');
  const safe = cleaned.replace(UNSAFE_CHARS, (c) => (c === '\n' ? '\n' : ''));
  return safe.length > maxLength ? truncateGraphemes(safe, maxLength) : safe;
}

/** Single-line text: newlines become spaces. */
export function cleanLine(s: string, maxLength: number): string {
  return cleanText(s.replace(/\s+/g, ' '), maxLength).trim();
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** User-perceived characters: never splits an emoji ZWJ sequence or a letter from its combining marks. */
export function graphemes(s: string): string[] {
  const out: string[] = [];
  for (const g of segmenter.segment(s)) out.push(g.segment);
  return out;
}

function truncateGraphemes(s: string, maxCodeUnits: number): string {
  let out = '';
  for (const g of segmenter.segment(s)) {
    if (out.length + g.segment.length > maxCodeUnits) break;
    out += g.segment;
  }
  return out;
}

export function textWidth(ctx: CanvasRenderingContext2D, s: string): number {
  if (s.length === 0) return 0;
  const w = ctx.measureText(s).width;
  return Number.isFinite(w) ? w : 0;
}

const ELLIPSIS = '…';

/** Cut `s` to fit `maxWidth` with an ellipsis, on grapheme boundaries. */
export function ellipsize(ctx: CanvasRenderingContext2D, s: string, maxWidth: number): string {
  if (textWidth(ctx, s) <= maxWidth) return s;
  const gs = graphemes(s);
  let lo = 0;
  let hi = gs.length;
  // Largest prefix length whose text + ellipsis fits.
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (textWidth(ctx, gs.slice(0, mid).join('').trimEnd() + ELLIPSIS) <= maxWidth) lo = mid;
    else hi = mid - 1;
  }
  return lo === 0 ? ELLIPSIS : gs.slice(0, lo).join('').trimEnd() + ELLIPSIS;
}

/** Break one over-long word into pieces that each fit `maxWidth` (grapheme boundaries). */
export function breakWord(ctx: CanvasRenderingContext2D, word: string, maxWidth: number): string[] {
  const pieces: string[] = [];
  let current = '';
  for (const g of graphemes(word)) {
    if (current !== '' && textWidth(ctx, current + g) > maxWidth) {
      pieces.push(current);
      current = g;
    } else current += g;
  }
  if (current !== '') pieces.push(current);
  return pieces;
}

/** Greedy word wrap of plain text (newlines respected), at most `maxLines` (last one ellipsized). */
export function wrapText(ctx: CanvasRenderingContext2D, text: string, maxWidth: number, maxLines = Infinity): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ').filter((w) => w !== '')) {
      const candidate = line === '' ? word : `${line} ${word}`;
      if (textWidth(ctx, candidate) <= maxWidth) {
        line = candidate;
        continue;
      }
      if (line !== '') lines.push(line);
      if (textWidth(ctx, word) <= maxWidth) line = word;
      else {
        const pieces = breakWord(ctx, word, maxWidth);
        lines.push(...pieces.slice(0, -1));
        line = pieces[pieces.length - 1] ?? '';
      }
    }
    lines.push(line);
  }
  if (lines.length > maxLines) {
    const kept = lines.slice(0, maxLines);
    kept[maxLines - 1] = ellipsize(ctx, `${kept[maxLines - 1]} ${lines[maxLines]}`, maxWidth);
    return kept;
  }
  return lines;
}

export function roundRect(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number, r: number): void {
  const rr = Math.max(0, Math.min(r, w / 2, h / 2));
  ctx.beginPath();
  ctx.moveTo(x + rr, y);
  ctx.arcTo(x + w, y, x + w, y + h, rr);
  ctx.arcTo(x + w, y + h, x, y + h, rr);
  ctx.arcTo(x, y + h, x, y, rr);
  ctx.arcTo(x, y, x + w, y, rr);
  ctx.closePath();
}

/** Format a number for labels: fixed decimals, no "-0.00". */
export function fmt(v: number, digits = 3): string {
  const s = v.toFixed(digits);
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
}
