import { MessageFlags, SlashCommandBuilder } from 'discord.js';
import { topicChoices } from '../src/bank/autocomplete.js';
import { defineCommand } from '../src/app/context.js';
import { masteryCard, masteryView } from '../src/mastery/discord/views.js';
import { UserError } from '../src/platform/errors.js';

const DAY = 24 * 60 * 60 * 1000;

export default defineCommand({
  data: new SlashCommandBuilder()
    .setName('mastery')
    .setDescription('Your mastery per topic, due reviews, streak and accuracy')
    .addUserOption((o) => o.setName('user').setDescription("Someone else's (answers given in this server only)"))
    .addStringOption((o) => o.setName('topic').setDescription('Only this topic').setAutocomplete(true).setMaxLength(40)),
  summary: 'your mastery per topic (recall a week ahead), due reviews, streak and 30-day accuracy, with a chart',
  audience: 'members',
  async execute(interaction, { services }) {
    const target = interaction.options.getUser('user') ?? interaction.user;
    const topic = interaction.options.getString('topic');
    if (topic && !services.bank.topicById.has(topic)) throw new UserError(`I have no topic called "${topic.slice(0, 60)}"; pick one from the list as you type.`);
    if (target.bot) throw new UserError('Bots do not practise (yet).');
    const self = target.id === interaction.user.id;
    // Someone else's view covers only what they did in this server, never their other servers.
    if (!self && !interaction.guildId) throw new UserError("Another member's mastery can only be viewed inside a server.");
    const scope = self ? {} : { guildId: interaction.guildId! };
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const now = services.clock();
    const guildId = interaction.guildId ?? null;
    const [topics, due, streak, accuracy, settings] = await Promise.all([
      services.mastery.topicMastery(target.id, now, scope),
      services.mastery.dueCount(target.id, now, scope),
      // A server's own streak there (yours or theirs); in a DM, your longest over your servers.
      services.mastery.streak(target.id, now, guildId),
      services.mastery.accuracy(target.id, new Date(now.getTime() - 30 * DAY), scope),
      guildId ? services.guilds.settings(guildId) : null,
    ]);
    const view = masteryView(
      { topics: topics.filter((t) => (topic ? t.topic === topic : true)), due, streak, accuracy },
      { name: self ? 'Your' : `${target.displayName}'s`, self, topicTitle: topic ? services.bank.topicById.get(topic)!.title : null, timeZone: settings?.timeZone ?? null },
    );
    const image = await services.renderer.masteryChart(view.spec, { theme: await services.guilds.theme(interaction.guildId) });
    await interaction.editReply(masteryCard(view, image.png));
  },
  async autocomplete(interaction, { services }) {
    await interaction.respond(topicChoices(services.bank, interaction.options.getFocused()));
  },
});
