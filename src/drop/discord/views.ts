/**
 * What drops look like in Discord: every step is a Components v2 card (question as text, the
 * options whole, the buttons, a countdown to its reveal); a step that closes is edited to show
 * it closed (buttons disabled, the right option green and ticked, the distribution); the
 * reveal shows the whole options with their counts, the model answer and what it tested; the
 * summary, and the short private replies to answers.
 *
 * No internal id reaches a member: what identifies a posted message for crash recovery is in
 * its buttons' custom ids (see `stepMarker`, `revealMarker`, `summaryMarker`), which members
 * never see and which survive a fetch of the channel's messages.
 */
import { ActionRowBuilder, ButtonStyle, ModalBuilder, TextInputBuilder, TextInputStyle, type AttachmentBuilder } from 'discord.js';
import type { Chain, Prompt } from '../../bank/load.js';
import { ACCENTS, CARD_LIMITS, button, cardPayload, closeButtons, type CardPart, type CardPayload } from '../../platform/discord/card.js';
import { encodeCustomId } from '../../platform/discord/custom-id.js';
import { OPTION_LETTERS, count, countdown, paginate } from '../../platform/discord/text.js';
import type { ChoiceOption } from '../../quiz/grade.js';
import type { DropAnswerResult, DropTextAnswerResult } from '../service.js';
import type { Distribution, Drop, DropSummary, MemberDropAnswers, StepPost, StepReveal } from '../types.js';

/** Custom-id routes of drop messages (one place, so the router and the messages agree). */
export const DROP_ROUTES = {
  choice: 'da', // drop, step, option id
  ownWords: 'dx', // drop, step: opens the modal
  modal: 'dy', // drop, step: the modal's submit
  mine: 'dru', // drop, step (the chain's length: the whole drop), page: "Your answer" / "Your results"
} as const;

// ---- markers (invisible: custom ids) -------------------------------------------------------

/** The custom id that identifies a question step's message (its "own words" button). */
export const stepMarker = (dropId: string, step: number) => encodeCustomId(DROP_ROUTES.ownWords, dropId, step);
/** The custom id that identifies page `page` of a step's reveal (its "Your answer" button). */
export const revealMarker = (dropId: string, step: number, page: number) => encodeCustomId(DROP_ROUTES.mine, dropId, step, page);
/** The custom id that identifies the summary (its "Your results" button; step = the chain's length). */
export const summaryMarker = (dropId: string, steps: number) => encodeCustomId(DROP_ROUTES.mine, dropId, steps, 0);

// ---- shared pieces -----------------------------------------------------------------------

/** A question's texts with their maths made readable (typeset), and the formula images. */
export interface TypesetQuestion {
  question: string;
  options: string[];
  files: AttachmentBuilder[];
  images: { name: string; description: string }[];
}

/** A reveal's texts made readable (typeset): the options, the model answer, what it tested. */
export interface TypesetReveal {
  options: string[];
  answer: string;
  testing: string;
  files: AttachmentBuilder[];
  images: { name: string; description: string }[];
}

/** "the root question", "follow-up 2": a step as a sentence names it. */
const stepName = (step: number) => (step === 0 ? 'the root question' : `follow-up ${step}`);
/** "Root question", "Follow-up 2": a step as a line starts with it. */
const stepLabel = (step: number) => (step === 0 ? 'Root question' : `Follow-up ${step}`);
const messageUrl = (drop: Drop, channelId: string, messageId: string) => `https://discord.com/channels/${drop.guildId}/${channelId}/${messageId}`;

/** The step's heading: "Question drop: <chain>" for the root, "Follow-up N of M" after it; then level and topic. */
function heading(drop: Drop, chain: Chain, topicTitle: string, step: number, prompt: Prompt): string {
  const late = step === 0 && drop.late ? ' · posted late: I was offline at the scheduled time' : '';
  if (step === 0) return `## 📬 Question drop: ${chain.title}\n-# ${prompt.level} · ${topicTitle}${late}`;
  return `## Follow-up ${step} of ${chain.prompts.length - 1}\n-# ${chain.title} · ${prompt.level} · ${topicTitle}`;
}

/** The options, lettered and whole; with a distribution, the right one ticked and each one's count. */
function optionLines(options: readonly ChoiceOption[], texts: readonly string[], dist?: Distribution): string {
  const lines = options.map((o, i) => {
    const text = texts[i] ?? o.text;
    if (!dist) return `**${OPTION_LETTERS[i]}.** ${text}`;
    return `${o.correct ? '✅' : '▫️'} **${OPTION_LETTERS[i]}.** ${text} — **${dist.counts.get(o.text) ?? 0}**`;
  });
  if (dist && dist.ownWords > 0) lines.push(`✍️ In their own words — **${dist.ownWords}**`);
  return lines.join('\n');
}

/** Galleries of at most ten images each (a card may hold several). */
function galleries(images: readonly { name: string; description: string }[]): CardPart[] {
  const parts: CardPart[] = [];
  for (let i = 0; i < images.length; i += CARD_LIMITS.galleryItems) parts.push({ images: images.slice(i, i + CARD_LIMITS.galleryItems) });
  return parts;
}

function answerButtons(dropId: string, step: number, options: readonly ChoiceOption[]): CardPart[] {
  return [
    { buttons: options.map((o, i) => button(encodeCustomId(DROP_ROUTES.choice, dropId, step, o.id), OPTION_LETTERS[i]!)) },
    { buttons: [button(stepMarker(dropId, step), 'Answer in my own words', ButtonStyle.Primary, '✍️')] },
  ];
}

/** When a live step's answer comes: a countdown, or "after K answers" when that is what decides. */
export function revealWhen(drop: Pick<Drop, 'revealEveryMinutes' | 'revealAfterAnswers'>, closesAt: Date): string {
  if (drop.revealAfterAnswers !== null && drop.revealEveryMinutes === null) return `after ${count(drop.revealAfterAnswers, 'answer')}, ${countdown(closesAt)} at the latest`;
  if (drop.revealAfterAnswers !== null) return `${countdown(closesAt)}, or sooner after ${count(drop.revealAfterAnswers, 'answer')}`;
  return countdown(closesAt);
}

// ---- step messages -----------------------------------------------------------------------

/** A live question step: the root (with the schedule's role ping, the only ping a drop makes) or a follow-up. */
export function questionCard(post: StepPost & { question: NonNullable<StepPost['question']> }, t: TypesetQuestion): CardPayload {
  const { drop, chain, topicTitle, step, closesAt } = post;
  const { prompt, options } = post.question;
  const last = step === chain.prompts.length - 1;
  const next = step === 0 ? 'follow-ups come in the thread' : last ? 'then the summary' : 'then the next follow-up';
  const ping = step === 0 && drop.roleId ? `<@&${drop.roleId}>` : '';
  const parts: CardPart[] = [
    { text: ping },
    { text: heading(drop, chain, topicTitle, step, prompt) },
    { text: t.question },
    ...galleries(t.images),
    { text: optionLines(options, t.options) },
    ...answerButtons(drop.id, step, options),
    { text: `-# ⏳ Answer revealed ${revealWhen(drop, closesAt)}; ${next}.` },
  ];
  // The schedule's role is pinged once, on the root message; nothing else ever pings.
  return cardPayload({ accent: ACCENTS.question, parts }, t.files, { parse: [], roles: ping ? [drop.roleId!] : [] });
}

/**
 * A step's message once it has closed: the same question, the buttons disabled with the right
 * option green, the options ticked and counted, "Closed" where the countdown was.
 */
export function closedCard(post: Pick<StepPost, 'drop' | 'chain' | 'topicTitle'>, reveal: StepReveal, t: TypesetQuestion): CardPayload {
  const { drop, chain, topicTitle } = post;
  const { step, prompt, options, distribution: dist } = reveal;
  const where = step === 0 ? (drop.threadId ? `the answer and the follow-ups are in <#${drop.threadId}>` : 'the answer is below') : 'the answer is below';
  const ownWords = dist.ownWords > 0 ? ` (${dist.ownWords} in their own words)` : '';
  const parts: CardPart[] = [
    { text: heading(drop, chain, topicTitle, step, prompt) },
    { text: t.question },
    ...galleries(t.images),
    { text: optionLines(options, t.options, dist) },
    ...answerButtons(drop.id, step, options),
    { text: `-# 🔒 Closed · ${count(dist.total, 'answer')}${ownWords}; ${where}.` },
  ];
  const card = cardPayload({ accent: ACCENTS.closed, parts }, t.files);
  const right = options.find((o) => o.correct);
  const rightId = right ? encodeCustomId(DROP_ROUTES.choice, drop.id, step, right.id) : undefined;
  return { ...card, components: closeButtons(card.components, (id) => (id === rightId ? ButtonStyle.Success : undefined)) };
}

// ---- the reveal --------------------------------------------------------------------------

/** Room for a page's own text under the card's 4,000 characters (its heading and button labels come on top). */
const PAGE_TEXT = 3600;
/** A message carries at most ten files: no page refers to more formulas than that. */
const PAGE_FORMULAS = 10;

const formulaRefs = (text: string): number[] => [...text.matchAll(/\bformulas? (\d+)\b/gi)].map((m) => Number(m[1]));

/** A piece of a reveal and the whitespace that stood before it in the text. */
type Piece = { text: string; join: string };

/**
 * Markdown split into pages of at most PAGE_TEXT characters that each refer to at most
 * PAGE_FORMULAS formulas: whole paragraphs where they fit, else paragraphs cut on line,
 * sentence or word boundaries (paginate), keeping the line breaks between the pieces. Nothing
 * is lost or cut mid-word.
 */
export function revealPages(markdown: string, textLimit = PAGE_TEXT, formulaLimit = PAGE_FORMULAS): string[] {
  const fits = (s: string) => s.length <= textLimit && new Set(formulaRefs(s)).size <= formulaLimit;
  const split = (text: string, size: number): Piece[] => {
    if (fits(text) || size < 40) return [{ text, join: '' }];
    const out: Piece[] = [];
    let cursor = 0;
    for (const part of paginate(text, size)) {
      const at = text.indexOf(part, cursor);
      const gap = text.slice(cursor, at);
      cursor = at + part.length;
      const sub = split(part, Math.floor(size / 2));
      sub[0]!.join = gap || ' ';
      out.push(...sub);
    }
    return out;
  };
  const pieces = markdown
    .split(/\n{2,}/)
    .filter((p) => p.trim() !== '')
    .flatMap((para) => split(para, Math.min(textLimit, 200)).map((piece, i) => (i === 0 ? { ...piece, join: '\n\n' } : piece)));
  const pages: string[] = [];
  let page = '';
  for (const u of pieces) {
    const candidate = page ? `${page}${u.join}${u.text}` : u.text;
    if (page && !fits(candidate)) {
      pages.push(page);
      page = u.text;
    } else page = candidate;
  }
  if (page || pages.length === 0) pages.push(page);
  return pages;
}

/**
 * The reveal of a closed step, posted in the thread: how the channel answered (every option
 * whole, with its count), the model answer and what it was testing, whole; several cards when
 * that is longer than one. Each page carries a "Your answer" button.
 */
export function revealCards(drop: Drop, reveal: StepReveal, t: TypesetReveal): { payload: CardPayload; marker: string }[] {
  const { step, options, distribution: dist } = reveal;
  const where = reveal.messageId ? (step === 0 ? drop.channelId : (drop.threadId ?? drop.channelId)) : null;
  const label = step === 0 ? 'root question' : `follow-up ${step}`;
  const name = `${step === 0 ? 'the ' : ''}${where && reveal.messageId ? `[${label}](${messageUrl(drop, where, reveal.messageId)})` : label}`;
  const body = [
    `**How the channel answered** · ${dist.total === 0 ? 'nobody answered' : count(dist.total, 'answer')}\n${optionLines(options, t.options, dist)}`,
    `**Model answer**\n${t.answer}`,
    `**What it was testing**\n${t.testing}`,
  ].join('\n\n');
  // Each page shows the formulas it refers to; any the text does not name come last, ten a message.
  const pages = revealPages(body).map((text) => {
    const refs = new Set(formulaRefs(text));
    return { text, images: t.images.filter((_, i) => refs.has(i + 1)) };
  });
  const unreferenced = t.images.filter((image) => !pages.some((p) => p.images.includes(image)));
  const last = pages.at(-1)!;
  last.images = [...last.images, ...unreferenced.splice(0, PAGE_FORMULAS - last.images.length)];
  while (unreferenced.length > 0) pages.push({ text: '', images: unreferenced.splice(0, PAGE_FORMULAS) });
  return pages.map(({ text, images }, page) => {
    const files = t.files.filter((f) => images.some((i) => i.name === f.name));
    const title = `### ✅ Answer to ${name}${pages.length > 1 ? ` (${page + 1} of ${pages.length})` : ''}`;
    const marker = revealMarker(drop.id, step, page);
    const parts: CardPart[] = [{ text: title }, { text }, ...galleries(images), { buttons: [button(marker, 'Your answer', ButtonStyle.Secondary, '🙋')] }];
    return { payload: cardPayload({ accent: ACCENTS.correct, parts }, files), marker };
  });
}

// ---- the summary -------------------------------------------------------------------------

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * The summary step: participants, accuracy per step and the fastest correct answer, as text
 * (no image: a picture of the same few numbers would only repeat them).
 */
export function summaryCard(drop: Drop, chain: Chain, s: DropSummary): CardPayload {
  const lines = s.perStep.map((p, i) => {
    const name = stepLabel(i);
    if (p.answered === 0) return `**${name}**: no answers`;
    return `**${name}**: ${p.correct} of ${count(p.answered, 'answer')} correct (${Math.round((100 * p.correct) / p.answered)}%)`;
  });
  const fastest = s.fastest ? `⚡ Fastest correct: <@${s.fastest.userId}>, ${seconds(s.fastest.ms)} on ${stepName(s.fastest.step)}` : '';
  const parts: CardPart[] = [
    { text: `## 🏁 Drop complete: ${chain.title}\n${count(s.participants, 'participant')}` },
    { text: lines.join('\n') },
    { text: fastest },
    { buttons: [button(summaryMarker(drop.id, chain.prompts.length), 'Your results', ButtonStyle.Secondary, '🙋')] },
  ];
  return cardPayload({ accent: ACCENTS.summary, parts });
}

// ---- answering ---------------------------------------------------------------------------

/** The form behind "Answer in my own words". */
export function answerModal(dropId: string, step: number, prompt: Prompt): ModalBuilder {
  return new ModalBuilder()
    .setCustomId(encodeCustomId(DROP_ROUTES.modal, dropId, step))
    .setTitle(`${prompt.level} · your answer`)
    .addComponents(
      new ActionRowBuilder<TextInputBuilder>().addComponents(
        new TextInputBuilder().setCustomId('answer').setLabel('Your answer').setStyle(TextInputStyle.Paragraph).setMaxLength(2000).setRequired(true),
      ),
    );
}

const ALREADY = 'You already answered this question; your first answer counts.';
const plus = (points: number) => (points > 0 ? `, +${count(points, 'point')}` : '');

/** The private reply to a button answer: one sentence. */
export function choiceReply(r: DropAnswerResult): string {
  if (!r.stored) return ALREADY;
  const when = revealWhen(r.drop, r.drop.nextStepAt);
  return r.correct ? `✅ Correct${plus(r.points)}; the answer is revealed ${when}.` : `❌ Not this one; the answer is revealed ${when}.`;
}

/** The private reply to an answer in the member's own words: one sentence. */
export function textReply(r: DropTextAnswerResult): string {
  if (!r.stored) return ALREADY;
  const total = r.hit.length + r.missed.length;
  const mark = r.correct ? '✅' : r.verdict === 'partial' ? '🟡' : '❌';
  return `${mark} ${r.hit.length} of ${count(total, 'key point')}${plus(r.points)}; the model answer is revealed ${revealWhen(r.drop, r.drop.nextStepAt)}.`;
}

const VERDICT = { correct: '✅ right', partial: '🟡 partly right', wrong: '❌ not right' } as const;

function given(s: MemberDropAnswers['steps'][number]): string | null {
  if (!s.answer) return null;
  const i = s.options.findIndex((o) => o.text === s.answer!.given);
  return i >= 0 ? `**${OPTION_LETTERS[i]}**` : 'in your own words';
}

/** "Your answer" under a reveal (one sentence), or "Your results" under the summary (one line a step). */
export function mineReply(m: MemberDropAnswers, step: number): string {
  const s = m.steps[step];
  if (s) {
    const what = given(s);
    return what && s.answer ? `You answered ${what}: ${VERDICT[s.answer.verdict]}${plus(s.answer.points)}.` : `You did not answer ${stepName(step)}.`;
  }
  const answered = m.steps.filter((x) => x.answer);
  if (answered.length === 0) return 'You did not answer this drop.';
  const lines = m.steps.map((x) => {
    const what = given(x);
    return `${stepLabel(x.step)}: ${what && x.answer ? `${what}, ${VERDICT[x.answer.verdict]}${plus(x.answer.points)}` : 'no answer'}`;
  });
  const points = answered.reduce((n, x) => n + x.answer!.points, 0);
  return [...lines, `Total: ${count(points, 'point')}.`].join('\n');
}

/** The private reply to the drop command: one sentence. */
export function dropPostedReply(chain: Chain, revealEveryMinutes: number): string {
  return `Posted a drop: **${chain.title}**; its follow-ups arrive in its thread every ${count(revealEveryMinutes, 'minute')}.`;
}
