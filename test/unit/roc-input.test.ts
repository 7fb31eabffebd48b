import { describe, expect, it } from 'vitest';
import { rocPhrases } from '../../src/roc/discord/phrases.js';
import { ROC_LIMITS, checkCsvAttachment, parseCsvSample, parseTextSample } from '../../src/roc/input.js';
import { refusal } from '../support/phrases.js';

const refused = (fn: () => unknown) => refusal(rocPhrases, fn);

describe('/roc input', () => {
  it('reads comma or space separated labels and scores, true/false too', () => {
    expect(parseTextSample('1 0, 1 true false', '0.9 0.1 .5 7e-1 0')).toEqual({ labels: [1, 0, 1, 1, 0], scores: [0.9, 0.1, 0.5, 0.7, 0] });
  });

  it.each([
    ['1 0 1', '0.5 0.2', /3 labels but 2 scores/],
    ['1 0', '0.5 abc', /Scores must be numbers; score #2 is `abc`/],
    ['1 2', '0.5 0.2', /Labels must be 0 or 1 \(or true\/false\); label #2 is `2`/],
    ['1 1 1', '0.5 0.2 0.3', /both classes/],
    ['', '', /Give both `labels` and `scores`/],
    ['1 0', 'NaN 0.2', /Scores must be numbers/],
  ])('explains %s / %s', (labels, scores, message) => {
    expect(refused(() => parseTextSample(labels, scores))).toMatch(message);
  });

  it('reads a CSV with or without a header', () => {
    expect(parseCsvSample('label,score\n1,0.9\n0,0.3\n')).toEqual({ labels: [1, 0], scores: [0.9, 0.3] });
    expect(parseCsvSample('\uFEFF1;0.9\r\n0;0.3')).toEqual({ labels: [1, 0], scores: [0.9, 0.3] });
  });

  it('reads quoted cells, mixed separators, extra columns and blank lines', () => {
    expect(parseCsvSample('"label","score"\n"1", "0.9"\n\n  \n0\t0.3\textra\n\'1\';.5')).toEqual({ labels: [1, 0, 1], scores: [0.9, 0.3, 0.5] });
    // Blank lines still count for the line named in a refusal.
    expect(refused(() => parseCsvSample('1,0.9\n\n\n0,oops'))).toMatch(/line 4's score is `oops`/);
    expect(refused(() => parseCsvSample('1,0.9\n0,"0.3\n'))).toMatch(/quote .* never closed/);
  });

  it('refuses bad CSVs clearly', () => {
    expect(refused(() => parseCsvSample('label,score\n'))).toMatch(/no data rows/);
    expect(refused(() => parseCsvSample('1,0.9\n0,x\n'))).toMatch(/line 2's score is `x`/);
    expect(refused(() => parseCsvSample('1\n'))).toMatch(/needs two: label,score/);
    const big = Array.from({ length: ROC_LIMITS.maxRows + 1 }, (_, i) => `${i % 2},${i}`).join('\n');
    expect(refused(() => parseCsvSample(big))).toMatch(/more than 100,000 rows/);
  });

  it('refuses attachments that are not CSV or too large before downloading', () => {
    expect(refused(() => checkCsvAttachment({ name: 'photo.png', size: 10, contentType: 'image/png' }))).toMatch(/not a CSV file/);
    expect(refused(() => checkCsvAttachment({ name: 'a.csv', size: 50 * 1024 * 1024, contentType: 'text/csv' }))).toMatch(/limit is 4 MB/);
    expect(() => checkCsvAttachment({ name: 'a.csv', size: 100, contentType: 'text/csv' })).not.toThrow();
  });
});
