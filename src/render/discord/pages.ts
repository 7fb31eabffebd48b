/**
 * Long bank or drill text (Markdown with TeX) split into pages that each fit one card: at
 * most `chars` characters once made readable, and at most `formulas` formula images (a
 * message carries at most 10 attachments). Pages break between paragraphs, else between
 * sentences, else between words, and never inside a formula, so every page can be typeset
 * on its own (its formulas numbered from 1) and nothing is cut mid-word or lost.
 */
import { readable, segments } from '../readable.js';

export interface PageLimits {
  /** Most characters of readable text on a page. */
  chars: number;
  /** Most formula images on a page. */
  formulas: number;
}

/** Where the maths lies in `text`, found by readable()'s own reader (same delimiter rules). */
function mathRanges(text: string): [number, number][] {
  const ranges: [number, number][] = [];
  let at = 0;
  for (const seg of segments(text)) {
    const length = seg.kind === 'text' || seg.kind === 'code' ? seg.s.length : seg.raw.length;
    if (seg.kind === 'inline' || seg.kind === 'display') ranges.push([at, at + length]);
    at += length;
  }
  return ranges;
}

interface Unit {
  source: string;
  /** What joins it to the unit before it on the same page. */
  joiner: string;
  chars: number;
  formulas: number;
}

const measure = (source: string, joiner: string): Unit => {
  const r = readable(source);
  return { source, joiner, chars: r.text.length, formulas: r.formulas.length };
};

/** `text` split after each match of `boundary` that lies outside maths; the pieces keep their text. */
function splitOutsideMaths(text: string, boundary: RegExp): string[] {
  const maths = mathRanges(text);
  const inside = (i: number) => maths.some(([a, b]) => i > a && i < b);
  const pieces: string[] = [];
  let from = 0;
  for (const m of text.matchAll(boundary)) {
    if (inside(m.index)) continue;
    const end = m.index + m[0].length;
    const piece = text.slice(from, m.index).trim();
    if (piece) pieces.push(piece);
    from = end;
  }
  const rest = text.slice(from).trim();
  if (rest) pieces.push(rest);
  return pieces;
}

const fits = (u: Unit, limits: PageLimits) => u.chars <= limits.chars && u.formulas <= limits.formulas;

/** Units small enough for a page: paragraphs, else their sentences, else their words. */
function units(source: string, limits: PageLimits): Unit[] {
  const out: Unit[] = [];
  const levels: [RegExp, string][] = [
    [/\n{2,}/g, '\n\n'],
    [/\n/g, '\n'],
    [/(?<=[.!?:;])\s+/g, ' '],
    [/\s+/g, ' '],
  ];
  const walk = (text: string, joiner: string, level: number) => {
    const u = measure(text, joiner);
    const next = levels[level];
    if (fits(u, limits) || !next) {
      out.push(u);
      return;
    }
    const pieces = splitOutsideMaths(text, next[0]);
    if (pieces.length <= 1) return walk(text, joiner, level + 1);
    pieces.forEach((p, i) => walk(p, i === 0 ? joiner : next[1], level + 1));
  };
  walk(source.trim(), '', 0);
  return out;
}

/** The source split into pages (each a piece of the source, TeX intact). Always at least one page. */
export function splitPages(source: string, limits: PageLimits): string[] {
  const pages: { source: string; chars: number; formulas: number }[] = [];
  let page: { source: string; chars: number; formulas: number } | null = null;
  for (const u of units(source, limits)) {
    if (page && page.chars + u.joiner.length + u.chars <= limits.chars && page.formulas + u.formulas <= limits.formulas) {
      page.source += u.joiner + u.source;
      page.chars += u.joiner.length + u.chars;
      page.formulas += u.formulas;
    } else {
      page = { source: u.source, chars: u.chars, formulas: u.formulas };
      pages.push(page);
    }
  }
  return pages.length ? pages.map((p) => p.source) : [''];
}
