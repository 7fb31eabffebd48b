/**
 * The drop's cards over the whole bank (within Discord's limits, whole options and answers, no
 * internal id, nothing cut mid-word), the reveal's pages, and the private replies' words.
 */
import { AttachmentBuilder } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { loadBank, type Chain } from '../../src/bank/load.js';
import { closedCard, choiceReply, dropPostedReply, mineReply, questionCard, revealCards, revealPages, revealWhen, summaryCard, textReply, type TypesetQuestion, type TypesetReveal } from '../../src/drop/discord/views.js';
import { dropOptions } from '../../src/drop/rules.js';
import type { DropAnswerResult, DropTextAnswerResult } from '../../src/drop/service.js';
import type { Distribution, Drop, MemberDropAnswers, StepReveal } from '../../src/drop/types.js';
import type { CardPayload } from '../../src/platform/discord/card.js';
import { readable } from '../../src/render/readable.js';
import { findMidWordCuts, findRawTex } from '../support/visible-text.js';

const bank = loadBank();
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const drop = (chain: Chain, extra: Partial<Drop> = {}): Drop => ({
  id: '3f0c9a52-8d1e-4c3b-9a7e-1b2c3d4e5f60',
  scheduleId: null,
  slotAt: new Date(0),
  guildId: '100000000000000001',
  channelId: '100000000000000002',
  chainId: chain.id,
  roleId: null,
  revealEveryMinutes: 60,
  revealAfterAnswers: null,
  late: false,
  status: 'active',
  posted: 0,
  nextStepAt: new Date(0),
  threadId: '100000000000000003',
  ...extra,
});

/** What typeset() gives, without drawing: readable texts, one (empty) file per formula. */
function typesetLike(texts: string[], prefix: string) {
  const out = { texts: [] as string[], files: [] as AttachmentBuilder[], images: [] as { name: string; description: string }[] };
  let n = 0;
  for (const t of texts) {
    const r = readable(t, { firstFormula: n + 1 });
    out.texts.push(r.text);
    for (const _ of r.formulas) {
      n++;
      out.files.push(new AttachmentBuilder(Buffer.alloc(0), { name: `${prefix}-${n}.png` }));
      out.images.push({ name: `${prefix}-${n}.png`, description: `Formula ${n}` });
    }
  }
  return out;
}
const questionOf = (r: { prompt: { question: string }; options: { text: string }[] }): TypesetQuestion => {
  const t = typesetLike([r.prompt.question, ...r.options.map((o) => o.text)], 'q');
  return { question: t.texts[0]!, options: t.texts.slice(1), files: t.files, images: t.images };
};
const revealOf = (r: StepReveal): TypesetReveal => {
  const t = typesetLike([...r.options.map((o) => o.text), r.prompt.answer, r.prompt.testing], 'answer');
  const n = r.options.length;
  return { options: t.texts.slice(0, n), answer: t.texts[n]!, testing: t.texts[n + 1]!, files: t.files, images: t.images };
};

/** Every text display, label and option of a card. */
function cardText(p: CardPayload): string {
  const out: string[] = [];
  const walk = (nodes: readonly unknown[]) => {
    for (const n of nodes as { type: number; content?: string; label?: string; components?: unknown[] }[]) {
      if (n.type === 10 && n.content) out.push(n.content);
      if (n.label) out.push(n.label);
      if (n.components) walk(n.components);
    }
  };
  walk(p.components);
  return out.join('\n');
}
const words = (s: string) => s.split(/\s+/).filter(Boolean);
/** True when `needle` appears in `haystack` in order (other words, such as a page's title, may come between). */
function inOrder(needle: string[], haystack: string[]): boolean {
  let i = 0;
  for (const w of haystack) if (w === needle[i]) i++;
  return i === needle.length;
}

describe('drop cards over the whole bank', () => {
  it('every step, closed step, reveal and summary fits a card, shows the options and answers whole, and never an id', () => {
    let pages = 0;
    for (const chain of bank.chains) {
      const d = drop(chain, { roleId: '100000000000000009' });
      const topicTitle = bank.topicById.get(chain.topic)!.title;
      for (const [step, prompt] of chain.prompts.entries()) {
        const asked = { prompt, options: dropOptions(prompt, d.id, step) };
        const dist: Distribution = { counts: new Map(asked.options.map((o, i) => [o.text, i * 7])), ownWords: 3, total: 3 + asked.options.reduce((n, _, i) => n + i * 7, 0) };
        const reveal: StepReveal = { step, ...asked, distribution: dist, messageId: '100000000000000004' };
        const cards = [
          questionCard({ drop: d, chain, topicTitle, step, recovering: false, closesAt: new Date(3_600_000), question: asked }, questionOf(asked)),
          closedCard({ drop: d, chain, topicTitle }, reveal, questionOf(asked)),
          ...revealCards(d, reveal, revealOf(reveal)).map((r) => r.payload),
        ];
        pages += cards.length - 2;
        for (const card of cards) {
          const text = cardText(card);
          expect(text).not.toMatch(UUID);
          expect(findMidWordCuts(text)).toEqual([]);
          expect(card.files.length).toBeLessThanOrEqual(10);
        }
        for (const o of asked.options) expect(cardText(cards[0]!)).toContain(readable(o.text).text);
        // The reveal's pages hold the whole model answer and what it tested, word for word, in order.
        const revealed = words(cards.slice(2).map(cardText).join(' '));
        expect(inOrder(words(readable(prompt.answer).text), revealed)).toBe(true);
        expect(inOrder(words(readable(prompt.testing).text), revealed)).toBe(true);
      }
      const summary = summaryCard(d, chain, { participants: 1, perStep: chain.prompts.map(() => ({ answered: 1, correct: 1 })), fastest: null });
      expect(cardText(summary)).toContain('1 participant\n');
    }
    expect(pages).toBeGreaterThanOrEqual(bank.prompts.length);
  });
});

describe('reveal pages', () => {
  it('splits long text on paragraph boundaries, each page within the limit, losing nothing', () => {
    const paragraphs = Array.from({ length: 12 }, (_, i) => `Paragraph ${i} ${'word '.repeat(120).trim()}.`);
    const pages = revealPages(paragraphs.join('\n\n'), 1500);
    expect(pages.length).toBeGreaterThan(1);
    for (const p of pages) expect(p.length).toBeLessThanOrEqual(1500);
    expect(pages.join('\n\n')).toBe(paragraphs.join('\n\n'));
  });

  it('keeps each page to ten formulas (a message carries at most ten files)', () => {
    const text = Array.from({ length: 25 }, (_, i) => `Step ${i + 1} gives (formula ${i + 1} below).`).join(' ');
    const pages = revealPages(text);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(pages.length).toBeLessThanOrEqual(4);
    for (const p of pages) expect((p.match(/formula \d+/g) ?? []).length).toBeLessThanOrEqual(10);
    expect(words(pages.join(' '))).toEqual(words(text));
  });

  it('keeps the line breaks of a list it has to cut', () => {
    const list = Array.from({ length: 40 }, (_, i) => `- item ${i} ${'detail '.repeat(12).trim()}`).join('\n');
    const pages = revealPages(`**Model answer**\n${list}`, 1000);
    expect(pages.length).toBeGreaterThan(1);
    for (const p of pages) expect(p.split('\n').every((line) => line.startsWith('- ') || line === '**Model answer**')).toBe(true);
    expect(pages.join('\n')).toBe(`**Model answer**\n${list}`);
  });

  it('shows every formula image, ten a message, even those the text does not name', () => {
    const chain = bank.chains[0]!;
    const d = drop(chain);
    const prompt = { ...chain.prompts[0]!, answer: 'Short answer with no formula references.' };
    const reveal: StepReveal = { step: 0, prompt, options: dropOptions(prompt, d.id, 0), distribution: { counts: new Map(), ownWords: 0, total: 0 }, messageId: null };
    const t = revealOf(reveal);
    for (let i = 1; i <= 23; i++) {
      t.files.push(new AttachmentBuilder(Buffer.alloc(0), { name: `answer-${i}.png` }));
      t.images.push({ name: `answer-${i}.png`, description: `Formula ${i}` });
    }
    const cards = revealCards(d, reveal, t);
    expect(cards.map((c) => c.payload.files.length)).toEqual([10, 10, 3]);
    expect(new Set(cards.flatMap((c) => c.payload.files.map((f) => f.name))).size).toBe(23);
    expect(new Set(cards.map((c) => c.marker)).size).toBe(3);
    expect(cardText(cards[0]!.payload)).toContain('nobody answered');
  });

  it('is one page, unchanged, when it fits', () => {
    expect(revealPages('**Model answer**\nShort.\n\n**What it was testing**\nThat.')).toEqual(['**Model answer**\nShort.\n\n**What it was testing**\nThat.']);
  });
});

describe('the words of drop messages', () => {
  const chain = bank.chains[0]!;
  const d = drop(chain, { nextStepAt: new Date(1_800_000_000_000) });
  const base: DropAnswerResult = { drop: d, stored: true, live: true, correct: true, verdict: 'correct', points: 1420, prompt: chain.prompts[0]!, options: [] };
  const oneSentence = (s: string) => expect(s).toMatch(/^[^.!?\n]+[.]$/);

  it('answers each answer in one short sentence, plurals right', () => {
    oneSentence(choiceReply(base));
    expect(choiceReply(base)).toBe('✅ Correct, +1,420 points; the answer is revealed <t:1800000000:R>.');
    expect(choiceReply({ ...base, correct: false, verdict: 'wrong', points: 0 })).toBe('❌ Not this one; the answer is revealed <t:1800000000:R>.');
    expect(choiceReply({ ...base, stored: false })).toBe('You already answered this question; your first answer counts.');
    const text: DropTextAnswerResult = { ...base, correct: false, verdict: 'partial', points: 0, hit: ['a'], missed: [] };
    expect(textReply({ ...text, missed: ['b', 'c'] })).toBe('🟡 1 of 3 key points; the model answer is revealed <t:1800000000:R>.');
    expect(textReply({ ...text, correct: true, verdict: 'correct', points: 1001 })).toBe('✅ 1 of 1 key point, +1,001 points; the model answer is revealed <t:1800000000:R>.');
    expect(dropPostedReply(chain, 1)).toBe(`Posted a drop: **${chain.title}**; its follow-ups arrive in its thread every 1 minute.`);
    oneSentence(dropPostedReply(chain, 60));
  });

  it('says when the answer comes, by countdown or by answers', () => {
    const at = new Date(1_800_000_000_000);
    expect(revealWhen({ revealEveryMinutes: 5, revealAfterAnswers: null }, at)).toBe('<t:1800000000:R>');
    expect(revealWhen({ revealEveryMinutes: null, revealAfterAnswers: 1 }, at)).toBe('after 1 answer, <t:1800000000:R> at the latest');
    expect(revealWhen({ revealEveryMinutes: 5, revealAfterAnswers: 3 }, at)).toBe('<t:1800000000:R>, or sooner after 3 answers');
  });

  it('tells a member what they answered, step by step', () => {
    const steps = chain.prompts.map((prompt, step) => ({ step, prompt, options: dropOptions(prompt, d.id, step), answer: null })) as MemberDropAnswers['steps'];
    const right = steps[0]!.options.findIndex((o) => o.correct);
    steps[0]!.answer = { given: steps[0]!.options[right]!.text, verdict: 'correct', points: 1500 };
    steps[1]!.answer = { given: 'my own words', verdict: 'partial', points: 0 };
    const m: MemberDropAnswers = { chain, steps };
    expect(mineReply(m, 0)).toBe(`You answered **${'ABCDE'[right]}**: ✅ right, +1,500 points.`);
    expect(mineReply(m, 1)).toBe('You answered in your own words: 🟡 partly right.');
    expect(mineReply(m, 2)).toBe('You did not answer follow-up 2.');
    const all = mineReply(m, chain.prompts.length);
    expect(all.split('\n')).toHaveLength(chain.prompts.length + 1);
    expect(all).toContain('Follow-up 2: no answer');
    expect(all.endsWith('Total: 1,500 points.')).toBe(true);
    expect(mineReply({ chain, steps: steps.map((s) => ({ ...s, answer: null })) }, chain.prompts.length)).toBe('You did not answer this drop.');
  });

  it('counts a closed step with the right plural', () => {
    const prompt = chain.prompts[0]!;
    const options = dropOptions(prompt, d.id, 0);
    const reveal: StepReveal = { step: 0, prompt, options, distribution: { counts: new Map([[options[0]!.text, 1]]), ownWords: 0, total: 1 }, messageId: null };
    const text = cardText(closedCard({ drop: d, chain, topicTitle: 'T' }, reveal, questionOf(reveal)));
    expect(text).toContain('🔒 Closed · 1 answer;');
    expect(findRawTex(text)).toEqual([]);
  });
});
