import { MessageFlags, SlashCommandBuilder } from 'discord.js';
import { defineCommand } from '../src/app/context.js';
import { confirmRow } from '../src/privacy/discord/routes.js';
import { FORGET_WARNING } from '../src/privacy/discord/views.js';

export default defineCommand({
  data: new SlashCommandBuilder().setName('forget-me').setDescription('Delete everything Backprop stores about you (asks first)'),
  summary: 'delete everything stored about you, after a confirmation',
  audience: 'members',
  async execute(interaction) {
    await interaction.reply({ content: FORGET_WARNING, components: [confirmRow(interaction.user.id)], flags: MessageFlags.Ephemeral });
  },
});
