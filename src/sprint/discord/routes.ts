import { ActionRowBuilder, AttachmentBuilder, ButtonBuilder, ButtonStyle, EmbedBuilder, MessageFlags, type Client, type SendableChannels } from 'discord.js';
import type { DiscordFeature } from '../../platform/discord/command.js';
import { encodeCustomId } from '../../platform/discord/custom-id.js';
import { UserError } from '../../platform/errors.js';
import type { GuildService } from '../../guilds/service.js';
import type { Renderer } from '../../render/index.js';
import type { Logger } from '../../platform/log.js';
import { SPRINT_LIMITS, sprintOptions, type SprintRow, type SprintService, type Standing } from '../service.js';

export const SPRINT_ROUTES = { join: 'spj', start: 'sps', answer: 'spa' } as const;
const LETTERS = ['A', 'B', 'C', 'D', 'E'];
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const fmt = (n: number) => n.toLocaleString('en-US');

export function lobbyMessage(s: SprintRow) {
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

/** Posts sprint rounds, distributions, the top five after each question, and the podium. */
export class SprintDriver {
  constructor(
    private readonly sprints: SprintService,
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

  async postRound(s: SprintRow, previous?: EmbedBuilder[]): Promise<void> {
    const prompt = this.sprints.prompt(s, s.round);
    const options = sprintOptions(prompt, s.id, s.round);
    const embed = new EmbedBuilder()
      .setColor(0xf0b232)
      .setTitle(`Sprint question ${s.round + 1} of ${s.questions.length} · ${prompt.level} · ${prompt.topic}`)
      .setDescription(clip(prompt.question, 2500))
      .addFields({ name: 'Options', value: clip(options.map((o, i) => `**${LETTERS[i]}.** ${o.text}`).join('\n'), 1024) })
      .setFooter({ text: `${s.secondsPerRound} s · your first click counts` });
    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
      options.map((o, i) => new ButtonBuilder().setCustomId(encodeCustomId(SPRINT_ROUTES.answer, s.id, s.round, o.id)).setLabel(LETTERS[i]!).setStyle(ButtonStyle.Secondary)),
    );
    await (await this.channel(s.channelId)).send({ embeds: [...(previous ?? []), embed], components: [row], allowedMentions: { parse: [] } });
  }

  private async recap(s: SprintRow, round: number, standings: Standing[]): Promise<EmbedBuilder> {
    const prompt = this.sprints.prompt(s, round);
    const options = sprintOptions(prompt, s.id, round);
    const dist = await this.sprints.distribution(s.id, round);
    const total = [...dist.values()].reduce((a, b) => a + b, 0);
    return new EmbedBuilder()
      .setColor(0x3ba55d)
      .setTitle(`Question ${round + 1}: the answer was ${LETTERS[options.findIndex((o) => o.correct)]}`)
      .addFields(
        { name: `Answers (${total})`, value: options.map((o, i) => `${o.correct ? '✅' : '▫️'} **${LETTERS[i]}**: ${dist.get(o.id) ?? 0}`).join('\n') },
        { name: 'Top five', value: standings.slice(0, 5).map((p, i) => `${i + 1}. ${clip(p.name, 40)}: ${fmt(p.points)}`).join('\n') || 'nobody yet' },
      );
  }

  async start(id: string, by: string | null): Promise<void> {
    const s = await this.sprints.start(id, by);
    if (!s) return;
    if (s.messageId) {
      const c = await this.channel(s.channelId);
      const m = 'messages' in c ? await c.messages.fetch(s.messageId).catch(() => null) : null;
      await m?.edit({ content: `🏃 The sprint has started!`, components: [], allowedMentions: { parse: [] } }).catch(() => {});
    }
    await this.postRound(s);
  }

  async advance(id: string, round: number): Promise<void> {
    const closed = await this.sprints.closeRound(id, round);
    if (!closed) return;
    const standings = await this.sprints.standings(id);
    const recap = await this.recap(closed.sprint, round, standings);
    if (!closed.finished) {
      await this.postRound(closed.sprint, [recap]);
      return;
    }
    const image = await this.renderer.leaderboard(
      {
        title: 'Sprint podium',
        subtitle: `${standings.length} participant${standings.length === 1 ? '' : 's'} · ${closed.sprint.questions.length} questions`,
        valueLabel: 'Points',
        rows: standings.slice(0, 10).map((p, i) => ({ rank: i + 1, name: p.name, value: p.points })),
        footnote: '1000 + speed bonus per right answer; first click counts.',
      },
      { theme: await this.guilds.theme(closed.sprint.guildId) },
    );
    const podium = standings.slice(0, 3).map((p, i) => `${['🥇', '🥈', '🥉'][i]} ${p.name}: ${fmt(p.points)}`).join('\n');
    await (await this.channel(closed.sprint.channelId)).send({
      content: `🏁 **Sprint over!**\n${podium}`,
      embeds: [recap],
      files: [new AttachmentBuilder(image.png, { name: 'podium.png' })],
      allowedMentions: { parse: [] },
    });
  }

  /** From the scheduler's tick: lobbies to start, rounds to close. */
  async sweep(): Promise<number> {
    const due = await this.sprints.due();
    for (const s of due) {
      try {
        if (s.status === 'lobby') await this.start(s.id, null);
        else await this.advance(s.id, s.round);
      } catch (err) {
        this.log.warn({ err, sprintId: s.id }, 'sprint step failed; retrying next tick');
      }
    }
    return due.length;
  }
}

export interface SprintDiscord extends DiscordFeature {
  driver: SprintDriver;
}

export function sprintDiscord(deps: { sprints: SprintService; renderer: Renderer; guilds: GuildService; client: Client; log: Logger }): SprintDiscord {
  const { sprints } = deps;
  const driver = new SprintDriver(sprints, deps.renderer, deps.guilds, deps.client, deps.log);
  return { driver, routes: [
  {
    route: SPRINT_ROUTES.join,
    async handle(interaction, [id]) {
      const name = interaction.member && 'displayName' in interaction.member ? interaction.member.displayName : (interaction.user.globalName ?? interaction.user.username);
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      const r = await sprints.join(id ?? '', interaction.user.id, name);
      await interaction.editReply({ content: r.joined ? `You're in! ${r.players} player${r.players === 1 ? '' : 's'} so far.` : "You've already joined." });
    },
  },
  {
    route: SPRINT_ROUTES.start,
    async handle(interaction, [id]) {
      const s = await sprints.get(id ?? '');
      if (interaction.user.id !== s.starterId) throw new UserError('Only the member who opened the sprint can start it early.', 'forbidden');
      await interaction.reply({ content: 'Starting!', flags: MessageFlags.Ephemeral });
      await driver.start(s.id, interaction.user.id);
    },
  },
  {
    route: SPRINT_ROUTES.answer,
    async handle(interaction, [id, round, option]) {
      const r = Number(round);
      const opt = Number(option);
      if (!Number.isInteger(r) || !Number.isInteger(opt)) throw new UserError('This button is damaged.', 'invalid-input');
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      const res = await sprints.answer(id ?? '', r, interaction.user.id, opt);
      await interaction.editReply({
        content: res.stored ? (res.correct ? `✅ Right! +${fmt(res.points)}` : '❌ Wrong: 0 points') : 'Your first click already counts for this question.',
      });
      if (res.stored && (await sprints.allAnswered(id!, r))) await driver.advance(id!, r);
    },
  },
]};
}

export { SPRINT_LIMITS };
