import { ActionRowBuilder, MessageFlags, ModalBuilder, TextInputBuilder, TextInputStyle, type ButtonInteraction, type ModalSubmitInteraction } from 'discord.js';
import type { DiscordFeature } from '../../platform/discord/command.js';
import type { DropAnswers } from '../answers.js';
import type { DropEngine } from '../engine.js';
import { encodeCustomId } from '../../platform/discord/custom-id.js';
import { UserError } from '../../platform/errors.js';
import { DROP_ROUTES } from './publisher.js';
import { formText } from '../../platform/discord/forms.js';

const int = (raw: string | undefined) => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 100) throw new UserError('This button is damaged.', 'invalid-input');
  return n;
};

const outcome = (r: { stored: boolean; live: boolean; correct: boolean; verdict: string; points: number }, revealText: string) => {
  if (!r.stored) return 'You already answered this question; your first answer counts.';
  const pts = r.points ? ` (+${r.points.toLocaleString('en-US')} points)` : '';
  if (r.live) return `Answer recorded${pts}. ${r.correct ? '✅ Correct!' : r.verdict === 'partial' ? '🟡 Partly right.' : '❌ Not this time.'} The answer is revealed with the next step.`;
  return `Late answer recorded for your mastery${pts}. ${r.correct ? '✅ Correct!' : `❌ ${revealText}`}`;
};

/** Buttons and modals on drop messages: any member may answer, once per step. */
export function dropDiscord({ engine, answers }: { engine: DropEngine; answers: DropAnswers }): DiscordFeature {
  return { routes: [
  {
    route: DROP_ROUTES.choice,
    async handle(interaction, [dropId, step, option]) {
      await (interaction as ButtonInteraction).deferReply({ flags: MessageFlags.Ephemeral });
      const r = await answers.answerChoice(dropId ?? '', int(step), int(option), { userId: interaction.user.id, guildId: interaction.guildId, channelId: interaction.channelId });
      const correctText = r.options.find((o) => o.correct)?.text ?? r.prompt.choice.correct;
      await interaction.editReply({ content: outcome(r, `The answer was: ${correctText}`) });
      if (r.stored && r.live) await engine.maybeRevealEarly(dropId!, int(step));
    },
  },
  {
    route: DROP_ROUTES.ownWords,
    async handle(interaction, [dropId, step]) {
      const at = int(step);
      const { prompt } = await answers.context(dropId ?? '', at);
      await (interaction as ButtonInteraction).showModal(
        new ModalBuilder()
          .setCustomId(encodeCustomId(DROP_ROUTES.modal, dropId!, at))
          .setTitle(`${prompt.level} · your answer`)
          .addComponents(
            new ActionRowBuilder<TextInputBuilder>().addComponents(
              new TextInputBuilder().setCustomId('answer').setLabel('Your answer').setStyle(TextInputStyle.Paragraph).setMaxLength(2000).setRequired(true),
            ),
          ),
      );
    },
  },
  {
    route: DROP_ROUTES.modal,
    async handle(interaction, [dropId, step]) {
      const modal = interaction as ModalSubmitInteraction;
      await modal.deferReply({ flags: MessageFlags.Ephemeral });
      const r = await answers.answerText(dropId ?? '', int(step), formText(modal, 'answer'), { userId: interaction.user.id, guildId: interaction.guildId, channelId: interaction.channelId });
      const points = r.stored ? `\nKey points: ${r.hit.length}/${r.hit.length + r.missed.length}` : '';
      await modal.editReply({ content: outcome(r, 'See the model answer in the thread.') + points });
      if (r.stored && r.live) await engine.maybeRevealEarly(dropId!, int(step));
    },
  },
]};
}
