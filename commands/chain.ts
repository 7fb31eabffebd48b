import { MessageFlags, SlashCommandBuilder } from 'discord.js';
import { topicChoices } from '../src/bank/autocomplete.js';
import { levels, type Level } from '../src/bank/schema.js';
import { defineCommand } from '../src/discord/command.js';
import { practiceRoutes, showStep } from '../src/practice/discord.js';

export default defineCommand({
  data: new SlashCommandBuilder()
    .setName('chain')
    .setDescription('Practise a follow-up chain privately, step by step')
    .addStringOption((o) => o.setName('topic').setDescription('Topic (start typing)').setAutocomplete(true).setMaxLength(40))
    .addStringOption((o) => o.setName('level').setDescription('Level of the chain').addChoices(...levels.map((l) => ({ name: l, value: l })))),
  summary: 'practise a follow-up chain privately: a root question, then harder follow-ups',
  audience: 'members',
  components: practiceRoutes,
  async execute(interaction, app) {
    const topic = interaction.options.getString('topic') ?? undefined;
    const level = (interaction.options.getString('level') as Level | null) ?? undefined;
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const session = await app.practice.startChain(
      { userId: interaction.user.id, guildId: interaction.guildId, channelId: interaction.channelId },
      { ...(topic ? { topic } : {}), ...(level ? { level } : {}) },
    );
    await showStep(interaction, app, session);
  },
  async autocomplete(interaction, app) {
    await interaction.respond(topicChoices(app.bank, interaction.options.getFocused()));
  },
});
