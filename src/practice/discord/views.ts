import { ActionRowBuilder, AttachmentBuilder, ButtonStyle, ModalBuilder, TextInputBuilder, TextInputStyle, type ButtonBuilder } from 'discord.js';
import type { Drill, Figure } from '../../drills/index.js';
import { encodeCustomId } from '../../platform/discord/custom-id.js';
import { ACCENTS, button, cardPayload, type CardPart, type CardPayload } from '../../platform/discord/card.js';
import { isRenderError, type QuestionCardSpec, type Renderer, type ThemeName } from '../../render/index.js';
import { typeset } from '../../render/discord/math.js';
import { splitPages, type PageLimits } from '../../render/discord/pages.js';
import type { DrillResult } from '../service.js';
import type { Step } from '../types.js';
import { OPTION_LETTERS, clip, count, countdown } from '../../platform/discord/text.js';

/** Custom-id routes of the practice flow (one place, so the router and the screens agree). */
export const ROUTES = {
  choice: 'pa', // session, step, option id
  ownWords: 'pw', // session, step: opens the modal
  modal: 'pm', // session, step: the modal's submit
  rate: 'pr', // session, step, rating
  next: 'pn', // session, step answered
  detail: 'pd', // session, step, section[, page]: the whole model answer, what was tested, why
  drillOpen: 'dw', // session
  drillModal: 'dm', // session
  drillPage: 'ps', // session, page: a page of a drill's worked solution
} as const;

const RATING_LABELS: Record<number, string> = { 1: 'Again', 2: 'Hard', 3: 'Good', 4: 'Easy' };

/** A practice screen: a Components v2 message body (the route adds the ephemeral flag on a first reply). */
export type Screen = CardPayload;

/** A page of text on a card: room left for the header lines, and at most 10 attachments a message. */
const PAGE: PageLimits = { chars: 3400, formulas: 9 };

function header(step: Step): string {
  const kind = step.session.kind === 'review' ? 'Review' : 'Chain';
  const position = step.session.kind === 'review' ? `card ${step.index + 1} of ${step.total}` : step.index === 0 ? `root question (1 of ${step.total})` : `follow-up ${step.index} of ${step.total - 1}`;
  return `${kind} · ${step.chainTitle} · ${position}`;
}

const letterOf = (step: Step, optionId: number) => OPTION_LETTERS[step.options.findIndex((o) => o.id === optionId)] ?? '?';

// ---------------------------------------------------------------------------------------------
// The question

/** The question: its text (maths readable, formulas as images only when it has some), options A..E whole, the buttons. */
export async function questionScreen(step: Step, renderer: Renderer, theme: ThemeName): Promise<Screen> {
  const { prompt, session, index } = step;
  const math = await typeset(renderer, theme, [prompt.question, ...step.options.map((o) => o.text)], 'q');
  const [question, ...options] = math.texts;
  const parts: CardPart[] = [
    { text: `-# ${header(step)}\n**${prompt.level} · ${prompt.topic}**\n${question}` },
    { images: math.images },
    { separator: 'small' },
    { text: options.map((o, i) => `**${OPTION_LETTERS[i]}.** ${o}`).join('\n') },
    { buttons: step.options.map((o, i) => button(encodeCustomId(ROUTES.choice, session.id, index, o.id), OPTION_LETTERS[i]!)) },
    { buttons: [button(encodeCustomId(ROUTES.ownWords, session.id, index), 'Answer in my own words', ButtonStyle.Primary, '✍️')] },
    { text: '-# Pick an option, or answer in your own words for a fuller grade.' },
  ];
  return cardPayload({ accent: ACCENTS.question, parts }, math.files);
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

// ---------------------------------------------------------------------------------------------
// Feedback

/** The sections of a prompt's whole feedback, each one click away from the short one. */
export const SECTIONS = {
  a: { label: 'Model answer', emoji: '📖', title: 'Model answer' },
  t: { label: 'What was tested', emoji: '🎯', title: 'What the interviewer was testing' },
  w: { label: 'Why the others are wrong', emoji: '🔍', title: 'Why the others are wrong' },
} as const;
export type Section = keyof typeof SECTIONS;
export const isSection = (s: string | undefined): s is Section => s !== undefined && Object.hasOwn(SECTIONS, s);

/**
 * The first sentence of bank text (its "one line of why"); sentences end with . ! or ? before
 * a capital, a digit or the end. A very long sentence is shortened on a word boundary (the
 * whole text is one click away).
 */
export function firstSentence(text: string, max = 300): string {
  const t = text.trim();
  const m = /[.!?](?=\s+[A-Z0-9*(“"])/.exec(t.replace(/\$\$[\s\S]+?\$\$|\$(?:\\\$|[^$\n])+?\$/g, (s) => 'x'.repeat(s.length)));
  const sentence = m ? t.slice(0, m.index + 1) : t.split('\n')[0]!;
  return clip(sentence, max);
}

function nextButton(step: Step): ButtonBuilder {
  const last = step.index + 1 >= step.total;
  const label = last ? 'Finish' : step.session.kind === 'review' ? 'Next card' : 'Next follow-up';
  return button(encodeCustomId(ROUTES.next, step.session.id, step.index), label, ButtonStyle.Success, last ? '🏁' : '▶️');
}

const detailButtons = (step: Step): ButtonBuilder[] =>
  (Object.keys(SECTIONS) as Section[]).map((s) => button(encodeCustomId(ROUTES.detail, step.session.id, step.index, s), SECTIONS[s].label, ButtonStyle.Secondary, SECTIONS[s].emoji));

/**
 * Feedback after an answer, short: the verdict (with the right option), what was missed, one
 * line of why, and the buttons: self-rating (free text), next, and the whole model answer,
 * what was tested and why the other options are wrong, each one click away.
 */
export async function feedbackScreen(step: Step, renderer: Renderer, theme: ThemeName): Promise<Screen> {
  const { prompt, answered } = step;
  if (!answered) throw new Error('feedbackScreen needs an answered step');
  const correct = step.options.find((o) => o.correct)!;
  const missed = answered.kind === 'text' ? answered.grade.missed.map((k) => k.point) : [];
  const math = await typeset(renderer, theme, [correct.text, firstSentence(prompt.choice.explanation), ...missed], 'f');
  const [correctText, why, ...missedText] = math.texts;
  const correctLine = `**${letterOf(step, correct.id)}.** ${correctText}`;
  const parts: CardPart[] = [];
  let accent: number;
  if (answered.kind === 'choice') {
    const right = answered.picked?.correct ?? false;
    accent = right ? ACCENTS.correct : ACCENTS.wrong;
    const verdict = right ? `### ✅ Correct: ${letterOf(step, correct.id)}` : `### ❌ Not quite: the answer is ${letterOf(step, correct.id)}`;
    const picked = !right && answered.picked ? `\n-# You picked ${letterOf(step, answered.picked.id)}.` : '';
    parts.push({ text: `-# ${header(step)}\n${verdict}\n${correctLine}${picked}` }, { text: `**Why:** ${why}` }, { images: math.images });
  } else {
    const { grade } = answered;
    const v = answered.answer.verdict;
    accent = ACCENTS[v];
    const all = grade.hit.length + grade.missed.length;
    const verdict = v === 'correct' ? '✅ You covered the key points' : v === 'partial' ? '🟡 Partly there' : '❌ Key points missing';
    parts.push({ text: `-# ${header(step)}\n### ${verdict} (${grade.hit.length}/${all})` });
    if (missedText.length) parts.push({ text: `**What you missed**\n${missedText.map((p) => `❌ ${p}`).join('\n')}` });
    parts.push({ text: `**The answer:** ${correctText}\n**Why:** ${why}` }, { images: math.images });
    const rated = answered.answer.rating;
    if (rated === null) {
      parts.push(
        { text: `-# How well did you recall it? Rate yourself, or move on to accept **${RATING_LABELS[answered.suggested]}**.` },
        { buttons: [1, 2, 3, 4].map((r) => button(encodeCustomId(ROUTES.rate, step.session.id, step.index, r), RATING_LABELS[r]!, r === answered.suggested ? ButtonStyle.Primary : ButtonStyle.Secondary)) },
      );
    } else {
      parts.push({ text: `-# Your rating: **${RATING_LABELS[rated] ?? String(rated)}**` });
    }
  }
  parts.push({ buttons: [nextButton(step), ...detailButtons(step)] });
  return cardPayload({ accent, parts }, math.files);
}

/** The whole text of one section of a prompt's feedback (bank Markdown with TeX). */
export function sectionSource(step: Step, section: Section): string {
  const { prompt } = step;
  switch (section) {
    case 'a':
      return `**Question:** ${prompt.question}\n\n${prompt.answer}`;
    case 't':
      return `${prompt.testing}\n\n**What a full answer covers**\n${prompt.keyPoints.map((k) => `• ${k.point}`).join('\n')}`;
    case 'w': {
      const correct = step.options.find((o) => o.correct)!;
      return `**${letterOf(step, correct.id)}. ${correct.text}** is right.\n\n${prompt.choice.explanation}`;
    }
  }
}

/** Page buttons: previous and next, each carrying the page it opens. */
function pageButtons(pages: number, page: number, id: (page: number) => string): ButtonBuilder[] {
  if (pages <= 1) return [];
  const out: ButtonBuilder[] = [];
  if (page > 0) out.push(button(id(page - 1), 'Previous page', ButtonStyle.Secondary, '◀️'));
  if (page + 1 < pages) out.push(button(id(page + 1), 'Next page', ButtonStyle.Secondary, '▶️'));
  return out;
}

const pageNote = (pages: number, page: number) => (pages > 1 ? ` · page ${page + 1} of ${pages}` : '');

/** One section of the feedback, whole: the text made readable, its formulas as images, in pages when longer than a card. */
export async function detailScreen(step: Step, section: Section, page: number, renderer: Renderer, theme: ThemeName): Promise<Screen> {
  const pages = splitPages(sectionSource(step, section), PAGE);
  const at = Math.min(Math.max(0, page), pages.length - 1);
  const math = await typeset(renderer, theme, [pages[at]!], section);
  const { title, emoji } = SECTIONS[section];
  const parts: CardPart[] = [
    { text: `-# ${header(step)}\n### ${emoji} ${title}${pageNote(pages.length, at)}` },
    { text: math.texts[0]! },
    { images: math.images },
    { buttons: pageButtons(pages.length, at, (p) => encodeCustomId(ROUTES.detail, step.session.id, step.index, section, p)) },
  ];
  return cardPayload({ accent: ACCENTS.question, parts }, math.files);
}

// ---------------------------------------------------------------------------------------------
// Ends

/** /review with nothing due: when the next card is, and what to do meanwhile. */
export function nothingDueMessage(nextDue: Date | null): string {
  return nextDue
    ? `Nothing is due right now. Your next review is due ${countdown(nextDue)}. Meanwhile, try \`/chain\` or \`/drill\`.`
    : 'You have no cards yet (every question you answer becomes one); start with `/chain`.';
}

export function nothingDueScreen(nextDue: Date | null): Screen {
  return cardPayload({ accent: ACCENTS.summary, parts: [{ text: `### 🗓️ Nothing to review\n${nothingDueMessage(nextDue)}` }] });
}

export function finishedScreen(summary: { answered: number; correct: number; nextDue: Date | null }): Screen {
  const lines = [
    '### 🏁 Session complete',
    `You answered ${count(summary.answered, 'question')}, ${summary.correct} fully right.`,
    summary.nextDue ? `Your next review is due ${countdown(summary.nextDue)}.` : '',
    '-# Keep going with `/chain`, `/review` or `/drill`; `/mastery` shows your progress.',
  ];
  return cardPayload({ accent: ACCENTS.correct, parts: [{ text: lines.filter(Boolean).join('\n') }] });
}

// ---------------------------------------------------------------------------------------------
// Drills

/** The question card of a drill (for duel rounds): the kind as the topic line, "drill" as the level badge. */
export function drillCard(drill: Drill): QuestionCardSpec {
  return { topic: `numeric drill · ${drill.kind}`, level: 'drill', prompt: drill.question, title: drill.title };
}

function figureAlt(figure: Figure, shownWith: 'question' | 'solution'): string {
  const what = figure.type === 'roc' ? 'ROC curve of the sample' : figure.type === 'bars' ? figure.title : figure.type === 'reliability' ? 'Reliability diagram' : 'Confusion matrix';
  return `${what} (figure of the ${shownWith})`;
}

/**
 * A drill's figure drawn, or null when the renderer cannot draw that kind yet (the text
 * carries the same numbers, so the drill is still whole without it).
 */
async function drawFigure(renderer: Renderer, theme: ThemeName, figure: Figure | undefined, name: string, shownWith: 'question' | 'solution') {
  if (!figure) return null;
  try {
    const image = await renderer.drillFigure(figure, { theme, solution: shownWith === 'solution' });
    return { file: new AttachmentBuilder(image.png, { name }), image: { name, description: figureAlt(figure, shownWith) } };
  } catch (err) {
    if (isRenderError(err) && err.kind === 'invalid-input') return null;
    throw err;
  }
}

/** A drill: the question as text, its formulas and its figure as images, and the answer button. */
export async function drillScreen(sessionId: string, drill: Drill, renderer: Renderer, theme: ThemeName): Promise<Screen> {
  const math = await typeset(renderer, theme, [drill.question], 'q');
  const figure = await drawFigure(renderer, theme, drill.figure, 'figure.png', 'question');
  const parts: CardPart[] = [
    { text: `-# Numeric drill · ${drill.kind}\n### 🧮 ${drill.title}\n${math.texts[0]}` },
    { images: [...math.images, ...(figure ? [figure.image] : [])] },
    { buttons: [button(encodeCustomId(ROUTES.drillOpen, sessionId), 'Enter my answer', ButtonStyle.Primary, '✍️')] },
  ];
  return cardPayload({ accent: ACCENTS.question, parts }, [...math.files, ...(figure ? [figure.file] : [])]);
}

export function drillModal(sessionId: string, drill: Drill): ModalBuilder {
  return new ModalBuilder()
    .setCustomId(encodeCustomId(ROUTES.drillModal, sessionId))
    .setTitle(clip(drill.title, 45))
    .addComponents(
      new ActionRowBuilder<TextInputBuilder>().addComponents(
        new TextInputBuilder().setCustomId('answer').setLabel('Your answer').setPlaceholder('A decimal, a fraction or a percentage').setStyle(TextInputStyle.Short).setMaxLength(100).setRequired(true),
      ),
    );
}

/**
 * A graded drill: the verdict, the grader's one line, and the worked solution whole (its
 * formulas as images, in pages when long), with the solution figure on its last page.
 */
export async function drillResultScreen(sessionId: string, drill: Drill, result: DrillResult, renderer: Renderer, theme: ThemeName, page = 0): Promise<Screen> {
  const right = result.ok && result.verdict === 'correct';
  const pages = splitPages(drill.solution, PAGE);
  const at = Math.min(Math.max(0, page), pages.length - 1);
  const math = await typeset(renderer, theme, [pages[at]!], 'solution');
  const figure = at === pages.length - 1 ? await drawFigure(renderer, theme, drill.solutionFigure, 'solution-figure.png', 'solution') : null;
  const unit = drill.unit ? ` ${drill.unit}` : '';
  const verdict = right ? `### ✅ Correct: ${drill.answerText}${unit}` : `### ❌ Not quite: the answer is ${drill.answerText}${unit}`;
  const said = result.message.replace(/^[✅❌]\s*/u, '');
  const parts: CardPart[] = [
    { text: `-# Numeric drill · ${drill.title}\n${verdict}\n-# ${said}` },
    { separator: 'small' },
    { text: `**Worked solution**${pageNote(pages.length, at)}\n${math.texts[0]}` },
    { images: [...math.images, ...(figure ? [figure.image] : [])] },
    { buttons: pageButtons(pages.length, at, (p) => encodeCustomId(ROUTES.drillPage, sessionId, p)) },
  ];
  return cardPayload({ accent: right ? ACCENTS.correct : ACCENTS.wrong, parts }, [...math.files, ...(figure ? [figure.file] : [])]);
}
