import { UserError } from '../platform/errors.js';

/** Limits for user-supplied ROC data. */
export const ROC_LIMITS = {
  maxRows: 100_000,
  maxAttachmentBytes: 4 * 1024 * 1024,
} as const;

export interface ScoredSample {
  labels: (0 | 1)[];
  scores: number[];
}

const TRUE_LABELS = new Set(['1', 'true', 't', 'yes', 'y', 'pos', 'positive']);
const FALSE_LABELS = new Set(['0', 'false', 'f', 'no', 'n', 'neg', 'negative']);

function splitList(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
}

function show(token: string): string {
  const clean = token.replace(/[`\n\r]/g, '').slice(0, 20);
  return `\`${clean}${token.length > 20 ? '…' : ''}\``;
}

function parseLabel(token: string, where: string): 0 | 1 {
  const t = token.trim().toLowerCase().replace(/^["']|["']$/g, '');
  if (TRUE_LABELS.has(t) || t === '1.0') return 1;
  if (FALSE_LABELS.has(t) || t === '0.0') return 0;
  throw new UserError(`Labels must be 0 or 1 (or true/false); ${where} is ${show(token)}.`);
}

function parseScore(token: string, where: string): number {
  const t = token.trim().replace(/^["']|["']$/g, '');
  const value = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t) ? Number(t) : Number.NaN;
  if (!Number.isFinite(value)) throw new UserError(`Scores must be numbers; ${where} is ${show(token)}.`);
  return value;
}

function finish(labels: (0 | 1)[], scores: number[]): ScoredSample {
  const positives = labels.reduce<number>((n, l) => n + l, 0);
  if (positives === 0 || positives === labels.length) {
    throw new UserError(
      `All ${labels.length} labels are ${positives === 0 ? '0' : '1'}. A ROC curve needs both classes: at least one positive (1) and one negative (0).`,
    );
  }
  return { labels, scores };
}

/** Labels and scores typed as text: "1 0 1 1" and "0.9, 0.2, 0.7, 0.4". */
export function parseTextSample(labelsText: string, scoresText: string): ScoredSample {
  const labelTokens = splitList(labelsText);
  const scoreTokens = splitList(scoresText);
  if (labelTokens.length === 0 || scoreTokens.length === 0) {
    throw new UserError('Give both `labels` and `scores` (comma or space separated), or attach a CSV file with columns label,score.');
  }
  if (labelTokens.length !== scoreTokens.length) {
    throw new UserError(`There are ${labelTokens.length} labels but ${scoreTokens.length} scores: each label needs exactly one score.`);
  }
  if (labelTokens.length > ROC_LIMITS.maxRows) throw new UserError(`At most ${ROC_LIMITS.maxRows.toLocaleString('en-US')} points, please.`, 'limit');
  const labels = labelTokens.map((t, i) => parseLabel(t, `label #${i + 1}`));
  const scores = scoreTokens.map((t, i) => parseScore(t, `score #${i + 1}`));
  return finish(labels, scores);
}

/** Checks an attachment's name, type and size before it is downloaded. */
export function checkCsvAttachment(att: { name: string; size: number; contentType: string | null }): void {
  const looksCsv = /\.(csv|txt)$/i.test(att.name) || /^text\/(csv|plain)/i.test(att.contentType ?? '');
  if (!looksCsv) throw new UserError(`\`${att.name.slice(0, 60)}\` is not a CSV file. Attach a .csv with two columns: label,score.`);
  if (att.size > ROC_LIMITS.maxAttachmentBytes) {
    throw new UserError(`That file is ${(att.size / 1024 / 1024).toFixed(1)} MB; the limit is ${ROC_LIMITS.maxAttachmentBytes / 1024 / 1024} MB.`, 'limit');
  }
}

/** A CSV with columns label,score (header optional; comma, semicolon or tab separated). */
export function parseCsvSample(text: string): ScoredSample {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const labels: (0 | 1)[] = [];
  const scores: number[] = [];
  let first = true;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    const cells = line.split(/[,;\t]/).map((c) => c.trim());
    if (first) {
      first = false;
      // A header row: the first non-empty row whose second cell is not a number.
      if (cells.length >= 2 && !Number.isFinite(Number(cells[1])) && /[a-z]/i.test(cells[1] ?? '')) continue;
    }
    if (cells.length < 2) throw new UserError(`Line ${i + 1} has ${cells.length} column; each row needs two: label,score.`);
    if (labels.length >= ROC_LIMITS.maxRows) {
      throw new UserError(`The file has more than ${ROC_LIMITS.maxRows.toLocaleString('en-US')} rows; the limit is ${ROC_LIMITS.maxRows.toLocaleString('en-US')}.`, 'limit');
    }
    labels.push(parseLabel(cells[0]!, `line ${i + 1}'s label`));
    scores.push(parseScore(cells[1]!, `line ${i + 1}'s score`));
  }
  if (labels.length === 0) throw new UserError('The file has no data rows. Each row should be label,score, e.g. `1,0.93`.');
  return finish(labels, scores);
}
