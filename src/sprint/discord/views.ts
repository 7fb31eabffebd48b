import { ActionRowBuilder, AttachmentBuilder, ButtonBuilder, ButtonStyle, EmbedBuilder } from 'discord.js';
import { SPEED_GAME_RULE } from '../../quiz/points.js';
import { encodeCustomId } from '../../platform/discord/custom-id.js';
import type { LeaderboardSpec } from '../../render/index.js';
import type { ClosedRound, SprintRound } from '../service.js';
import type { Sprint, Standing } from '../types.js';
import { OPTION_LETTERS, clip } from '../../platform/discord/text.js';

/** Custom-id routes of sprint buttons (one place, so the router and the messages agree). */
export const SPRINT_ROUTES = { join: 'spj', start: 'sps', answer: 'spa' } as const;

const fmt = (n: number) => n.toLocaleString('en-US');

export function lobbyMessage(s: Sprint) {
  return {
    content: `🏃 **Sprint!** ${s.questions.length} questions${s.topic ? ` on **${s.topic}**` : ''}, ${s.secondsPerRound} s each. Press **Join**; it starts <t:${Math.floor(s.deadline.getTime() / 1000)}:R> or when <@${s.starterId}> presses Start.`,
    components: [
      new ActionRowBuilder<ButtonBuilder>().addComponents(
        new ButtonBuilder().setCustomId(encodeCustomId(SPRINT_ROUTES.join, s.id)).setLabel('Join').setStyle(ButtonStyle.Success),
        new ButtonBuilder().setCustomId(encodeCustomId(SPRINT_ROUTES.start, s.id)).setLabel('Start now').setStyle(ButtonStyle.Primary),
      ),
    ],
    allowedMentions: { parse: [] },
  };
}

/** The lobby message once the sprint is under way. */
export const startedLobby = { content: `🏃 The sprint has started!`, components: [], allowedMentions: { parse: [] } };

/** A round's question with its answer buttons, below the recap of the round before when there is one. */
export function roundMessage({ sprint: s, round, prompt, options }: SprintRound, previous: EmbedBuilder[] = []) {
  const embed = new EmbedBuilder()
    .setColor(0xf0b232)
    .setTitle(`Sprint question ${round + 1} of ${s.questions.length} · ${prompt.level} · ${prompt.topic}`)
    .setDescription(clip(prompt.question, 2500))
    .addFields({ name: 'Options', value: clip(options.map((o, i) => `**${OPTION_LETTERS[i]}.** ${o.text}`).join('\n'), 1024) })
    .setFooter({ text: `${s.secondsPerRound} s · your first click counts` });
  const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
    options.map((o, i) => new ButtonBuilder().setCustomId(encodeCustomId(SPRINT_ROUTES.answer, s.id, round, o.id)).setLabel(OPTION_LETTERS[i]!).setStyle(ButtonStyle.Secondary)),
  );
  return { embeds: [...previous, embed], components: [row], allowedMentions: { parse: [] } };
}

/** After a round: the right answer, how many picked each option, and the top five. */
export function recapEmbed({ recap, standings }: Pick<ClosedRound, 'recap' | 'standings'>): EmbedBuilder {
  const { round, options, distribution } = recap;
  const total = [...distribution.values()].reduce((a, b) => a + b, 0);
  return new EmbedBuilder()
    .setColor(0x3ba55d)
    .setTitle(`Question ${round + 1}: the answer was ${OPTION_LETTERS[options.findIndex((o) => o.correct)]}`)
    .addFields(
      { name: `Answers (${total})`, value: options.map((o, i) => `${o.correct ? '✅' : '▫️'} **${OPTION_LETTERS[i]}**: ${distribution.get(o.id) ?? 0}`).join('\n') },
      { name: 'Top five', value: standings.slice(0, 5).map((p, i) => `${i + 1}. ${clip(p.name, 40)}: ${fmt(p.points)}`).join('\n') || 'nobody yet' },
    );
}

/** The podium card: the top ten by points. */
export function podiumCard(s: Sprint, standings: Standing[]): LeaderboardSpec {
  return {
    title: 'Sprint podium',
    subtitle: `${standings.length} participant${standings.length === 1 ? '' : 's'} · ${s.questions.length} questions`,
    valueLabel: 'Points',
    rows: standings.slice(0, 10).map((p, i) => ({ rank: i + 1, name: p.name, value: p.points })),
    footnote: `${SPEED_GAME_RULE} First click counts.`,
  };
}

/** The end of the sprint: the top three, the last recap and the podium card. */
export function podiumMessage(standings: Standing[], recap: EmbedBuilder, podiumPng: Buffer) {
  const podium = standings.slice(0, 3).map((p, i) => `${['🥇', '🥈', '🥉'][i]} ${p.name}: ${fmt(p.points)}`).join('\n');
  return {
    content: `🏁 **Sprint over!**\n${podium}`,
    embeds: [recap],
    files: [new AttachmentBuilder(podiumPng, { name: 'podium.png' })],
    allowedMentions: { parse: [] },
  };
}

export function answerReply(res: { stored: boolean; correct: boolean; points: number }): string {
  return res.stored ? (res.correct ? `✅ Right! +${fmt(res.points)}` : '❌ Wrong: 0 points') : 'Your first click already counts for this question.';
}

export function joinReply(r: { joined: boolean; players: number }): string {
  return r.joined ? `You're in! ${r.players} player${r.players === 1 ? '' : 's'} so far.` : "You've already joined.";
}
