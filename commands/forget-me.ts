import { ActionRowBuilder, ButtonBuilder, ButtonStyle, MessageFlags, SlashCommandBuilder, type ButtonInteraction } from 'discord.js';
import { defineCommand } from '../src/discord/command.js';
import { encodeCustomId } from '../src/discord/custom-id.js';
import { UserError } from '../src/errors.js';
import { forgetUser } from '../src/mastery/index.js';

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
          content: [
            '🗑️ Done. Deleted:',
            `- ${r.answers} answer${r.answers === 1 ? '' : 's'}`,
            `- ${r.cards} spaced-repetition card${r.cards === 1 ? '' : 's'}`,
            `- ${r.sessions} practice session${r.sessions === 1 ? '' : 's'}`,
            `Anonymised: ${r.whiteboardStepsAnonymised} whiteboard step${r.whiteboardStepsAnonymised === 1 ? '' : 's'} (now by "former member"), ${r.whiteboardsAnonymised} board${r.whiteboardsAnonymised === 1 ? '' : 's'} you started.`,
          ].join('\n'),
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
        'This deletes every answer, spaced-repetition card and practice session Backprop stores about you, and removes your name from whiteboard steps. It cannot be undone. Continue?',
      components: [row],
      flags: MessageFlags.Ephemeral,
    });
  },
});
