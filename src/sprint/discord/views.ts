/**
 * What a sprint shows in Discord, as Components v2 cards: the lobby, each question (text,
 * options whole, a countdown), the same question once closed (buttons disabled, the answer
 * marked, how many picked each option, the top five), the results, and the private replies.
 */
import { ButtonStyle, escapeMarkdown, type AttachmentBuilder } from 'discord.js';
import { ACCENTS, button, cardPayload, closeButtons, type CardPart, type CardPayload } from '../../platform/discord/card.js';
import { SPEED_GAME_RULE } from '../../quiz/points.js';
import { encodeCustomId } from '../../platform/discord/custom-id.js';
import { OPTION_LETTERS, clip, count, countdown } from '../../platform/discord/text.js';
import type { ClosedRound, SprintRound } from '../service.js';
import type { Sprint, Standing } from '../types.js';

/** Custom-id routes of sprint buttons (one place, so the router and the messages agree). */
export const SPRINT_ROUTES = { join: 'spj', start: 'sps', answer: 'spa' } as const;

const fmt = (n: number) => n.toLocaleString('en-US');
const name = (p: Standing) => escapeMarkdown(clip(p.name, 40));

export function lobbyMessage(s: Sprint): CardPayload {
  return cardPayload({
    accent: ACCENTS.sprint,
    parts: [
      { text: `🏃 **Sprint!** ${count(s.questions.length, 'question')}${s.topic ? ` on **${s.topic}**` : ''}, ${s.secondsPerRound} s each.` },
      { text: `Press **Join**; it starts ${countdown(s.deadline)} or when <@${s.starterId}> presses Start.` },
      { buttons: [button(encodeCustomId(SPRINT_ROUTES.join, s.id), 'Join', ButtonStyle.Success), button(encodeCustomId(SPRINT_ROUTES.start, s.id), 'Start now', ButtonStyle.Primary)] },
    ],
  });
}

/** The lobby message once the sprint is under way. */
export const startedLobby = (s: Sprint, players: number): CardPayload =>
  cardPayload({ accent: ACCENTS.closed, parts: [{ text: `🏃 The sprint has started with ${count(players, 'player')}: ${count(s.questions.length, 'question')} below.` }] });

/** A question's texts and images, typeset by the publisher: the question, then each option as shown. */
export interface QuestionText {
  texts: string[];
  images: { name: string; description: string }[];
  files: AttachmentBuilder[];
}

/** The texts the publisher typesets for a question: the question, then its options in the order shown. */
export const questionTexts = ({ prompt, options }: SprintRound): string[] => [prompt.question, ...options.map((o) => o.text)];

/** The top five, one line each. */
function topFive(standings: readonly Standing[]): string {
  return standings.slice(0, 5).map((p, i) => `${i + 1}. ${name(p)}: ${fmt(p.points)}`).join('\n') || 'nobody yet';
}

/**
 * A question's card. Open: letter buttons and a countdown to its end. Closed (`closed`
 * given): the right option marked ✅ and its button green, every button disabled, how many
 * picked each option, the top five after it, "Closed".
 */
export function roundMessage(r: SprintRound, text: QuestionText, closed?: Pick<ClosedRound, 'recap' | 'standings'>): CardPayload {
  const { sprint: s, round, prompt, options } = r;
  const [question = '', ...optionTexts] = text.texts;
  const parts: CardPart[] = [{ text: `🏃 **Sprint question ${round + 1} of ${s.questions.length}** · ${prompt.level} · ${prompt.topic}` }, { text: question }];
  if (text.images.length > 0) parts.push({ images: text.images });
  parts.push({ text: options.map((o, i) => `${closed && o.correct ? '✅ ' : ''}**${OPTION_LETTERS[i]}.** ${optionTexts[i] ?? o.text}`).join('\n') });
  const ids = options.map((o) => encodeCustomId(SPRINT_ROUTES.answer, s.id, round, o.id));
  parts.push({ buttons: options.map((_, i) => button(ids[i]!, OPTION_LETTERS[i]!)) });
  if (!closed) {
    parts.push({ text: `-# ⏱️ Closes ${countdown(s.deadline)} · members who joined can answer; your first click counts` });
    return cardPayload({ accent: ACCENTS.sprint, parts }, text.files);
  }
  const { distribution } = closed.recap;
  const total = [...distribution.values()].reduce((a, b) => a + b, 0);
  const right = options.findIndex((o) => o.correct);
  const picks = options.map((o, i) => {
    const n = distribution.get(o.id) ?? 0;
    const share = total > 0 ? ` (${Math.round((100 * n) / total)}%)` : '';
    return `${o.correct ? '✅' : '▫️'} **${OPTION_LETTERS[i]}**: ${n}${share}`;
  });
  parts.push({ text: [`🔒 **Closed** · the answer was **${OPTION_LETTERS[right]}** · ${count(total, 'answer')}`, ...picks].join('\n') });
  parts.push({ text: `**Top five**\n${topFive(closed.standings)}` });
  const payload = cardPayload({ accent: ACCENTS.closed, parts }, text.files);
  const rightId = ids[right];
  return { ...payload, components: closeButtons(payload.components, (id) => (id === rightId ? ButtonStyle.Success : ButtonStyle.Secondary)) };
}

/** The end of the sprint: the podium and the top ten with their points and right answers. */
export function resultsMessage(s: Sprint, standings: readonly Standing[]): CardPayload {
  const medal = ['🥇', '🥈', '🥉'];
  const rows = standings.slice(0, 10).map((p, i) => `${medal[i] ?? `${i + 1}.`} ${name(p)}: ${fmt(p.points)} · ${p.correct}/${s.questions.length} right`);
  const more = standings.length > 10 ? `\n-# and ${count(standings.length - 10, 'more player')}` : '';
  return cardPayload({
    accent: ACCENTS.sprint,
    parts: [
      { text: `🏁 **Sprint over!** ${count(standings.length, 'player')} · ${count(s.questions.length, 'question')}${s.topic ? ` on **${s.topic}**` : ''}` },
      { text: (rows.join('\n') || 'Nobody played.') + more },
      { text: `-# ${SPEED_GAME_RULE} Your first click counts.` },
    ],
  });
}

/** The private confirmation of a click: one sentence. */
export function answerReply(res: { stored: boolean; correct: boolean; points: number }): string {
  if (!res.stored) return 'Your first click already counts for this question.';
  return res.correct ? `✅ Right, +${count(res.points, 'point')}.` : '❌ Wrong, 0 points; the answer shows when the question closes.';
}

export function joinReply(r: { joined: boolean; players: number }): string {
  return r.joined ? `You're in, with ${count(r.players, 'player')} so far.` : "You've already joined.";
}
