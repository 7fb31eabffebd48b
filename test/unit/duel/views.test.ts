import { ButtonStyle, ComponentType } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { loadBank } from '../../../src/bank/load.js';
import { drillKinds, generateDrill } from '../../../src/drills/index.js';
import { duelOptions, tally } from '../../../src/duel/rules.js';
import { acceptedMessage, answerReply, challengeMessage, expiredMessage, resultMessage, roundMessage, roundTexts, type RoundText } from '../../../src/duel/discord/views.js';
import type { Duel, DuelOutcome, DuelQuestion, RoundAnswer } from '../../../src/duel/types.js';
import { ACCENTS, actionRows, type CardPayload } from '../../../src/platform/discord/card.js';
import { OPTION_LETTERS } from '../../../src/platform/discord/text.js';
import { readable } from '../../../src/render/readable.js';

const bank = loadBank();
const now = new Date('2026-06-10T10:00:00.000Z');
const deadline = new Date(now.getTime() + 20_000);
const prompt = bank.prompts[0]!;
const drill = generateDrill(drillKinds[0]!.id, 7)!;

function duelOf(questions: string[], extra: Partial<Duel> = {}): Duel {
  return {
    id: '0b0e9a52-8c1f-4c55-9a57-6f1d3d8c2a10',
    guildId: 'g',
    channelId: 'c',
    challengerId: '111',
    opponentId: '222',
    topic: null,
    level: null,
    status: 'active',
    questions,
    secondsPerRound: 20,
    round: 0,
    roundStartedAt: now,
    roundDeadline: deadline,
    challengeExpiresAt: new Date(now.getTime() + 300_000),
    messageId: null,
    winnerId: null,
    eloChange: null,
    challengerEloBefore: null,
    opponentEloBefore: null,
    ...extra,
  };
}

/** A round's texts made readable, without drawing (the publisher draws the formulas). */
function plain(texts: string[]): RoundText {
  let n = 1;
  return {
    texts: texts.map((t) => {
      const r = readable(t, { firstFormula: n });
      n += r.formulas.length;
      return r.text;
    }),
    images: [],
    files: [],
  };
}

type Node = { type: number; content?: string; custom_id?: string; label?: string; style?: number; disabled?: boolean; accent_color?: number; components?: Node[] };
const container = (p: CardPayload) => p.components[0] as unknown as Node;
const texts = (p: CardPayload) => (container(p).components ?? []).filter((c) => c.type === ComponentType.TextDisplay).map((c) => c.content ?? '');
const text = (p: CardPayload) => texts(p).join('\n');
const buttons = (p: CardPayload) => actionRows(p.components).flatMap((r) => r.components as unknown as Node[]);
const row = (userId: string, round: number, a: Partial<RoundAnswer>): RoundAnswer => ({ round, userId, correct: false, points: 0, answered: true, optionId: null, given: null, ...a });
const q = (duel: Duel, round: number): DuelQuestion => (duel.questions[round]!.startsWith('drill:') ? { type: 'drill', drill } : { type: 'prompt', prompt });

describe('duel cards', () => {
  it('a live round: the duel colour, the question as text, options A-E whole, letter buttons and a countdown to its end', () => {
    const duel = duelOf([prompt.id, prompt.id]);
    const payload = roundMessage(duel, 0, q(duel, 0), plain(roundTexts(duel, 0, q(duel, 0))));
    expect(container(payload).accent_color).toBe(ACCENTS.duel);
    expect(ACCENTS.duel).not.toBe(ACCENTS.wrong);
    const t = text(payload);
    expect(t).toContain('**Round 1 of 2**');
    expect(t).toContain(`<t:${Math.ceil(deadline.getTime() / 1000)}:R>`);
    const options = duelOptions(prompt, duel.id, 0);
    options.forEach((o, i) => expect(t).toContain(`**${OPTION_LETTERS[i]}.** ${readable(o.text).text}`));
    expect(t).not.toContain('✅');
    expect(buttons(payload).map((b) => [b.label, b.disabled ?? false])).toEqual(options.map((_, i) => [OPTION_LETTERS[i], false]));
  });

  it('a closed round: grey, every button disabled and the right one green, ✅ on the right option, who answered what and the totals, Closed', () => {
    const duel = duelOf([prompt.id, prompt.id], { round: 1 });
    const options = duelOptions(prompt, duel.id, 0);
    const right = options.findIndex((o) => o.correct);
    const wrong = options.findIndex((o) => !o.correct);
    const scores = tally(duel, [row('111', 0, { correct: true, points: 1500, optionId: 0 }), row('222', 0, { optionId: options[wrong]!.id })]);
    const payload = roundMessage(duel, 0, q(duel, 0), plain(roundTexts(duel, 0, q(duel, 0))), { duel, round: 0, question: q(duel, 0), scores });
    expect(container(payload).accent_color).toBe(ACCENTS.closed);
    const t = text(payload);
    expect(t).toContain(`✅ **${OPTION_LETTERS[right]}.** `);
    expect(t.match(/✅ \*\*[A-E]\.\*\*/g)).toHaveLength(1);
    expect(t).toContain(`🔒 **Closed** · the answer was **${OPTION_LETTERS[right]}**`);
    expect(t).toContain(`<@111>: **${OPTION_LETTERS[right]}** ✅ +1,500 · total **1,500**`);
    expect(t).toContain(`<@222>: **${OPTION_LETTERS[wrong]}** ❌ 0 · total **0**`);
    expect(t).not.toMatch(/<t:\d+:R>/);
    const b = buttons(payload);
    expect(b.every((x) => x.disabled === true)).toBe(true);
    expect(b.map((x) => x.style)).toEqual(options.map((o) => (o.correct ? ButtonStyle.Success : ButtonStyle.Secondary)));
  });

  it('a closed round says who did not answer, and a right answer that came too late', () => {
    const duel = duelOf([prompt.id], { status: 'scoring' });
    const scores = tally(duel, [row('111', 0, { answered: false }), row('222', 0, { correct: true, points: 0, optionId: 0 })]);
    const t = text(roundMessage(duel, 0, q(duel, 0), plain(roundTexts(duel, 0, q(duel, 0))), { duel, round: 0, question: q(duel, 0), scores }));
    expect(t).toContain('<@111>: ⌛ no answer · total **0**');
    expect(t).toMatch(/<@222>: \*\*[A-E]\*\* ✅ but too late, 0 · total \*\*0\*\*/);
  });

  it('a drill round: "Enter my answer" and a countdown; closed, the answer and what each typed, its button disabled and green', () => {
    const duel = duelOf(['drill:x:7', 'drill:x:8']);
    const live = roundMessage(duel, 0, q(duel, 0), plain(roundTexts(duel, 0, q(duel, 0))));
    expect(text(live)).toContain('numeric drill');
    expect(text(live)).toMatch(/Closes <t:\d+:R>/);
    expect(buttons(live).map((b) => b.label)).toEqual(['Enter my answer']);
    expect(text(live)).not.toContain('the answer was');
    const after = duelOf(duel.questions, { round: 1 });
    const scores = tally(after, [row('111', 0, { correct: true, points: 1200, given: drill.answerText }), row('222', 0, { given: '*42*' })]);
    const closed = roundMessage(after, 0, q(after, 0), plain(roundTexts(after, 0, q(after, 0))), { duel: after, round: 0, question: q(after, 0), scores });
    expect(text(closed)).toContain(`the answer was **${drill.answerText}`);
    expect(text(closed)).toContain(`<@111>: **${drill.answerText}** ✅ +1,200`);
    expect(text(closed)).toContain('<@222>: **\\*42\\*** ❌ 0'); // what a member typed is shown as typed, not as markdown
    expect(buttons(closed).map((b) => [b.disabled, b.style])).toEqual([[true, ButtonStyle.Success]]);
  });

  it('every bank question fits a round card, open and closed, with its options whole', () => {
    for (const p of bank.prompts) {
      const duel = duelOf([p.id]);
      const question: DuelQuestion = { type: 'prompt', prompt: p };
      const t = plain(roundTexts(duel, 0, question));
      expect(() => roundMessage(duel, 0, question, t)).not.toThrow();
      const closed = duelOf([p.id], { status: 'scoring' });
      expect(() => roundMessage(closed, 0, question, t, { duel: closed, round: 0, question, scores: tally(closed, []) })).not.toThrow();
    }
  });

  it('the challenge pings only the opponent and counts rounds right ("1 round", never "1 rounds")', () => {
    const one = challengeMessage(duelOf([prompt.id], { status: 'pending' }));
    expect(one.allowedMentions).toEqual({ parse: [], users: ['222'] });
    expect(container(one).accent_color).toBe(ACCENTS.duel);
    expect(text(one)).toContain('challenges you to a duel: 1 round on any topic, 20 s each.');
    expect(text(one)).toMatch(/expires <t:\d+:R>/);
    expect(buttons(one).map((b) => b.label)).toEqual(['Accept', 'Decline']);
    expect(text(acceptedMessage(duelOf([prompt.id])))).toContain('1 round, 20 s each');
    expect(text(challengeMessage(duelOf(['drill:a:1', 'drill:b:2'])))).toContain('2 rounds of numeric drills, 20 s each');
    expect(text(challengeMessage(duelOf([prompt.id, 'drill:b:2', prompt.id], { topic: 'ensembles', level: 'L5' })))).toContain('3 rounds of questions and numeric drills on **ensembles** at L5');
    for (const p of [one, acceptedMessage(duelOf([prompt.id])), expiredMessage({ id: 'x', channelId: 'c', challengerId: '111', opponentId: '222', messageId: null })]) {
      expect(text(p)).not.toMatch(/\b1 rounds\b/);
    }
  });

  it('the result says who won, the points and the Elo change, in the duel colour, with no image', () => {
    const duel = duelOf([prompt.id, prompt.id, prompt.id], { status: 'finished' });
    const outcome: DuelOutcome = {
      duel,
      a: { userId: '111', points: 3200, correct: 2, answered: 3 },
      b: { userId: '222', points: 1100, correct: 1, answered: 3 },
      scoreA: 1,
      elo: { a: { before: 1200, after: 1216, delta: 16 }, b: { before: 1200, after: 1184, delta: -16 } },
      perRound: [],
    };
    const payload = resultMessage(outcome, { a: 'ann', b: 'ben' });
    expect(payload.files).toEqual([]);
    expect(container(payload).accent_color).toBe(ACCENTS.duel);
    const t = text(payload);
    expect(t).toContain('🏆 ann wins!');
    expect(t).toContain('🥇 **ann**: 3,200 points · 2/3 right · Elo 1200 → 1216 (+16)');
    expect(t).toContain('▫️ **ben**: 1,100 points · 1/3 right · Elo 1200 → 1184 (−16)');
    expect(text(resultMessage({ ...outcome, scoreA: 0.5, b: { ...outcome.b, points: 3200 } }, { a: 'ann', b: 'ben' }))).toContain("It's a tie at 3,200 points!");
    const abandoned = text(resultMessage({ ...outcome, scoreA: null, elo: null }, { a: 'ann', b: 'ben' }));
    expect(abandoned).toContain('abandoned (no rating change)');
    expect(abandoned).not.toMatch(/Elo \d/);
  });

  it('answers are confirmed privately in one short sentence', () => {
    const base = { duel: duelOf([prompt.id]), bothAnswered: false };
    const replies = [
      answerReply({ ...base, stored: true, correct: true, points: 1234, late: false }),
      answerReply({ ...base, stored: true, correct: false, points: 0, late: false }),
      answerReply({ ...base, stored: true, correct: true, points: 0, late: true }),
      answerReply({ ...base, stored: false, correct: false, points: 0, late: false }),
    ];
    expect(replies[0]).toBe('✅ Right, +1,234 points.');
    for (const r of replies) {
      expect(r.length).toBeLessThanOrEqual(80);
      expect(r).toMatch(/[.!]$/);
      expect(r.slice(0, -1)).not.toMatch(/[.!?]\s/); // one sentence
    }
  });
});
