import { MessageFlags, type ButtonInteraction, type ModalSubmitInteraction, type RepliableInteraction } from 'discord.js';
import type { AppContext } from '../app-context.js';
import type { ComponentRoute } from '../discord/command.js';
import { UserError } from '../errors.js';
import { themeFor } from '../guilds/theme.js';
import { isGrade } from '../mastery/fsrs.js';
import { ROUTES, drillModal, drillResultScreen, feedbackScreen, finishedScreen, ownWordsModal, questionScreen, type Screen } from './screens.js';
import type { Session } from './service.js';
import { formText } from '../discord/forms.js';

/** Thin Discord adapter of the practice flow: parse the custom id, call the service, show the screen. */

const index = (raw: string | undefined) => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 1000) throw new UserError('This button is damaged; start again with the command.', 'invalid-input');
  return n;
};

async function show(interaction: RepliableInteraction & { update?: unknown }, screen: Screen): Promise<void> {
  const payload = { embeds: screen.embeds, components: screen.components, files: screen.files, attachments: [] };
  if (interaction.deferred || interaction.replied) await interaction.editReply(payload);
  else await interaction.reply({ ...payload, flags: MessageFlags.Ephemeral });
}

export async function showStep(interaction: RepliableInteraction, app: AppContext, session: Session): Promise<void> {
  const step = await app.practice.step(session);
  const screen = step.answered ? feedbackScreen(step) : await questionScreen(step, app.renderer, await themeFor(app, session.guildId));
  await show(interaction, screen);
}

async function finished(interaction: RepliableInteraction, app: AppContext, session: Session): Promise<void> {
  const keys = session.queue.map((_, i) => app.practice.eventKey(session, i));
  const rows = await app.db.prisma.answer.findMany({ where: { eventKey: { in: keys } }, select: { verdict: true } });
  const nextDue = await app.mastery.nextDue(session.userId, app.clock());
  await show(interaction, finishedScreen({ answered: rows.length, correct: rows.filter((r) => r.verdict === 'correct').length, kind: session.kind, nextDue }));
}

export const practiceRoutes: ComponentRoute[] = [
  {
    route: ROUTES.choice,
    async handle(interaction, [sid, step, option], app) {
      const session = await app.practice.load(sid ?? '', interaction.user.id);
      await (interaction as ButtonInteraction).deferUpdate();
      const at = index(step);
      if (at !== session.position || session.endedAt) return showStep(interaction, app, session); // a stale button: show where we are
      await show(interaction, feedbackScreen(await app.practice.answerChoice(session, at, index(option))));
    },
  },
  {
    route: ROUTES.ownWords,
    async handle(interaction, [sid, step], app) {
      const session = await app.practice.load(sid ?? '', interaction.user.id);
      const at = index(step);
      const current = await app.practice.step(session, Math.min(at, session.queue.length - 1));
      if (current.answered || at !== session.position) throw new UserError('That question was already answered; carry on from the latest one.', 'conflict');
      await (interaction as ButtonInteraction).showModal(ownWordsModal(current));
    },
  },
  {
    route: ROUTES.modal,
    async handle(interaction, [sid, step], app) {
      const modal = interaction as ModalSubmitInteraction;
      const session = await app.practice.load(sid ?? '', interaction.user.id);
      const text = formText(modal, 'answer');
      if (modal.isFromMessage()) await modal.deferUpdate();
      else await modal.deferReply({ flags: MessageFlags.Ephemeral });
      const at = index(step);
      if (at !== session.position || session.endedAt) return showStep(interaction, app, session);
      await show(interaction, feedbackScreen(await app.practice.answerText(session, at, text)));
    },
  },
  {
    route: ROUTES.rate,
    async handle(interaction, [sid, step, rating], app) {
      const session = await app.practice.load(sid ?? '', interaction.user.id);
      const grade = Number(rating);
      if (!isGrade(grade)) throw new UserError('That rating does not exist.', 'invalid-input');
      await (interaction as ButtonInteraction).deferUpdate();
      await show(interaction, feedbackScreen(await app.practice.rate(session, index(step), grade)));
    },
  },
  {
    route: ROUTES.next,
    async handle(interaction, [sid, step], app) {
      const session = await app.practice.load(sid ?? '', interaction.user.id);
      await (interaction as ButtonInteraction).deferUpdate();
      const moved = await app.practice.next(session, index(step));
      if (moved.finished) return finished(interaction, app, moved.session);
      await showStep(interaction, app, moved.session);
    },
  },
  {
    route: ROUTES.drillOpen,
    async handle(interaction, [sid], app) {
      const session = await app.practice.load(sid ?? '', interaction.user.id);
      await (interaction as ButtonInteraction).showModal(drillModal(session.id, app.practice.drillOf(session)));
    },
  },
  {
    route: ROUTES.drillModal,
    async handle(interaction, [sid], app) {
      const modal = interaction as ModalSubmitInteraction;
      const session = await app.practice.load(sid ?? '', interaction.user.id);
      const text = formText(modal, 'answer');
      const { drill, result, stored } = await app.practice.answerDrill(session, text);
      if (!result.ok) {
        // Unreadable: nothing recorded, the drill stays open for another try.
        await modal.reply({ content: result.message, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
        return;
      }
      void stored;
      if (modal.isFromMessage()) await modal.deferUpdate();
      else await modal.deferReply({ flags: MessageFlags.Ephemeral });
      const screen = drillResultScreen(drill, result);
      await show(interaction, screen);
    },
  },
];
