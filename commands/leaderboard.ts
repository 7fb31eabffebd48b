import { SlashCommandBuilder } from 'discord.js';
import { defineCommand } from '../src/app/context.js';
import { UserError } from '../src/platform/errors.js';
import { leaderboardCard, leaderboardView } from '../src/leaderboard/discord/views.js';
import { BOARDS, PERIODS } from '../src/leaderboard/rules.js';

const isOneOf = <T extends string>(list: readonly T[], value: string): value is T => (list as readonly string[]).includes(value);

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
  async execute(interaction, { services }) {
    const period = interaction.options.getString('period') ?? 'week';
    const board = interaction.options.getString('board') ?? 'points';
    // Discord only sends the listed choices; a forged value gets the list instead of an error.
    if (!isOneOf(PERIODS, period)) throw new UserError('Pick a period from the list: this week, this month or all time.', 'invalid-input');
    if (!isOneOf(BOARDS, board)) throw new UserError('Pick a board from the list: points, elo, accuracy or streak.', 'invalid-input');
    await interaction.deferReply();
    const settings = await services.guilds.settings(interaction.guildId!);
    const result = await services.leaderboards.board(interaction.guildId!, { period, board }, interaction.user.id, services.clock(), settings.timeZone);
    const names = new Map<string, string>();
    await Promise.all(
      [...result.rows.map((r) => r.userId), interaction.user.id].map(async (id) => {
        names.set(id, await interaction.client.users.fetch(id).then((u) => u.displayName, () => 'former member'));
      }),
    );
    const view = leaderboardView(result, { period, board, callerId: interaction.user.id, names, timeZone: settings.timeZone });
    const image = await services.renderer.leaderboard(view.spec, { theme: await services.guilds.theme(interaction.guildId) });
    await interaction.editReply(leaderboardCard(view, image.png));
  },
});
