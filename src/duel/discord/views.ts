/** What a duel shows in Discord: its messages, buttons, form, result card and the words of its refusals. */
import {
  ActionRowBuilder,
  AttachmentBuilder,
  ButtonBuilder,
  ButtonStyle,
  EmbedBuilder,
  ModalBuilder,
  TextInputBuilder,
  TextInputStyle,
} from 'discord.js';
import type { Drill } from '../../drills/index.js';
import { SPEED_GAME_RULE } from '../../quiz/points.js';
import { encodeCustomId } from '../../platform/discord/custom-id.js';
import type { SummaryCardSpec } from '../../render/index.js';
import { duelOptions } from '../rules.js';
import type { AnswerResult, Duel, DuelOutcome, DuelQuestion, ExpiredChallenge } from '../types.js';
import { OPTION_LETTERS, clip } from '../../platform/discord/text.js';

export const DUEL_ROUTES = { accept: 'dza', decline: 'dzd', answer: 'dzq', numberOpen: 'dzn', numberSubmit: 'dzm' } as const;
const fmt = (n: number) => n.toLocaleString('en-US');
const noMentions = { parse: [] } as const;

export function challengeMessage(duel: Duel) {
  const drills = duel.questions.filter((q) => q.startsWith('drill:')).length;
  const kind = drills === 0 ? '' : drills === duel.questions.length ? 'numeric drills ' : 'questions and numeric drills ';
  const what = [kind + (duel.topic ? `on **${duel.topic}**` : drills === duel.questions.length ? '' : 'on any topic'), duel.level ? `at ${duel.level}` : ''].filter(Boolean).join(' ');
  return {
    content: `⚔️ <@${duel.opponentId}>, <@${duel.challengerId}> challenges you to a duel: ${duel.questions.length} round${duel.questions.length === 1 ? '' : 's'} ${what.trim()}, ${duel.secondsPerRound} s each. The challenge expires <t:${Math.floor(duel.challengeExpiresAt.getTime() / 1000)}:R>.`,
    components: [
      new ActionRowBuilder<ButtonBuilder>().addComponents(
        new ButtonBuilder().setCustomId(encodeCustomId(DUEL_ROUTES.accept, duel.id)).setLabel('Accept').setStyle(ButtonStyle.Success),
        new ButtonBuilder().setCustomId(encodeCustomId(DUEL_ROUTES.decline, duel.id)).setLabel('Decline').setStyle(ButtonStyle.Secondary),
      ),
    ],
    allowedMentions: { parse: [], users: [duel.opponentId] },
  };
}

export const acceptedMessage = (duel: Duel) => ({
  content: `⚔️ <@${duel.challengerId}> vs <@${duel.opponentId}>: duel accepted! ${duel.questions.length} rounds, ${duel.secondsPerRound} s each.`,
  components: [],
  allowedMentions: noMentions,
});

export const declinedMessage = (duel: Duel) => ({
  content: `The duel between <@${duel.challengerId}> and <@${duel.opponentId}> was declined.`,
  components: [],
  allowedMentions: noMentions,
});

export const expiredMessage = (c: ExpiredChallenge) => ({
  content: `⌛ The duel challenge from <@${c.challengerId}> to <@${c.opponentId}> expired.`,
  components: [],
  allowedMentions: noMentions,
});

/** A drill round's images, drawn by the publisher: the question card, and the figure when it has one. */
export interface RoundImages {
  card: Buffer;
  figure?: Buffer;
}

/** The round's public message: a question with letter buttons, or a drill (card image, figure) with an answer button; after the previous round's scoreboard. */
export function roundMessage(duel: Duel, round: number, q: DuelQuestion, images: RoundImages | null, previous?: EmbedBuilder) {
  const footer = `${duel.secondsPerRound} s · only the two duelists can answer · your answer stays private`;
  let embed: EmbedBuilder;
  let row: ActionRowBuilder<ButtonBuilder>;
  const files: AttachmentBuilder[] = [];
  if (q.type === 'drill') {
    const { drill } = q;
    if (images) {
      files.push(new AttachmentBuilder(images.card, { name: `duel-${round}.png` }));
      if (images.figure) files.push(new AttachmentBuilder(images.figure, { name: `duel-${round}-figure.png` }));
    }
    embed = new EmbedBuilder()
      .setColor(0xed4245)
      .setTitle(`Round ${round + 1} of ${duel.questions.length} · numeric drill · ${clip(drill.title, 150)}`)
      .setDescription(clip(drill.question, 2500))
      .setImage(`attachment://duel-${round}.png`)
      .setFooter({ text: `${footer} · tolerance as the question says` });
    row = new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder().setCustomId(encodeCustomId(DUEL_ROUTES.numberOpen, duel.id, round)).setLabel('Enter my answer').setEmoji('✍️').setStyle(ButtonStyle.Primary),
    );
  } else {
    const { prompt } = q;
    const options = duelOptions(prompt, duel.id, round);
    embed = new EmbedBuilder()
      .setColor(0xed4245)
      .setTitle(`Round ${round + 1} of ${duel.questions.length} · ${prompt.level} · ${prompt.topic}`)
      .setDescription(clip(prompt.question, 2500))
      .addFields({ name: 'Options', value: clip(options.map((o, i) => `**${OPTION_LETTERS[i]}.** ${o.text}`).join('\n'), 1024) })
      .setFooter({ text: footer });
    row = new ActionRowBuilder<ButtonBuilder>().addComponents(
      options.map((o, i) => new ButtonBuilder().setCustomId(encodeCustomId(DUEL_ROUTES.answer, duel.id, round, o.id)).setLabel(OPTION_LETTERS[i]!).setStyle(ButtonStyle.Secondary)),
    );
  }
  return { content: `<@${duel.challengerId}> vs <@${duel.opponentId}>`, embeds: previous ? [previous, embed] : [embed], components: [row], files, allowedMentions: noMentions };
}

/** After a round: the right answer, each player's points in it and their totals. */
export function scoreboard(duel: Duel, round: number, q: DuelQuestion, scores: Pick<DuelOutcome, 'a' | 'b' | 'perRound'>): EmbedBuilder {
  const answer = q.type === 'drill' ? q.drill.answerText : OPTION_LETTERS[duelOptions(q.prompt, duel.id, round).findIndex((o) => o.correct)];
  const { a, b, perRound } = scores;
  const line = (userId: string) => {
    const r = perRound.find((x) => x.round === round && x.userId === userId);
    return r?.answered ? (r.correct ? `✅ +${fmt(r.points)}` : '❌ 0') : '⌛ no answer';
  };
  return new EmbedBuilder()
    .setColor(0x3ba55d)
    .setTitle(`Round ${round + 1}: the answer was ${answer}`)
    .setDescription([`<@${a.userId}> ${line(a.userId)} · total **${fmt(a.points)}**`, `<@${b.userId}> ${line(b.userId)} · total **${fmt(b.points)}**`].join('\n'));
}

/** The private confirmation of an answer. */
export function answerReply(result: AnswerResult): string {
  if (!result.stored) return 'You already answered this round; your first answer counts.';
  if (result.late) return 'Too late for this round: 0 points.';
  return result.correct ? `✅ Right! +${fmt(result.points)} points.` : '❌ Wrong: 0 points.';
}

/** The form a duelist types a drill round's number into. */
export function numberForm(duelId: string, round: number, drill: Drill): ModalBuilder {
  return new ModalBuilder()
    .setCustomId(encodeCustomId(DUEL_ROUTES.numberSubmit, duelId, round))
    .setTitle(clip(`Round ${round + 1}: ${drill.title}`, 45))
    .addComponents(
      new ActionRowBuilder<TextInputBuilder>().addComponents(
        new TextInputBuilder().setCustomId('answer').setLabel('Your answer').setPlaceholder('e.g. 0.75, 3/4 or 75%').setStyle(TextInputStyle.Short).setMaxLength(100).setRequired(true),
      ),
    );
}

/** The players' display names on the result card. */
export interface Names {
  a: string;
  b: string;
}

function verdict({ scoreA, a }: DuelOutcome, names: Names): string {
  if (scoreA === null) return 'Nobody answered: the duel was abandoned (no rating change).';
  if (scoreA === 0.5) return `It's a tie at ${fmt(a.points)} points!`;
  return `🏆 ${scoreA === 1 ? names.a : names.b} wins!`;
}

/** The result card's content. */
export function resultCard(outcome: DuelOutcome, names: Names): SummaryCardSpec {
  const { duel, a, b, elo } = outcome;
  return {
    title: `Duel: ${names.a} vs ${names.b}`,
    subtitle: verdict(outcome, names),
    rows: [
      { label: names.a, value: `${fmt(a.points)} pts · ${a.correct}/${duel.questions.length} right` },
      { label: names.b, value: `${fmt(b.points)} pts · ${b.correct}/${duel.questions.length} right` },
      ...(elo ? [{ label: 'Elo', value: `${elo.a.after.toFixed(0)} / ${elo.b.after.toFixed(0)}` }] : []),
    ],
    footnote: SPEED_GAME_RULE,
  };
}

/** The result message: the verdict, the Elo change, the last round's scoreboard and the card. */
export function resultMessage(outcome: DuelOutcome, names: Names, board: EmbedBuilder, card: Buffer) {
  const { elo } = outcome;
  const eloText = elo ? `Elo: ${names.a} ${elo.a.before.toFixed(0)} → ${elo.a.after.toFixed(0)}, ${names.b} ${elo.b.before.toFixed(0)} → ${elo.b.after.toFixed(0)}` : '';
  return {
    content: `${verdict(outcome, names)}\n${eloText}`.trim(),
    embeds: [board],
    files: [new AttachmentBuilder(card, { name: 'duel.png' })],
    allowedMentions: noMentions,
  };
}
