import { MessageFlags, type ButtonInteraction, type Client, type ModalSubmitInteraction } from 'discord.js';
import type { GuildService } from '../../guilds/service.js';
import type { DiscordFeature } from '../../platform/discord/command.js';
import { hasLiveButtons } from '../../platform/discord/card.js';
import { formText } from '../../platform/discord/forms.js';
import { DomainError, UserError } from '../../platform/errors.js';
import type { Logger } from '../../platform/log.js';
import type { Renderer } from '../../render/index.js';
import type { DuelService } from '../service.js';
import { DuelPublisher } from './publisher.js';
import { DUEL_ROUTES, acceptedMessage, answerReply, declinedMessage, numberForm } from './views.js';
import { duelPhrases } from './phrases.js';

export interface DuelDiscord extends DiscordFeature {
  /** Posts rounds and results; its sweep is the scheduler's duel job. */
  driver: DuelPublisher;
}

/** The duel's buttons and form (accept, decline, a letter, a drill's answer) and the words of its refusals. */
export function duelDiscord(deps: { duels: DuelService; renderer: Renderer; guilds: GuildService; client: Client; log: Logger }): DuelDiscord {
  const { duels } = deps;
  const driver = new DuelPublisher(duels, deps.renderer, deps.guilds, deps.client, deps.log);
  /**
   * A click on a round that has closed: the refusal stands, and the card it was on is shown
   * closed if it still looks open (its closing edit was lost, e.g. to a crash).
   */
  const healing = async <T>(interaction: ButtonInteraction | ModalSubmitInteraction, id: string, round: number, answer: Promise<T>): Promise<T> => {
    try {
      return await answer;
    } catch (err) {
      if (err instanceof DomainError && err.code === 'duel.round-over' && hasLiveButtons(interaction.message?.components)) {
        // Not awaited: the refusal must not wait for the edit (a form button has 3 s to answer).
        void duels.get(id).then((duel) => driver.closeRoundMessage(duel, round, interaction.message?.id), () => {});
      }
      throw err;
    }
  };
  return {
    driver,
    phrases: duelPhrases,
    routes: [
      {
        route: DUEL_ROUTES.accept,
        async handle(interaction, [id]) {
          const duel = await duels.accept(id ?? '', interaction.user.id);
          await (interaction as ButtonInteraction).update(acceptedMessage(duel));
          await driver.postRound(duel, 0);
        },
      },
      {
        route: DUEL_ROUTES.decline,
        async handle(interaction, [id]) {
          const duel = await duels.decline(id ?? '', interaction.user.id);
          await (interaction as ButtonInteraction).update(declinedMessage(duel));
        },
      },
      {
        route: DUEL_ROUTES.answer,
        async handle(interaction, [id, round, option]) {
          const r = Number(round);
          const opt = Number(option);
          if (!Number.isInteger(r) || !Number.isInteger(opt)) throw new UserError('This button is damaged.', 'invalid-input');
          // Acknowledge at once (Discord's 3 s), then record and answer privately.
          await (interaction as ButtonInteraction).deferReply({ flags: MessageFlags.Ephemeral });
          const result = await healing(interaction as ButtonInteraction, id ?? '', r, duels.answer(id ?? '', r, interaction.user.id, opt));
          await interaction.editReply({ content: answerReply(result) });
          if (result.bothAnswered) await driver.advance(result.duel.id, r);
        },
      },
      {
        // A drill round: a duelist opens the answer form (others are told it is not their duel).
        route: DUEL_ROUTES.numberOpen,
        async handle(interaction, [id, round]) {
          const r = Number(round);
          if (!Number.isInteger(r)) throw new UserError('This button is damaged.', 'invalid-input');
          const drill = await healing(interaction as ButtonInteraction, id ?? '', r, duels.checkDrillRound(id ?? '', r, interaction.user.id));
          await (interaction as ButtonInteraction).showModal(numberForm(id ?? '', r, drill));
        },
      },
      {
        route: DUEL_ROUTES.numberSubmit,
        async handle(interaction, [id, round]) {
          const r = Number(round);
          if (!Number.isInteger(r)) throw new UserError('This form is damaged.', 'invalid-input');
          const modal = interaction as ModalSubmitInteraction;
          await modal.deferReply({ flags: MessageFlags.Ephemeral });
          const result = await healing(modal, id ?? '', r, duels.answerNumber(id ?? '', r, interaction.user.id, formText(modal, 'answer')));
          await interaction.editReply({ content: answerReply(result) });
          if (result.bothAnswered) await driver.advance(result.duel.id, r);
        },
      },
    ],
  };
}
