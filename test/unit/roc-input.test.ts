import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rocAuc } from '../../src/metrics/curves.js';
import { rocPhrases } from '../../src/roc/discord/phrases.js';
import { csvReadLine } from '../../src/roc/discord/views.js';
import { ROC_LIMITS, checkCsvAttachment, decodeCsv, parseCsvSample, parseTextSample, sniffDelimiter, type ColumnChoice } from '../../src/roc/input.js';
import { refusal } from '../support/phrases.js';

const refused = (fn: () => unknown) => refusal(rocPhrases, fn);
const fixture = (name: string) => decodeCsv(readFileSync(path.join(import.meta.dirname, '../fixtures/roc', name)));
const read = (name: string, choice?: ColumnChoice) => parseCsvSample(fixture(name), choice);

// The six-row sample most fixtures hold: positives 0.9, 0.65, 0.8; negatives 0.2, 0.7, 0.1 → 8 of 9 pairs ranked right.
const SIX = { labels: [1, 0, 1, 0, 1, 0], scores: [0.9, 0.2, 0.65, 0.7, 0.8, 0.1] };

describe('/roc text input', () => {
  it('reads comma or space separated labels and scores, true/false too', () => {
    expect(parseTextSample('1 0, 1 true false', '0.9 0.1 .5 7e-1 0')).toEqual({ labels: [1, 0, 1, 1, 0], scores: [0.9, 0.1, 0.5, 0.7, 0] });
  });

  it.each([
    ['1 0 1', '0.5 0.2', /^There are 3 labels but 2 scores/],
    ['1', '0.5 0.2', /^There are 1 label but 2 scores/],
    ['1 0', '0.5 abc', /Scores must be numbers; score #2 is `abc`/],
    ['1 2', '0.5 0.2', /Labels must be 0 or 1 \(or true\/false, yes\/no, pos\/neg\); label #2 is `2`/],
    ['1 1 1', '0.5 0.2 0.3', /^All 3 labels are 1, and a ROC curve needs both classes/],
    ['', '', /Give both `labels` and `scores`/],
    ['1 0', 'NaN 0.2', /Scores must be numbers/],
  ])('explains %s / %s', (labels, scores, message) => {
    expect(refused(() => parseTextSample(labels, scores))).toMatch(message);
  });
});

describe('/roc CSV files', () => {
  it.each([
    ['comma.csv', ',', 'label', 'score', 'Read 6 rows: labels from `label`, scores from `score`.'],
    ['tab.tsv', '\t', 'y', 'prob', 'Read 6 rows: labels from `y`, scores from `prob` (tab-separated).'],
    ['pandas-index.csv', ',', 'y_true', 'y_prob', 'Read 6 rows: labels from `y_true`, scores from `y_prob` (pandas index column skipped).'],
    ['score-label-order.csv', ',', 'label', 'score', 'Read 6 rows: labels from `label`, scores from `score`.'],
    // BOM, CRLF, every cell quoted, a quoted comma and doubled quotes in a third column, true/false labels.
    ['quoted.csv', ',', 'Target', 'Predicted Probability', 'Read 6 rows: labels from `Target`, scores from `Predicted Probability`.'],
    // Excel's "Unicode text": UTF-16 with a BOM, tabs, decimal commas.
    ['excel-unicode-text.txt', '\t', 'label', 'score', 'Read 6 rows: labels from `label`, scores from `score` (tab-separated, decimal commas).'],
  ])('reads %s by its header names', (name, delimiter, label, score, line) => {
    const s = read(name);
    expect({ labels: s.labels, scores: s.scores }).toEqual(SIX);
    expect([s.delimiter, s.label.name, s.score.name]).toEqual([delimiter, label, score]);
    expect(rocAuc(s.labels, s.scores)).toBeCloseTo(8 / 9, 10);
    expect(csvReadLine(s)).toBe(line);
  });

  it('reads a semicolon CSV with decimal commas as numbers: AUC 1, not the 0.5 of reading "0,85" as text', () => {
    const s = read('semicolon-decimal-comma.csv');
    expect(s.delimiter).toBe(';');
    expect(s.scores).toEqual([0.91, 0.12, 0.85, 0.33, 0.78, 0.05, 0.41, 0.66]);
    expect(s.labels).toEqual([1, 0, 1, 0, 1, 0, 0, 1]);
    expect(rocAuc(s.labels, s.scores)).toBe(1);
    expect(csvReadLine(s)).toBe('Read 8 rows: labels from `label`, scores from `score` (semicolon-separated, decimal commas).');
  });

  it('reads a headerless file when exactly one column is all 0/1, whatever the order', () => {
    const s = read('headerless.csv');
    expect({ labels: s.labels, scores: s.scores }).toEqual(SIX);
    expect([s.header, s.label.number, s.score.number]).toEqual([false, 2, 1]);
    expect(csvReadLine(s)).toBe('Read 6 rows: labels from column 2, scores from column 1 (no header row; column 2 is the one holding only 0/1).');
    // The same with pandas' index written without a header, and with a semicolon and decimal commas.
    expect(parseCsvSample('0,1,0.9\n1,0,0.2\n2,1,0.65\n3,0,0.7\n').skippedIndex).toBe(true);
    expect(parseCsvSample('1;0,85\n0;0,12\n').scores).toEqual([0.85, 0.12]);
  });

  it('reads yes/no and pos/neg labels, -1/1 labels, and skips an id column and unused columns', () => {
    const s = read('yes-no-labels.csv');
    expect([s.label.name, s.score.name, s.labels, s.scores, s.skippedIndex]).toEqual(['outcome', 'y_score', [1, 0, 1, 0], [0.8, 0.3, 0.6, 0.4], false]);
    const svm = parseCsvSample('target,score\n-1,0.2\n1,0.9\n+1,0.4\n');
    expect([svm.labels, svm.minusOneLabels]).toEqual([[0, 1, 1], true]);
    expect(csvReadLine(svm)).toMatch(/labels -1 read as 0/);
  });

  it('finds the other column by elimination, and takes probabilities over hard predictions', () => {
    const byElimination = parseCsvSample('label,model_output\n1,0.9\n0,0.3\n');
    expect([byElimination.score.name, byElimination.scores]).toEqual(['model_output', [0.9, 0.3]]);
    const both = parseCsvSample('y_true,y_pred,y_prob\n1,1,0.9\n0,1,0.6\n1,0,0.4\n0,0,0.1\n');
    expect(both.score.name).toBe('y_prob');
    expect(rocAuc(both.labels, both.scores)).toBe(0.75);
  });

  it('uses the columns the member names, by header or number', () => {
    const s = read('ambiguous-two-scores.csv', { score: 'score_model_b' });
    expect([s.label.name, s.scores, s.chosenBy]).toEqual(['label', [0.4, 0.6, 0.3, 0.1], 'option']);
    const headerless = read('ambiguous-headerless.csv', { label: '1', score: '2' });
    expect([headerless.labels, headerless.scores]).toEqual([[1, 0, 1, 0, 1], [1, 0, 0, 1, 1]]);
    expect(refused(() => read('comma.csv', { label: 'truth' }))).toBe('There is no column `truth` for the labels; the columns are `label`, `score`.');
    expect(refused(() => read('headerless.csv', { label: 'y' }))).toMatch(/no header row, so give the label column as a number from 1 to 2/);
    expect(refused(() => read('comma.csv', { label: 'score', score: '2' }))).toMatch(/can't both come from `score`/);
  });

  it('asks instead of guessing when the columns are not clear', () => {
    expect(refused(() => read('ambiguous-headerless.csv'))).toBe(
      "The file has no header row and both columns hold only 0s and 1s, so I can't tell the labels from the scores; name them in a header row such as `label,score`, or pick them with the `label_column` and `score_column` options (a header name or a column number).",
    );
    expect(refused(() => read('ambiguous-two-scores.csv'))).toMatch(/^I can't tell which columns to use, as more than one column looks like the scores \(the columns are `label`, `score_model_a`, `score_model_b`\); name them/);
    expect(refused(() => parseCsvSample('a,b,c\n1,0.5,0.2\n0,0.1,0.3\n'))).toMatch(/no column is named like labels or scores/);
    expect(refused(() => parseCsvSample('0.1,0.5\n0.3,0.7\n'))).toMatch(/neither column holds only 0\/1 labels/);
    expect(refused(() => parseCsvSample('1|0.9\n0|0.2\n'))).toMatch(/^The file has only one column, and I need a label column and a score column separated by commas, semicolons or tabs\.$/);
  });

  it('refuses files it cannot use, naming the line and the value', () => {
    expect(refused(() => read('one-class.csv'))).toMatch(/^All 3 labels are 1, and/);
    expect(refused(() => read('non-numeric-scores.csv'))).toBe("Scores must be numbers; line 3's score is `high`.");
    expect(refused(() => read('empty.csv'))).toMatch(/no data rows/);
    expect(refused(() => read('header-only.csv'))).toMatch(/no data rows/);
    // Blank lines still count for the line named in a refusal; an empty cell is called empty.
    expect(refused(() => parseCsvSample('label,score\n1,0.9\n\n\n0,oops'))).toMatch(/line 5's score is `oops`/);
    expect(refused(() => parseCsvSample('label,score\n1,0.9\n0,\n'))).toMatch(/line 3's score is empty/);
    expect(refused(() => parseCsvSample('label,score\n1,0.9\n0\n'))).toBe('Line 3 has 1 cell, but the columns I read need 2.');
    expect(refused(() => parseCsvSample('label,score\n1,0.9\ncat,0.3\n'))).toMatch(/line 3's label is `cat`/);
    expect(refused(() => parseCsvSample('1,0.9\n0,"0.3\n'))).toMatch(/quote .* never closed/);
    // A decimal comma in a comma-separated file is not a number: it would be a third column.
    expect(refused(() => parseCsvSample('label,score\n1,"0,9"\n0,0.3\n'))).toMatch(/line 2's score is `0,9`/);
    const big = ['label,score', ...Array.from({ length: ROC_LIMITS.maxRows + 1 }, (_, i) => `${i % 2},${i}`)].join('\n');
    expect(refused(() => parseCsvSample(big))).toBe('The file has more than 100,000 rows, the most I read at once.');
  });

  it('sniffs the delimiter from the first lines', () => {
    expect(sniffDelimiter('a;b\n1;0,5\n')).toBe(';');
    expect(sniffDelimiter('a,b\n1,0.5\n')).toBe(',');
    expect(sniffDelimiter('a\tb\n1\t0,5\n')).toBe('\t');
    expect(sniffDelimiter('1;0,5\n0;0,25\n')).toBe(';'); // splits evenly on both: the semicolon wins
    expect(sniffDelimiter('"a;b",c\n"1;2",3\n')).toBe(','); // a quoted semicolon does not count
  });

  it('reads 100,000 rows quickly enough to answer before Discord’s 3 s', () => {
    const rows = [',y_true,y_prob', ...Array.from({ length: ROC_LIMITS.maxRows }, (_, i) => `${i},${i % 2},${((i * 7919) % 1000) / 1000}`)];
    const started = performance.now();
    const s = parseCsvSample(rows.join('\r\n'));
    expect(s.rows).toBe(ROC_LIMITS.maxRows);
    expect(performance.now() - started).toBeLessThan(1_500);
  });

  it('refuses attachments that are not CSV or too large before downloading', () => {
    expect(refused(() => checkCsvAttachment({ name: 'photo.png', size: 10, contentType: 'image/png' }))).toMatch(/not a CSV file/);
    expect(refused(() => checkCsvAttachment({ name: 'a.csv', size: 50 * 1024 * 1024, contentType: 'text/csv' }))).toMatch(/limit is 4 MB/);
    expect(() => checkCsvAttachment({ name: 'a.csv', size: 100, contentType: 'text/csv' })).not.toThrow();
    expect(() => checkCsvAttachment({ name: 'a.tsv', size: 100, contentType: null })).not.toThrow();
  });
});
