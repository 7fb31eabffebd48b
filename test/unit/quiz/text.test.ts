import { describe, expect, it } from 'vitest';
import { editDistance, normalizeText, stem, tokenize, tokensMatch, typoBudget } from '../../../src/quiz/text.js';

describe('normalizeText', () => {
  it('applies NFKC and case folding', () => {
    expect(normalizeText('ＦＵＬＬ Width')).toBe('full width');
    expect(normalizeText('ﬁne-tuning')).toBe('fine tuning');
    expect(normalizeText('Straße')).toBe('strasse');
    expect(normalizeText('L₂ penalty, x²')).toBe('l2 penalty x2');
  });

  it('strips Latin diacritics but keeps other scripts intact', () => {
    expect(normalizeText('naïve Bayes, café')).toBe('naive bayes cafe');
    expect(normalizeText('шум данных')).toBe('шум данных');
    expect(normalizeText('التعلم الآلي')).toBe('التعلم الآلي');
  });

  it('strips punctuation and Markdown, keeps words', () => {
    expect(normalizeText('**Bold** _it_ ~~gone~~ # Heading > quote')).toBe('bold it gone heading quote');
    expect(normalizeText('see [the docs](https://example.com/x?y=1) or https://x.y/z')).toBe('see the docs or');
    expect(normalizeText('learning_rate = 1e-3!')).toBe('learning rate 1e 3');
  });

  it('keeps the decimal point inside numbers', () => {
    expect(normalizeText('AUC of 0.75, then 3.')).toBe('auc of 0.75 then 3');
  });

  it('removes code fences but keeps their content', () => {
    expect(normalizeText('```python\nloss = bce(p, y)\n```')).toBe('loss bce p y');
    expect(normalizeText('use `torch.no_grad()`')).toBe('use torch no grad');
  });

  it('drops Discord mentions, channels, custom emoji and timestamps', () => {
    expect(normalizeText('<@123456> <@!1> <@&2> <#3> <:pepe:42> <a:dance:43> <t:1700000000:R> ok')).toBe('ok');
    expect(normalizeText('@everyone hi')).toBe('everyone hi');
  });

  it('joins words split by zero-width and bidi characters, removes control characters', () => {
    expect(normalizeText('gra\u200Bdi\u200Dent\uFEFF')).toBe('gradient');
    expect(normalizeText('\u202Ebias\u202C and\u0000variance')).toBe('bias and variance');
  });

  it("joins apostrophes inside words and spells out lone Greek letters", () => {
    expect(normalizeText("doesn't isn’t")).toBe('doesnt isnt');
    expect(normalizeText('H + λ')).toBe('h lambda');
    expect(normalizeText('σ²')).toBe('sigma 2');
    expect(normalizeText('ελληνικά')).toBe('ελληνικά');
    // Found by the idempotence property: a Greek numeral sign (removed as punctuation) next to
    // a letter left it alone only after the first pass, so a second pass changed "α" to "alpha".
    expect(normalizeText('͵α')).toBe('alpha');
    expect(normalizeText(normalizeText('͵α'))).toBe('alpha');
    expect(normalizeText('λ-regularised, β΄')).toBe('lambda regularised beta');
  });

  it('returns an empty string for blank or odd input', () => {
    expect(normalizeText('')).toBe('');
    expect(normalizeText('   \n\t ')).toBe('');
    expect(normalizeText('🙂🔥 !!! ...')).toBe('');
    expect(normalizeText('\uD800 lone \uDC00')).toBe('lone');
    expect(normalizeText(undefined as unknown as string)).toBe('');
  });

  it('only reads the first 5,000 characters', () => {
    const text = `${'word '.repeat(1000)}tail`;
    expect(normalizeText(text)).not.toContain('tail');
  });
});

describe('stem', () => {
  const same = (...words: string[]) => expect(new Set(words.map(stem)).size).toBe(1);

  it('strips inflections', () => {
    same('sample', 'samples', 'sampled', 'sampling');
    same('train', 'trains', 'trained', 'training');
    same('stop', 'stopped', 'stopping', 'stops');
    same('embedding', 'embeddings', 'embed');
    same('class', 'classes');
    same('loss', 'losses');
    same('probability', 'probabilities');
  });

  it('strips -ation and -ly', () => {
    same('calibrate', 'calibrated', 'calibration', 'calibrates');
    same('quick', 'quickly');
    same('multiply', 'multiplying', 'multiplies', 'multiplied');
    same('apply', 'applying', 'applies', 'applied');
    same('anomaly', 'anomalies');
    same('vary', 'varying', 'varies', 'varied');
  });

  it('folds British and American spelling', () => {
    same('normalise', 'normalize', 'normalised', 'normalizing', 'normalisation', 'normalization');
    same('regularisation', 'regularization', 'regularize', 'regularised');
    same('colour', 'color');
    same('behaviour', 'behavior');
    same('analyse', 'analyze', 'analysed');
    same('modelled', 'modeled', 'modelling', 'modeling');
    same('centre', 'center');
  });

  it('leaves short words, numbers and non-Latin words alone', () => {
    expect(stem('is')).toBe('is');
    expect(stem('bias')).toBe('bias');
    expect(stem('only')).toBe('only');
    expect(stem('l2')).toBe('l2');
    expect(stem('данных')).toBe('данных');
  });
});

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and adjacent transpositions', () => {
    expect(editDistance('', '')).toBe(0);
    expect(editDistance('abc', '')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('gradient', 'gradeint')).toBe(1);
    expect(editDistance('hessian', 'hesian')).toBe(1);
    expect(editDistance('ab', 'ba')).toBe(1);
  });

  it('works on code points, not UTF-16 units', () => {
    expect(editDistance('a😀b', 'a😃b')).toBe(1);
  });

  it('stops early past the budget', () => {
    expect(editDistance('abcdefgh', 'zyxwvuts', 2)).toBe(3);
    expect(editDistance('a'.repeat(5000), 'b', 2)).toBe(3);
  });
});

describe('typo budget and token matching', () => {
  it('scales with word length: none up to 3, one for 4-7, two beyond', () => {
    expect([1, 3, 4, 7, 8, 20].map(typoBudget)).toEqual([0, 0, 1, 1, 2, 2]);
  });

  const match = (answer: string, phrase: string) => {
    const [a] = tokenize(answer);
    const [p] = tokenize(phrase);
    return tokensMatch(a!, p!);
  };

  it('tolerates typos within the budget', () => {
    expect(match('varience', 'variance')).toBe(true);
    expect(match('hesian', 'hessian')).toBe(true);
    expect(match('gradeint', 'gradient')).toBe(true);
    expect(match('regularizaton', 'regularisation')).toBe(true);
  });

  it('does not tolerate typos in short words or numbers', () => {
    expect(match('l1', 'l2')).toBe(false);
    expect(match('mae', 'mse')).toBe(false);
    expect(match('0.5', '0.6')).toBe(false);
  });

  it('refuses fuzzy matches past the budget or with a different first letter', () => {
    expect(match('variety', 'variance')).toBe(false);
    expect(match('varience', 'variance')).toBe(true);
    expect(match('decision', 'precision')).toBe(false);
    expect(match('recall', 'precision')).toBe(false);
    // Known price of a 2-edit budget for 8+ letters: two substitutions turn one word into another.
    expect(match('variable', 'variance')).toBe(true);
  });
});
