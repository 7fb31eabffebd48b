/**
 * clip and paginate (src/platform/discord/text.ts): text cut to Discord's limits without
 * cutting words, losing words or splitting an emoji.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clip, count, paginate } from '../../../src/platform/discord/text.js';
import { findMidWordCuts } from '../../support/visible-text.js';

const words = (s: string) => s.split(/\s+/).filter(Boolean);
const graphemes = (s: string) => [...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(s)].map((g) => g.segment);

describe('clip', () => {
  it('returns text within the limit unchanged, exactly at the limit too', () => {
    expect(clip('abc def', 7)).toBe('abc def');
    expect(clip('abc def', 100)).toBe('abc def');
    expect(clip('', 0)).toBe('');
  });

  it('cuts on the last space that fits and marks it with " …", the last word whole', () => {
    const s = 'L1 promotes sparsity because the corners of the diamond lie on the axes.';
    expect(clip(s, 20)).toBe('L1 promotes …');
    expect(clip(s, 22)).toBe('L1 promotes sparsity …');
    expect(clip(s, 22)).toHaveLength(22); // exactly the limit
    expect(clip('abc defg', 7)).toBe('abc …');
    expect(findMidWordCuts(clip(s, 20))).toEqual([]);
  });

  it('cuts at line breaks too, trimming what is left before the ellipsis', () => {
    expect(clip('first line\nsecond line', 15)).toBe('first line …');
    expect(clip('a,   bcdefgh', 9)).toBe('a, …');
  });

  it('cuts a single word longer than the limit on a grapheme boundary (the only place there is)', () => {
    expect(clip('Supercalifragilisticexpialidocious', 10)).toBe('Supercali…');
    expect(clip('https://example.com/a/very/long/path', 12)).toBe('https://exa…');
    // A word longer than the limit after a short one: cut at the space, not inside.
    expect(clip('see https://example.com/a/very/long/path', 20)).toBe('see …');
  });

  it('never splits an emoji, a flag or a letter with its accent', () => {
    const family = '👨‍👩‍👧‍👦'; // 11 UTF-16 units, one grapheme
    expect(clip(family.repeat(3), 15)).toBe(`${family}…`);
    expect(clip('🇫🇷🇩🇪🇮🇹', 6)).toBe('🇫🇷…');
    expect(clip('ééééé'.normalize('NFD'), 5)).toBe(`${'éé'.normalize('NFD')}…`);
    // Even the first grapheme too long: never a lone surrogate.
    expect(clip('😀😀😀', 2)).toBe('…');
    expect(clip('😀😀😀', 3)).toBe('😀…');
  });

  it('handles tiny limits', () => {
    expect(clip('abc', 1)).toBe('…');
    expect(clip('abc', 0)).toBe('');
    expect(clip('ab cd', 2)).toBe('a…');
  });

  it('for any text and limit: within the limit, a prefix of the text, whole words unless there is only one', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'b', 'é', ' ', '\n', '😀', '.', '-'), maxLength: 80 }), fc.integer({ min: 0, max: 90 }), (s, n) => {
        const out = clip(s, n);
        expect(out.length).toBeLessThanOrEqual(n);
        if (s.length <= n) {
          expect(out).toBe(s);
          return;
        }
        const body = out.replace(/ ?…$/, '');
        expect(s.startsWith(body)).toBe(true);
        expect(out.endsWith('…') || n === 0).toBe(true);
        // No lone surrogate at the cut.
        expect(/[\uD800-\uDBFF]$/.test(body)).toBe(false);
        if (out.endsWith(' …')) {
          // Cut at a break: the next character of the text after the kept words is whitespace.
          expect(/^\s/.test(s.slice(body.length))).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('paginate', () => {
  it('returns one page for text within the limit (exactly at the limit too)', () => {
    expect(paginate('hello world', 11)).toEqual(['hello world']);
    expect(paginate('  padded  ', 100)).toEqual(['padded']);
    expect(paginate('', 10)).toEqual(['']);
  });

  it('prefers paragraph, then line, then sentence, then word boundaries', () => {
    const para = `${'a'.repeat(30)} end.\n\n${'b'.repeat(20)}`;
    expect(paginate(para, 45)).toEqual([`${'a'.repeat(30)} end.`, 'b'.repeat(20)]);
    const line = `${'a'.repeat(20)}\n${'b'.repeat(10)} more words here`;
    expect(paginate(line, 40)).toEqual(['a'.repeat(20), `${'b'.repeat(10)} more words here`]);
    expect(paginate('First sentence is here. Second one follows on', 30)).toEqual(['First sentence is here.', 'Second one follows on']);
    expect(paginate('one two three four five six seven', 15)).toEqual(['one two three', 'four five six', 'seven']);
  });

  it('does not cut inside **bold** when a boundary outside it fits', () => {
    const s = `${'word '.repeat(6)}**a bold phrase here** tail`;
    const pages = paginate(s, 40);
    for (const p of pages) expect((p.match(/\*\*/g) ?? []).length % 2).toBe(0);
    expect(words(pages.join(' '))).toEqual(words(s));
  });

  it('splits a single word longer than the limit on grapheme boundaries', () => {
    expect(paginate('x'.repeat(25), 10)).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
    const family = '👨‍👩‍👧‍👦';
    const pages = paginate(family.repeat(3), 25);
    expect(pages).toEqual([family.repeat(2), family]);
  });

  it('refuses a limit below 1 instead of looping', () => {
    expect(() => paginate('abc', 0)).toThrow(RangeError);
  });

  it('for any text: pages within the limit, no word lost or cut when every word fits', () => {
    // No '.' inside a word: a page may end on a sentence's full stop.
    const word = fc.array(fc.constantFrom('a', 'b', 'z', 'é', '😀', '👍🏽', ',', '*'), { minLength: 1, maxLength: 12 }).map((cs) => cs.join(''));
    const sep = fc.constantFrom(' ', '  ', '\n', '\n\n', '. ', ': ');
    const text = fc.array(fc.tuple(word, sep), { maxLength: 60 }).map((ps) => ps.map(([w, s]) => w + s).join(''));
    fc.assert(
      fc.property(text, fc.integer({ min: 48, max: 300 }), (s, limit) => {
        // Every word fits: at most 12 symbols of at most 4 UTF-16 units.
        const pages = paginate(s, limit);
        for (const p of pages) expect(p.length).toBeLessThanOrEqual(limit);
        expect(words(pages.join('\n'))).toEqual(words(s));
        for (const p of pages) expect(findMidWordCuts(p)).toEqual([]);
        // No grapheme split between pages.
        expect(pages.flatMap(graphemes).join('').replace(/\s/g, '')).toBe(s.replace(/\s/g, ''));
      }),
      { numRuns: 1000 },
    );
  });

  it('for any text with words longer than the limit: within the limit, nothing lost', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', ' ', '\n', '😀', '👨‍👩‍👧'), maxLength: 120 }), fc.integer({ min: 1, max: 30 }), (s, limit) => {
        const pages = paginate(s, limit);
        for (const p of pages) expect(p.length).toBeLessThanOrEqual(limit);
        expect(pages.join('').replace(/\s/g, '')).toBe(s.replace(/\s/g, ''));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('count', () => {
  it('says "1 round" and "3 rounds"', () => {
    expect([count(1, 'round'), count(3, 'round'), count(0, 'question'), count(2, 'match', 'matches'), count(1234, 'point')]).toEqual([
      '1 round',
      '3 rounds',
      '0 questions',
      '2 matches',
      '1,234 points',
    ]);
  });
});
