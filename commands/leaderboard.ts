import { AttachmentBuilder, MessageFlags, SlashCommandBuilder } from 'discord.js';
import { defineCommand } from '../src/discord/command.js';
import { themeFor } from '../src/guilds/theme.js';
import { leaderboardView, type Board, type Period } from '../src/leaderboard/view.js';

export default defineCommand({
  data: new SlashCommandBuilder()
    .setName('leaderboard')
    .setDescription("This server's top ten, and your own rank")
    .setDMPermission(false)
    .addStringOption((o) => o.setName('period').setDescription('Default: this week').addChoices({ name: 'this week', value: 'week' }, { name: 'this month', value: 'month' }, { name: 'all time', value: 'all' }))
    .addStringOption((o) =>
      o
        .setName('board')
        .setDescription('Default: points')
        .addChoices({ name: 'points', value: 'points' }, { name: 'elo (duels)', value: 'elo' }, { name: 'accuracy', value: 'accuracy' }, { name: 'streak', value: 'streak' }),
    ),
  summary: 'the top ten by points, Elo, accuracy or streak (week, month, all time), with your own rank',
  audience: 'members',
  requires: { guild: true },
  async execute(interaction, app) {
    const period = (interaction.options.getString('period') ?? 'week') as Period;
    const board = (interaction.options.getString('board') ?? 'points') as Board;
    await interaction.deferReply();
    const settings = await app.guilds.settings(interaction.guildId!);
    const result = await app.leaderboards.board(interaction.guildId!, { period, board }, interaction.user.id, app.clock(), settings.timeZone);
    const names = new Map<string, string>();
    await Promise.all(
      [...result.rows.map((r) => r.userId), interaction.user.id].map(async (id) => {
        names.set(id, await interaction.client.users.fetch(id).then((u) => u.displayName, () => 'former member'));
      }),
    );
    const view = leaderboardView(result, { period, board, callerId: interaction.user.id, names, timeZone: settings.timeZone });
    const image = await app.renderer.leaderboard(view.spec, { theme: await themeFor(app, interaction.guildId) });
    await interaction.editReply({ content: view.text, files: [new AttachmentBuilder(image.png, { name: 'leaderboard.png' })], allowedMentions: { parse: [] } });
  },
});
