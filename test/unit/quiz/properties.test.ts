import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KeyPoint } from '../../../src/bank/schema.js';
import { choiceOptions, gradeChoice, gradeFreeText, gradeNumeric, normalizeText, parseNumber } from '../../../src/quiz/grade.js';

const keyPoints: KeyPoint[] = [
  { point: 'Bias-variance trade-off', accept: ['bias variance', 'trade-off', 'tradeoff'] },
  { point: 'Regularisation', accept: ['regularisation', 'weight decay', 'L2'] },
  { point: 'Unicode', accept: ['naïve', 'λ', '0.5'] },
];

// Every flavour of string fast-check 4 has: bytes-as-chars (lone surrogates included), code points, graphemes.
const anyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'binary-ascii', maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ unit: 'grapheme-composite', maxLength: 200 }),
  fc.string({ maxLength: 300 }),
  fc.array(fc.constantFrom('bias', 'variance', 'not', 'no', 'λ', '`', '```', '**', '@everyone', '\u200B', '\u202E', '\uD800', ' ', '\n', '-', '0.5', '½'), { maxLength: 60 }).map((a) => a.join(' ')),
);

const anyKeyPoints = fc.array(
  fc.record({ point: fc.string({ minLength: 1 }), accept: fc.array(fc.string({ unit: 'binary', maxLength: 40 }), { minLength: 1, maxLength: 4 }) }),
  { maxLength: 6 },
);

describe('grading properties', () => {
  it('gradeFreeText never throws and scores within [0, 1]', () => {
    fc.assert(
      fc.property(anyString, (text) => {
        const g = gradeFreeText(text, keyPoints);
        expect(g.score).toBeGreaterThanOrEqual(0);
        expect(g.score).toBeLessThanOrEqual(1);
        expect(g.hit.length + g.missed.length).toBe(keyPoints.length);
        expect(g.score).toBeCloseTo(g.hit.length / keyPoints.length, 12);
        expect(['correct', 'partial', 'wrong']).toContain(g.verdict);
        expect([1, 2, 3, 4]).toContain(g.rating);
      }),
      { numRuns: 1000 },
    );
  });

  it('gradeFreeText never throws with arbitrary key points either', () => {
    fc.assert(
      fc.property(anyString, anyKeyPoints, (text, kps) => {
        const g = gradeFreeText(text, kps);
        expect(g.score).toBeGreaterThanOrEqual(0);
        expect(g.score).toBeLessThanOrEqual(1);
      }),
      { numRuns: 500 },
    );
  });

  it('an accepted phrasing, embedded in any text, hits its key point', () => {
    const safeFiller = fc.array(fc.constantFrom('the', 'model', 'we', 'use', 'data', 'because', 'and', 'of'), { maxLength: 8 }).map((a) => a.join(' '));
    fc.assert(
      fc.property(safeFiller, safeFiller, fc.constantFrom('bias variance', 'weight decay', 'tradeoff', 'naïve'), (before, after, phrase) => {
        const g = gradeFreeText(`${before} ${phrase} ${after}`, keyPoints);
        expect(g.hit.length).toBeGreaterThan(0);
      }),
    );
  });

  it('normalizeText is idempotent and never yields surrogates or double spaces', () => {
    fc.assert(
      fc.property(anyString, (text) => {
        const once = normalizeText(text);
        expect(normalizeText(once)).toBe(once);
        expect(once).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
        expect(once).not.toMatch(/\s\s|^\s|\s$/);
      }),
      { numRuns: 1000 },
    );
  });

  it('parseNumber and gradeNumeric never throw; parsed values are finite', () => {
    fc.assert(
      fc.property(anyString, (text) => {
        const r = parseNumber(text);
        if (r.ok) expect(Number.isFinite(r.value)).toBe(true);
        else expect(r.reason.length).toBeGreaterThan(0);
        const g = gradeNumeric(text, { answer: 0.75, tolerance: { abs: 0.01 } });
        expect(typeof g.message).toBe('string');
      }),
      { numRuns: 1000 },
    );
  });

  it('parseNumber reads back any finite number JavaScript prints', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const r = parseNumber(String(x));
        expect(r.ok).toBe(true);
        if (r.ok) expect(r.value).toBe(x === 0 ? 0 : x);
      }),
    );
  });

  it('choiceOptions is a permutation for any seed', () => {
    const choice = { correct: 'a', distractors: ['b', 'c', 'd'] };
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.double()), (seed) => {
        const opts = choiceOptions(choice, seed);
        expect(opts.map((o) => o.id).sort()).toEqual([0, 1, 2, 3]);
        expect(opts).toEqual(choiceOptions(choice, seed));
        expect(gradeChoice(choice, opts.find((o) => o.correct)!.id).correct).toBe(true);
      }),
    );
  });
});
