import { AttachmentBuilder, MessageFlags } from 'discord.js';
import type { Renderer, ThemeName } from '../../render/index.js';
import type { Board, BoardStep } from '../types.js';

const plural = (n: number) => `${n} step${n === 1 ? '' : 's'}`;

export const started = (board: Board) => ({
  content: `🧮 Whiteboard **${board.title}** is open in this channel. Add steps with \`/whiteboard add\`, see it with \`/whiteboard show\`.`,
});

/** The step just added, drawn on its own. */
export async function stepAdded(renderer: Renderer, theme: ThemeName, step: { number: number; tex: string; note: string | null }, author: string) {
  const image = await renderer.tex(step.tex, { theme, ...(step.note ? { caption: step.note } : {}) });
  return {
    content: `Step **${step.number}** added by ${author}.`,
    files: [new AttachmentBuilder(image.png, { name: `step-${step.number}.png` })],
  };
}

/** The whole board as one image. */
export async function boardShown(renderer: Renderer, theme: ThemeName, board: Board) {
  const image = await renderer.whiteboard(
    { title: board.title, steps: board.steps.map((s) => ({ tex: s.tex, author: s.authorName, ...(s.note ? { note: s.note } : {}) })) },
    { theme },
  );
  return {
    content: `**${board.title}**: ${plural(board.steps.length)}`,
    files: [new AttachmentBuilder(image.png, { name: 'whiteboard.png' })],
  };
}

export const undone = (step: BoardStep) => ({ content: `Removed your last step: \`${step.tex.slice(0, 150).replace(/`/g, "'")}\`` });

export const cleared = (count: number) => ({ content: `The board was cleared (${plural(count)} removed) and closed; start a new one with \`/whiteboard start\`.` });

/** The board as a .tex file, privately to the member who asked. */
export function exported(board: Board, tex: string) {
  const name = `${board.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'whiteboard'}.tex`;
  return {
    content: `**${board.title}** as LaTeX (${board.steps.length} steps).`,
    files: [new AttachmentBuilder(Buffer.from(tex, 'utf8'), { name })],
    flags: MessageFlags.Ephemeral,
  } as const;
}
