import { AttachmentBuilder, MessageFlags, SlashCommandBuilder } from 'discord.js';
import { topicChoices } from '../src/bank/autocomplete.js';
import { defineCommand } from '../src/app/context.js';
import { UserError } from '../src/platform/errors.js';

const DAY = 24 * 60 * 60 * 1000;

export default defineCommand({
  data: new SlashCommandBuilder()
    .setName('mastery')
    .setDescription('Your mastery per topic, due reviews, streak and accuracy, as an image')
    .addUserOption((o) => o.setName('user').setDescription("Someone else's (answers given in this server only)"))
    .addStringOption((o) => o.setName('topic').setDescription('Only this topic').setAutocomplete(true).setMaxLength(40)),
  summary: 'an image of your mastery per topic, due reviews, streak and 30-day accuracy',
  audience: 'members',
  async execute(interaction, { services }) {
    const target = interaction.options.getUser('user') ?? interaction.user;
    const topic = interaction.options.getString('topic');
    if (topic && !services.bank.topicById.has(topic)) throw new UserError(`I have no topic called "${topic.slice(0, 60)}". Pick one from the list as you type.`);
    if (target.bot) throw new UserError('Bots do not practise (yet).');
    const self = target.id === interaction.user.id;
    // Someone else's view covers only what they did in this server, never their other servers.
    if (!self && !interaction.guildId) throw new UserError("Another member's mastery can only be viewed inside a server.");
    const scope = self ? {} : { guildId: interaction.guildId! };
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const now = services.clock();
    const settings = interaction.guildId ? await services.guilds.settings(interaction.guildId) : { timeZone: 'UTC', theme: 'dark' as const };
    const [topics, due, streak, accuracy] = await Promise.all([
      services.mastery.topicMastery(target.id, now, scope),
      services.mastery.dueCount(target.id, now, scope),
      services.mastery.streak(target.id, settings.timeZone, now, scope),
      services.mastery.accuracy(target.id, new Date(now.getTime() - 30 * DAY), scope),
    ]);
    const shown = topics.filter((t) => (topic ? t.topic === topic : true));
    const name = self ? 'Your' : `${target.displayName}'s`;
    const image = await services.renderer.masteryChart(
      {
        title: `${name} mastery${topic ? `: ${services.bank.topicById.get(topic)!.title}` : ''}`,
        stats: { due, streak, accuracy30d: accuracy ? accuracy.rate : null },
        topics: shown.map((t) => ({ name: t.title, mastery: t.mastery, seen: t.seen, unseen: t.unseen })),
        footnote: `Mastery = mean recall probability now (FSRS) of the prompts seen.${self ? '' : ' Answers given in this server only.'} Streak days in ${settings.timeZone}.`,
      },
      { theme: await services.guilds.theme(interaction.guildId) },
    );
    const seen = shown.reduce((n, t) => n + t.seen, 0);
    await interaction.editReply({
      content: `${name} mastery: ${seen} prompt${seen === 1 ? '' : 's'} seen · ${due} due · streak ${streak} day${streak === 1 ? '' : 's'} · 30-day accuracy ${accuracy ? `${Math.round(accuracy.rate * 100)}% (${accuracy.correct}/${accuracy.total})` : 'n/a'}`,
      files: [new AttachmentBuilder(image.png, { name: 'mastery.png' })],
    });
  },
  async autocomplete(interaction, { services }) {
    await interaction.respond(topicChoices(services.bank, interaction.options.getFocused()));
  },
});
