import { MessageFlags, SlashCommandBuilder } from 'discord.js';
import { topicChoices } from '../src/bank/autocomplete.js';
import { defineCommand } from '../src/app/context.js';
import { UserError } from '../src/platform/errors.js';

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
    if (topic && !services.bank.topicById.has(topic)) throw new UserError(`I have no topic called "${topic.slice(0, 40)}".`);
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const drop = await services.drops.engine.dropNow({ guildId: interaction.guildId!, channelId: interaction.channelId }, { topics: topic ? [topic] : [], level: null });
    if (!drop) throw new UserError('No chain matches that topic.');
    await services.drops.engine.postNow(drop.id); // only this drop: the scheduler's tick does the rest
    await interaction.editReply({ content: `Posted a drop: **${services.bank.chainById.get(drop.chainId)?.title}**. Follow-ups arrive in its thread every 60 minutes.` });
  },
  async autocomplete(interaction, { services }) {
    await interaction.respond(topicChoices(services.bank, interaction.options.getFocused()));
  },
});
