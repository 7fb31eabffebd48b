import { SlashCommandBuilder } from 'discord.js';
import { topicChoices } from '../src/bank/autocomplete.js';
import { defineCommand } from '../src/app/context.js';
import { SPRINT_LIMITS } from '../src/sprint/rules.js';
import { lobbyMessage } from '../src/sprint/discord/views.js';

export default defineCommand({
  data: new SlashCommandBuilder()
    .setName('sprint')
    .setDescription('A channel-wide speed round anyone can join')
    .setDMPermission(false)
    .addStringOption((o) => o.setName('topic').setDescription('Topic (default: any)').setAutocomplete(true).setMaxLength(40))
    .addIntegerOption((o) => o.setName('rounds').setDescription(`Questions (default ${SPRINT_LIMITS.defaultRounds})`).setMinValue(1).setMaxValue(SPRINT_LIMITS.maxRounds))
    .addIntegerOption((o) => o.setName('seconds').setDescription(`Seconds per question (default ${SPRINT_LIMITS.defaultSeconds})`).setMinValue(SPRINT_LIMITS.minSeconds).setMaxValue(SPRINT_LIMITS.maxSeconds)),
  summary: 'a channel-wide speed round: join the lobby, answer fast, podium at the end',
  audience: 'members',
  requires: { guild: true },
  async execute(interaction, { services }) {
    const name = interaction.member && 'displayName' in interaction.member ? interaction.member.displayName : interaction.user.username;
    const s = await services.sprints.open({
      guildId: interaction.guildId!,
      channelId: interaction.channelId,
      starterId: interaction.user.id,
      starterName: name,
      topic: interaction.options.getString('topic'),
      rounds: interaction.options.getInteger('rounds') ?? SPRINT_LIMITS.defaultRounds,
      seconds: interaction.options.getInteger('seconds') ?? SPRINT_LIMITS.defaultSeconds,
    });
    const reply = await interaction.reply({ ...lobbyMessage(s), withResponse: true });
    const messageId = reply.resource?.message?.id;
    if (messageId) await services.sprints.setMessage(s.id, messageId);
  },
  async autocomplete(interaction, { services }) {
    await interaction.respond(topicChoices(services.bank, interaction.options.getFocused()));
  },
});
