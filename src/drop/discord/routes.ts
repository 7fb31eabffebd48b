import { MessageFlags, type ButtonInteraction, type ModalSubmitInteraction } from 'discord.js';
import type { DiscordFeature } from '../../platform/discord/command.js';
import { formText } from '../../platform/discord/forms.js';
import { UserError } from '../../platform/errors.js';
import type { DropService } from '../service.js';
import { DROP_ROUTES, answerModal, choiceReply, mineReply, textReply } from './views.js';
import { dropPhrases } from './phrases.js';

const int = (raw: string | undefined) => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 100) throw new UserError('This button is damaged.', 'invalid-input');
  return n;
};

/** Buttons and modals on drop messages: any member may answer an open step, once; "Your answer" under each reveal. */
export function dropDiscord({ drops }: { drops: DropService }): DiscordFeature {
  return {
    phrases: dropPhrases,
    routes: [
      {
        route: DROP_ROUTES.choice,
        async handle(interaction, [dropId, step, option]) {
          await (interaction as ButtonInteraction).deferReply({ flags: MessageFlags.Ephemeral });
          const at = int(step);
          const r = await drops.answerChoice(dropId ?? '', at, int(option), { userId: interaction.user.id, guildId: interaction.guildId, channelId: interaction.channelId });
          await interaction.editReply({ content: choiceReply(r) });
          if (r.stored && r.live) await drops.maybeRevealEarly(dropId!, at);
        },
      },
      {
        route: DROP_ROUTES.ownWords,
        async handle(interaction, [dropId, step]) {
          const at = int(step);
          const { prompt } = await drops.stepContext(dropId ?? '', at);
          await (interaction as ButtonInteraction).showModal(answerModal(dropId!, at, prompt));
        },
      },
      {
        route: DROP_ROUTES.modal,
        async handle(interaction, [dropId, step]) {
          const modal = interaction as ModalSubmitInteraction;
          await modal.deferReply({ flags: MessageFlags.Ephemeral });
          const at = int(step);
          const r = await drops.answerText(dropId ?? '', at, formText(modal, 'answer'), { userId: interaction.user.id, guildId: interaction.guildId, channelId: interaction.channelId });
          await modal.editReply({ content: textReply(r) });
          if (r.stored && r.live) await drops.maybeRevealEarly(dropId!, at);
        },
      },
      {
        route: DROP_ROUTES.mine,
        async handle(interaction, [dropId, step]) {
          await (interaction as ButtonInteraction).deferReply({ flags: MessageFlags.Ephemeral });
          const mine = await drops.memberAnswers(dropId ?? '', interaction.user.id);
          await interaction.editReply({ content: mineReply(mine, int(step)) });
        },
      },
    ],
  };
}
