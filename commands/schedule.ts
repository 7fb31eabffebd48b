import { ChannelType, MessageFlags, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import { levels } from '../src/bank/schema.js';
import { defineCommand } from '../src/app/context.js';
import { UserError } from '../src/platform/errors.js';
import { checkBotCanPost } from '../src/schedule/discord/channel.js';
import { scheduleChoice, scheduleReplies } from '../src/schedule/discord/views.js';

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
    .addSubcommand((s) => s.setName('pause').setDescription('Pause a schedule').addStringOption((o) => o.setName('id').setDescription('The schedule: pick it by channel and time (or its id from /schedule list)').setRequired(true).setMaxLength(36).setAutocomplete(true)))
    .addSubcommand((s) => s.setName('resume').setDescription('Resume a schedule').addStringOption((o) => o.setName('id').setDescription('The schedule: pick it by channel and time (or its id from /schedule list)').setRequired(true).setMaxLength(36).setAutocomplete(true)))
    .addSubcommand((s) => s.setName('remove').setDescription('Delete a schedule').addStringOption((o) => o.setName('id').setDescription('The schedule: pick it by channel and time (or its id from /schedule list)').setRequired(true).setMaxLength(36).setAutocomplete(true))),
  summary: 'set, list, pause, resume or remove daily question drops (time or cron, time zone, topics, level, role, cadence)',
  audience: 'admins',
  requires: { guild: true, manageGuild: true },
  async execute(interaction, { services }) {
    const guildId = interaction.guildId!;
    const sub = interaction.options.getSubcommand(true);
    const schedules = services.schedules;
    const reply = (content: string) => interaction.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
    if (sub === 'set') {
      const picked = interaction.options.getChannel('channel', true);
      const channel = interaction.guild?.channels.cache.get(picked.id);
      if (!channel || channel.type !== ChannelType.GuildText) throw new UserError('Pick a text channel of this server.');
      const input = await schedules.plan({
        guildId,
        channelId: channel.id,
        when: interaction.options.getString('when', true),
        timeZone: interaction.options.getString('timezone'),
        topics: interaction.options.getString('topics'),
        level: interaction.options.getString('level'),
        roleId: interaction.options.getRole('role')?.id ?? null,
        revealEveryMinutes: interaction.options.getInteger('every_minutes'),
        revealAfterAnswers: interaction.options.getInteger('after_answers'),
        createdBy: interaction.user.id,
      });
      checkBotCanPost(channel);
      await reply(scheduleReplies.created(await schedules.create(input, interaction.guild?.name ?? guildId, services.clock())));
      return;
    }
    if (sub === 'list') {
      await reply(scheduleReplies.list(await schedules.list(guildId)));
      return;
    }
    const id = interaction.options.getString('id', true);
    if (sub === 'pause') await reply(scheduleReplies.paused(await schedules.pause(guildId, id)));
    else if (sub === 'resume') await reply(scheduleReplies.resumed(await schedules.resume(guildId, id, services.clock())));
    else if (sub === 'remove') await reply(scheduleReplies.removed(await schedules.remove(guildId, id)));
  },
  async autocomplete(interaction, { services }) {
    const focused = interaction.options.getFocused(true);
    const typed = focused.value.toLowerCase();
    if (focused.name !== 'id') {
      await interaction.respond(
        Intl.supportedValuesOf('timeZone')
          .filter((z) => z.toLowerCase().includes(typed))
          .slice(0, 25)
          .map((z) => ({ name: z, value: z })),
      );
      return;
    }
    // The server's schedules, described; only for those who may manage them.
    if (!interaction.guildId || !interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) {
      await interaction.respond([]);
      return;
    }
    const sub = interaction.options.getSubcommand(false);
    const all = (await services.schedules.list(interaction.guildId)).map((s) => ({ s, choice: scheduleChoice(s, interaction.guild?.channels.cache.get(s.channelId)?.name ?? null) }));
    // Pause offers running schedules, resume paused ones (all of them when none fits).
    const fitting = all.filter(({ s }) => (sub === 'pause' ? !s.paused : sub === 'resume' ? s.paused : true));
    const offered = (fitting.length ? fitting : all).filter(({ choice }) => choice.name.toLowerCase().includes(typed) || choice.value.startsWith(typed));
    await interaction.respond(offered.slice(0, 25).map(({ choice }) => choice));
  },
});
