/** What drops look like in Discord: the step messages, the reveal, the summary, and the replies to answers. */
import { ActionRowBuilder, AttachmentBuilder, ButtonBuilder, ButtonStyle, EmbedBuilder, ModalBuilder, TextInputBuilder, TextInputStyle, type MessageMentionOptions } from 'discord.js';
import type { Chain, Prompt } from '../../bank/load.js';
import { encodeCustomId } from '../../platform/discord/custom-id.js';
import type { QuestionCardSpec, SummaryCardSpec } from '../../render/index.js';
import type { DropAnswerResult, DropTextAnswerResult } from '../service.js';
import type { Drop, DropSummary, StepPost } from '../types.js';
import { OPTION_LETTERS, clip } from '../../platform/discord/text.js';

/** Custom-id routes of drop messages (one place, so the router and the messages agree). */
export const DROP_ROUTES = {
  choice: 'da', // drop, step, option id
  ownWords: 'dx', // drop, step: opens the modal
  modal: 'dy', // drop, step: the modal's submit
} as const;

/** Footer marker that identifies a posted step, so a retried step finds its earlier message. */
export const stepMarker = (dropId: string, step: number) => `Backprop drop ${dropId} · step ${step}`;

// ---- step messages -----------------------------------------------------------------------

export interface StepPayload {
  content: string;
  embeds: EmbedBuilder[];
  components: ActionRowBuilder<ButtonBuilder>[];
  files: AttachmentBuilder[];
  allowedMentions: MessageMentionOptions;
}

/** The card image of a question step. */
export function questionCardSpec(chain: Chain, step: number, prompt: Prompt): QuestionCardSpec {
  return { topic: prompt.topic, level: prompt.level, prompt: prompt.question, title: chain.title, step: { index: step + 1, total: chain.prompts.length } };
}

/** A question step: the root (with the schedule's role ping) or a follow-up, with its option buttons. */
export function questionPayload(drop: Drop, chain: Chain, step: number, question: NonNullable<StepPost['question']>, card: Buffer): StepPayload {
  const { prompt, options } = question;
  const intro =
    step === 0
      ? `${drop.roleId ? `<@&${drop.roleId}> ` : ''}📬 **Question drop: ${chain.title}**${drop.late ? ' (posted late: the bot was offline at the scheduled time)' : ''}\nAnswer below; follow-ups arrive in the thread.`
      : `**Follow-up ${step} of ${chain.prompts.length - 1}**`;
  const embed = new EmbedBuilder()
    .setColor(0x5865f2)
    .setTitle(`${prompt.level} · ${prompt.topic}`)
    .setDescription(clip(prompt.question, 3000))
    .addFields({ name: 'Options', value: clip(options.map((o, i) => `**${OPTION_LETTERS[i]}.** ${o.text}`).join('\n'), 1024) })
    .setImage(`attachment://step-${step}.png`)
    .setFooter({ text: stepMarker(drop.id, step) });
  const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
    options.map((o, i) => new ButtonBuilder().setCustomId(encodeCustomId(DROP_ROUTES.choice, drop.id, step, o.id)).setLabel(OPTION_LETTERS[i]!).setStyle(ButtonStyle.Secondary)),
  );
  const own = new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder().setCustomId(encodeCustomId(DROP_ROUTES.ownWords, drop.id, step)).setLabel('Answer in my own words').setEmoji('✍️').setStyle(ButtonStyle.Primary),
  );
  return {
    content: intro,
    embeds: [embed],
    components: [row, own],
    files: [new AttachmentBuilder(card, { name: `step-${step}.png` })],
    // The schedule's role is pinged once, on the root message; nothing else ever pings.
    allowedMentions: { parse: [], roles: step === 0 && drop.roleId ? [drop.roleId] : [] },
  };
}

/** The previous step's model answer, what it tested and how the channel answered. */
export function revealEmbed(reveal: NonNullable<StepPost['reveal']>): EmbedBuilder {
  const { step, prompt, options, distribution: dist } = reveal;
  const lines = options.map((o, i) => `${o.correct ? '✅' : '▫️'} **${OPTION_LETTERS[i]}** ${clip(o.text, 60)}: ${dist.counts.get(o.text) ?? 0}`);
  if (dist.ownWords) lines.push(`✍️ In their own words: ${dist.ownWords}`);
  return new EmbedBuilder()
    .setColor(0x3ba55d)
    .setTitle(`Answer to ${step === 0 ? 'the root question' : `follow-up ${step}`}`)
    .addFields(
      { name: `How the channel answered (${dist.total})`, value: clip(lines.join('\n'), 1024) },
      { name: 'Model answer', value: clip(prompt.answer, 1024) },
      { name: 'What it was testing', value: clip(prompt.testing, 1024) },
    );
}

const participantsText = (n: number) => `${n} participant${n === 1 ? '' : 's'}`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The summary card image; `fastestName` is the display name of the fastest correct answerer. */
export function summaryCardSpec(chain: Chain, s: DropSummary, fastestName: string | null): SummaryCardSpec {
  return {
    title: `Drop summary: ${chain.title}`,
    subtitle: participantsText(s.participants),
    rows: [
      { label: 'Participants', value: String(s.participants) },
      { label: 'Fastest correct', value: s.fastest ? `${fastestName} (${seconds(s.fastest.ms)})` : 'nobody yet' },
    ],
    steps: s.perStep.map((p, i) => ({ label: i === 0 ? 'Root question' : `Follow-up ${i}`, accuracy: p.answered ? p.correct / p.answered : 0, detail: `${p.correct}/${p.answered}` })),
    footnote: 'Late answers still count for mastery.',
  };
}

/** The summary step: participants, accuracy per step and the fastest correct answer. */
export function summaryPayload(drop: Drop, chain: Chain, s: DropSummary, fastestName: string | null, card: Buffer): StepPayload {
  const embed = new EmbedBuilder()
    .setColor(0xf0b232)
    .setTitle('🏁 Drop complete')
    .setDescription(
      [
        `${participantsText(s.participants)}.`,
        ...s.perStep.map((p, i) => `${i === 0 ? 'Root' : `Follow-up ${i}`}: ${p.correct}/${p.answered} correct`),
        s.fastest ? `Fastest correct: ${fastestName} in ${seconds(s.fastest.ms)}` : '',
      ]
        .filter(Boolean)
        .join('\n'),
    )
    .setImage('attachment://summary.png')
    .setFooter({ text: stepMarker(drop.id, chain.prompts.length) });
  return { content: '', embeds: [embed], components: [], files: [new AttachmentBuilder(card, { name: 'summary.png' })], allowedMentions: { parse: [] } };
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

function outcome(r: DropAnswerResult, revealText: string): string {
  if (!r.stored) return 'You already answered this question; your first answer counts.';
  const pts = r.points ? ` (+${r.points.toLocaleString('en-US')} points)` : '';
  if (r.live) return `Answer recorded${pts}. ${r.correct ? '✅ Correct!' : r.verdict === 'partial' ? '🟡 Partly right.' : '❌ Not this time.'} The answer is revealed with the next step.`;
  return `Late answer recorded for your mastery (no points once the answer is out). ${r.correct ? '✅ Correct!' : `❌ ${revealText}`}`;
}

/** The private reply to a button answer. */
export function choiceReply(r: DropAnswerResult): string {
  const correctText = r.options.find((o) => o.correct)?.text ?? r.prompt.choice.correct;
  return outcome(r, `The answer was: ${correctText}`);
}

/** The private reply to an answer in the member's own words. */
export function textReply(r: DropTextAnswerResult): string {
  const points = r.stored ? `\nKey points: ${r.hit.length}/${r.hit.length + r.missed.length}` : '';
  return outcome(r, 'See the model answer in the thread.') + points;
}

/** The private reply to the drop command. */
export function dropPostedReply(chain: Chain, revealEveryMinutes: number): string {
  return `Posted a drop: **${chain.title}**. Follow-ups arrive in its thread every ${revealEveryMinutes} minutes.`;
}
