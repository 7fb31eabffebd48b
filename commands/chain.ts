import { MessageFlags, SlashCommandBuilder } from 'discord.js';
import { topicChoices } from '../src/bank/autocomplete.js';
import { levels, type Level } from '../src/bank/schema.js';
import { defineCommand } from '../src/app/context.js';

export default defineCommand({
  data: new SlashCommandBuilder()
    .setName('chain')
    .setDescription('Practise a follow-up chain privately, step by step')
    .addStringOption((o) => o.setName('topic').setDescription('Topic (start typing)').setAutocomplete(true).setMaxLength(40))
    .addStringOption((o) => o.setName('level').setDescription('Level of the chain').addChoices(...levels.map((l) => ({ name: l, value: l })))),
  summary: 'practise a follow-up chain privately: a root question, then harder follow-ups',
  audience: 'members',
  async execute(interaction, { services, discord }) {
    const topic = interaction.options.getString('topic') ?? undefined;
    const level = (interaction.options.getString('level') as Level | null) ?? undefined;
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const session = await services.practice.startChain(
      { userId: interaction.user.id, guildId: interaction.guildId, channelId: interaction.channelId },
      { ...(topic ? { topic } : {}), ...(level ? { level } : {}) },
    );
    await discord.practice.showStep(interaction, session);
  },
  async autocomplete(interaction, { services }) {
    await interaction.respond(topicChoices(services.bank, interaction.options.getFocused()));
  },
});
