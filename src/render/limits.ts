/**
 * Input limits and checks that run on the main thread before a job is queued. Kept free of
 * MathJax and drawing code so the main thread never loads them (it loads Skia only to
 * register the fonts, pool.ts).
 */
import { RenderError } from './errors.js';

/** 12345 -> "12,345" without Intl (whose first use costs milliseconds). */
export function formatInt(n: number): string {
  const sign = n < 0 ? '-' : '';
  const digits = String(Math.trunc(Math.abs(n)));
  return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Longest TeX accepted. Longer input is refused before MathJax sees it. */
export const MAX_TEX_LENGTH = 2000;
export const MAX_CAPTION_LENGTH = 300;
/** Most points a plot job accepts (the data travels to a worker by structured clone). */
export const MAX_PLOT_POINTS = 1_000_000;

/** Definers that live in otherwise useful packages (mathtools, extpfeil, tagformat). */
const REFUSED_COMMANDS = /\\(DeclarePairedDelimiter[A-Za-z]*|Newextarrow|newtagform|renewtagform|usetagform)(?![A-Za-z])/;

/** Validate user TeX before it reaches MathJax. Returns it trimmed. */
export function checkTex(tex: unknown): string {
  if (typeof tex !== 'string') throw new RenderError('invalid-input', 'The formula must be text');
  if (tex.length > MAX_TEX_LENGTH) {
    throw new RenderError(
      'invalid-input',
      `This formula is too long (${formatInt(tex.length)} characters; the limit is ${formatInt(MAX_TEX_LENGTH)})`,
    );
  }
  const trimmed = tex.trim();
  if (trimmed === '') throw new RenderError('invalid-input', 'The formula is empty');
  const refused = REFUSED_COMMANDS.exec(trimmed);
  if (refused) throw new RenderError('tex', `\\${refused[1]} is not allowed here`);
  return trimmed;
}

function describe(v: unknown): string {
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return JSON.stringify(v.length > 20 ? `${v.slice(0, 20)}...` : v);
  return v === null ? 'null' : typeof v;
}

/**
 * Validate labels and scores and pack them into typed arrays (cheap to clone to a worker
 * and to hash). Same messages as src/metrics.
 */
export function packBinaryData(labels: unknown, scores: unknown, scoreName = 'scores'): { labels: Uint8Array; scores: Float64Array } {
  const isList = (v: unknown): v is ArrayLike<unknown> => Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
  if (!isList(labels)) throw new RenderError('invalid-input', 'labels must be an array');
  if (!isList(scores)) throw new RenderError('invalid-input', `${scoreName} must be an array`);
  const n = labels.length;
  if (n !== scores.length) throw new RenderError('invalid-input', `labels and ${scoreName} must have the same length (${n} vs ${scores.length})`);
  if (n === 0) throw new RenderError('invalid-input', 'Need at least one item to plot');
  if (n > MAX_PLOT_POINTS) {
    throw new RenderError('invalid-input', `Too many points to plot (${formatInt(n)}; the limit is ${formatInt(MAX_PLOT_POINTS)})`);
  }
  const l = new Uint8Array(n);
  const s = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const y = labels[i];
    if (y === 1 || y === true) l[i] = 1;
    else if (y !== 0 && y !== false) throw new RenderError('invalid-input', `labels[${i}] must be 0, 1, true or false (got ${describe(y)})`);
    const x = scores[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw new RenderError('invalid-input', `${scoreName}[${i}] must be a finite number (got ${describe(x)})`);
    }
    s[i] = x;
  }
  return { labels: l, scores: s };
}

/** Pasted maths delimiters, outermost first: `$$…$$` and `\[…\]` are display maths, `$…$` and `\(…\)` inline. */
const MATH_DELIMITERS: readonly { open: string; close: string; display: boolean }[] = [
  { open: '$$', close: '$$', display: true },
  { open: '\\[', close: '\\]', display: true },
  { open: '\\(', close: '\\)', display: false },
  { open: '$', close: '$', display: false },
];

/**
 * TeX as pasted from a document or a chat: when the whole text is wrapped in maths delimiters
 * (`$$…$$`, `\[…\]`, `$…$`, `\(…\)`) they are taken off, and `display` says which kind they
 * were (null when there were none). Text with delimiters inside it ("$a$ and $b$") is left
 * alone: it is not one formula.
 */
export function unwrapMath(tex: string): { tex: string; display: boolean | null } {
  const t = tex.trim();
  for (const d of MATH_DELIMITERS) {
    if (t.length < d.open.length + d.close.length + 1 || !t.startsWith(d.open) || !t.endsWith(d.close)) continue;
    const inner = t.slice(d.open.length, t.length - d.close.length);
    if (inner.trim() === '') continue;
    // Another unescaped $ (or a second \[ \( pair) inside means several formulas, not one.
    if (/(^|[^\\])\$/.test(inner) || /\\[[\]()]/.test(inner.replace(/\\\\/g, ''))) return { tex: t, display: null };
    return { tex: inner.trim(), display: d.display };
  }
  return { tex: t, display: null };
}
