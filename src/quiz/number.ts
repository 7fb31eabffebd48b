import { dropLoneSurrogates } from './text.js';

/** Reading a number typed by a person. Never throws. */
export type ParsedNumber = { ok: true; value: number } | { ok: false; reason: string };

export const NUMBER_HINT = 'try 0.75, 3/4 or 75%';

/** Longer input is refused outright: no number anyone types is this long. */
const MAX_NUMBER_CHARS = 200;

// A decimal number: optional sign, digits with optional thousands commas, optional fraction, optional exponent.
const NUM = String.raw`[+-]?\s*(?=\.?\d)(?:\d{1,3}(?:,\d{3})+(?![\d,])|\d+)?(?:\.\d*)?(?:e[+-]?\d+)?`;
const SCI = String.raw`\s*[x×*·]\s*10\s*(?:\^|\*\*)\s*\(?\s*([+-]?\d+)\s*\)?`;
const PLAIN_RE = new RegExp(String.raw`^(${NUM})(?:${SCI})?\s*(%)?$`, 'i');
const FRACTION_RE = new RegExp(String.raw`^(${NUM})\s*[/⁄÷]\s*(${NUM})$`, 'i');

// Decimal digits of other scripts that NFKC leaves alone (it already maps full-width digits).
const DIGIT_ZEROS = [0x0660, 0x06f0, 0x0966, 0x09e6, 0x0e50];

function asciiDigits(s: string): string {
  return s.replace(/\p{Nd}/gu, (ch) => {
    const cp = ch.codePointAt(0) as number;
    for (const zero of DIGIT_ZEROS) if (cp >= zero && cp <= zero + 9) return String(cp - zero);
    return ch;
  });
}

/** Quotes user text back safely: short, one line, no pings (@everyone), no code spans, no broken surrogates. */
export function quoteForMessage(text: string, max = 40): string {
  const chars = Array.from(dropLoneSurrogates(text).replace(/\p{Cc}|\p{Cf}/gu, ' ').replace(/\s+/g, ' ').trim());
  const cut = chars.length > max ? `${chars.slice(0, max).join('')}…` : chars.join('');
  return cut.replace(/`/g, "'").replace(/@/g, '@\u200b').replace(/</g, '‹');
}

function toNumber(raw: string): number {
  return Number(raw.replace(/[\s,]/g, ''));
}

/**
 * Reads a number as people type it: `0.75`, `.75`, `3/4`, `75%`, `7.5e-1`, `7.5 × 10^-1`,
 * `-0.2` (also with a Unicode minus), `1,234.5`, a leading `≈`, `~` or `=`, surrounding
 * spaces and Markdown (`**0.75**`, `` `0.75` ``, `$0.75$`), full-width or Arabic-Indic digits.
 * Unreadable input gives a reason fit to show the user as it is: one whole sentence, which
 * callers show alone (never after a lead-in of their own, which would say it twice).
 */
export function parseNumber(text: string): ParsedNumber {
  if (typeof text !== 'string') return { ok: false, reason: `Type a number — ${NUMBER_HINT}.` };
  if (text.length > MAX_NUMBER_CHARS) {
    return { ok: false, reason: `That's too long to be a number — ${NUMBER_HINT}.` };
  }
  let s = dropLoneSurrogates(text).normalize('NFKC').replace(/\p{Cf}/gu, '');
  s = asciiDigits(s).replace(/\u066b/g, '.').replace(/\u066c/g, ',').replace(/[\p{Zs}\t\r\n]+/gu, ' ').replace(/[−–‐‑]/g, '-').trim();
  // Markdown wrappers people paste: **0.75**, `0.75`, $0.75$, \(0.75\).
  s = s.replace(/^(?:\\\(|[*_`$]+)\s*/, '').replace(/\s*(?:\\\)|[*_`$]+)$/, '').trim();
  s = s.replace(/^(?:≈|~|≃|≅|=|approx\.?|about|around)\s*/i, '').trim();
  // A sentence-ending full stop after a number or percent sign.
  s = s.replace(/(?<=[\d%])\s*[.!]$/, '').trim();
  if (s === '') return { ok: false, reason: `Type a number — ${NUMBER_HINT}.` };

  const plain = PLAIN_RE.exec(s);
  if (plain) {
    let value = toNumber(plain[1] as string);
    if (plain[2] !== undefined) value *= 10 ** Number(plain[2]);
    if (plain[3] !== undefined) value /= 100;
    return finite(value, text);
  }
  const fraction = FRACTION_RE.exec(s);
  if (fraction) {
    const num = toNumber(fraction[1] as string);
    const den = toNumber(fraction[2] as string);
    if (den === 0) return { ok: false, reason: `"${quoteForMessage(text)}" divides by zero — ${NUMBER_HINT}.` };
    return finite(num / den, text);
  }
  if (/^[+-]?\d+,\d{1,2}$|^[+-]?\d*,\d+$|\d,\d{4,}/.test(s)) {
    const dotted = quoteForMessage(s.replace(/,(?=\d*$)/, '.'));
    return { ok: false, reason: `I couldn't read "${quoteForMessage(text)}" as a number — use a dot for decimals, like ${dotted}.` };
  }
  return { ok: false, reason: `I couldn't read "${quoteForMessage(text)}" as a number — ${NUMBER_HINT}.` };
}

function finite(value: number, text: string): ParsedNumber {
  if (!Number.isFinite(value)) return { ok: false, reason: `"${quoteForMessage(text)}" is too large a number — ${NUMBER_HINT}.` };
  return { ok: true, value: value === 0 ? 0 : value };
}

/** Formats a number for messages: up to `significant` significant digits, no trailing zeros, no exponent for ordinary sizes. */
export function formatNumber(value: number, significant = 6): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1e-4 && abs < 1e15) {
    const decimals = Math.max(0, significant - 1 - Math.floor(Math.log10(abs)));
    return String(Number(value.toFixed(Math.min(decimals, 20))));
  }
  return String(Number(value.toPrecision(significant)));
}
