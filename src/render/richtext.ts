/**
 * Text with inline TeX (`$...$`), display TeX (`$$...$$`), **bold**, *italic*, `code`
 * and "- " bullets, laid out in a text flow on a canvas. Formulas sit on the text
 * baseline and are never split; a formula wider than the column is shrunk to fit.
 */
import { RenderError } from './errors.js';
import { MONO_FONT_FAMILY, breakWord, font, measureContext, textWidth, type CanvasRenderingContext2D } from './draw.js';
import { drawBox, texToBox, type TexBox } from './tex.js';

export interface TextPiece {
  kind: 'text';
  text: string;
  bold: boolean;
  italic: boolean;
  code: boolean;
}

export interface MathPiece {
  kind: 'math';
  tex: string;
}

export type Piece = TextPiece | MathPiece;

export type Block =
  | { kind: 'para'; pieces: Piece[]; bullet: string | null; gapBefore: boolean }
  | { kind: 'display'; tex: string };

/** Most formulas one text may contain (each one is a MathJax run). */
export const MAX_FORMULAS_PER_TEXT = 40;

type Segment = { kind: 'text'; text: string } | { kind: 'inline'; tex: string } | { kind: 'display'; tex: string };

/** Index of the closing delimiter, skipping backslash escapes; -1 if none. */
function findClose(src: string, from: number, display: boolean): number {
  for (let i = from; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (display) {
      if (c === '$' && src[i + 1] === '$') return i;
      continue;
    }
    // Inline maths stays on one line.
    if (c === '\n') return -1;
    if (c !== '$') continue;
    // Pandoc's rule: the closing $ follows a non-space and is not followed by a digit, so
    // "$5 and $10" stays text. Any other $ ends the search: the opening one was literal.
    if (!/\s/.test(src[i - 1] ?? ' ') && !/\d/.test(src[i + 1] ?? '')) return i;
    return -1;
  }
  return -1;
}

/** Split on `$...$` and `$$...$$`. Unmatched or spaced `$` stay literal; `\$` is a dollar sign. */
export function splitMath(src: string): Segment[] {
  const out: Segment[] = [];
  let text = '';
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\\' && src[i + 1] === '$') {
      text += '$';
      i += 2;
      continue;
    }
    if (c === '$') {
      if (src[i + 1] === '$') {
        const end = findClose(src, i + 2, true);
        if (end > i + 2) {
          if (text) out.push({ kind: 'text', text });
          text = '';
          out.push({ kind: 'display', tex: src.slice(i + 2, end) });
          i = end + 2;
          continue;
        }
      } else if (src[i + 1] !== undefined && !/\s/.test(src[i + 1]!)) {
        const end = findClose(src, i + 1, false);
        if (end > i + 1) {
          if (text) out.push({ kind: 'text', text });
          text = '';
          out.push({ kind: 'inline', tex: src.slice(i + 1, end) });
          i = end + 1;
          continue;
        }
      }
    }
    text += c;
    i++;
  }
  if (text) out.push({ kind: 'text', text });
  return out;
}

interface StyleState {
  bold: boolean;
  italic: boolean;
  code: boolean;
}

/** Apply **bold**, *italic* and `code` markers to a text run, updating `state`. */
function styleText(text: string, state: StyleState): TextPiece[] {
  const out: TextPiece[] = [];
  let buf = '';
  const flush = () => {
    if (buf) out.push({ kind: 'text', text: buf, ...state });
    buf = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '`') {
      flush();
      state.code = !state.code;
      continue;
    }
    if (!state.code && c === '*' && text[i + 1] === '*') {
      flush();
      state.bold = !state.bold;
      i++;
      continue;
    }
    if (!state.code && c === '*') {
      const next = text[i + 1] ?? ' ';
      const prev = text[i - 1] ?? ' ';
      if ((!state.italic && !/\s/.test(next)) || (state.italic && !/\s/.test(prev))) {
        flush();
        state.italic = !state.italic;
        continue;
      }
    }
    buf += c;
  }
  flush();
  return out;
}

const BULLET = /^\s*(?:[-*•]|(\d{1,3})[.)])\s+/;

/** Parse text into paragraphs (one per line) and display formulas. */
export function parseRichText(src: string): Block[] {
  const blocks: Block[] = [];
  let para: Extract<Block, { kind: 'para' }> | null = null;
  let blankBefore = false;
  let atLineStart = true;
  const state: StyleState = { bold: false, italic: false, code: false };
  const endPara = () => {
    if (para && para.pieces.length > 0) blocks.push(para);
    para = null;
  };
  const current = () => {
    para ??= { kind: 'para', pieces: [], bullet: null, gapBefore: blankBefore };
    blankBefore = false;
    return para;
  };
  for (const seg of splitMath(src)) {
    if (seg.kind === 'display') {
      endPara();
      blocks.push({ kind: 'display', tex: seg.tex });
      atLineStart = true;
      continue;
    }
    if (seg.kind === 'inline') {
      current().pieces.push({ kind: 'math', tex: seg.tex });
      atLineStart = false;
      continue;
    }
    const lines = seg.text.split('\n');
    lines.forEach((line, li) => {
      if (li > 0) {
        // A new line: end the paragraph; a blank line adds a gap; emphasis does not carry over.
        const hadContent = para !== null && para.pieces.length > 0;
        endPara();
        if (!hadContent && line.trim() === '') blankBefore = true;
        atLineStart = true;
        Object.assign(state, { bold: false, italic: false, code: false });
      }
      let text = line;
      if (atLineStart) {
        if (text.trim() === '') {
          if (li > 0) blankBefore = true;
          return;
        }
        const m = BULLET.exec(text);
        if (m) {
          const p = current();
          p.bullet = m[1] ? `${m[1]}.` : '•';
          text = text.slice(m[0].length);
        } else text = text.trimStart();
        atLineStart = false;
      }
      if (text) current().pieces.push(...styleText(text, state));
    });
  }
  endPara();
  return blocks;
}

export interface RichTextStyle {
  fontSize: number;
  color: string;
  /** Formula colour (usually the text colour). */
  mathColor: string;
  /** Code colour. */
  codeColor: string;
  lineHeight: number;
}

interface TextAtom {
  kind: 'text';
  text: string;
  font: string;
  color: string;
  width: number;
  spaceBefore: boolean;
}

interface MathAtom {
  kind: 'math';
  box: TexBox;
  /** Logical px per em for this formula (shrunk if it would not fit). */
  em: number;
  width: number;
  ascent: number;
  descent: number;
  spaceBefore: boolean;
}

type Atom = TextAtom | MathAtom;

interface LaidLine {
  atoms: { atom: Atom; x: number }[];
  /** Top of the line, relative to the text block. */
  top: number;
  baseline: number;
  height: number;
  /** Center the line (display formulas). */
  centered: boolean;
  width: number;
}

export interface RichLayout {
  lines: LaidLine[];
  width: number;
  height: number;
  maxWidth: number;
  bullets: { text: string; x: number; baseline: number; font: string }[];
}

/** Math em size relative to the text font: MathJax's x-height is smaller than DejaVu's. */
const MATH_EM_RATIO = 1.12;
const BULLET_INDENT = 20;
/** Tallest a formula in running text may be (logical px); taller ones are shrunk. */
const MAX_FORMULA_HEIGHT = 400;
/** Below this many logical px per em a formula is unreadable. */
const MIN_MATH_EM = 4;

function pieceFont(p: TextPiece, size: number): string {
  if (p.code) return font(size * 0.92, 'normal', 'normal', MONO_FONT_FAMILY);
  return font(size, p.bold ? 'bold' : 'normal', p.italic ? 'italic' : 'normal');
}

function mathAtom(tex: string, style: RichTextStyle, display: boolean, maxWidth: number, spaceBefore: boolean, where: string): MathAtom {
  let box: TexBox;
  try {
    box = texToBox(tex, { display, color: style.mathColor });
  } catch (err) {
    if (err instanceof RenderError && (err.kind === 'tex' || err.kind === 'invalid-input')) {
      throw new RenderError(err.kind, `${where}: ${err.message}`, err.detail);
    }
    throw err;
  }
  const natural = style.fontSize * MATH_EM_RATIO;
  const em = Math.min(natural, maxWidth / Math.max(box.widthEm, 1e-6), MAX_FORMULA_HEIGHT / Math.max(box.heightEm, 1e-6));
  if (em < MIN_MATH_EM) throw new RenderError('too-large', `${where}: this formula is too large to draw`);
  return {
    kind: 'math',
    box,
    em,
    width: box.widthEm * em,
    ascent: box.ascentEm * em,
    descent: (box.heightEm - box.ascentEm) * em,
    spaceBefore,
  };
}

/** Measure and break text into lines of at most `maxWidth` logical px. */
export function layoutRichText(blocks: Block[], maxWidth: number, style: RichTextStyle, where = 'Formula'): RichLayout {
  const ctx = measureContext();
  const formulas = blocks.reduce(
    (n, b) => n + (b.kind === 'display' ? 1 : b.pieces.filter((p) => p.kind === 'math').length),
    0,
  );
  if (formulas > MAX_FORMULAS_PER_TEXT) {
    throw new RenderError('invalid-input', `Too many formulas in one text (${formulas}; the limit is ${MAX_FORMULAS_PER_TEXT})`);
  }
  const size = style.fontSize;
  const textAscent = size * 0.95;
  const textDescent = size * 0.28;
  const lineGap = size * (style.lineHeight - 1.23);
  ctx.font = font(size);
  const space = textWidth(ctx, ' ');

  const lines: LaidLine[] = [];
  const bullets: RichLayout['bullets'] = [];
  let y = 0;
  let formulaIndex = 0;

  const finishLine = (atoms: Atom[], indent: number, centered: boolean) => {
    let x = indent;
    let ascent = textAscent;
    let descent = textDescent;
    const placed: LaidLine['atoms'] = [];
    atoms.forEach((a, i) => {
      if (i > 0 && a.spaceBefore) x += space;
      placed.push({ atom: a, x });
      x += a.width;
      if (a.kind === 'math') {
        ascent = Math.max(ascent, a.ascent);
        descent = Math.max(descent, a.descent);
      }
    });
    const top = y;
    const height = ascent + descent + lineGap;
    lines.push({ atoms: placed, top, baseline: top + lineGap / 2 + ascent, height, centered, width: x });
    y += height;
    return lines[lines.length - 1]!;
  };

  blocks.forEach((block, bi) => {
    if (block.kind === 'display') {
      formulaIndex++;
      if (bi > 0) y += size * 0.3;
      const atom = mathAtom(block.tex, style, true, maxWidth, false, `${where} ${formulaIndex}`);
      finishLine([atom], 0, true);
      y += size * 0.3;
      return;
    }
    if (block.gapBefore && bi > 0) y += size * 0.6;
    const indent = block.bullet ? BULLET_INDENT : 0;
    const width = maxWidth - indent;
    const atoms: Atom[] = [];
    let pendingSpace = false;
    for (const piece of block.pieces) {
      if (piece.kind === 'math') {
        formulaIndex++;
        atoms.push(mathAtom(piece.tex, style, false, width, pendingSpace, `${where} ${formulaIndex}`));
        pendingSpace = false;
        continue;
      }
      const f = pieceFont(piece, size);
      ctx.font = f;
      const parts = piece.text.split(/( +)/);
      for (const part of parts) {
        if (part === '') continue;
        if (part.trim() === '') {
          pendingSpace = true;
          continue;
        }
        const color = piece.code ? style.codeColor : style.color;
        const w = textWidth(ctx, part);
        if (w <= width) atoms.push({ kind: 'text', text: part, font: f, color, width: w, spaceBefore: pendingSpace });
        else {
          breakWord(ctx, part, width).forEach((chunk, ci) =>
            atoms.push({ kind: 'text', text: chunk, font: f, color, width: textWidth(ctx, chunk), spaceBefore: ci === 0 ? pendingSpace : true }),
          );
        }
        pendingSpace = false;
      }
    }
    // Greedy fill; only break where there was a space, unless a glued run is wider than the line.
    let line: Atom[] = [];
    let x = 0;
    const firstLineIndex = lines.length;
    for (const atom of atoms) {
      const gap = line.length > 0 && atom.spaceBefore ? space : 0;
      if (line.length > 0 && x + gap + atom.width > width) {
        let cut = line.length;
        if (!atom.spaceBefore) {
          // Move the glued run (e.g. "$x$,") to the next line with this atom.
          let k = line.length - 1;
          while (k > 0 && !line[k]!.spaceBefore) k--;
          if (k > 0) cut = k;
        }
        const carry = line.slice(cut);
        finishLine(line.slice(0, cut), indent, false);
        line = carry;
        x = carry.reduce((s, a, i) => s + a.width + (i > 0 && a.spaceBefore ? space : 0), 0);
      }
      x += (line.length > 0 && atom.spaceBefore ? space : 0) + atom.width;
      line.push(atom);
    }
    if (line.length > 0) finishLine(line, indent, false);
    if (block.bullet && lines[firstLineIndex]) {
      bullets.push({ text: block.bullet, x: 4, baseline: lines[firstLineIndex]!.baseline, font: font(size) });
    }
  });

  const width = Math.min(maxWidth, Math.max(0, ...lines.map((l) => l.width)));
  return { lines, width, height: y, maxWidth, bullets };
}

/** Draw a laid-out text with its top-left at logical (x, y). */
export function drawRichText(ctx: CanvasRenderingContext2D, layout: RichLayout, x: number, y: number, scale: number, style: RichTextStyle): void {
  ctx.save();
  ctx.textAlign = 'left';
  ctx.textBaseline = 'alphabetic';
  for (const b of layout.bullets) {
    ctx.font = b.font;
    ctx.fillStyle = style.color;
    ctx.fillText(b.text, x + b.x, y + b.baseline);
  }
  for (const line of layout.lines) {
    const offset = line.centered ? (layout.maxWidth - line.width) / 2 : 0;
    for (const { atom, x: ax } of line.atoms) {
      if (atom.kind === 'text') {
        ctx.font = atom.font;
        ctx.fillStyle = atom.color;
        ctx.fillText(atom.text, x + offset + ax, y + line.baseline);
      } else {
        drawBox(ctx, atom.box, x + offset + ax, y + line.baseline - atom.ascent, atom.em, scale);
      }
    }
  }
  ctx.restore();
}
