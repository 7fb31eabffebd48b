import { ChannelType, MessageFlags, PermissionFlagsBits, SlashCommandBuilder, type GuildBasedChannel } from 'discord.js';
import { topicChoices } from '../src/bank/autocomplete.js';
import { levels } from '../src/bank/schema.js';
import { defineCommand } from '../src/app/context.js';
import { UserError } from '../src/platform/errors.js';
import { checkTimeZone, describeWhen, parseWhen } from '../src/schedule/timing.js';
import type { ScheduleView } from '../src/schedule/repository.js';

const NEEDED = [
  [PermissionFlagsBits.ViewChannel, 'View Channel'],
  [PermissionFlagsBits.SendMessages, 'Send Messages'],
  [PermissionFlagsBits.EmbedLinks, 'Embed Links'],
  [PermissionFlagsBits.AttachFiles, 'Attach Files'],
  [PermissionFlagsBits.CreatePublicThreads, 'Create Public Threads'],
  [PermissionFlagsBits.SendMessagesInThreads, 'Send Messages in Threads'],
  [PermissionFlagsBits.ReadMessageHistory, 'Read Message History'],
] as const;

function checkBotCanPost(channel: GuildBasedChannel): void {
  const me = channel.guild.members.me;
  const perms = me ? channel.permissionsFor(me) : null;
  const missing = NEEDED.filter(([flag]) => !perms?.has(flag)).map(([, name]) => name);
  if (missing.length) throw new UserError(`I can't post drops in <#${channel.id}>: I'm missing ${missing.map((m) => `**${m}**`).join(', ')} there. Give me those permissions, or pick another channel.`, 'forbidden');
}

const line = (s: ScheduleView) =>
  `\`${s.id.slice(0, 8)}\` <#${s.channelId}> ${describeWhen(s.cron, s.timeZone)}${s.topics.length ? ` · topics ${s.topics.join(', ')}` : ''}${s.level ? ` · ${s.level}` : ''}${s.roleId ? ` · pings <@&${s.roleId}>` : ''} · follow-ups ${[s.revealEveryMinutes ? `every ${s.revealEveryMinutes} min` : '', s.revealAfterAnswers ? `after ${s.revealAfterAnswers} answers` : ''].filter(Boolean).join(' or ') || 'every 60 min'}${s.paused ? ' · **paused**' : ` · next <t:${Math.floor(s.nextRunAt.getTime() / 1000)}:R>`}`;

export default defineCommand({
  data: new SlashCommandBuilder()
    .setName('schedule')
    .setDescription('Daily question drops for this server')
    .setDMPermission(false)
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .addSubcommand((s) =>
      s
        .setName('set')
        .setDescription('Add a drop schedule')
        .addChannelOption((o) => o.setName('channel').setDescription('Where to post').addChannelTypes(ChannelType.GuildText).setRequired(true))
        .addStringOption((o) => o.setName('when').setDescription('Daily time HH:MM (24 h), or a cron expression like 0 9 * * 1-5').setRequired(true).setMaxLength(60))
        .addStringOption((o) => o.setName('timezone').setDescription('IANA time zone, e.g. Europe/Berlin (default: the server setting)').setAutocomplete(true).setMaxLength(64))
        .addStringOption((o) => o.setName('topics').setDescription('Comma-separated topic ids (default: all)').setMaxLength(300))
        .addStringOption((o) => o.setName('level').setDescription('Only chains at this level').addChoices(...levels.map((l) => ({ name: l, value: l }))))
        .addRoleOption((o) => o.setName('role').setDescription('Role to mention when a drop is posted'))
        .addIntegerOption((o) => o.setName('every_minutes').setDescription('Reveal the next follow-up every N minutes (default 60)').setMinValue(1).setMaxValue(1440))
        .addIntegerOption((o) => o.setName('after_answers').setDescription('...or as soon as K members have answered').setMinValue(1).setMaxValue(1000)),
    )
    .addSubcommand((s) => s.setName('list').setDescription("This server's schedules"))
    .addSubcommand((s) => s.setName('pause').setDescription('Pause a schedule').addStringOption((o) => o.setName('id').setDescription('Id from /schedule list').setRequired(true).setMaxLength(36)))
    .addSubcommand((s) => s.setName('resume').setDescription('Resume a schedule').addStringOption((o) => o.setName('id').setDescription('Id from /schedule list').setRequired(true).setMaxLength(36)))
    .addSubcommand((s) => s.setName('remove').setDescription('Delete a schedule').addStringOption((o) => o.setName('id').setDescription('Id from /schedule list').setRequired(true).setMaxLength(36))),
  summary: 'set, list, pause, resume or remove daily question drops (time or cron, time zone, topics, level, role, cadence)',
  audience: 'admins',
  requires: { guild: true, manageGuild: true },
  async execute(interaction, { services }) {
    const guildId = interaction.guildId!;
    const sub = interaction.options.getSubcommand(true);
    const now = services.clock();
    const reply = (content: string) => interaction.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
    if (sub === 'set') {
      const picked = interaction.options.getChannel('channel', true);
      const channel = interaction.guild?.channels.cache.get(picked.id);
      if (!channel || channel.type !== ChannelType.GuildText) throw new UserError('Pick a text channel of this server.');
      const cron = parseWhen(interaction.options.getString('when', true));
      const zoneInput = interaction.options.getString('timezone');
      const timeZone = zoneInput ? checkTimeZone(zoneInput) : (await services.guilds.settings(guildId)).timeZone;
      const topics = (interaction.options.getString('topics') ?? '').split(/[\s,]+/).filter(Boolean);
      const unknown = topics.filter((t) => !services.bank.topicById.has(t));
      if (unknown.length) throw new UserError(`Unknown topic${unknown.length > 1 ? 's' : ''}: ${unknown.map((t) => `\`${t.slice(0, 40)}\``).join(', ')}. Known topics: ${services.bank.topics.map((t) => t.id).join(', ')}.`);
      checkBotCanPost(channel);
      await services.guilds.joined(guildId, interaction.guild?.name ?? guildId);
      const s = await services.schedules.create(
        {
          guildId,
          channelId: channel.id,
          cron,
          timeZone,
          topics,
          level: interaction.options.getString('level'),
          roleId: interaction.options.getRole('role')?.id ?? null,
          revealEveryMinutes: interaction.options.getInteger('every_minutes'),
          revealAfterAnswers: interaction.options.getInteger('after_answers'),
          createdBy: interaction.user.id,
        },
        now,
      );
      await reply(`Scheduled. ${line(s)}`);
      return;
    }
    if (sub === 'list') {
      const all = await services.schedules.list(guildId);
      await reply(all.length ? all.map(line).join('\n') : 'No schedules yet. Add one with `/schedule set`.');
      return;
    }
    const id = interaction.options.getString('id', true);
    if (sub === 'pause') await reply(`Paused. ${line(await services.schedules.setPaused(guildId, id, true, now))}`);
    else if (sub === 'resume') await reply(`Resumed. ${line(await services.schedules.setPaused(guildId, id, false, now))}`);
    else if (sub === 'remove') await reply(`Removed schedule \`${(await services.schedules.remove(guildId, id)).id.slice(0, 8)}\`.`);
  },
  async autocomplete(interaction) {
    const typed = interaction.options.getFocused().toLowerCase();
    await interaction.respond(
      Intl.supportedValuesOf('timeZone')
        .filter((z) => z.toLowerCase().includes(typed))
        .slice(0, 25)
        .map((z) => ({ name: z, value: z })),
    );
  },
});
