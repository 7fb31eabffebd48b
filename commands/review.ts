import { MessageFlags, SlashCommandBuilder } from 'discord.js';
import { defineCommand } from '../src/app/context.js';
import { nothingDueScreen } from '../src/practice/discord/views.js';

export default defineCommand({
  data: new SlashCommandBuilder()
    .setName('review')
    .setDescription('Review the questions that are due for you (spaced repetition)')
    .addIntegerOption((o) => o.setName('count').setDescription('How many cards (default 5)').setMinValue(1).setMaxValue(25)),
  summary: 'review the questions due for you, oldest first (spaced repetition)',
  audience: 'members',
  async execute(interaction, { services, discord }) {
    const count = interaction.options.getInteger('count') ?? 5;
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const started = await services.practice.startReview({ userId: interaction.user.id, guildId: interaction.guildId, channelId: interaction.channelId }, count);
    if ('nothingDue' in started) {
      await interaction.editReply({ ...nothingDueScreen(started.nextDue) });
      return;
    }
    await discord.practice.showStep(interaction, started.session);
  },
});
