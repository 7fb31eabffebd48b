import { SPEED_GAME_RULE } from '../../../src/quiz/points.js';
import { ButtonStyle, ComponentType } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { loadBank } from '../../../src/bank/load.js';
import { ACCENTS, actionRows, type CardPayload } from '../../../src/platform/discord/card.js';
import { OPTION_LETTERS } from '../../../src/platform/discord/text.js';
import { readable } from '../../../src/render/readable.js';
import { sprintOptions } from '../../../src/sprint/rules.js';
import type { SprintRound } from '../../../src/sprint/service.js';
import type { Sprint, Standing } from '../../../src/sprint/types.js';
import { answerReply, joinReply, lobbyMessage, questionTexts, resultsMessage, roundMessage, startedLobby, type QuestionText } from '../../../src/sprint/discord/views.js';

const bank = loadBank();
const now = new Date('2026-06-11T10:00:00.000Z');
const deadline = new Date(now.getTime() + 20_000);

function sprintOf(questions: string[], extra: Partial<Sprint> = {}): Sprint {
  return { id: '5d0b8e4e-1f7a-4f3e-8d7c-2b9a6c1e0f42', guildId: 'g', channelId: 'c', starterId: '111', topic: null, status: 'active', questions, secondsPerRound: 20, round: 0, roundStartedAt: now, deadline, messageId: null, ...extra };
}
function roundOf(s: Sprint, round: number, promptId = s.questions[round]!): SprintRound {
  const prompt = bank.promptById.get(promptId)!;
  return { sprint: s, round, prompt, options: sprintOptions(prompt, s.id, round) };
}
function plain(texts: string[]): QuestionText {
  let n = 1;
  return { texts: texts.map((t) => { const r = readable(t, { firstFormula: n }); n += r.formulas.length; return r.text; }), images: [], files: [] };
}
type Node = { type: number; content?: string; label?: string; style?: number; disabled?: boolean; accent_color?: number; components?: Node[] };
const container = (p: CardPayload) => p.components[0] as unknown as Node;
const text = (p: CardPayload) => (container(p).components ?? []).filter((c) => c.type === ComponentType.TextDisplay).map((c) => c.content ?? '').join('\n');
const buttons = (p: CardPayload) => actionRows(p.components).flatMap((r) => r.components as unknown as Node[]);
const standing = (userId: string, points: number, correct: number): Standing => ({ userId, name: userId, points, correct });

describe('sprint cards', () => {
  const ids = bank.prompts.slice(0, 3).map((p) => p.id);

  it('a live question: the sprint colour, text and options whole, letter buttons, a countdown', () => {
    const r = roundOf(sprintOf(ids), 0);
    const payload = roundMessage(r, plain(questionTexts(r)));
    expect(container(payload).accent_color).toBe(ACCENTS.sprint);
    const t = text(payload);
    expect(t).toContain('**Sprint question 1 of 3**');
    expect(t).toContain(`Closes <t:${Math.ceil(deadline.getTime() / 1000)}:R>`);
    r.options.forEach((o, i) => expect(t).toContain(`**${OPTION_LETTERS[i]}.** ${readable(o.text).text}`));
    expect(buttons(payload).every((b) => !b.disabled)).toBe(true);
  });

  it('a closed question: buttons disabled and the right one green, ✅ on it, the distribution, the top five, Closed', () => {
    const s = sprintOf(ids, { round: 1 });
    const r = roundOf(s, 0);
    const wrong = r.options.find((o) => !o.correct)!;
    const distribution = new Map([[0, 3], [wrong.id, 1]]);
    const standings = ['a', 'b', 'c', 'd', 'e', 'f'].map((u, i) => standing(u, 2000 - i * 100, 1));
    const payload = roundMessage(r, plain(questionTexts(r)), { recap: { ...r, distribution }, standings });
    expect(container(payload).accent_color).toBe(ACCENTS.closed);
    const t = text(payload);
    const right = OPTION_LETTERS[r.options.findIndex((o) => o.correct)]!;
    expect(t).toContain(`✅ **${right}.** `);
    expect(t).toContain(`🔒 **Closed** · the answer was **${right}** · 4 answers`);
    expect(t).toContain(`✅ **${right}**: 3 (75%)`);
    expect(t).toContain(`▫️ **${OPTION_LETTERS[r.options.indexOf(wrong)]}**: 1 (25%)`);
    expect(t).toContain('**Top five**\n1. a: 2,000\n2. b: 1,900\n3. c: 1,800\n4. d: 1,700\n5. e: 1,600');
    expect(t).not.toContain('f: 1,500');
    expect(t).not.toMatch(/<t:\d+:R>/);
    expect(buttons(payload).map((b) => [b.disabled, b.style])).toEqual(r.options.map((o) => [true, o.correct ? ButtonStyle.Success : ButtonStyle.Secondary]));
    const none = text(roundMessage(r, plain(questionTexts(r)), { recap: { ...r, distribution: new Map() }, standings: [] }));
    expect(none).toContain('· 0 answers');
    expect(none).toContain('nobody yet');
  });

  it('every bank question fits a sprint card, open and closed', () => {
    const s = sprintOf(bank.prompts.map((p) => p.id));
    for (const p of bank.prompts) {
      const r = roundOf(s, 0, p.id);
      expect(() => roundMessage(r, plain(questionTexts(r)))).not.toThrow();
      expect(() => roundMessage(r, plain(questionTexts(r)), { recap: { ...r, distribution: new Map() }, standings: [] })).not.toThrow();
    }
  });

  it('counts right: "1 question", "1 player", never "1 questions"', () => {
    const one = sprintOf([ids[0]!], { status: 'lobby', deadline });
    expect(text(lobbyMessage(one))).toContain('🏃 **Sprint!** 1 question, 20 s each.');
    expect(text(lobbyMessage(one))).toMatch(/starts <t:\d+:R>/);
    expect(text(lobbyMessage(sprintOf(ids, { topic: 'roc-auc' })))).toContain('3 questions on **roc-auc**');
    expect(text(startedLobby(one, 1))).toContain('started with 1 player: 1 question below');
    expect(joinReply({ joined: true, players: 1 })).toBe("You're in, with 1 player so far.");
    expect(joinReply({ joined: true, players: 2 })).toBe("You're in, with 2 players so far.");
    const results = text(resultsMessage(one, [standing('ann', 1500, 1)]));
    expect(results).toContain('🏁 **Sprint over!** 1 player · 1 question');
    expect(results).toContain('🥇 ann: 1,500 · 1/1 right');
    for (const t of [text(lobbyMessage(one)), text(startedLobby(one, 1)), results]) expect(t).not.toMatch(/\b1 (questions|players)\b/);
  });

  it('the results: the top ten with points and right answers, how many more, how points work', () => {
    const s = sprintOf(ids, { status: 'finished' });
    const standings = Array.from({ length: 12 }, (_, i) => standing(`p${i}`, 3000 - i * 100, 3 - (i % 3)));
    const t = text(resultsMessage(s, standings));
    expect(t).toContain('12 players · 3 questions');
    expect(t).toContain('🥇 p0: 3,000 · 3/3 right\n🥈 p1: 2,900 · 2/3 right\n🥉 p2: 2,800 · 1/3 right\n4. p3: 2,700 · 3/3 right');
    expect(t).toContain('10. p9: 2,100');
    expect(t).not.toContain('p10:');
    expect(t).toContain('and 2 more players');
    expect(t).toContain(SPEED_GAME_RULE);
    expect(resultsMessage(s, standings).files).toEqual([]);
  });

  it('clicks are confirmed privately in one short sentence', () => {
    for (const r of [answerReply({ stored: true, correct: true, points: 1500 }), answerReply({ stored: true, correct: false, points: 0 }), answerReply({ stored: false, correct: true, points: 0 })]) {
      expect(r.length).toBeLessThanOrEqual(80);
      expect(r.slice(0, -1)).not.toMatch(/[.!?]\s/);
    }
    expect(answerReply({ stored: true, correct: true, points: 1500 })).toBe('✅ Right, +1,500 points.');
  });
});
