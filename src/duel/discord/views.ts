/**
 * What a duel shows in Discord, as Components v2 cards in the duel's own colour: the challenge
 * (and what became of it), each round (question as text, options whole, a countdown), the same
 * round once closed (buttons disabled, the answer marked, who answered what, the totals), the
 * result, the answer form and the private one-sentence replies.
 */
import { ActionRowBuilder, ButtonStyle, ModalBuilder, TextInputBuilder, TextInputStyle, escapeMarkdown } from 'discord.js';
import type { Drill } from '../../drills/index.js';
import { ACCENTS, button, cardPayload, closeButtons, type Card, type CardPart, type CardPayload } from '../../platform/discord/card.js';
import { SPEED_GAME_RULE } from '../../quiz/points.js';
import { encodeCustomId } from '../../platform/discord/custom-id.js';
import { OPTION_LETTERS, clip, count, countdown } from '../../platform/discord/text.js';
import type { AttachmentBuilder } from 'discord.js';
import { duelOptions } from '../rules.js';
import type { AnswerResult, ClosedDuelRound, Duel, DuelOutcome, DuelQuestion, ExpiredChallenge, RoundAnswer } from '../types.js';

export const DUEL_ROUTES = { accept: 'dza', decline: 'dzd', answer: 'dzq', numberOpen: 'dzn', numberSubmit: 'dzm' } as const;
const fmt = (n: number) => n.toLocaleString('en-US');
const signed = (n: number) => (n > 0 ? `+${n.toFixed(0)}` : n < 0 ? `−${Math.abs(n).toFixed(0)}` : '±0');

/** What a duel asks, in words: "3 rounds on **distillation**", "2 rounds of numeric drills". */
function what(duel: Duel): string {
  const drills = duel.questions.filter((q) => q.startsWith('drill:')).length;
  const rounds = count(duel.questions.length, 'round');
  if (drills === duel.questions.length) return `${rounds} of numeric drills`;
  const kind = drills === 0 ? '' : ' of questions and numeric drills';
  const on = duel.topic ? ` on **${duel.topic}**` : ' on any topic';
  return `${rounds}${kind}${on}${duel.level ? ` at ${duel.level}` : ''}`;
}

/** The challenge: only the opponent is pinged. */
export function challengeMessage(duel: Duel): CardPayload {
  return cardPayload(
    {
      accent: ACCENTS.duel,
      parts: [
        { text: `⚔️ <@${duel.opponentId}>, <@${duel.challengerId}> challenges you to a duel: ${what(duel)}, ${duel.secondsPerRound} s each.` },
        { text: `-# The challenge expires ${countdown(duel.challengeExpiresAt)}.` },
        { buttons: [button(encodeCustomId(DUEL_ROUTES.accept, duel.id), 'Accept', ButtonStyle.Success), button(encodeCustomId(DUEL_ROUTES.decline, duel.id), 'Decline')] },
      ],
    },
    [],
    { parse: [], users: [duel.opponentId] },
  );
}

export const acceptedMessage = (duel: Duel): CardPayload =>
  cardPayload({
    accent: ACCENTS.duel,
    parts: [{ text: `⚔️ <@${duel.challengerId}> vs <@${duel.opponentId}>: duel accepted! ${count(duel.questions.length, 'round')}, ${duel.secondsPerRound} s each; round 1 is below.` }],
  });

export const declinedMessage = (duel: Duel): CardPayload =>
  cardPayload({ accent: ACCENTS.closed, parts: [{ text: `⚔️ The duel between <@${duel.challengerId}> and <@${duel.opponentId}> was declined.` }] });

export const expiredMessage = (c: ExpiredChallenge): CardPayload =>
  cardPayload({ accent: ACCENTS.closed, parts: [{ text: `⌛ The duel challenge from <@${c.challengerId}> to <@${c.opponentId}> expired.` }] });

/**
 * A round's texts, typeset by the publisher (render/discord/math.ts): the question first, then
 * each option in the order shown (multiple-choice rounds), with no TeX left; and the gallery
 * items of its formulas and of a drill's figure, with the files that hold them.
 */
export interface RoundText {
  texts: string[];
  images: { name: string; description: string }[];
  files: AttachmentBuilder[];
}

/** The texts the publisher typesets for a round: the question, then its options in the order shown. */
export function roundTexts(duel: Duel, round: number, q: DuelQuestion): string[] {
  return q.type === 'drill' ? [q.drill.question] : [q.prompt.question, ...duelOptions(q.prompt, duel.id, round).map((o) => o.text)];
}

function header(duel: Duel, round: number, q: DuelQuestion): string {
  const of = `**Round ${round + 1} of ${duel.questions.length}**`;
  const about = q.type === 'drill' ? `numeric drill · ${escapeMarkdown(q.drill.title)}` : `${q.prompt.level} · ${q.prompt.topic}`;
  return `⚔️ ${of} · ${about}\n<@${duel.challengerId}> vs <@${duel.opponentId}>`;
}

/** What one player did in a closed round, with their total after it. */
function answerLine(q: DuelQuestion, duel: Duel, round: number, r: RoundAnswer | undefined, total: number, userId: string): string {
  let did: string;
  if (!r?.answered) did = '⌛ no answer';
  else {
    const picked =
      q.type === 'drill' ? `**${escapeMarkdown(r.given ?? '')}**` : `**${OPTION_LETTERS[duelOptions(q.prompt, duel.id, round).findIndex((o) => o.id === r.optionId)] ?? '?'}**`;
    did = r.correct ? (r.points > 0 ? `${picked} ✅ +${fmt(r.points)}` : `${picked} ✅ but too late, 0`) : `${picked} ❌ 0`;
  }
  return `<@${userId}>: ${did} · total **${fmt(total)}**`;
}

/**
 * A round's card. Open: letter buttons (or "Enter my answer" for a drill) and a countdown to
 * its end. Closed (`closed` given): the same question with the right option marked ✅, every
 * button disabled and the right one green, who answered what and the totals, "Closed".
 */
export function roundMessage(duel: Duel, round: number, q: DuelQuestion, text: RoundText, closed?: ClosedDuelRound): CardPayload {
  const [question = '', ...optionTexts] = text.texts;
  const parts: CardPart[] = [{ text: header(duel, round, q) }, { text: question }];
  if (text.images.length > 0) parts.push({ images: text.images });
  let rightId: string;
  if (q.type === 'drill') {
    rightId = encodeCustomId(DUEL_ROUTES.numberOpen, duel.id, round);
    parts.push({ buttons: [button(rightId, 'Enter my answer', ButtonStyle.Primary, '✍️')] });
  } else {
    const options = duelOptions(q.prompt, duel.id, round);
    parts.push({ text: options.map((o, i) => `${closed && o.correct ? '✅ ' : ''}**${OPTION_LETTERS[i]}.** ${optionTexts[i] ?? o.text}`).join('\n') });
    const ids = options.map((o) => encodeCustomId(DUEL_ROUTES.answer, duel.id, round, o.id));
    rightId = ids[options.findIndex((o) => o.correct)]!;
    parts.push({ buttons: options.map((_, i) => button(ids[i]!, OPTION_LETTERS[i]!)) });
  }
  if (!closed) {
    const rules = q.type === 'drill' ? ' · tolerance as the question says' : '';
    parts.push({ text: `-# ⏱️ Closes ${countdown(duel.roundDeadline ?? new Date())} · only the two duelists can answer; answers stay private${rules}` });
    return cardPayload({ accent: ACCENTS.duel, parts }, text.files);
  }
  const answer = q.type === 'drill' ? `**${escapeMarkdown(q.drill.answerText)}${q.drill.unit ? ` ${escapeMarkdown(q.drill.unit)}` : ''}**` : `**${OPTION_LETTERS[duelOptions(q.prompt, duel.id, round).findIndex((o) => o.correct)]}**`;
  const { a, b, perRound } = closed.scores;
  const mine = (userId: string) => perRound.find((x) => x.round === round && x.userId === userId);
  parts.push({
    text: [
      `🔒 **Closed** · the answer was ${answer}`,
      answerLine(q, duel, round, mine(a.userId), a.points, a.userId),
      answerLine(q, duel, round, mine(b.userId), b.points, b.userId),
    ].join('\n'),
  });
  const payload = cardPayload({ accent: ACCENTS.closed, parts }, text.files);
  // Every button disabled; the right option (or the drill's answer button) green.
  return { ...payload, components: closeButtons(payload.components, (id) => (id === rightId ? ButtonStyle.Success : ButtonStyle.Secondary)) };
}

/** The private confirmation of an answer: one sentence. */
export function answerReply(result: AnswerResult): string {
  if (!result.stored) return 'You already answered this round; your first answer counts.';
  if (result.late) return 'Too late for this round: 0 points.';
  return result.correct ? `✅ Right, +${count(result.points, 'point')}.` : '❌ Wrong, 0 points; the answer shows when the round closes.';
}

/** The form a duelist types a drill round's number into. */
export function numberForm(duelId: string, round: number, drill: Drill): ModalBuilder {
  return new ModalBuilder()
    .setCustomId(encodeCustomId(DUEL_ROUTES.numberSubmit, duelId, round))
    .setTitle(clip(`Round ${round + 1}: ${drill.title}`, 45))
    .addComponents(
      new ActionRowBuilder<TextInputBuilder>().addComponents(
        new TextInputBuilder().setCustomId('answer').setLabel('Your answer').setPlaceholder('A decimal, a fraction or a percentage').setStyle(TextInputStyle.Short).setMaxLength(100).setRequired(true),
      ),
    );
}

/** The players' display names on the result. */
export interface Names {
  a: string;
  b: string;
}

function verdict({ scoreA, a }: DuelOutcome, names: Names): string {
  if (scoreA === null) return 'Nobody answered, so the duel was abandoned (no rating change).';
  if (scoreA === 0.5) return `It's a tie at ${count(a.points, 'point')}!`;
  return `🏆 ${escapeMarkdown(scoreA === 1 ? names.a : names.b)} wins!`;
}

/**
 * The result: who won, each player's points and right answers, and the Elo change. All of it
 * is text (the old PNG card repeated these lines and added nothing).
 */
export function resultMessage(outcome: DuelOutcome, names: Names): CardPayload {
  const { duel, a, b, elo, scoreA } = outcome;
  const rounds = duel.questions.length;
  const line = (name: string, s: typeof a, change: { before: number; after: number; delta: number } | undefined, won: boolean) =>
    `${won ? '🥇' : '▫️'} **${escapeMarkdown(name)}**: ${count(s.points, 'point')} · ${s.correct}/${rounds} right${change ? ` · Elo ${change.before.toFixed(0)} → ${change.after.toFixed(0)} (${signed(change.after - change.before)})` : ''}`;
  const card: Card = {
    accent: ACCENTS.duel,
    parts: [
      { text: `⚔️ **Duel over** · <@${duel.challengerId}> vs <@${duel.opponentId}>\n${verdict(outcome, names)}` },
      { text: [line(names.a, a, elo?.a, scoreA === 1), line(names.b, b, elo?.b, scoreA === 0)].join('\n') },
      { text: `-# ${SPEED_GAME_RULE} More points wins; the winner takes Elo from the loser.` },
    ],
  };
  return cardPayload(card);
}
