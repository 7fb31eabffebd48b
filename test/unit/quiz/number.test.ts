import { Rating } from 'ts-fsrs';
import { describe, expect, it } from 'vitest';
import { allowedError, formatNumber, gradeNumeric, parseNumber } from '../../../src/quiz/grade.js';

const value = (s: string) => {
  const r = parseNumber(s);
  if (!r.ok) throw new Error(`expected ${JSON.stringify(s)} to parse: ${r.reason}`);
  return r.value;
};
const reason = (s: string) => {
  const r = parseNumber(s);
  if (r.ok) throw new Error(`expected ${JSON.stringify(s)} not to parse, got ${r.value}`);
  return r.reason;
};

describe('parseNumber', () => {
  it.each([
    ['0.75', 0.75],
    ['.75', 0.75],
    ['3/4', 0.75],
    ['75%', 0.75],
    ['7.5e-1', 0.75],
    ['7.5E-1', 0.75],
    ['-0.2', -0.2],
    ['+0.2', 0.2],
    ['1,234.5', 1234.5],
    ['1,234,567', 1234567],
    ['≈0.75', 0.75],
    ['~0.75', 0.75],
    ['≈ 0.75', 0.75],
    ['= 0.75', 0.75],
    ['  0.75  ', 0.75],
    ['\n0.75\t', 0.75],
    ['−0.2', -0.2],
    ['– 0.2', -0.2],
    ['- 3 / 4', -0.75],
    ['3 / 4', 0.75],
    ['1/3', 1 / 3],
    ['75 %', 0.75],
    ['12.5%', 0.125],
    ['7.5 × 10^-1', 0.75],
    ['7.5x10^(-1)', 0.75],
    ['**0.75**', 0.75],
    ['`0.75`', 0.75],
    ['$0.75$', 0.75],
    ['0.75.', 0.75],
    ['3.', 3],
    ['０.７５', 0.75],
    ['½', 0.5],
    ['٠٫٧٥', 0.75],
    ['0.7\u200B5', 0.75],
    ['-0', 0],
    ['1e3', 1000],
  ])('reads %j as %d', (text, expected) => {
    expect(value(text)).toBeCloseTo(expected, 12);
  });

  it('returns a positive zero', () => {
    expect(Object.is(value('-0'), 0)).toBe(true);
  });

  it('explains unreadable input with examples', () => {
    expect(reason('abc')).toBe('I couldn\'t read "abc" as a number — try 0.75, 3/4 or 75%.');
    expect(reason('')).toBe('Type a number — try 0.75, 3/4 or 75%.');
    expect(reason('   ')).toBe('Type a number — try 0.75, 3/4 or 75%.');
    expect(reason('0.75 0.8')).toContain("couldn't read");
    expect(reason('1..2')).toContain("couldn't read");
    expect(reason('Infinity')).toContain("couldn't read");
    expect(reason('NaN')).toContain("couldn't read");
    expect(reason('0x1F')).toContain("couldn't read");
    expect(reason('12,34,5')).toContain("couldn't read");
  });

  it('suggests a decimal point for decimal commas', () => {
    expect(reason('0,75')).toBe('I couldn\'t read "0,75" as a number — use a dot for decimals, like 0.75.');
    expect(reason(',5')).toContain('use a dot');
  });

  it('refuses division by zero, overflow and very long input', () => {
    expect(reason('1/0')).toContain('divides by zero');
    expect(reason('1e400')).toContain('too large');
    expect(reason('1'.repeat(500))).toContain('too long');
  });

  it('quotes the input safely: short, no pings, no code spans', () => {
    expect(reason('@everyone')).toContain('"@\u200beveryone"');
    expect(reason('`rm -rf`')).not.toContain('`');
    const long = reason('a'.repeat(150));
    expect(long).toContain('…');
    expect(long.length).toBeLessThan(120);
    expect(reason('\uD800abc')).not.toMatch(/[\uD800-\uDFFF]/);
  });

  it('never throws on non-strings from untyped callers', () => {
    expect(parseNumber(undefined as unknown as string).ok).toBe(false);
    expect(parseNumber(42 as unknown as string).ok).toBe(false);
  });
});

describe('gradeNumeric', () => {
  const target = { answer: 0.75, tolerance: { abs: 0.005 } };

  it('accepts answers within the absolute tolerance', () => {
    expect(gradeNumeric('0.75', target)).toMatchObject({ ok: true, correct: true, verdict: 'correct', rating: Rating.Good });
    expect(gradeNumeric('0.754', target).correct).toBe(true);
    expect(gradeNumeric('3/4', target).correct).toBe(true);
    expect(gradeNumeric('75%', target).correct).toBe(true);
    expect(gradeNumeric('0.756', target)).toMatchObject({ ok: true, correct: false, verdict: 'wrong', rating: Rating.Again });
  });

  it('accepts the tolerance boundary despite floating-point noise', () => {
    expect(gradeNumeric('0.755', target).correct).toBe(true);
    expect(gradeNumeric('0.745', target).correct).toBe(true);
  });

  it('uses the larger of abs and rel * |answer|', () => {
    expect(allowedError(100, { abs: 0.5, rel: 0.01 })).toBeCloseTo(1, 6);
    expect(allowedError(0.1, { abs: 0.5, rel: 0.01 })).toBeCloseTo(0.5, 6);
    expect(gradeNumeric('101', { answer: 100, tolerance: { rel: 0.01 } }).correct).toBe(true);
    expect(gradeNumeric('101.5', { answer: 100, tolerance: { rel: 0.01 } }).correct).toBe(false);
  });

  it('without a tolerance, wants the exact value up to rounding noise', () => {
    expect(gradeNumeric('1/3', { answer: 1 / 3 }).correct).toBe(true);
    expect(gradeNumeric('0.3333', { answer: 1 / 3 }).correct).toBe(false);
  });

  it('ignores negative or NaN tolerances', () => {
    expect(gradeNumeric('0.76', { answer: 0.75, tolerance: { abs: -1, rel: Number.NaN } }).correct).toBe(false);
  });

  it('says what the answer was', () => {
    expect(gradeNumeric('0.7', { ...target, answerText: '0.750' }).message).toBe('❌ You entered 0.7; the answer is 0.750 (±0.005).');
    expect(gradeNumeric('0.75', target).message).toBe('✅ 0.75 is right: the answer is 0.75 (±0.005).');
    expect(gradeNumeric('2', { answer: 2, tolerance: { rel: 0.01 }, unit: 'ms' }).message).toBe('✅ 2 ms is right: the answer is 2 ms (±1%).');
  });

  it('spots a percentage typed without the sign', () => {
    expect(gradeNumeric('75', target).message).toContain('looks like a percentage');
    expect(gradeNumeric('0.75', { answer: 75, tolerance: { abs: 0.5 } }).message).toContain('factor of 100');
  });

  it('maps speed to the rating', () => {
    expect(gradeNumeric('0.75', target, { responseMs: 5000, fastMs: 10_000 }).rating).toBe(Rating.Easy);
    expect(gradeNumeric('0.75', target, { responseMs: 70_000, fastMs: 10_000, slowMs: 60_000 }).rating).toBe(Rating.Hard);
  });

  it('reports unreadable input as not ok, with the reason, and a wrong verdict for timed rounds', () => {
    const g = gradeNumeric('abc', target);
    expect(g).toMatchObject({ ok: false, verdict: 'wrong', correct: false, rating: Rating.Again });
    expect(g.message).toContain("couldn't read");
  });
});

describe('formatNumber', () => {
  it('prints compact numbers without float noise', () => {
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
    expect(formatNumber(1 / 3)).toBe('0.333333');
    expect(formatNumber(1234.5)).toBe('1234.5');
    expect(formatNumber(-0.000012345)).toBe('-0.000012345');
    expect(formatNumber(1e-7)).toBe('1e-7');
    expect(formatNumber(0)).toBe('0');
  });
});
