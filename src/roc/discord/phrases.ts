import type { ErrorParams, Phrasebook } from '../../platform/errors.js';
import { count } from '../../platform/discord/text.js';

/** A refused value as the member typed it: at most 20 characters, in code style. */
function show(token: string): string {
  const clean = token.replace(/[`\n\r]/g, '').slice(0, 20);
  if (clean.trim() === '') return 'empty';
  return `\`${clean}${token.length > 20 ? '…' : ''}\``;
}

const where = (p: ErrorParams, what: 'label' | 'score') => (p.source === 'csv' ? `line ${p.n}'s ${what}` : `${what} #${p.n}`);
const thousands = (n: string | number) => Number(n).toLocaleString('en-US');
const mb = (bytes: string | number) => Number(bytes) / 1024 / 1024;

/** How to tell /roc which columns to read, for every refusal that could not tell. */
const PICK = 'name them in a header row such as `label,score`, or pick them with the `label_column` and `score_column` options (a header name or a column number).';

const ONE_COLUMN = 'The file has only one column, and I need a label column and a score column separated by commas, semicolons or tabs.';

/** Why the columns of a CSV were not clear, by `roc.csv-which-columns`'s reason. */
function unclearColumns(p: ErrorParams): string {
  const columns = String(p.columns);
  if (Number(p.header) === 0) {
    const headerless: Record<string, string> = {
      'both-binary': "The file has no header row and both columns hold only 0s and 1s, so I can't tell the labels from the scores",
      'no-binary': "The file has no header row and neither column holds only 0/1 labels, so I can't tell which one is the labels",
      'no-names': `The file has no header row and ${count(Number(columns), 'column')}, so I can't tell which are the labels and the scores`,
    };
    if (p.reason === 'one-column') return ONE_COLUMN;
    return `${headerless[String(p.reason)] ?? headerless['no-names']!}; ${PICK}`;
  }
  const found: Record<string, string> = {
    'several-labels': 'more than one column looks like the labels',
    'several-scores': 'more than one column looks like the scores',
    'no-label': 'no column is named like labels (label, y, y_true, target, class…) and no other column holds only 0/1',
    'no-score': 'no column is named like scores (score, prob, y_prob, pred…) and no other column holds only numbers',
    'no-names': 'no column is named like labels or scores',
  };
  if (p.reason === 'one-column') return ONE_COLUMN;
  return `I can't tell which columns to use, as ${found[String(p.reason)] ?? found['no-names']!} (the columns are ${columns}); ${PICK}`;
}

/** The words for /roc's refusals. */
export const rocPhrases: Phrasebook = {
  'roc.no-input': () => 'Give both `labels` and `scores` (comma or space separated), or attach a CSV file with a label column and a score column.',
  'roc.count-mismatch': (p) => `There are ${count(Number(p.labels), 'label')} but ${count(Number(p.scores), 'score')}: each label needs exactly one score.`,
  'roc.too-many-points': (p) => `At most ${thousands(p.max!)} points, please.`,
  'roc.bad-label': (p) => `Labels must be 0 or 1 (or true/false, yes/no, pos/neg); ${where(p, 'label')} is ${show(String(p.token))}.`,
  'roc.bad-score': (p) => `Scores must be numbers; ${where(p, 'score')} is ${show(String(p.token))}.`,
  'roc.one-class': (p) =>
    `${Number(p.count) === 1 ? `There is only one label, ${p.label}` : `All ${thousands(p.count!)} labels are ${p.label}`}, and a ROC curve needs both classes: at least one positive (1) and one negative (0).`,
  'roc.not-csv': (p) => `\`${p.name}\` is not a CSV file; attach a .csv with a label column and a score column.`,
  'roc.file-too-large': (p) => `That file is ${mb(p.bytes!).toFixed(1)} MB; the limit is ${mb(p.maxBytes!)} MB.`,
  'roc.csv-columns': (p) => `Line ${p.line} has ${count(Number(p.columns), 'cell')}, but the columns I read need ${p.needed}.`,
  'roc.csv-too-many-rows': (p) => `The file has more than ${thousands(p.max!)} rows, the most I read at once.`,
  'roc.csv-empty': () => 'The file has no data rows; give a header row and one row per item, e.g. `label,score` then `1,0.93`.',
  'roc.csv-unclosed-quote': () => 'The file could not be read as CSV: a quote (") is opened and never closed.',
  'roc.csv-which-columns': unclearColumns,
  'roc.csv-no-such-column': (p) =>
    Number(p.header) === 0
      ? `The file has no header row, so give the ${p.what} column as a number from 1 to ${p.width} (not \`${p.given}\`).`
      : `There is no column \`${p.given}\` for the ${p.what}s; the columns are ${p.columns}.`,
  'roc.csv-same-column': (p) => `The labels and the scores can't both come from ${p.column}.`,
};
