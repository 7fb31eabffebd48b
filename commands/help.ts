import { EmbedBuilder, MessageFlags, SlashCommandBuilder } from 'discord.js';
import { defineCommand } from '../src/app/context.js';
import { helpText } from '../src/help.js';

export default defineCommand({
  data: new SlashCommandBuilder().setName('help').setDescription('What Backprop does and how to start'),
  summary: 'this overview',
  audience: 'members',
  async execute(interaction, { services, commands }) {
    const text = helpText(services.bank, commands);
    const embed = new EmbedBuilder().setTitle(text.title).setDescription(text.intro).setColor(0x5865f2);
    for (const section of text.sections) embed.addFields({ name: section.name, value: section.value });
    await interaction.reply({ embeds: [embed], flags: MessageFlags.Ephemeral });
  },
});
