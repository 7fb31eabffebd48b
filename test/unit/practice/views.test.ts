import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBank, type Prompt } from '../../../src/bank/load.js';
import { drillKinds } from '../../../src/drills/index.js';
import { gradeNumeric } from '../../../src/quiz/grade.js';
import { readable } from '../../../src/render/readable.js';
import { splitPages } from '../../../src/render/discord/pages.js';
import { createRenderer, type PooledRenderer } from '../../../src/render/index.js';
import { actionRows, type CardPayload } from '../../../src/platform/discord/card.js';
import {
  detailScreen,
  drillResultScreen,
  drillScreen,
  feedbackScreen,
  finishedScreen,
  firstSentence,
  questionScreen,
  sectionSource,
  type Section,
} from '../../../src/practice/discord/views.js';
import { messageText } from '../../support/fake-discord.js';
import { answeredStep, everyAnsweredStep, median, stepOf } from '../../support/practice-steps.js';
import { findMidWordCuts, findRawTex } from '../../support/visible-text.js';
import { decodePng } from '../../support/png.js';

/** What a member reads on a card, as the fake Discord would show it. */
const visible = (p: CardPayload) => messageText({ content: '', embeds: [], components: p.components, flags: p.flags } as never);
const labels = (p: CardPayload) => actionRows(p.components).flatMap((r) => r.components.map((c) => ('label' in c ? c.label : undefined)));
const customIds = (p: CardPayload) => actionRows(p.components).flatMap((r) => r.components.map((c) => ('custom_id' in c ? c.custom_id : '')));
const galleryItems = (p: CardPayload) => JSON.stringify(p.components).match(/attachment:\/\//g)?.length ?? 0;
const words = (s: string) => s.split(/\s+/).filter(Boolean).join(' ');

const bank = loadBank();
let renderer: PooledRenderer;

beforeAll(async () => {
  renderer = createRenderer({ size: 2 });
  await renderer.whenReady();
}, 60_000);

afterAll(async () => {
  await renderer.close();
});

/** Prompts with the most formulas in their model answers (the hardest to page). */
const mathsHeavy = [...bank.prompts].sort((a, b) => readable(b.answer).formulas.length - readable(a.answer).formulas.length).slice(0, 3);

describe('practice question card', () => {
  it('is text: the question and every option whole, no image when the question has no maths, letter buttons and "my own words"', async () => {
    const prompt = [...bank.prompts].sort((a, b) => Math.max(...[b.choice.correct, ...b.choice.distractors].map((o) => o.length)) - Math.max(...[a.choice.correct, ...a.choice.distractors].map((o) => o.length)))[0]!;
    expect(readable(prompt.question).formulas).toEqual([]);
    const step = stepOf(prompt, 'A chain');
    const card = await questionScreen(step, renderer, 'dark');
    const text = visible(card);
    expect(text).toContain(prompt.question);
    for (const o of step.options) expect(text).toContain(o.text); // the longest options of the bank, not clipped
    expect(text).toMatch(/Chain · A chain · root question \(1 of 2\)/);
    expect(card.files).toEqual([]);
    expect(galleryItems(card)).toBe(0);
    expect(labels(card)).toEqual([...'ABCDE'.slice(0, step.options.length)].concat('Answer in my own words'));
    expect(findMidWordCuts(text)).toEqual([]);
  });

  it('draws a formula of the question as an image in the card, and only that', async () => {
    const base = bank.prompts[0]!;
    const prompt: Prompt = { ...base, question: `With $$\\frac{\\partial L}{\\partial w} = \\sum_i g_i x_i,$$ what does ${base.question}` };
    const card = await questionScreen(stepOf(prompt), renderer, 'light');
    expect(card.files.map((f) => f.name)).toEqual(['q-1.png']);
    expect(galleryItems(card)).toBe(1);
    const png = await decodePng(card.files[0]!.attachment as Buffer);
    expect(png.width).toBeGreaterThan(60);
    const text = visible(card);
    expect(findRawTex(text)).toEqual([]);
    expect(text).toContain('(formula 1 below)');
  });
});

describe('practice feedback', () => {
  const all = everyAnsweredStep();

  it('is short for every prompt of the bank, answered every way (median and worst case), with no raw TeX and no cut words', async () => {
    const lengths: number[] = [];
    for (const { prompt, way, step } of all) {
      const card = await feedbackScreen(step, renderer, 'dark');
      const text = visible(card);
      lengths.push(text.length);
      expect(text.length, `${prompt.id} ${way}`).toBeLessThan(1400);
      expect(findRawTex(text), `${prompt.id} ${way}`).toEqual([]);
      expect(findMidWordCuts(text), `${prompt.id} ${way}`).toEqual([]);
      // The long material is not on the short card, but one click away.
      if (prompt.answer.length > 400) expect(text).not.toContain(prompt.answer);
      expect(labels(card)).toEqual(expect.arrayContaining(['Model answer', 'What was tested', 'Why the others are wrong']));
    }
    // Before Components v2 the median feedback message was 1,997 characters (4-5 embed fields).
    expect(median(lengths)).toBeLessThan(700);
  });

  it('gives the verdict with the right option, and what a free-text answer missed', async () => {
    const prompt = bank.prompts.find((p) => p.keyPoints.length >= 4)!;
    const wrong = answeredStep(prompt, 'wrong');
    const letter = 'ABCDE'[wrong.options.findIndex((o) => o.correct)]!;
    const w = visible(await feedbackScreen(wrong, renderer, 'dark'));
    expect(w).toContain(`❌ Not quite: the answer is ${letter}`);
    expect(w).toContain(`**${letter}.** ${prompt.choice.correct}`);
    expect(w).toContain(`**Why:** ${firstSentence(prompt.choice.explanation)}`);
    expect(visible(await feedbackScreen(answeredStep(prompt, 'right'), renderer, 'dark'))).toContain(`✅ Correct: ${letter}`);

    const half = answeredStep(prompt, 'half-points');
    const h = await feedbackScreen(half, renderer, 'dark');
    const text = visible(h);
    expect(text).toMatch(/🟡 Partly there \(\d\/\d\)/);
    const answered = half.answered!;
    if (answered.kind !== 'text') throw new Error('expected a free-text answer');
    expect(answered.grade.missed.length).toBeGreaterThan(0);
    for (const k of answered.grade.missed) expect(text).toContain(`❌ ${k.point}`);
    for (const k of answered.grade.hit) expect(text).not.toContain(k.point);
    expect(labels(h).slice(0, 4)).toEqual(['Again', 'Hard', 'Good', 'Easy']);
    expect(customIds(h).filter((id) => id.startsWith('bp1:pd:'))).toHaveLength(3);
  });

  it('the one line of why is the first sentence, whole', () => {
    expect(firstSentence('The score is $0.5$ here. Then more. And more.')).toBe('The score is $0.5$ here.');
    expect(firstSentence('Both p = 0.5. and e.g. x. No split inside $a. B$ maths. End.')).toBe('Both p = 0.5. and e.g. x.');
    expect(firstSentence('One sentence only')).toBe('One sentence only');
  });
});

describe('the whole feedback, one click away', () => {
  it('splits every section of every prompt into pages that fit a card and lose nothing', () => {
    for (const prompt of bank.prompts) {
      for (const section of ['a', 't', 'w'] as Section[]) {
        const source = sectionSource(stepOf(prompt), section);
        const pages = splitPages(source, { chars: 3400, formulas: 9 });
        expect(words(pages.join(' ')), `${prompt.id} ${section}`).toBe(words(source));
        for (const page of pages) {
          const r = readable(page);
          expect(r.text.length).toBeLessThanOrEqual(3400);
          expect(r.formulas.length).toBeLessThanOrEqual(9);
        }
      }
    }
  });

  it('pages break between paragraphs, sentences or words, never inside a formula', () => {
    const source = ['First paragraph with $\\alpha^2$ and words.', 'Second $$\\sum_{i=1}^n x_i . y_i$$ paragraph. Another sentence here.', 'Third.'].join('\n\n');
    const pages = splitPages(source, { chars: 60, formulas: 1 });
    expect(pages.length).toBeGreaterThan(2);
    for (const p of pages) expect((p.match(/\$\$/g)?.length ?? 0) % 2).toBe(0);
    expect(words(pages.join(' '))).toBe(words(source));
    expect(splitPages('', { chars: 10, formulas: 1 })).toEqual(['']);
  });

  it('shows the model answer whole, its formulas as images, in pages with page buttons when longer than a card', async () => {
    for (const prompt of mathsHeavy) {
      const step = answeredStep(prompt, 'wrong');
      const first = await detailScreen(step, 'a', 0, renderer, 'dark');
      const pageCount = Number(/page \d+ of (\d+)/.exec(visible(first))?.[1] ?? 1);
      const seen: string[] = [];
      for (let page = 0; page < pageCount; page++) {
        const card = page === 0 ? first : await detailScreen(step, 'a', page, renderer, 'dark');
        const text = visible(card);
        expect(findRawTex(text), prompt.id).toEqual([]);
        expect(findMidWordCuts(text), prompt.id).toEqual([]);
        expect(card.files.length).toBeLessThanOrEqual(10);
        expect(galleryItems(card)).toBe(card.files.length);
        const formulas = readable(splitPages(sectionSource(step, 'a'), { chars: 3400, formulas: 9 })[page]!).formulas.length;
        expect(card.files.length).toBe(formulas);
        const ids = customIds(card);
        if (pageCount > 1) expect(ids.length).toBe(page === 0 || page === pageCount - 1 ? 1 : 2);
        seen.push(text.split('\n').slice(2).join('\n'));
      }
      // Every sentence of the model answer that is plain text is on one of the pages.
      const all = words(seen.join('\n'));
      for (const sentence of prompt.answer.split(/(?<=\.)\s+/).filter((s) => !s.includes('$'))) expect(all, prompt.id).toContain(words(sentence));
    }
  });

  it('pages a model answer longer than a card, whole, with Previous/Next buttons that carry the page', async () => {
    const paragraph = (n: number) => `Paragraph ${n} explains one more idea in plain words, ${'with enough detail to matter '.repeat(40)}and ends here.`;
    const prompt: Prompt = { ...bank.prompts[0]!, answer: [1, 2, 3, 4].map(paragraph).join('\n\n') };
    const step = answeredStep(prompt, 'right');
    const cards = await Promise.all([0, 1, 2].map((p) => detailScreen(step, 'a', p, renderer, 'dark')));
    const texts = cards.map(visible);
    expect(texts[0]).toMatch(/Model answer · page 1 of 2/);
    expect(texts[1]).toMatch(/Model answer · page 2 of 2/);
    expect(texts[2]).toBe(texts[1]); // past the end: the last page
    for (const t of texts) expect(findMidWordCuts(t)).toEqual([]);
    const joined = words(texts.slice(0, 2).join(' '));
    for (let n = 1; n <= 4; n++) expect(joined).toContain(words(paragraph(n)));
    expect(labels(cards[0]!)).toEqual(['Next page']);
    expect(customIds(cards[0]!)).toEqual([`bp1:pd:${step.session.id}:0:a:1`]);
    expect(labels(cards[1]!)).toEqual(['Previous page']);
    expect(customIds(cards[1]!)).toEqual([`bp1:pd:${step.session.id}:0:a:0`]);
  });

  it('what was tested lists the key points; why the others are wrong names the right option', async () => {
    const prompt = bank.prompts[5]!;
    const step = answeredStep(prompt, 'right');
    const t = visible(await detailScreen(step, 't', 0, renderer, 'dark'));
    expect(t).toContain(prompt.testing);
    for (const k of prompt.keyPoints) expect(t).toContain(k.point);
    const w = visible(await detailScreen(step, 'w', 0, renderer, 'dark'));
    expect(w).toContain(prompt.choice.explanation);
    expect(w).toContain(`${prompt.choice.correct}** is right.`);
  });
});

describe('drill cards', () => {
  it('every kind: the question as text with its formulas as images and its figure, the solution whole and paged, no raw TeX', async () => {
    for (const kind of drillKinds) {
      for (const seed of [1, 2]) {
        const drill = kind.generate(seed);
        const q = await drillScreen('00000000-0000-4000-8000-000000000000', drill, renderer, 'dark');
        const qt = visible(q);
        expect(findRawTex(qt), `${kind.id} ${seed}`).toEqual([]);
        expect(q.files.length).toBeLessThanOrEqual(10);
        expect(q.files.length).toBe(readable(drill.question).formulas.length + (q.files.some((f) => f.name === 'figure.png') ? 1 : 0));
        if (drill.figure?.type === 'roc') expect(q.files.map((f) => f.name)).toContain('figure.png');
        expect(labels(q)).toEqual(['Enter my answer']);

        const right = gradeNumeric(drill.answerText, { answer: drill.answer, tolerance: drill.tolerance, answerText: drill.answerText });
        const pages = splitPages(drill.solution, { chars: 3400, formulas: 9 });
        const shown: string[] = [];
        for (let page = 0; page < pages.length; page++) {
          const r = await drillResultScreen('00000000-0000-4000-8000-000000000000', drill, right, renderer, 'dark', page);
          const rt = visible(r);
          expect(rt).toContain(`✅ Correct: ${drill.answerText}`);
          expect(findRawTex(rt), `${kind.id} ${seed}`).toEqual([]);
          expect(findMidWordCuts(rt)).toEqual([]);
          expect(r.files.length).toBeLessThanOrEqual(10);
          shown.push(rt);
        }
        expect(shown.join('\n')).toContain(drill.answerText);
      }
    }
  }, 120_000);

  it('a result page shows the verdict and the grader’s one line', async () => {
    const drill = drillKinds[0]!.generate(3);
    const wrong = gradeNumeric(String(drill.answer + 0.2), { answer: drill.answer, tolerance: drill.tolerance, answerText: drill.answerText });
    const card = await drillResultScreen('00000000-0000-4000-8000-000000000000', drill, wrong, renderer, 'dark');
    const text = visible(card);
    expect(text).toContain(`❌ Not quite: the answer is ${drill.answerText}`);
    expect(text).toMatch(/You entered [\d.]+; the answer is/);
    expect(text).not.toMatch(/❌ You entered/); // the emoji once, in the verdict
    expect(text).toContain('**Worked solution**');
  });
});

describe('end of a session', () => {
  it('counts with the right plurals', () => {
    expect(visible(finishedScreen({ answered: 1, correct: 1, nextDue: null }))).toContain('You answered 1 question, 1 fully right.');
    const many = visible(finishedScreen({ answered: 4, correct: 2, nextDue: new Date(Date.UTC(2030, 0, 1)) }));
    expect(many).toContain('You answered 4 questions, 2 fully right.');
    expect(many).toMatch(/Your next review is due <t:\d+:R>\./);
  });

});
