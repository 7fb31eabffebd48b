import type { ErrorParams, Phrasebook } from '../../platform/errors.js';

/** A refused value as the member typed it: at most 20 characters, in code style. */
function show(token: string): string {
  const clean = token.replace(/[`\n\r]/g, '').slice(0, 20);
  return `\`${clean}${token.length > 20 ? '…' : ''}\``;
}

const where = (p: ErrorParams, what: 'label' | 'score') => (p.source === 'csv' ? `line ${p.n}'s ${what}` : `${what} #${p.n}`);
const count = (n: string | number) => Number(n).toLocaleString('en-US');
const mb = (bytes: string | number) => Number(bytes) / 1024 / 1024;

/** The words for /roc's refusals. */
export const rocPhrases: Phrasebook = {
  'roc.no-input': () => 'Give both `labels` and `scores` (comma or space separated), or attach a CSV file with columns label,score.',
  'roc.count-mismatch': (p) => `There are ${p.labels} labels but ${p.scores} scores: each label needs exactly one score.`,
  'roc.too-many-points': (p) => `At most ${count(p.max!)} points, please.`,
  'roc.bad-label': (p) => `Labels must be 0 or 1 (or true/false); ${where(p, 'label')} is ${show(String(p.token))}.`,
  'roc.bad-score': (p) => `Scores must be numbers; ${where(p, 'score')} is ${show(String(p.token))}.`,
  'roc.one-class': (p) => `All ${p.count} labels are ${p.label}. A ROC curve needs both classes: at least one positive (1) and one negative (0).`,
  'roc.not-csv': (p) => `\`${p.name}\` is not a CSV file. Attach a .csv with two columns: label,score.`,
  'roc.file-too-large': (p) => `That file is ${mb(p.bytes!).toFixed(1)} MB; the limit is ${mb(p.maxBytes!)} MB.`,
  'roc.csv-columns': (p) => `Line ${p.line} has ${p.columns} column; each row needs two: label,score.`,
  'roc.csv-too-many-rows': (p) => `The file has more than ${count(p.max!)} rows; the limit is ${count(p.max!)}.`,
  'roc.csv-empty': () => 'The file has no data rows. Each row should be label,score, e.g. `1,0.93`.',
  'roc.csv-unclosed-quote': () => `The file could not be read as CSV: a quote (") is opened and never closed. Each row should be label,score, e.g. \`1,0.93\`.`,
};
