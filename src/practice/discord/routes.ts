import { MessageFlags, type ButtonInteraction, type ModalSubmitInteraction, type RepliableInteraction } from 'discord.js';
import type { DiscordFeature } from '../../platform/discord/command.js';
import { UserError } from '../../platform/errors.js';
import type { GuildService } from '../../guilds/service.js';
import type { Renderer } from '../../render/index.js';
import { isGrade } from '../../mastery/rules.js';
import { ROUTES, detailScreen, drillModal, drillScreen, drillResultScreen, feedbackScreen, finishedScreen, isSection, ownWordsModal, questionScreen, type Screen } from './views.js';
import type { PracticeService } from '../service.js';
import type { Session, Step } from '../types.js';
import { formText } from '../../platform/discord/forms.js';
import { practicePhrases } from './phrases.js';

/** Thin Discord adapter of the practice flow: parse the custom id, call the service, show the screen. */

const index = (raw: string | undefined) => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 1000) throw new UserError('This button is damaged; start again with the command.', 'invalid-input');
  return n;
};

/**
 * Shows a screen: edits the deferred reply or the clicked message (a Components v2 message
 * stays one: the payload carries the flag), or replies privately.
 */
async function show(interaction: RepliableInteraction, screen: Screen): Promise<void> {
  const payload = { ...screen, attachments: [] };
  if (interaction.deferred || interaction.replied) await interaction.editReply(payload);
  else await interaction.reply({ ...payload, flags: MessageFlags.Ephemeral | MessageFlags.IsComponentsV2 });
}

export interface PracticeDiscord extends DiscordFeature {
  /** Shows the session's current step: its question, or its feedback when already answered. */
  showStep(interaction: RepliableInteraction, session: Session): Promise<void>;
  /** The first screen of a /drill session. */
  showDrill(interaction: RepliableInteraction, session: Session): Promise<void>;
}

export function practiceDiscord({ practice, renderer, guilds }: { practice: PracticeService; renderer: Renderer; guilds: GuildService }): PracticeDiscord {
  async function showStep(interaction: RepliableInteraction, session: Session): Promise<void> {
    const step = await practice.step(session);
    const theme = await guilds.theme(session.guildId);
    await show(interaction, step.answered ? await feedbackScreen(step, renderer, theme) : await questionScreen(step, renderer, theme));
  }

  async function finished(interaction: RepliableInteraction, session: Session): Promise<void> {
    await show(interaction, finishedScreen(await practice.outcome(session)));
  }

  async function feedback(interaction: RepliableInteraction, step: Step): Promise<void> {
    await show(interaction, await feedbackScreen(step, renderer, await guilds.theme(step.session.guildId)));
  }

  async function showDrill(interaction: RepliableInteraction, session: Session): Promise<void> {
    await show(interaction, await drillScreen(session.id, practice.drillOf(session), renderer, await guilds.theme(session.guildId)));
  }

  return {
    showStep,
    showDrill,
    phrases: practicePhrases,
    routes: [
      {
        route: ROUTES.choice,
        async handle(interaction, [sid, step, option]) {
          const session = await practice.load(sid ?? '', interaction.user.id);
          await (interaction as ButtonInteraction).deferUpdate();
          const at = index(step);
          if (at !== session.position || session.endedAt) return showStep(interaction, session); // a stale button: show where we are
          await feedback(interaction, await practice.answerChoice(session, at, index(option)));
        },
      },
      {
        route: ROUTES.ownWords,
        async handle(interaction, [sid, step]) {
          const session = await practice.load(sid ?? '', interaction.user.id);
          await (interaction as ButtonInteraction).showModal(ownWordsModal(await practice.unanswered(session, index(step))));
        },
      },
      {
        route: ROUTES.modal,
        async handle(interaction, [sid, step]) {
          const modal = interaction as ModalSubmitInteraction;
          const session = await practice.load(sid ?? '', interaction.user.id);
          const text = formText(modal, 'answer');
          if (modal.isFromMessage()) await modal.deferUpdate();
          else await modal.deferReply({ flags: MessageFlags.Ephemeral });
          const at = index(step);
          if (at !== session.position || session.endedAt) return showStep(interaction, session);
          await feedback(interaction, await practice.answerText(session, at, text));
        },
      },
      {
        route: ROUTES.rate,
        async handle(interaction, [sid, step, rating]) {
          const session = await practice.load(sid ?? '', interaction.user.id);
          const grade = Number(rating);
          if (!isGrade(grade)) throw new UserError('That rating does not exist.', 'invalid-input');
          await (interaction as ButtonInteraction).deferUpdate();
          await feedback(interaction, await practice.rate(session, index(step), grade));
        },
      },
      {
        route: ROUTES.next,
        async handle(interaction, [sid, step]) {
          const session = await practice.load(sid ?? '', interaction.user.id);
          await (interaction as ButtonInteraction).deferUpdate();
          const moved = await practice.next(session, index(step));
          if (moved.finished) return finished(interaction, moved.session);
          await showStep(interaction, moved.session);
        },
      },
      {
        // The whole model answer, what was tested, or why the others are wrong: a private
        // follow-up from the feedback, whose page buttons then turn its pages in place.
        route: ROUTES.detail,
        async handle(interaction, [sid, step, section, page]) {
          const session = await practice.load(sid ?? '', interaction.user.id);
          if (!isSection(section)) throw new UserError('This button is damaged; start again with the command.', 'invalid-input');
          const shown = await practice.answeredStep(session, index(step));
          const button = interaction as ButtonInteraction;
          const turning = page !== undefined;
          if (turning) await button.deferUpdate();
          else await button.deferReply({ flags: MessageFlags.Ephemeral });
          await show(interaction, await detailScreen(shown, section, turning ? index(page) : 0, renderer, await guilds.theme(session.guildId)));
        },
      },
      {
        route: ROUTES.drillOpen,
        async handle(interaction, [sid]) {
          const session = await practice.load(sid ?? '', interaction.user.id);
          await (interaction as ButtonInteraction).showModal(drillModal(session.id, practice.drillOf(session)));
        },
      },
      {
        route: ROUTES.drillModal,
        async handle(interaction, [sid]) {
          const modal = interaction as ModalSubmitInteraction;
          const session = await practice.load(sid ?? '', interaction.user.id);
          const text = formText(modal, 'answer');
          const { drill, result } = await practice.answerDrill(session, text);
          if (!result.ok) {
            // Unreadable: nothing recorded, the drill stays open for another try.
            await modal.reply({ content: result.message, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
            return;
          }
          if (modal.isFromMessage()) await modal.deferUpdate();
          else await modal.deferReply({ flags: MessageFlags.Ephemeral });
          await show(interaction, await drillResultScreen(session.id, drill, result, renderer, await guilds.theme(session.guildId)));
        },
      },
      {
        route: ROUTES.drillPage,
        async handle(interaction, [sid, page]) {
          const session = await practice.load(sid ?? '', interaction.user.id);
          const { drill, result } = await practice.drillOutcome(session);
          await (interaction as ButtonInteraction).deferUpdate();
          await show(interaction, await drillResultScreen(session.id, drill, result, renderer, await guilds.theme(session.guildId), index(page)));
        },
      },
    ],
  };
}
