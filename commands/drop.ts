import { MessageFlags, SlashCommandBuilder } from 'discord.js';
import { topicChoices } from '../src/bank/autocomplete.js';
import { defineCommand } from '../src/app/context.js';
import { dropPostedReply } from '../src/drop/discord/views.js';

export default defineCommand({
  data: new SlashCommandBuilder()
    .setName('drop')
    .setDescription('Post a question drop in this channel now')
    .setDMPermission(false)
    .setDefaultMemberPermissions(0x20n)
    .addStringOption((o) => o.setName('topic').setDescription('Topic (default: where the channel is weakest)').setAutocomplete(true).setMaxLength(40)),
  summary: 'post a question drop in this channel now, outside the schedule',
  audience: 'admins',
  requires: { guild: true, manageGuild: true },
  async execute(interaction, { services }) {
    const topic = interaction.options.getString('topic');
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    // Posts the root now; the scheduler's tick posts the rest.
    const { chain, revealEveryMinutes } = await services.drops.dropNow({ guildId: interaction.guildId!, channelId: interaction.channelId }, topic);
    await interaction.editReply({ content: dropPostedReply(chain, revealEveryMinutes) });
  },
  async autocomplete(interaction, { services }) {
    await interaction.respond(topicChoices(services.bank, interaction.options.getFocused()));
  },
});
