import { AttachmentBuilder, MessageFlags } from 'discord.js';
import { ACCENTS, cardPayload, type CardPart, type CardPayload } from '../../platform/discord/card.js';
import { clip, count } from '../../platform/discord/text.js';
import type { Answer } from '../../platform/discord/replies.js';
import { texSource } from '../../render/discord/views.js';
import type { Renderer, ThemeName } from '../../render/index.js';
import type { Board, BoardStep } from '../types.js';

/** The most text the step sources take on the board's card (a card holds 4,000 characters). */
const SOURCE_ROOM = 3_200;

const HELP = '-# Add a step with `/whiteboard add`, undo your last with `/whiteboard undo`, download it with `/whiteboard export`.';

/** Each step's TeX, numbered with its author and note, in one code block to copy; null when it would not fit. */
function sources(board: Board): string | null {
  const lines = board.steps.map((s, i) => `% ${i + 1} · ${s.authorName.replace(/\n/g, ' ')}${s.note ? `: ${s.note.replace(/\n/g, ' ')}` : ''}\n${s.tex}`);
  const block = texSource(lines.join('\n'));
  return block.length <= SOURCE_ROOM ? block : null;
}

/**
 * The board's live message: its title and step count, the whole derivation drawn as one image,
 * and the TeX of every step to copy. Edited in place as steps are added and undone.
 */
export async function boardCard(renderer: Renderer, theme: ThemeName, board: Board): Promise<CardPayload> {
  const authors = [...new Set(board.steps.map((s) => s.authorName))];
  const parts: CardPart[] = [{ text: `🧮 **${board.title}** · ${count(board.steps.length, 'step')}${authors.length ? ` by ${authors.join(', ')}` : ''}` }];
  const files: AttachmentBuilder[] = [];
  if (board.steps.length === 0) {
    parts.push({ text: 'No steps yet. Add the first with `/whiteboard add`.' });
  } else {
    const image = await renderer.whiteboard(
      { title: board.title, steps: board.steps.map((s) => ({ tex: s.tex, author: s.authorName, ...(s.note ? { note: s.note } : {}) })) },
      { theme },
    );
    files.push(new AttachmentBuilder(image.png, { name: 'whiteboard.png' }));
    parts.push({ images: [{ name: 'whiteboard.png', description: clip(`${board.title}: ${board.steps.map((s, i) => `(${i + 1}) ${s.tex}`).join(' ')}`, 1000) }] });
    parts.push({ text: sources(board) ?? 'The TeX of every step is in `/whiteboard export`.' });
  }
  parts.push({ text: HELP });
  return cardPayload({ accent: ACCENTS.question, parts }, files);
}

/** What the board's old message says once the board is shown anew further down. */
export const boardMoved = (board: Board, url: string) =>
  cardPayload({ accent: ACCENTS.closed, parts: [{ text: `🧮 **${board.title}** continues in a newer message: ${url}` }] });

/** What the board's message says once the board is cleared and closed. */
export const boardCleared = (board: Board, removed: number, by: string) =>
  cardPayload({ accent: ACCENTS.closed, parts: [{ text: `🧮 **${board.title}** was cleared by ${by} (${count(removed, 'step')} removed) and closed.` }] });

const where = (url: string | null) => (url ? ` ([the board](${url}))` : '');

/** The private word to the member who added a step: the board itself shows it. */
export const stepAdded = (step: { number: number }, title: string, url: string | null): Answer => ({
  content: `Step **${step.number}** is on **${title}**${where(url)}.`,
  allowedMentions: { parse: [] },
});

/** The private word to the member whose step was undone (the board shows the rest). */
export const undone = (step: BoardStep, url: string | null): Answer => ({
  content: `Removed your last step${where(url)}: \`${clip(step.tex, 150).replace(/`/g, "'")}\``,
  allowedMentions: { parse: [] },
});

export const cleared = (removed: number) => ({
  content: `The board was cleared (${count(removed, 'step')} removed) and closed; start a new one with \`/whiteboard start\`.`,
  allowedMentions: { parse: [] },
});

/** The board as a .tex file, privately to the member who asked. */
export function exported(board: Board, tex: string) {
  const name = `${board.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'whiteboard'}.tex`;
  return {
    content: `**${board.title}** as LaTeX (${count(board.steps.length, 'step')}).`,
    files: [new AttachmentBuilder(Buffer.from(tex, 'utf8'), { name })],
    flags: MessageFlags.Ephemeral,
  } as const;
}
