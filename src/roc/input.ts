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
  const looksCsv = /\.(csv|tsv|txt)$/i.test(att.name) || /^text\/(csv|plain|tab-separated-values)/i.test(att.contentType ?? '');
  if (!looksCsv) throw new DomainError('roc.not-csv', { name: att.name.slice(0, 60) });
  if (att.size > ROC_LIMITS.maxAttachmentBytes) throw new DomainError('roc.file-too-large', { bytes: att.size, maxBytes: ROC_LIMITS.maxAttachmentBytes }, 'limit');
}


// ---------------------------------------------------------------------------------------------
// CSV files

export type Delimiter = ',' | ';' | '\t';

/** A column of the file: its header (null without a header row) and 1-based position. */
export interface CsvColumn {
  name: string | null;
  number: number;
}

/** What was read from a CSV, and how, so the reply can say which columns it used. */
export interface CsvSample extends ScoredSample {
  rows: number;
  delimiter: Delimiter;
  /** Some score was written with a decimal comma ("0,85"). */
  decimalComma: boolean;
  header: boolean;
  label: CsvColumn;
  score: CsvColumn;
  /** How the columns were found: by their header names, by elimination, or (no header) by their values. */
  chosenBy: 'name' | 'option' | 'values';
  /** A leading index column (pandas' default export, or row numbers without a header) was skipped. */
  skippedIndex: boolean;
  /** Labels were written -1/1 (read -1 as the negative class). */
  minusOneLabels: boolean;
}

/** The member's own choice of columns (the /roc options): a header name or a 1-based column number. */
export interface ColumnChoice {
  label?: string | null;
  score?: string | null;
}

/** Text of an upload: UTF-8 (a BOM is dropped later), or UTF-16 as Excel's "Unicode text" export writes it. */
export function decodeCsv(bytes: Uint8Array): string {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf[0] === 0xff && buf[1] === 0xfe) return buf.subarray(2).toString('utf16le');
  if (buf[0] === 0xfe && buf[1] === 0xff) {
    const swapped = Buffer.from(buf.subarray(2));
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  return buf.toString('utf8');
}

/** Header names (normalised: lower case, spaces/dots/dashes as `_`) that hold the labels, best first. */
const LABEL_NAMES: readonly (readonly string[])[] = [
  ['label', 'labels', 'y', 'y_true', 'ytrue', 'true', 'target', 'targets', 'class', 'truth', 'ground_truth', 'gt', 'actual', 'y_test', 'y_actual', 'true_label', 'outcome'],
];
/** …and the scores: probabilities and scores first, then predictions (y_pred may be hard 0/1 predictions). */
const SCORE_NAMES: readonly (readonly string[])[] = [
  ['score', 'scores', 'y_score', 'y_scores', 'prob', 'probs', 'proba', 'probability', 'probabilities', 'y_prob', 'y_proba', 'p', 'prob_1', 'proba_1', 'p1', 'pred_prob', 'pred_proba'],
  ['pred', 'preds', 'prediction', 'predictions', 'predicted', 'y_pred', 'y_hat', 'yhat', 'confidence', 'output', 'logit', 'logits'],
];
/** Names that are never data: row numbers. */
const INDEX_NAMES = /^(|index|idx|id|row|row_id|unnamed:_?\d+)$/;

const normalise = (name: string) => name.trim().toLowerCase().replace(/^["']|["']$/g, '').replace(/[\s.-]+/g, '_');

/** Which tier of `lists` a header name falls in (exact names, then names containing the words), or -1. */
function tierOf(name: string, lists: readonly (readonly string[])[], contains: readonly RegExp[]): number {
  const i = lists.findIndex((l) => l.includes(name));
  if (i >= 0) return i;
  const j = contains.findIndex((re) => re.test(name));
  return j >= 0 ? lists.length + j : -1;
}
const labelTier = (name: string) => tierOf(name, LABEL_NAMES, [/label|target|truth/]);
const scoreTier = (name: string) => tierOf(name, SCORE_NAMES, [/prob|score/, /pred/]);

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const DECIMAL_COMMA = /^[+-]?\d*,\d+(e[+-]?\d+)?$/i;

/** A cell as a number: dot decimals, or (when the file is not comma-separated) decimal commas; null otherwise. */
function numberOf(cell: string, decimalComma: boolean): number | null {
  const t = cell.trim().replace(/^'|'$/g, '');
  if (NUMBER.test(t)) return Number(t);
  if (decimalComma && DECIMAL_COMMA.test(t)) return Number(t.replace(',', '.'));
  return null;
}

function labelOf(cell: string): 0 | 1 | null {
  const t = cell.trim().toLowerCase().replace(/^["']|["']$/g, '');
  if (TRUE_LABELS.has(t) || t === '1.0') return 1;
  if (FALSE_LABELS.has(t) || t === '0.0') return 0;
  return null;
}

const baseOptions = (delimiter: Delimiter): Options => ({
  bom: true,
  delimiter,
  record_delimiter: ['\r\n', '\n', '\r'],
  trim: true,
  skip_empty_lines: true,
  skip_records_with_empty_values: true,
  relax_column_count: true,
  relax_quotes: true,
});

function csvRows(text: string, delimiter: Delimiter): string[][] {
  try {
    return parse(text, baseOptions(delimiter));
  } catch (err) {
    // The one refusal left with relax_quotes: a quote opened and never closed.
    if (err instanceof CsvError) throw new DomainError('roc.csv-unclosed-quote');
    throw err;
  }
}

/** The line the index-th record is on, for a refusal: read again with csv-parse's line count (3x slower, so only then). */
function lineOf(text: string, delimiter: Delimiter, index: number): number {
  const rows = parse(text, { ...baseOptions(delimiter), info: true, to: index + 1 }) as unknown as { info: { lines: number } }[];
  return rows[index]?.info.lines ?? 0;
}

/** Tab, then semicolon, then comma: the first that splits the file's first lines into the same number (≥ 2) of cells. */
const DELIMITERS: readonly Delimiter[] = ['\t', ';', ','];

/** How many times `d` separates cells on a line (outside double quotes). */
function cellBreaks(line: string, d: Delimiter): number {
  let n = 0;
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === d && !quoted) n++;
  }
  return n;
}

/**
 * The delimiter, sniffed from the first 50 non-empty lines: the one that splits every line into
 * the same number (≥ 2) of cells. A `;` file with decimal commas ("1;0,85") splits evenly on both
 * `;` and `,`; semicolon comes first, so it wins. Failing that, the one that splits most lines.
 */
export function sniffDelimiter(text: string): Delimiter {
  const lines = text.split(/\r\n|\n|\r/, 200).filter((l) => l.trim() !== '').slice(0, 50);
  const breaks = (d: Delimiter) => lines.map((l) => cellBreaks(l, d));
  const even = DELIMITERS.find((d) => {
    const b = breaks(d);
    return b.length > 0 && b[0]! >= 1 && b.every((x) => x === b[0]);
  });
  if (even) return even;
  const split = (d: Delimiter) => breaks(d).filter((x) => x >= 1).length;
  return [...DELIMITERS].sort((a, b) => split(b) - split(a))[0]!;
}

interface Table {
  text: string;
  delimiter: Delimiter;
  decimalComma: boolean;
  names: (string | null)[];
  /** Data rows (the header, if any, removed). */
  rows: string[][];
  /** Index in the parsed records of the first data row (1 with a header). */
  first: number;
  width: number;
}

const column = (t: Table, i: number) => t.rows.map((r) => r[i] ?? '');
const isLabelColumn = (t: Table, i: number) => column(t, i).every((c) => labelOf(c) !== null || isPlusMinusOne(c));
const isPlusMinusOne = (c: string) => c.trim() === '-1' || c.trim() === '+1';
const isNumberColumn = (t: Table, i: number) => column(t, i).every((c) => numberOf(c, t.decimalComma) !== null);
/** Row numbers: 0..n-1 or 1..n, as pandas and spreadsheets write them. */
const isRowNumbers = (t: Table, i: number) => {
  const cells = column(t, i);
  const start = Number(cells[0]);
  return cells.length >= 3 && (start === 0 || start === 1) && cells.every((c, k) => c.trim() === String(start + k));
};

/** The columns to read: by the member's choice, by header names, or (no header) by what they hold. */
function pickColumns(t: Table, choice: ColumnChoice): { label: number; score: number; chosenBy: CsvSample['chosenBy']; skippedIndex: boolean } {
  const all = Array.from({ length: t.width }, (_, i) => i);
  const byChoice = (given: string | null | undefined, what: 'label' | 'score'): number | null => {
    if (!given?.trim()) return null;
    const g = given.trim();
    if (/^\d+$/.test(g) && Number(g) >= 1 && Number(g) <= t.width) return Number(g) - 1;
    const i = t.names.findIndex((n) => n !== null && normalise(n) === normalise(g));
    if (i < 0) throw new DomainError('roc.csv-no-such-column', { what, given: g.slice(0, 40), columns: describeColumns(t), width: t.width, header: t.names.some((n) => n !== null) ? 1 : 0 });
    return i;
  };
  const chosenLabel = byChoice(choice.label, 'label');
  const chosenScore = byChoice(choice.score, 'score');
  if (chosenLabel !== null && chosenLabel === chosenScore) throw new DomainError('roc.csv-same-column', { column: describeColumn(t, chosenLabel) });

  // Index columns: pandas' unnamed first column, "Unnamed: 0", "index"; without a header, a first column 0..n-1 beside two others.
  const index = new Set<number>();
  if (t.names.some((n) => n !== null)) all.forEach((i) => INDEX_NAMES.test(normalise(t.names[i] ?? '')) && index.add(i));
  else if (t.width >= 3 && isRowNumbers(t, 0)) index.add(0);
  // Said in the reply only for pandas' own index (an unnamed first column), not for an "id" column.
  const skippedIndex = index.has(0) && chosenLabel !== 0 && chosenScore !== 0 && /^(|index|unnamed:_?0)$/.test(normalise(t.names[0] ?? ''));
  const data = all.filter((i) => !index.has(i) || i === chosenLabel || i === chosenScore);

  const best = (tier: (name: string) => number, except: number | null): number | null | 'ambiguous' => {
    if (!t.names.some((n) => n !== null)) return null;
    const ranked = data.filter((i) => i !== except).map((i) => ({ i, tier: tier(normalise(t.names[i] ?? '')) })).filter((x) => x.tier >= 0);
    if (ranked.length === 0) return null;
    const top = Math.min(...ranked.map((x) => x.tier));
    const winners = ranked.filter((x) => x.tier === top);
    return winners.length === 1 ? winners[0]!.i : 'ambiguous';
  };
  let label: number | null | 'ambiguous' = chosenLabel ?? best(labelTier, chosenScore);
  let score: number | null | 'ambiguous' = chosenScore ?? best(scoreTier, typeof label === 'number' ? label : null);
  const chosenBy: CsvSample['chosenBy'] = chosenLabel !== null || chosenScore !== null ? 'option' : t.names.some((n) => n !== null) ? 'name' : 'values';
  const ask = (reason: string): never => {
    throw new DomainError('roc.csv-which-columns', { reason, columns: describeColumns(t), header: t.names.some((n) => n !== null) ? 1 : 0 });
  };
  if (label === 'ambiguous') ask('several-labels');
  if (score === 'ambiguous') ask('several-scores');

  // One found, the other by elimination: the only other column that could be it.
  if (typeof label === 'number' && score === null) {
    const rest = data.filter((i) => i !== label && isNumberColumn(t, i));
    if (rest.length !== 1) ask('no-score');
    score = rest[0]!;
  } else if (typeof score === 'number' && label === null) {
    const rest = data.filter((i) => i !== score && isLabelColumn(t, i));
    if (rest.length !== 1) ask('no-label');
    label = rest[0]!;
  } else if (label === null && score === null) {
    // No names to go by: two columns, exactly one of them all 0/1.
    if (data.length !== 2) ask(data.length < 2 ? 'one-column' : 'no-names');
    const binary = data.filter((i) => isLabelColumn(t, i));
    if (binary.length !== 1) ask(binary.length === 2 ? 'both-binary' : 'no-binary');
    label = binary[0]!;
    score = data.find((i) => i !== label)!;
    return { label, score, chosenBy: 'values', skippedIndex };
  }
  return { label: label as number, score: score as number, chosenBy, skippedIndex };
}

const describeColumn = (t: Table, i: number) => (t.names[i] ? `\`${t.names[i]!.replace(/`/g, "'").slice(0, 40)}\`` : `column ${i + 1}`);
/** The columns for a refusal: "`a`, `b`, `c`" or "2 columns" (no header). */
const describeColumns = (t: Table) => (t.names.some((n) => n !== null) ? t.names.map((_, i) => describeColumn(t, i)).join(', ') : `${t.width}`);

function readTable(raw: string): Table {
  const text = raw.replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new DomainError('roc.csv-empty');
  const delimiter = sniffDelimiter(text);
  const decimalComma = delimiter !== ',';
  const records = csvRows(text, delimiter);
  if (records.length === 0) throw new DomainError('roc.csv-empty');
  // A header row has no number in it (pandas' empty index header aside); a data row always does, its score.
  const head = records[0]!;
  const header = !head.some((c) => c.trim() !== '' && numberOf(c, decimalComma) !== null) && !head.every((c) => labelOf(c) !== null);
  const rows = header ? records.slice(1) : records;
  if (rows.length === 0) throw new DomainError('roc.csv-empty');
  if (rows.length > ROC_LIMITS.maxRows) throw new DomainError('roc.csv-too-many-rows', { max: ROC_LIMITS.maxRows }, 'limit');
  const width = Math.max(header ? head.length : 0, ...rows.slice(0, 50).map((r) => r.length));
  if (width < 2) throw new DomainError('roc.csv-which-columns', { reason: 'one-column', columns: '1', header: 0 });
  const names = Array.from({ length: width }, (_, i) => (header ? (head[i] ?? '').trim() : null));
  return { text, delimiter, decimalComma, names, rows, first: header ? 1 : 0, width };
}

/**
 * A CSV of labels and scores, read the way people write them: comma, semicolon or tab
 * separated (sniffed), decimal commas in a `;` or tab file, quoted cells, a BOM, CRLF, a
 * header naming the columns in any order (label / y / y_true / target / class; score / prob /
 * y_prob / pred…), pandas' index column, or no header at all when the values leave no doubt.
 * When it cannot be sure which column is which it refuses (`roc.csv-which-columns`) rather
 * than guess: a wrong column gives a wrong AUC.
 */
export function parseCsvSample(text: string, choice: ColumnChoice = {}): CsvSample {
  const t = readTable(text);
  const { label, score, chosenBy, skippedIndex } = pickColumns(t, choice);
  const minusOne = column(t, label).some((c) => c.trim() === '-1') && column(t, label).every((c) => isPlusMinusOne(c) || c.trim() === '1');
  const labels: (0 | 1)[] = new Array(t.rows.length);
  const scores: number[] = new Array(t.rows.length);
  let decimalComma = false;
  for (let r = 0; r < t.rows.length; r++) {
    const cells = t.rows[r]!;
    const where = (): Where => ({ source: 'csv', n: lineOf(t.text, t.delimiter, t.first + r) });
    if (cells.length <= Math.max(label, score)) throw new DomainError('roc.csv-columns', { line: where().n, columns: cells.length, needed: Math.max(label, score) + 1 });
    const l = cells[label]!;
    labels[r] = minusOne ? (l.trim() === '-1' ? 0 : 1) : parseLabel(l, where);
    const s = cells[score]!;
    const value = numberOf(s, t.decimalComma);
    if (value === null || !Number.isFinite(value)) throw new DomainError('roc.bad-score', { ...where(), token: shown(s) });
    if (!decimalComma && t.decimalComma && s.includes(',')) decimalComma = true;
    scores[r] = value;
  }
  finish(labels, scores);
  const col = (i: number): CsvColumn => ({ name: t.names[i] || null, number: i + 1 });
  return { labels, scores, rows: t.rows.length, delimiter: t.delimiter, decimalComma, header: t.first === 1, label: col(label), score: col(score), chosenBy, skippedIndex, minusOneLabels: minusOne };
}
