import { ActionRowBuilder, ButtonBuilder, ButtonStyle, type ButtonInteraction } from 'discord.js';
import type { DiscordFeature } from '../../platform/discord/command.js';
import { encodeCustomId } from '../../platform/discord/custom-id.js';
import { UserError } from '../../platform/errors.js';
import type { PrivacyService } from '../service.js';
import { forgetSummary } from './views.js';

const ROUTE = 'fg';

/** The confirmation buttons of /forget-me: only the member who asked may press them. */
export function confirmRow(userId: string): ActionRowBuilder<ButtonBuilder> {
  return new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder().setCustomId(encodeCustomId(ROUTE, userId, 'yes')).setLabel('Yes, delete everything').setStyle(ButtonStyle.Danger),
    new ButtonBuilder().setCustomId(encodeCustomId(ROUTE, userId, 'no')).setLabel('Cancel').setStyle(ButtonStyle.Secondary),
  );
}

export function privacyDiscord(privacy: PrivacyService): DiscordFeature {
  return {
    routes: [
      {
        route: ROUTE,
        async handle(interaction, [owner, choice]) {
          if (owner !== interaction.user.id) throw new UserError('Only the member who asked can confirm this.', 'forbidden');
          const button = interaction as ButtonInteraction;
          if (choice !== 'yes') {
            await button.update({ content: 'Cancelled: nothing was deleted.', components: [] });
            return;
          }
          await button.deferUpdate();
          const r = await privacy.forget(interaction.user.id);
          await button.editReply({ content: forgetSummary(r), components: [] });
        },
      },
    ],
  };
}
