import { DomainError } from '../platform/errors.js';
import { unwrapMath } from '../render/limits.js';
import type { Author, Board, BoardStep } from './types.js';

/** Limits that keep a board readable as one image and cheap to render. */
export const WHITEBOARD_LIMITS = {
  steps: 25,
  stepChars: 500,
  noteChars: 120,
  titleChars: 80,
} as const;

/** The title as stored: spaces collapsed; refused when empty or too long. */
export function cleanTitle(title: string): string {
  const clean = title.trim().replace(/\s+/g, ' ');
  if (!clean) throw new DomainError('whiteboard.title-empty');
  if (clean.length > WHITEBOARD_LIMITS.titleChars) throw new DomainError('whiteboard.title-too-long', { max: WHITEBOARD_LIMITS.titleChars }, 'limit');
  return clean;
}

export const alreadyOpen = (title: string, steps: number) => new DomainError('whiteboard.already-open', { title, steps }, 'conflict');

export const noBoard = () => new DomainError('whiteboard.none', {}, 'not-found');

/** A step as stored: trimmed, pasted `$…$` / `$$…$$` / `\(…\)` / `\[…\]` taken off, an empty note dropped; refused when empty or too long. */
export function cleanStep(input: { tex: string; note?: string | null }): { tex: string; note: string | null } {
  const tex = unwrapMath(input.tex).tex;
  const note = input.note?.trim() || null;
  if (!tex) throw new DomainError('whiteboard.step-empty');
  if (tex.length > WHITEBOARD_LIMITS.stepChars) throw new DomainError('whiteboard.step-too-long', { max: WHITEBOARD_LIMITS.stepChars, length: tex.length }, 'limit');
  if (note && note.length > WHITEBOARD_LIMITS.noteChars) throw new DomainError('whiteboard.note-too-long', { max: WHITEBOARD_LIMITS.noteChars }, 'limit');
  return { tex, note };
}

/** Where the next step goes on a board with these steps; refused when the board is full. */
export function nextPosition(steps: readonly Pick<BoardStep, 'position'>[]): number {
  if (steps.length >= WHITEBOARD_LIMITS.steps) throw new DomainError('whiteboard.full', { max: WHITEBOARD_LIMITS.steps }, 'limit');
  return Math.max(0, ...steps.map((s) => s.position)) + 1;
}

/** Undo removes only the member's own most recent step. */
export function stepToUndo<S extends Pick<BoardStep, 'position' | 'authorId'>>(steps: readonly S[], by: Author): S {
  const mine = steps.filter((s) => s.authorId === by.id);
  if (mine.length === 0) throw new DomainError('whiteboard.nothing-to-undo', {}, 'not-found');
  return mine.reduce((last, s) => (s.position > last.position ? s : last));
}

/** Only the member who started the board, or one who can manage the server, may clear it. */
export function checkMayClear(board: Pick<Board, 'startedBy'>, by: Author, canManageServer: boolean): void {
  if (board.startedBy !== by.id && !canManageServer) throw new DomainError('whiteboard.clear-forbidden', {}, 'forbidden');
}

/** A board to show or export must have a step. */
export function checkHasSteps(board: Board, purpose: 'show' | 'export'): void {
  if (board.steps.length === 0) throw new DomainError(purpose === 'show' ? 'whiteboard.nothing-to-show' : 'whiteboard.nothing-to-export', { title: board.title }, 'not-found');
}

/** The board as a stand-alone LaTeX document (amsmath), one numbered equation per step. */
export function boardToTex(board: Board, exportedAt: Date): string {
  const esc = (s: string) => s.replace(/[\\{}$&#^_%~]/g, (c) => (c === '\\' ? '\\textbackslash{}' : c === '~' ? '\\textasciitilde{}' : c === '^' ? '\\textasciicircum{}' : `\\${c}`));
  const lines = [
    `% Backprop whiteboard "${board.title.replace(/\n/g, ' ')}", exported ${exportedAt.toISOString()}`,
    '\\documentclass{article}',
    '\\usepackage{amsmath,amssymb}',
    '\\begin{document}',
    `\\section*{${esc(board.title)}}`,
    '',
  ];
  board.steps.forEach((s, i) => {
    lines.push(`% Step ${i + 1} by ${s.authorName.replace(/\n/g, ' ')}${s.note ? `: ${s.note.replace(/\n/g, ' ')}` : ''}`);
    lines.push('\\begin{equation}', s.tex, '\\end{equation}');
    if (s.note) lines.push(`\\noindent\\emph{${esc(s.note)}} (${esc(s.authorName)})`, '');
    else lines.push(`\\noindent (${esc(s.authorName)})`, '');
  });
  lines.push('\\end{document}', '');
  return lines.join('\n');
}
