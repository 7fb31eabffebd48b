import { ActionRowBuilder, ButtonBuilder, ButtonStyle, MessageFlags, SlashCommandBuilder, type ButtonInteraction } from 'discord.js';
import { defineCommand } from '../src/discord/command.js';
import { encodeCustomId } from '../src/discord/custom-id.js';
import { UserError } from '../src/errors.js';
import { forgetUser, type ForgetResult } from '../src/mastery/index.js';

export default defineCommand({
  data: new SlashCommandBuilder().setName('forget-me').setDescription('Delete everything Backprop stores about you (asks first)'),
  summary: 'delete everything stored about you, after a confirmation',
  audience: 'members',
  components: [
    {
      route: 'fg',
      async handle(interaction, [owner, choice], app) {
        if (owner !== interaction.user.id) throw new UserError('Only the member who asked can confirm this.', 'forbidden');
        const button = interaction as ButtonInteraction;
        if (choice !== 'yes') {
          await button.update({ content: 'Cancelled: nothing was deleted.', components: [] });
          return;
        }
        await button.deferUpdate();
        const r = await forgetUser(app.db.prisma, interaction.user.id);
        app.leaderboards.clear(); // cached rankings must not show the member any more
        await button.editReply({
          content: forgetSummary(r),
          components: [],
        });
      },
    },
  ],
  async execute(interaction) {
    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder().setCustomId(encodeCustomId('fg', interaction.user.id, 'yes')).setLabel('Yes, delete everything').setStyle(ButtonStyle.Danger),
      new ButtonBuilder().setCustomId(encodeCustomId('fg', interaction.user.id, 'no')).setLabel('Cancel').setStyle(ButtonStyle.Secondary),
    );
    await interaction.reply({
      content:
        'This deletes every answer, spaced-repetition card, practice session, leaderboard entry and Elo rating Backprop stores about you, in every server, and removes your name from whiteboard steps, duels, sprints and drop schedules (they stay for the others). It cannot be undone. Continue?',
      components: [row],
      flags: MessageFlags.Ephemeral,
    });
  },
});

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** What /forget-me did, in the member's words: every count it touched. */
export function forgetSummary(r: ForgetResult): string {
  return [
    '🗑️ Done. Deleted:',
    `- ${plural(r.answers, 'answer')}`,
    `- ${plural(r.cards, 'spaced-repetition card')}`,
    `- ${plural(r.sessions, 'practice session')}`,
    `- leaderboards: ${plural(r.dailyScores, 'day')} of points, ${plural(r.streaks, 'streak')}, ${plural(r.ratings, 'Elo rating')}`,
    `- ${plural(r.duelAnswers + r.sprintAnswers, 'duel or sprint answer')} and ${plural(r.sprintPlayers, 'sprint registration')}`,
    `Kept for the others, no longer naming you: ${plural(r.whiteboardStepsAnonymised, 'whiteboard step')} (now by "former member"), ${plural(r.whiteboardsAnonymised, 'board')} you started, ${plural(r.duelsAnonymised, 'duel')}, ${plural(r.sprintsAnonymised, 'sprint')} you started, ${plural(r.schedulesAnonymised, 'drop schedule')} you created.`,
  ].join('\n');
}
