import { MessageFlags, SlashCommandBuilder } from 'discord.js';
import { defineCommand } from '../src/app/context.js';
import { drillKinds } from '../src/drills/index.js';

export default defineCommand({
  data: new SlashCommandBuilder()
    .setName('drill')
    .setDescription('A generated numeric problem, with its figure and a worked solution')
    .addStringOption((o) =>
      o
        .setName('kind')
        .setDescription('Which kind of problem (random when left out)')
        .addChoices(...drillKinds.slice(0, 25).map((k) => ({ name: k.title.slice(0, 100), value: k.id }))),
    ),
  summary: 'a generated numeric problem (AUC with ties, XGBoost gain, NDCG...) graded with tolerance',
  audience: 'members',
  async execute(interaction, { services, discord }) {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const session = await services.practice.startDrill(
      { userId: interaction.user.id, guildId: interaction.guildId, channelId: interaction.channelId },
      interaction.options.getString('kind'),
    );
    await discord.practice.showDrill(interaction, session);
  },
});
