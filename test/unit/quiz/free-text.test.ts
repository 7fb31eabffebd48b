import { Rating } from 'ts-fsrs';
import { describe, expect, it } from 'vitest';
import type { KeyPoint } from '../../../src/bank/schema.js';
import { gradeFreeText } from '../../../src/quiz/grade.js';

const leaf: KeyPoint[] = [
  { point: 'The optimal leaf weight is -G/(H + lambda)', accept: ['negative gradient sum over hessian sum plus lambda', 'minus G over H plus lambda'] },
  { point: 'Lambda regularises: it shrinks leaf weights toward zero', accept: ['shrink', 'regularisation', 'toward zero'] },
  { point: 'It comes from a second-order Taylor expansion of the loss', accept: ['second order taylor', 'newton step', 'quadratic approximation'] },
  { point: 'Hessians weight samples by confidence', accept: ['hessian weights', 'p(1-p)'] },
];

const hits = (answer: string, kps: KeyPoint[] = leaf) => gradeFreeText(answer, kps).hit.map((k) => kps.indexOf(k));

describe('gradeFreeText: matching', () => {
  it('matches accepted phrasings after normalisation', () => {
    expect(hits('The weight is MINUS G over H plus lambda.')).toEqual([0]);
    expect(hits('**Newton step** on the loss')).toEqual([2]);
  });

  it('uses synonyms from the data (any accept entry counts)', () => {
    expect(hits('a quadratic approximation')).toEqual([2]);
    expect(hits('a second order Taylor expansion')).toEqual([2]);
  });

  it('matches inflected and British/American variants through stemming', () => {
    expect(hits('lambda shrinks the weights')).toEqual([1]);
    expect(hits('it is a kind of regularization')).toEqual([1]);
    expect(hits('regularizing helps')).toEqual([1]);
  });

  it('tolerates typos', () => {
    expect(hits('negativ gradiant sum over the hesian sum plus lamda')).toEqual([0]);
    expect(hits('secnod order taylro')).toEqual([2]); // transpositions cost 1
    expect(hits('second ordr taylr')).toEqual([2]);
    expect(hits('sceodn odrer tyalor')).toEqual([]); // two edits in a 6-letter word is too many
  });

  it('matches multi-word phrases as ordered token sequences, allowing small gaps', () => {
    expect(hits('take a second-order, i.e. Taylor, expansion')).toEqual([2]);
    expect(hits('a second order approximation via Taylor')).toEqual([2]); // two words between is the limit...
    expect(hits('second order approximation made via taylor')).toEqual([]); // ...three is too many
    expect(hits('second order, by the taylor')).toEqual([2]); // stopwords do not count as gaps
    expect(hits('taylor expansion of second order')).toEqual([]); // order matters
  });

  it('matches compounds written together or apart', () => {
    const kps: KeyPoint[] = [
      { point: 'Uses log loss', accept: ['log loss'] },
      { point: 'Mini-batches', accept: ['minibatch'] },
    ];
    expect(hits('we minimise logloss', kps)).toEqual([0]);
    expect(hits('with mini batch SGD', kps)).toEqual([1]);
    expect(hits('Log-Loss on mini-batches', kps)).toEqual([0, 1]);
  });

  it('matches phrases with symbols the way the data spells them', () => {
    expect(hits('weights each sample by p(1 − p)')).toEqual([3]);
  });

  it('does not count a phrase right after a negation', () => {
    const kps: KeyPoint[] = [{ point: 'The loss is convex', accept: ['convex'] }, { point: 'x', accept: ['closed form'] }];
    expect(hits('the loss is convex', kps)).toEqual([0]);
    expect(hits('the loss is not convex', kps)).toEqual([]);
    expect(hits("it isn't convex", kps)).toEqual([]);
    expect(hits('non-convex', kps)).toEqual([]);
    expect(hits('not necessarily convex', kps)).toEqual([]);
    expect(hits('no closed form, but convex', kps)).toEqual([0]);
  });

  it('still matches negative phrasings when the key point itself is negative', () => {
    const kps: KeyPoint[] = [{ point: 'No closed form', accept: ['no closed form'] }];
    expect(hits('there is no closed form solution', kps)).toEqual([0]);
    expect(hits('there is a closed form', kps)).toEqual([]);
  });

  it('reports which phrasing matched each hit', () => {
    const g = gradeFreeText('a Newton step, which shrinks the weights', leaf);
    expect(g.hit).toEqual([leaf[1], leaf[2]]);
    expect(g.matchedBy).toEqual(['shrink', 'newton step']);
    expect(g.missed).toEqual([leaf[0], leaf[3]]);
  });
});

describe('gradeFreeText: score, verdict and rating', () => {
  it('scores the share of key points hit', () => {
    expect(gradeFreeText('', leaf).score).toBe(0);
    expect(gradeFreeText('newton step', leaf).score).toBe(0.25);
    expect(gradeFreeText('newton step that shrinks', leaf).score).toBe(0.5);
    expect(gradeFreeText('newton step that shrinks, using hessian weights', leaf).score).toBe(0.75);
    expect(gradeFreeText('minus G over H plus lambda: a newton step that shrinks, with hessian weights', leaf).score).toBe(1);
  });

  it('gives correct from 75%, partial from 25% with a hit, wrong below', () => {
    expect(gradeFreeText('nothing relevant', leaf).verdict).toBe('wrong');
    expect(gradeFreeText('newton step', leaf).verdict).toBe('partial');
    expect(gradeFreeText('newton step that shrinks, using hessian weights', leaf).verdict).toBe('correct');
    const many: KeyPoint[] = Array.from({ length: 8 }, (_, i) => ({ point: `p${i}`, accept: [`keyword${i}`] }));
    expect(gradeFreeText('keyword0', many).verdict).toBe('wrong');
    expect(gradeFreeText('keyword0 keyword1', many).verdict).toBe('partial');
  });

  it('takes custom thresholds', () => {
    expect(gradeFreeText('newton step that shrinks', leaf, { correctAt: 0.5 }).verdict).toBe('correct');
    expect(gradeFreeText('newton step', leaf, { partialAt: 0.5 }).verdict).toBe('wrong');
  });

  it('maps verdicts and timing to FSRS ratings', () => {
    const right = 'minus G over H plus lambda: a newton step that shrinks, with hessian weights';
    expect(gradeFreeText('nothing', leaf).rating).toBe(Rating.Again);
    expect(gradeFreeText('newton step', leaf).rating).toBe(Rating.Hard);
    expect(gradeFreeText(right, leaf).rating).toBe(Rating.Good);
    expect(gradeFreeText(right, leaf, { responseMs: 20_000, fastMs: 30_000 }).rating).toBe(Rating.Easy);
    expect(gradeFreeText(right, leaf, { responseMs: 40_000, fastMs: 30_000 }).rating).toBe(Rating.Good);
    expect(gradeFreeText(right, leaf, { responseMs: 400_000, fastMs: 30_000, slowMs: 300_000 }).rating).toBe(Rating.Hard);
    expect(gradeFreeText('newton step', leaf, { responseMs: 1, fastMs: 30_000 }).rating).toBe(Rating.Hard);
  });

  it('gives score 0 and wrong when there are no key points', () => {
    const g = gradeFreeText('anything', []);
    expect(g).toMatchObject({ score: 0, verdict: 'wrong', hit: [], missed: [] });
  });
});

describe('gradeFreeText: hostile input', () => {
  const odd = [
    '',
    '   \n\t  ',
    '🔥🔥🔥 👍🏽 👨‍👩‍👧',
    'الانحدار التدريجي مع هيسيان',
    '\u202Enewton step\u202C',
    'new\u200Bton st\u200Cep',
    '```\nnewton step\n```',
    '> # **newton** _step_',
    '@everyone @here <@123> newton step',
    '\uD800\uDC00\uD800 newton \uDFFF step',
    '\u0000\u0001\u0007 newton step',
    'x'.repeat(100_000),
  ];

  it.each(odd.map((s) => [JSON.stringify(s.slice(0, 40)), s]))('never throws on %s', (_, s) => {
    const g = gradeFreeText(s, leaf);
    expect(g.score).toBeGreaterThanOrEqual(0);
    expect(g.score).toBeLessThanOrEqual(1);
    expect(g.hit.length + g.missed.length).toBe(leaf.length);
  });

  it('reads through zero-width characters, fences, Markdown and mentions', () => {
    for (const s of odd.slice(4, 11)) expect(gradeFreeText(s, leaf).hit).toEqual([leaf[2]]);
  });

  it('only reads the first 5,000 characters and says so', () => {
    const padded = `${'filler '.repeat(1000)} newton step`;
    const g = gradeFreeText(padded, leaf);
    expect(g.truncated).toBe(true);
    expect(g.hit).toEqual([]);
    expect(gradeFreeText(`newton step ${'filler '.repeat(1000)}`, leaf).hit).toEqual([leaf[2]]);
    expect(gradeFreeText('short', leaf).truncated).toBe(false);
  });

  it('grades a 1 MB answer quickly', () => {
    const words = ['newton', 'gradient', 'hessian', 'lambda', 'shrink', 'taylor', 'sum', 'over', 'minus', 'plus'];
    let big = '';
    for (let i = 0; big.length < 1_000_000; i++) big += `${words[(i * 7) % words.length]} `;
    const start = performance.now();
    const g = gradeFreeText(big, leaf);
    expect(performance.now() - start).toBeLessThan(250);
    expect(g.score).toBeGreaterThan(0);
  });

  it('survives malformed key points from untyped callers', () => {
    const bad = [{ point: 'x', accept: [42, null] }, { point: 'y' }] as unknown as KeyPoint[];
    expect(gradeFreeText('x y', bad).score).toBe(0);
    expect(gradeFreeText('x', [null] as unknown as KeyPoint[]).missed).toEqual([null]);
    expect(gradeFreeText('x', undefined as unknown as KeyPoint[]).score).toBe(0);
  });
});
