import { CsvError, parse, type Options } from 'csv-parse/sync';
import { DomainError } from '../platform/errors.js';

/** Limits for user-supplied ROC data. */
export const ROC_LIMITS = {
  maxRows: 100_000,
  maxAttachmentBytes: 4 * 1024 * 1024,
} as const;

export interface ScoredSample {
  labels: (0 | 1)[];
  scores: number[];
}

/** Where a refused value was: the n-th typed label or score, or a line of the CSV. */
type Where = { source: 'text' | 'csv'; n: number };

const TRUE_LABELS = new Set(['1', 'true', 't', 'yes', 'y', 'pos', 'positive']);
const FALSE_LABELS = new Set(['0', 'false', 'f', 'no', 'n', 'neg', 'negative']);

function splitList(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
}

// The phrasebook shows at most 20 characters of a refused value; this keeps the log short.
const shown = (token: string) => token.slice(0, 100);

/** `where` is asked only for a refusal: a CSV row's line number costs a second read of the file. */
function parseLabel(token: string, where: () => Where): 0 | 1 {
  const t = token.trim().toLowerCase().replace(/^["']|["']$/g, '');
  if (TRUE_LABELS.has(t) || t === '1.0') return 1;
  if (FALSE_LABELS.has(t) || t === '0.0') return 0;
  throw new DomainError('roc.bad-label', { ...where(), token: shown(token) });
}

function parseScore(token: string, where: () => Where): number {
  const t = token.trim().replace(/^["']|["']$/g, '');
  const value = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t) ? Number(t) : Number.NaN;
  if (!Number.isFinite(value)) throw new DomainError('roc.bad-score', { ...where(), token: shown(token) });
  return value;
}

function finish(labels: (0 | 1)[], scores: number[]): ScoredSample {
  const positives = labels.reduce<number>((n, l) => n + l, 0);
  if (positives === 0 || positives === labels.length) throw new DomainError('roc.one-class', { count: labels.length, label: positives === 0 ? 0 : 1 });
  return { labels, scores };
}

/** Labels and scores typed as text: "1 0 1 1" and "0.9, 0.2, 0.7, 0.4". */
export function parseTextSample(labelsText: string, scoresText: string): ScoredSample {
  const labelTokens = splitList(labelsText);
  const scoreTokens = splitList(scoresText);
  if (labelTokens.length === 0 || scoreTokens.length === 0) throw new DomainError('roc.no-input');
  if (labelTokens.length !== scoreTokens.length) throw new DomainError('roc.count-mismatch', { labels: labelTokens.length, scores: scoreTokens.length });
  if (labelTokens.length > ROC_LIMITS.maxRows) throw new DomainError('roc.too-many-points', { max: ROC_LIMITS.maxRows }, 'limit');
  const labels = labelTokens.map((t, i) => parseLabel(t, () => ({ source: 'text', n: i + 1 })));
  const scores = scoreTokens.map((t, i) => parseScore(t, () => ({ source: 'text', n: i + 1 })));
  return finish(labels, scores);
}

/** Checks an attachment's name, type and size before it is downloaded. */
export function checkCsvAttachment(att: { name: string; size: number; contentType: string | null }): void {
  const looksCsv = /\.(csv|txt)$/i.test(att.name) || /^text\/(csv|plain)/i.test(att.contentType ?? '');
  if (!looksCsv) throw new DomainError('roc.not-csv', { name: att.name.slice(0, 60) });
  if (att.size > ROC_LIMITS.maxAttachmentBytes) throw new DomainError('roc.file-too-large', { bytes: att.size, maxBytes: ROC_LIMITS.maxAttachmentBytes }, 'limit');
}

/**
 * How the CSV is read: comma, semicolon and tab all separate cells (a file may mix them), cells
 * are trimmed, blank lines skipped, and rows may have any number of cells.
 */
const CSV_OPTIONS: Options = {
  bom: true,
  delimiter: [',', ';', '\t'],
  record_delimiter: ['\r\n', '\n', '\r'],
  trim: true,
  skip_empty_lines: true,
  relax_column_count: true,
  relax_quotes: true,
};

function csvRows(text: string): string[][] {
  try {
    return parse(text, CSV_OPTIONS);
  } catch (err) {
    // The one refusal left with relax_quotes: a quote opened and never closed.
    if (err instanceof CsvError) throw new DomainError('roc.csv-unclosed-quote');
    throw err;
  }
}

/** The line the index-th row is on, for a refusal: read again with csv-parse's line count (3x slower, so only then). */
function lineOf(text: string, index: number): number {
  const rows = parse(text, { ...CSV_OPTIONS, info: true, to: index + 1 }) as unknown as { info: { lines: number } }[];
  return rows[index]?.info.lines ?? 0;
}

/** A CSV with columns label,score (header optional; comma, semicolon or tab separated). */
export function parseCsvSample(text: string): ScoredSample {
  const rows = csvRows(text);
  // A header row: the first row whose second cell is not a number.
  const head = rows[0];
  const start = head && head.length >= 2 && !Number.isFinite(Number(head[1])) && /[a-z]/i.test(head[1] ?? '') ? 1 : 0;
  const labels: (0 | 1)[] = [];
  const scores: number[] = [];
  for (let i = start; i < rows.length; i++) {
    const cells = rows[i]!;
    const where = (): Where => ({ source: 'csv', n: lineOf(text, i) });
    if (cells.length < 2) throw new DomainError('roc.csv-columns', { line: where().n, columns: cells.length });
    if (labels.length >= ROC_LIMITS.maxRows) throw new DomainError('roc.csv-too-many-rows', { max: ROC_LIMITS.maxRows }, 'limit');
    labels.push(parseLabel(cells[0]!, where));
    scores.push(parseScore(cells[1]!, where));
  }
  if (labels.length === 0) throw new DomainError('roc.csv-empty');
  return finish(labels, scores);
}
