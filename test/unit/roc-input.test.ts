import { describe, expect, it } from 'vitest';
import { ROC_LIMITS, checkCsvAttachment, parseCsvSample, parseTextSample } from '../../src/roc/input.js';

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
    expect(() => parseTextSample(labels, scores)).toThrow(message);
  });

  it('reads a CSV with or without a header', () => {
    expect(parseCsvSample('label,score\n1,0.9\n0,0.3\n')).toEqual({ labels: [1, 0], scores: [0.9, 0.3] });
    expect(parseCsvSample('\uFEFF1;0.9\r\n0;0.3')).toEqual({ labels: [1, 0], scores: [0.9, 0.3] });
  });

  it('refuses bad CSVs clearly', () => {
    expect(() => parseCsvSample('label,score\n')).toThrow(/no data rows/);
    expect(() => parseCsvSample('1,0.9\n0,x\n')).toThrow(/line 2's score is `x`/);
    expect(() => parseCsvSample('1\n')).toThrow(/needs two: label,score/);
    const big = Array.from({ length: ROC_LIMITS.maxRows + 1 }, (_, i) => `${i % 2},${i}`).join('\n');
    expect(() => parseCsvSample(big)).toThrow(/more than 100,000 rows/);
  });

  it('refuses attachments that are not CSV or too large before downloading', () => {
    expect(() => checkCsvAttachment({ name: 'photo.png', size: 10, contentType: 'image/png' })).toThrow(/not a CSV file/);
    expect(() => checkCsvAttachment({ name: 'a.csv', size: 50 * 1024 * 1024, contentType: 'text/csv' })).toThrow(/limit is 4 MB/);
    expect(() => checkCsvAttachment({ name: 'a.csv', size: 100, contentType: 'text/csv' })).not.toThrow();
  });
});
