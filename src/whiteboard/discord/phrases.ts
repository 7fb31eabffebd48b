import type { Phrasebook } from '../../platform/errors.js';
import { count } from '../../platform/discord/text.js';

/** The words for /whiteboard's refusals. */
export const whiteboardPhrases: Phrasebook = {
  'whiteboard.none': () => 'There is no whiteboard in this channel yet; open one with `/whiteboard start`.',
  'whiteboard.title-empty': () => 'Give the board a title (or leave the option out for the default).',
  'whiteboard.title-too-long': (p) => `A board title can be at most ${p.max} characters.`,
  'whiteboard.already-open': (p) =>
    `This channel already has an open board, **${p.title}** (${count(Number(p.steps), 'step')}); add to it with \`/whiteboard add\`, or close it with \`/whiteboard clear\`.`,
  'whiteboard.step-empty': () => 'The step is empty: give a LaTeX expression, e.g. `\\hat y = Xw` (with or without `$…$`).',
  'whiteboard.step-too-long': (p) => `A step can be at most ${p.max} characters (this one has ${Number(p.length).toLocaleString('en-US')}), so split it into several steps.`,
  'whiteboard.note-too-long': (p) => `A note can be at most ${p.max} characters.`,
  'whiteboard.full': (p) => `This board is full (${count(Number(p.max), 'step')}); export it with \`/whiteboard export\`, then \`/whiteboard clear\` to start a new one.`,
  'whiteboard.nothing-to-undo': () => 'You have no step on this board to undo (undo only removes your own steps).',
  'whiteboard.clear-forbidden': () => 'Only the member who started this board, or someone with **Manage Server**, can clear it.',
  'whiteboard.nothing-to-show': (p) => `**${p.title}** has no steps yet; add one with \`/whiteboard add\`.`,
  'whiteboard.nothing-to-export': () => 'The board is empty: nothing to export yet.',
};
