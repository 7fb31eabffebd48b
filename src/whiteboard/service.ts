import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import { UserError } from '../platform/errors.js';

/** Limits that keep a board readable as one image and cheap to render. */
export const WHITEBOARD_LIMITS = {
  steps: 25,
  stepChars: 500,
  noteChars: 120,
  titleChars: 80,
} as const;

export interface BoardStep {
  position: number;
  tex: string;
  note: string | null;
  authorId: string | null;
  authorName: string;
  createdAt: Date;
}

export interface Board {
  id: string;
  guildId: string;
  channelId: string;
  title: string;
  startedBy: string | null;
  steps: BoardStep[];
}

export interface Author {
  id: string;
  name: string;
}

/** Checks a step's TeX (e.g. by rendering it); throws a UserError with MathJax's message when it is invalid. */
export type TexValidator = (tex: string) => Promise<void>;

const NO_BOARD = 'There is no whiteboard in this channel yet. Open one with `/whiteboard start`.';

/**
 * Shared derivation boards, one per channel or thread, stored in PostgreSQL. Steps are
 * appended under a row lock on the board, so concurrent additions get distinct, consecutive
 * positions in the order the database granted the lock.
 */
export class WhiteboardService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly validateTex: TexValidator,
  ) {}

  async get(channelId: string): Promise<Board | null> {
    const board = await this.prisma.whiteboard.findUnique({
      where: { channelId },
      include: { steps: { orderBy: { position: 'asc' } } },
    });
    return board;
  }

  async require(channelId: string): Promise<Board> {
    const board = await this.get(channelId);
    if (!board) throw new UserError(NO_BOARD, 'not-found');
    return board;
  }

  async start(where: { guildId: string; channelId: string }, title: string, by: Author): Promise<Board> {
    const clean = title.trim().replace(/\s+/g, ' ');
    if (!clean) throw new UserError('Give the board a title (or leave the option out for the default).');
    if (clean.length > WHITEBOARD_LIMITS.titleChars) throw new UserError(`A board title can be at most ${WHITEBOARD_LIMITS.titleChars} characters.`, 'limit');
    const existing = await this.prisma.whiteboard.findUnique({ where: { channelId: where.channelId }, include: { _count: { select: { steps: true } } } });
    if (existing) throw this.alreadyOpen(existing.title, existing._count.steps);
    try {
      const board = await this.prisma.whiteboard.create({ data: { guildId: where.guildId, channelId: where.channelId, title: clean, startedBy: by.id } });
      return { ...board, steps: [] };
    } catch (err) {
      // Two members starting at the same moment: the unique channel index lets one win.
      if ((err as { code?: string }).code === 'P2002') throw this.alreadyOpen(clean, 0);
      throw err;
    }
  }

  private alreadyOpen(title: string, steps: number): UserError {
    return new UserError(
      `This channel already has an open board, **${title}** (${steps} step${steps === 1 ? '' : 's'}). Add to it with \`/whiteboard add\`, or close it with \`/whiteboard clear\`.`,
      'conflict',
    );
  }

  /** Appends a step; returns its 1-based number on the board. The board is unchanged when the step is refused. */
  async add(channelId: string, input: { tex: string; note?: string | null }, by: Author): Promise<{ number: number; total: number }> {
    const tex = input.tex.trim();
    const note = input.note?.trim() || null;
    if (!tex) throw new UserError('The step is empty: give a LaTeX expression, e.g. `\\hat y = Xw`.');
    if (tex.length > WHITEBOARD_LIMITS.stepChars) {
      throw new UserError(`A step can be at most ${WHITEBOARD_LIMITS.stepChars} characters (this one has ${tex.length}). Split it into several steps.`, 'limit');
    }
    if (note && note.length > WHITEBOARD_LIMITS.noteChars) throw new UserError(`A note can be at most ${WHITEBOARD_LIMITS.noteChars} characters.`, 'limit');
    await this.validateTex(tex);
    return this.prisma.$transaction(async (tx) => {
      const boardId = await lockBoard(tx, channelId);
      const agg = await tx.whiteboardStep.aggregate({ where: { boardId }, _count: true, _max: { position: true } });
      if (agg._count >= WHITEBOARD_LIMITS.steps) {
        throw new UserError(`This board is full (${WHITEBOARD_LIMITS.steps} steps). Export it with \`/whiteboard export\`, then \`/whiteboard clear\` to start a new one.`, 'limit');
      }
      await tx.whiteboardStep.create({
        data: { boardId, position: (agg._max.position ?? 0) + 1, tex, note, authorId: by.id, authorName: by.name },
      });
      await tx.whiteboard.update({ where: { id: boardId }, data: { updatedAt: new Date() } });
      return { number: agg._count + 1, total: agg._count + 1 };
    });
  }

  /** Removes the caller's own most recent step. */
  async undo(channelId: string, by: Author): Promise<BoardStep> {
    return this.prisma.$transaction(async (tx) => {
      const boardId = await lockBoard(tx, channelId);
      const last = await tx.whiteboardStep.findFirst({ where: { boardId, authorId: by.id }, orderBy: { position: 'desc' } });
      if (!last) throw new UserError('You have no step on this board to undo (undo only removes your own steps).', 'not-found');
      await tx.whiteboardStep.deleteMany({ where: { id: last.id } });
      return last;
    });
  }

  /** Empties and closes the board, so a new one can be started. Only its starter or a member who can manage the server may. */
  async clear(channelId: string, by: Author, canManageServer: boolean): Promise<number> {
    const board = await this.require(channelId);
    if (board.startedBy !== by.id && !canManageServer) {
      throw new UserError('Only the member who started this board, or someone with **Manage Server**, can clear it.', 'forbidden');
    }
    // Under the board's row lock, like add and undo: a step added or undone meanwhile waits.
    return this.prisma.$transaction(async (tx) => {
      if ((await lockBoard(tx, channelId)) !== board.id) throw new UserError(NO_BOARD, 'not-found');
      const { count } = await tx.whiteboardStep.deleteMany({ where: { boardId: board.id } });
      await tx.whiteboard.deleteMany({ where: { id: board.id } });
      return count;
    });
  }
}

/**
 * Locks the channel's open board (FOR UPDATE) for the rest of the transaction and returns its
 * id: adding, undoing and clearing queue on this lock, so steps keep consecutive positions.
 */
async function lockBoard(tx: Prisma.TransactionClient, channelId: string): Promise<string> {
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM whiteboards WHERE channel_id = ${channelId} FOR UPDATE`;
  const boardId = locked[0]?.id;
  if (!boardId) throw new UserError(NO_BOARD, 'not-found');
  return boardId;
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
