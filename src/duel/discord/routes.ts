import {
  ActionRowBuilder,
  AttachmentBuilder,
  ButtonBuilder,
  ButtonStyle,
  EmbedBuilder,
  MessageFlags,
  ModalBuilder,
  TextInputBuilder,
  TextInputStyle,
  type ButtonInteraction,
  type Client,
  type ModalSubmitInteraction,
  type SendableChannels,
} from 'discord.js';
import type { DiscordFeature } from '../../platform/discord/command.js';
import { encodeCustomId } from '../../platform/discord/custom-id.js';
import { UserError } from '../../platform/errors.js';
import type { GuildService } from '../../guilds/service.js';
import type { Renderer } from '../../render/index.js';
import type { Logger } from '../../platform/log.js';
import { drillCard } from '../../practice/discord/views.js';
import type { DuelResult } from '../elo.js';
import { duelOptions, type AnswerResult, type DuelRow, type DuelService } from '../service.js';
import { formText } from '../../platform/discord/forms.js';
import { crashPoint } from '../../platform/fault.js';

export const DUEL_ROUTES = { accept: 'dza', decline: 'dzd', answer: 'dzq', numberOpen: 'dzn', numberSubmit: 'dzm' } as const;
const LETTERS = ['A', 'B', 'C', 'D', 'E'];
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const fmt = (n: number) => n.toLocaleString('en-US');

export function challengeMessage(duel: DuelRow) {
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

/**
 * Moves duels along in Discord: posts each round, closes rounds when both have answered or the
 * deadline passed (the scheduler's tick sweeps deadlines from the database, so a restart
 * resumes every duel), and posts the result card with the Elo change.
 */
export class DuelDriver {
  constructor(
    private readonly duels: DuelService,
    private readonly renderer: Renderer,
    private readonly guilds: GuildService,
    private readonly client: Client,
    private readonly log: Logger,
  ) {}

  private async channel(id: string): Promise<SendableChannels> {
    const c = await this.client.channels.fetch(id);
    if (!c || !c.isSendable()) throw new Error(`cannot post in ${id}`);
    return c;
  }

  /** The round's public message: a question with letter buttons, or a drill (card image, figure) with an answer form. */
  async roundMessage(duel: DuelRow, round: number): Promise<{ embed: EmbedBuilder; row: ActionRowBuilder<ButtonBuilder>; files: AttachmentBuilder[] }> {
    const q = this.duels.question(duel, round);
    const footer = `${duel.secondsPerRound} s · only the two duelists can answer · your answer stays private`;
    if (q.type === 'drill') {
      const theme = await this.guilds.theme(duel.guildId);
      const { drill } = q;
      const files = [new AttachmentBuilder((await this.renderer.questionCard(drillCard(drill), { theme })).png, { name: `duel-${round}.png` })];
      if (drill.figure?.type === 'roc') files.push(new AttachmentBuilder((await this.renderer.roc(drill.figure.labels, drill.figure.scores, { theme, title: 'The sample' })).png, { name: `duel-${round}-figure.png` }));
      const embed = new EmbedBuilder()
        .setColor(0xed4245)
        .setTitle(`Round ${round + 1} of ${duel.questions.length} · numeric drill · ${clip(drill.title, 150)}`)
        .setDescription(clip(drill.question, 2500))
        .setImage(`attachment://duel-${round}.png`)
        .setFooter({ text: `${footer} · tolerance as the question says` });
      const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
        new ButtonBuilder().setCustomId(encodeCustomId(DUEL_ROUTES.numberOpen, duel.id, round)).setLabel('Enter my answer').setEmoji('✍️').setStyle(ButtonStyle.Primary),
      );
      return { embed, row, files };
    }
    const { prompt } = q;
    const options = duelOptions(prompt, duel.id, round);
    const embed = new EmbedBuilder()
      .setColor(0xed4245)
      .setTitle(`Round ${round + 1} of ${duel.questions.length} · ${prompt.level} · ${prompt.topic}`)
      .setDescription(clip(prompt.question, 2500))
      .addFields({ name: 'Options', value: clip(options.map((o, i) => `**${LETTERS[i]}.** ${o.text}`).join('\n'), 1024) })
      .setFooter({ text: footer });
    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
      options.map((o, i) => new ButtonBuilder().setCustomId(encodeCustomId(DUEL_ROUTES.answer, duel.id, round, o.id)).setLabel(LETTERS[i]!).setStyle(ButtonStyle.Secondary)),
    );
    return { embed, row, files: [] };
  }

  async postRound(duel: DuelRow, round: number, previous?: EmbedBuilder): Promise<void> {
    const { embed, row, files } = await this.roundMessage(duel, round);
    const channel = await this.channel(duel.channelId);
    await channel.send({ content: `<@${duel.challengerId}> vs <@${duel.opponentId}>`, embeds: previous ? [previous, embed] : [embed], components: [row], files, allowedMentions: { parse: [] } });
  }

  private async scoreboard(duel: DuelRow, round: number): Promise<EmbedBuilder> {
    const q = this.duels.question(duel, round);
    const answer = q.type === 'drill' ? q.drill.answerText : LETTERS[duelOptions(q.prompt, duel.id, round).findIndex((o) => o.correct)];
    const { a, b, perRound } = await this.duels.scores(duel);
    const line = (userId: string) => {
      const r = perRound.find((x) => x.round === round && x.userId === userId);
      return r?.answered ? (r.correct ? `✅ +${fmt(r.points)}` : '❌ 0') : '⌛ no answer';
    };
    return new EmbedBuilder()
      .setColor(0x3ba55d)
      .setTitle(`Round ${round + 1}: the answer was ${answer}`)
      .setDescription(
        [
          `<@${a.userId}> ${line(a.userId)} · total **${fmt(a.points)}**`,
          `<@${b.userId}> ${line(b.userId)} · total **${fmt(b.points)}**`,
        ].join('\n'),
      );
  }

  /** Closes a round (idempotent) and posts what follows. */
  async advance(duelId: string, round: number): Promise<void> {
    const closed = await this.duels.closeRound(duelId, round);
    if (!closed) return;
    const board = await this.scoreboard(closed.duel, round);
    if (!closed.finished) {
      await this.postRound(closed.duel, round + 1, board);
      return;
    }
    await this.finish(duelId, board);
  }

  async finish(duelId: string, board?: EmbedBuilder): Promise<void> {
    const result = await this.duels.finish(duelId);
    if (!result) return;
    crashPoint('duel-after-finish');
    const { duel, a, b, scoreA } = result;
    const elo: DuelResult | null = scoreA === null ? null : await this.duels.applyElo(duel, a, b, scoreA);
    const name = async (id: string) => this.client.users.fetch(id).then((u) => u.displayName, () => 'a member');
    const [na, nb] = [await name(a.userId), await name(b.userId)];
    const verdict =
      scoreA === null ? 'Nobody answered: the duel was abandoned (no rating change).' : scoreA === 0.5 ? `It's a tie at ${fmt(a.points)} points!` : `🏆 ${scoreA === 1 ? na : nb} wins!`;
    const eloText = elo
      ? `Elo: ${na} ${elo.a.before.toFixed(0)} → ${elo.a.after.toFixed(0)}, ${nb} ${elo.b.before.toFixed(0)} → ${elo.b.after.toFixed(0)}`
      : '';
    const card = await this.renderer.summaryCard(
      {
        title: `Duel: ${na} vs ${nb}`,
        subtitle: verdict,
        rows: [
          { label: na, value: `${fmt(a.points)} pts · ${a.correct}/${duel.questions.length} right` },
          { label: nb, value: `${fmt(b.points)} pts · ${b.correct}/${duel.questions.length} right` },
          ...(elo ? [{ label: 'Elo', value: `${elo.a.after.toFixed(0)} / ${elo.b.after.toFixed(0)}` }] : []),
        ],
        footnote: 'Score per question: 1000 + speed bonus when right, 0 when wrong or late.',
      },
      { theme: await this.guilds.theme(duel.guildId) },
    );
    const channel = await this.channel(duel.channelId);
    await channel.send({
      content: `${verdict}\n${eloText}`.trim(),
      embeds: board ? [board] : [],
      files: [new AttachmentBuilder(card.png, { name: 'duel.png' })],
      allowedMentions: { parse: [] },
    });
  }

  /** Called by the scheduler's tick: expired challenges, overdue rounds, unfinished results. */
  async sweep(): Promise<number> {
    let n = 0;
    for (const d of await this.duels.expireChallenges()) {
      n++;
      if (!d.messageId) continue;
      const channel = await this.channel(d.channelId).catch(() => null);
      const message = channel && 'messages' in channel ? await channel.messages.fetch(d.messageId).catch(() => null) : null;
      await message?.edit({ content: `⌛ The duel challenge from <@${d.challengerId}> to <@${d.opponentId}> expired.`, components: [], allowedMentions: { parse: [] } }).catch((err) => this.log.warn({ err }, 'could not edit an expired challenge'));
    }
    for (const d of await this.duels.overdue()) {
      n++;
      await this.advance(d.id, d.round).catch((err) => this.log.warn({ err, duelId: d.id }, 'could not close a duel round'));
    }
    for (const d of await this.duels.active()) {
      if (d.status === 'scoring') await this.finish(d.id).catch((err) => this.log.warn({ err, duelId: d.id }, 'could not finish a duel'));
    }
    return n;
  }
}

/** The private confirmation of an answer. */
function answerReply(result: AnswerResult): string {
  if (!result.stored) return 'You already answered this round; your first answer counts.';
  if (result.late) return 'Too late for this round: 0 points.';
  return result.correct ? `✅ Right! +${fmt(result.points)} points.` : '❌ Wrong: 0 points.';
}

export interface DuelDiscord extends DiscordFeature {
  driver: DuelDriver;
}

export function duelDiscord(deps: { duels: DuelService; renderer: Renderer; guilds: GuildService; client: Client; log: Logger }): DuelDiscord {
  const { duels } = deps;
  const driver = new DuelDriver(duels, deps.renderer, deps.guilds, deps.client, deps.log);
  return { driver, routes: [
  {
    route: DUEL_ROUTES.accept,
    async handle(interaction, [id]) {
      const duel = await duels.accept(id ?? '', interaction.user.id);
      const button = interaction as ButtonInteraction;
      await button.update({ content: `⚔️ <@${duel.challengerId}> vs <@${duel.opponentId}>: duel accepted! ${duel.questions.length} rounds, ${duel.secondsPerRound} s each.`, components: [], allowedMentions: { parse: [] } });
      await driver.postRound(duel, 0);
    },
  },
  {
    route: DUEL_ROUTES.decline,
    async handle(interaction, [id]) {
      const duel = await duels.decline(id ?? '', interaction.user.id);
      await (interaction as ButtonInteraction).update({ content: `The duel between <@${duel.challengerId}> and <@${duel.opponentId}> was declined.`, components: [], allowedMentions: { parse: [] } });
    },
  },
  {
    route: DUEL_ROUTES.answer,
    async handle(interaction, [id, round, option]) {
      const r = Number(round);
      const opt = Number(option);
      if (!Number.isInteger(r) || !Number.isInteger(opt)) throw new UserError('This button is damaged.', 'invalid-input');
      // Acknowledge at once (Discord's 3 s), then record and answer privately.
      await (interaction as ButtonInteraction).deferReply({ flags: MessageFlags.Ephemeral });
      const result = await duels.answer(id ?? '', r, interaction.user.id, opt);
      await interaction.editReply({ content: answerReply(result) });
      if (result.bothAnswered) await driver.advance(result.duel.id, r);
    },
  },
  {
    // A drill round: a duelist opens the answer form (others are told it is not their duel).
    route: DUEL_ROUTES.numberOpen,
    async handle(interaction, [id, round]) {
      const r = Number(round);
      if (!Number.isInteger(r)) throw new UserError('This button is damaged.', 'invalid-input');
      const drill = await duels.checkDrillRound(id ?? '', r, interaction.user.id);
      await (interaction as ButtonInteraction).showModal(
        new ModalBuilder()
          .setCustomId(encodeCustomId(DUEL_ROUTES.numberSubmit, id ?? '', r))
          .setTitle(clip(`Round ${r + 1}: ${drill.title}`, 45))
          .addComponents(
            new ActionRowBuilder<TextInputBuilder>().addComponents(
              new TextInputBuilder().setCustomId('answer').setLabel('Your answer').setPlaceholder('e.g. 0.75, 3/4 or 75%').setStyle(TextInputStyle.Short).setMaxLength(100).setRequired(true),
            ),
          ),
      );
    },
  },
  {
    route: DUEL_ROUTES.numberSubmit,
    async handle(interaction, [id, round]) {
      const r = Number(round);
      if (!Number.isInteger(r)) throw new UserError('This form is damaged.', 'invalid-input');
      const modal = interaction as ModalSubmitInteraction;
      await modal.deferReply({ flags: MessageFlags.Ephemeral });
      const result = await duels.answerNumber(id ?? '', r, interaction.user.id, formText(modal, 'answer'));
      await interaction.editReply({ content: answerReply(result) });
      if (result.bothAnswered) await driver.advance(result.duel.id, r);
    },
  },
]};
}
