import {
  ActionRowBuilder,
  AttachmentBuilder,
  ButtonBuilder,
  ButtonStyle,
  EmbedBuilder,
  ModalBuilder,
  TextInputBuilder,
  TextInputStyle,
  type APIEmbedField,
} from 'discord.js';
import type { Drill } from '../../drills/index.js';
import { encodeCustomId } from '../../platform/discord/custom-id.js';
import type { QuestionCardSpec, Renderer, ThemeName } from '../../render/index.js';
import type { DrillResult } from '../service.js';
import type { Step } from '../types.js';
import { OPTION_LETTERS, clip } from '../../platform/discord/text.js';

/** Custom-id routes of the practice flow (one place, so the router and the screens agree). */
export const ROUTES = {
  choice: 'pa', // session, step, option id
  ownWords: 'pw', // session, step: opens the modal
  modal: 'pm', // session, step: the modal's submit
  rate: 'pr', // session, step, rating
  next: 'pn', // session, step answered
  drillOpen: 'dw', // session
  drillModal: 'dm', // session
} as const;

const RATING_LABELS: Record<number, string> = { 1: 'Again', 2: 'Hard', 3: 'Good', 4: 'Easy' };
const COLOURS = { question: 0x5865f2, correct: 0x3ba55d, partial: 0xf0b232, wrong: 0xed4245 };

export interface Screen {
  content?: string;
  embeds: EmbedBuilder[];
  components: ActionRowBuilder<ButtonBuilder>[];
  files: AttachmentBuilder[];
}

function header(step: Step): string {
  const kind = step.session.kind === 'review' ? 'Review' : 'Chain';
  const position = step.session.kind === 'review' ? `card ${step.index + 1} of ${step.total}` : step.index === 0 ? `root question (1 of ${step.total})` : `follow-up ${step.index} of ${step.total - 1}`;
  return `${kind} · ${step.chainTitle} · ${position}`;
}

/** The question: card image (formulas rendered), options A..E, and "answer in my own words". */
export async function questionScreen(step: Step, renderer: Renderer, theme: ThemeName): Promise<Screen> {
  const { prompt, session, index } = step;
  const card = await renderer.questionCard(
    { topic: prompt.topic, level: prompt.level, prompt: prompt.question, title: step.chainTitle, step: { index: index + 1, total: step.total } },
    { theme },
  );
  const embed = new EmbedBuilder()
    .setColor(COLOURS.question)
    .setAuthor({ name: header(step) })
    .setTitle(`${prompt.level} · ${prompt.topic}`)
    .setDescription(clip(prompt.question, 3000))
    .addFields({ name: 'Options', value: clip(step.options.map((o, i) => `**${OPTION_LETTERS[i]}.** ${o.text}`).join('\n'), 1024) })
    .setImage('attachment://question.png')
    .setFooter({ text: 'Pick an option, or answer in your own words for a fuller grade.' });
  const options = new ActionRowBuilder<ButtonBuilder>().addComponents(
    step.options.map((o, i) => new ButtonBuilder().setCustomId(encodeCustomId(ROUTES.choice, session.id, index, o.id)).setLabel(OPTION_LETTERS[i]!).setStyle(ButtonStyle.Secondary)),
  );
  const own = new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder().setCustomId(encodeCustomId(ROUTES.ownWords, session.id, index)).setLabel('Answer in my own words').setEmoji('✍️').setStyle(ButtonStyle.Primary),
  );
  return { embeds: [embed], components: [options, own], files: [new AttachmentBuilder(card.png, { name: 'question.png' })] };
}

export function ownWordsModal(step: Step): ModalBuilder {
  return new ModalBuilder()
    .setCustomId(encodeCustomId(ROUTES.modal, step.session.id, step.index))
    .setTitle(clip(`${step.prompt.level} · ${step.chainTitle}`, 45))
    .addComponents(
      new ActionRowBuilder<TextInputBuilder>().addComponents(
        new TextInputBuilder()
          .setCustomId('answer')
          .setLabel('Your answer')
          .setPlaceholder(clip(step.prompt.question, 100))
          .setStyle(TextInputStyle.Paragraph)
          .setMinLength(1)
          .setMaxLength(2000)
          .setRequired(true),
      ),
    );
}

function nextRow(step: Step, extra: ButtonBuilder[] = []): ActionRowBuilder<ButtonBuilder> {
  const last = step.index + 1 >= step.total;
  const label = last ? 'Finish' : step.session.kind === 'review' ? 'Next card' : 'Next follow-up';
  return new ActionRowBuilder<ButtonBuilder>().addComponents(
    ...extra,
    new ButtonBuilder().setCustomId(encodeCustomId(ROUTES.next, step.session.id, step.index)).setLabel(label).setEmoji(last ? '🏁' : '▶️').setStyle(ButtonStyle.Success),
  );
}

/** Feedback after an answer: verdict, key points, model answer, what was tested. */
export function feedbackScreen(step: Step): Screen {
  const { prompt, answered } = step;
  if (!answered) throw new Error('feedbackScreen needs an answered step');
  const fields: APIEmbedField[] = [];
  let title: string;
  let colour: number;
  const components: ActionRowBuilder<ButtonBuilder>[] = [];
  if (answered.kind === 'choice') {
    const correctIndex = answered.options.findIndex((o) => o.correct);
    const right = answered.picked?.correct ?? false;
    title = right ? `✅ Correct: ${OPTION_LETTERS[correctIndex]}` : `❌ Not quite: the answer is ${OPTION_LETTERS[correctIndex]}`;
    colour = right ? COLOURS.correct : COLOURS.wrong;
    fields.push({ name: 'Answer', value: clip(answered.options[correctIndex]!.text, 1024) });
    fields.push({ name: 'Why', value: clip(prompt.choice.explanation, 1024) });
    components.push(nextRow(step));
  } else {
    const { grade } = answered;
    const v = answered.answer.verdict;
    title = v === 'correct' ? '✅ You covered the key points' : v === 'partial' ? '🟡 Partly there' : '❌ Key points missing';
    colour = COLOURS[v];
    const lines = [...grade.hit.map((k) => `✅ ${k.point}`), ...grade.missed.map((k) => `❌ ${k.point}`)];
    fields.push({ name: `Key points (${grade.hit.length}/${grade.hit.length + grade.missed.length})`, value: clip(lines.join('\n'), 1024) });
    const rated = answered.answer.rating;
    if (rated === null) {
      fields.push({ name: 'How well did you recall it?', value: `Rate yourself, or move on to accept the suggestion (**${RATING_LABELS[answered.suggested]}**).` });
      components.push(
        new ActionRowBuilder<ButtonBuilder>().addComponents(
          [1, 2, 3, 4].map((r) =>
            new ButtonBuilder()
              .setCustomId(encodeCustomId(ROUTES.rate, step.session.id, step.index, r))
              .setLabel(RATING_LABELS[r]!)
              .setStyle(r === answered.suggested ? ButtonStyle.Primary : ButtonStyle.Secondary),
          ),
        ),
      );
    } else {
      fields.push({ name: 'Your rating', value: RATING_LABELS[rated] ?? String(rated) });
    }
    components.push(nextRow(step));
  }
  fields.push({ name: 'Model answer', value: clip(prompt.answer, 1024) });
  fields.push({ name: 'What the interviewer was testing', value: clip(prompt.testing, 1024) });
  const embed = new EmbedBuilder().setColor(colour).setAuthor({ name: header(step) }).setTitle(title).setDescription(clip(prompt.question, 1500)).addFields(fields);
  return { embeds: [embed], components, files: [] };
}

/** /review with nothing due: when the next card is, and what to do meanwhile. */
export function nothingDueMessage(nextDue: Date | null): string {
  return nextDue
    ? `Nothing is due right now. Your next review is due <t:${Math.floor(nextDue.getTime() / 1000)}:R>. Meanwhile, try \`/chain\` or \`/drill\`.`
    : 'You have no cards yet: every question you answer becomes one. Start with `/chain`.';
}

export function finishedScreen(summary: { answered: number; correct: number; nextDue: Date | null }): Screen {
  const embed = new EmbedBuilder()
    .setColor(COLOURS.correct)
    .setTitle('🏁 Session complete')
    .setDescription(
      [
        `You answered ${summary.answered} question${summary.answered === 1 ? '' : 's'}, ${summary.correct} fully right.`,
        summary.nextDue ? `Your next review is due <t:${Math.floor(summary.nextDue.getTime() / 1000)}:R>.` : '',
        'Keep going with `/chain`, `/review` or `/drill`; `/mastery` shows your progress.',
      ]
        .filter(Boolean)
        .join('\n'),
    );
  return { embeds: [embed], components: [], files: [] };
}

// ---------------------------------------------------------------------------------------------
// Drills

/** The question card of a drill (for /drill and duel rounds): the kind as the topic line, "drill" as the level badge. */
export function drillCard(drill: Drill): QuestionCardSpec {
  return { topic: `numeric drill · ${drill.kind}`, level: 'drill', prompt: drill.question, title: drill.title };
}

export async function drillScreen(sessionId: string, drill: Drill, renderer: Renderer, theme: ThemeName): Promise<Screen> {
  const files: AttachmentBuilder[] = [];
  const card = await renderer.questionCard(drillCard(drill), { theme });
  files.push(new AttachmentBuilder(card.png, { name: 'drill.png' }));
  // Drawn for the question: never the answer (a ROC curve, when there is one, comes with the solution).
  if (drill.figure) files.push(new AttachmentBuilder((await renderer.drillFigure(drill.figure, { theme })).png, { name: 'figure.png' }));
  const embed = new EmbedBuilder().setColor(COLOURS.question).setTitle(`🧮 ${drill.title}`).setDescription(clip(drill.question, 3500)).setImage('attachment://drill.png');
  const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder().setCustomId(encodeCustomId(ROUTES.drillOpen, sessionId)).setLabel('Enter my answer').setEmoji('✍️').setStyle(ButtonStyle.Primary),
  );
  return { embeds: [embed], components: [row], files };
}

export function drillModal(sessionId: string, drill: Drill): ModalBuilder {
  return new ModalBuilder()
    .setCustomId(encodeCustomId(ROUTES.drillModal, sessionId))
    .setTitle(clip(drill.title, 45))
    .addComponents(
      new ActionRowBuilder<TextInputBuilder>().addComponents(
        new TextInputBuilder().setCustomId('answer').setLabel('Your answer').setPlaceholder('e.g. 0.75, 3/4 or 75%').setStyle(TextInputStyle.Short).setMaxLength(100).setRequired(true),
      ),
    );
}

export function drillResultScreen(drill: Drill, result: DrillResult): Screen {
  const right = result.ok && result.verdict === 'correct';
  const embed = new EmbedBuilder()
    .setColor(right ? COLOURS.correct : COLOURS.wrong)
    .setTitle(right ? `✅ Correct: ${drill.answerText}` : `❌ Not quite: the answer is ${drill.answerText}`)
    .setDescription(clip(result.message, 500))
    .addFields({ name: 'Worked solution', value: clip(drill.solution, 1024) });
  return { embeds: [embed], components: [], files: [] };
}
