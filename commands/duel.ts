import { SlashCommandBuilder } from 'discord.js';
import { topicChoices } from '../src/bank/autocomplete.js';
import { levels } from '../src/bank/schema.js';
import { defineCommand } from '../src/app/context.js';
import { challengeMessage } from '../src/duel/discord/views.js';
import { DUEL_LIMITS, type DuelFormat } from '../src/duel/rules.js';

export default defineCommand({
  data: new SlashCommandBuilder()
    .setName('duel')
    .setDescription('Challenge a member to a head-to-head speed round')
    .setDMPermission(false)
    .addUserOption((o) => o.setName('opponent').setDescription('Who you challenge').setRequired(true))
    .addStringOption((o) => o.setName('topic').setDescription('Topic (default: any)').setAutocomplete(true).setMaxLength(40))
    .addIntegerOption((o) => o.setName('rounds').setDescription(`Questions (default ${DUEL_LIMITS.defaultRounds}, at most ${DUEL_LIMITS.maxRounds})`).setMinValue(1).setMaxValue(DUEL_LIMITS.maxRounds))
    .addStringOption((o) => o.setName('level').setDescription('Only questions at this level').addChoices(...levels.map((l) => ({ name: l, value: l }))))
    .addIntegerOption((o) =>
      o.setName('seconds').setDescription(`Seconds per question (default ${DUEL_LIMITS.defaultSeconds}; ${DUEL_LIMITS.drillDefaultSeconds} with drills)`).setMinValue(DUEL_LIMITS.minSeconds).setMaxValue(DUEL_LIMITS.maxSeconds),
    )
    .addStringOption((o) =>
      o
        .setName('format')
        .setDescription('Multiple-choice questions (default), numeric drills typed in, or both alternating')
        .addChoices({ name: 'questions', value: 'questions' }, { name: 'numeric drills', value: 'drills' }, { name: 'mixed', value: 'mixed' }),
    ),
  summary: 'challenge a member to a head-to-head speed round: questions, numeric drills or both (Elo per server)',
  audience: 'members',
  requires: { guild: true },
  async execute(interaction, { services }) {
    const opponent = interaction.options.getUser('opponent', true);
    const format = (interaction.options.getString('format') ?? 'questions') as DuelFormat;
    const duel = await services.duels.challenge({
      guildId: interaction.guildId!,
      channelId: interaction.channelId,
      challengerId: interaction.user.id,
      opponent: { id: opponent.id, bot: opponent.bot },
      topic: interaction.options.getString('topic'),
      level: interaction.options.getString('level'),
      rounds: interaction.options.getInteger('rounds') ?? DUEL_LIMITS.defaultRounds,
      seconds: interaction.options.getInteger('seconds') ?? (format === 'questions' ? DUEL_LIMITS.defaultSeconds : DUEL_LIMITS.drillDefaultSeconds),
      format,
    });
    const reply = await interaction.reply({ ...challengeMessage(duel), withResponse: true });
    const messageId = reply.resource?.message?.id;
    if (messageId) await services.duels.setMessage(duel.id, messageId);
  },
  async autocomplete(interaction, { services }) {
    await interaction.respond(topicChoices(services.bank, interaction.options.getFocused()));
  },
});
