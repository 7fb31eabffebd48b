import type { PrismaClient, WhiteboardStep as StepRow } from '../generated/prisma/client.js';
import { isUniqueViolation, type Tx } from '../platform/db/client.js';
import type { Author, Board, BoardStep } from './types.js';

const toStep = (r: StepRow): BoardStep => ({
  id: r.id,
  position: r.position,
  tex: r.tex,
  note: r.note,
  authorId: r.authorId,
  authorName: r.authorName,
  createdAt: r.createdAt,
});

/** Whiteboards and their steps: the only place their SQL lives. */
export class WhiteboardStore {
  constructor(private readonly prisma: PrismaClient) {}

  /** The channel's open board with its steps in order, or null. */
  async find(channelId: string): Promise<Board | null> {
    const board = await this.prisma.whiteboard.findUnique({ where: { channelId }, include: { steps: { orderBy: { position: 'asc' } } } });
    if (!board) return null;
    return { id: board.id, guildId: board.guildId, channelId: board.channelId, title: board.title, startedBy: board.startedBy, messageId: board.messageId, steps: board.steps.map(toStep) };
  }

  /** Opens an empty board; null when the channel already has one (the unique channel index decides between two at once). */
  async create(where: { guildId: string; channelId: string }, title: string, startedBy: string): Promise<Board | null> {
    try {
      const board = await this.prisma.whiteboard.create({ data: { guildId: where.guildId, channelId: where.channelId, title, startedBy } });
      return { id: board.id, guildId: board.guildId, channelId: board.channelId, title: board.title, startedBy: board.startedBy, messageId: null, steps: [] };
    } catch (err) {
      if (isUniqueViolation(err)) return null;
      throw err;
    }
  }

  /**
   * Locks the channel's open board (FOR UPDATE) for the rest of the transaction and returns its
   * id, or null when there is none: adding, undoing and clearing queue on this lock, so steps
   * keep consecutive positions.
   */
  async lock(tx: Tx, channelId: string): Promise<string | null> {
    return (await this.lockBoard(tx, channelId))?.id ?? null;
  }

  /** The same lock, returning the board's id and title. */
  async lockBoard(tx: Tx, channelId: string): Promise<{ id: string; title: string } | null> {
    const locked = await tx.$queryRaw<{ id: string; title: string }[]>`SELECT id, title FROM whiteboards WHERE channel_id = ${channelId} FOR UPDATE`;
    return locked[0] ?? null;
  }

  /** The board's steps in order (at most WHITEBOARD_LIMITS.steps of them). */
  async steps(tx: Tx, boardId: string): Promise<BoardStep[]> {
    return (await tx.whiteboardStep.findMany({ where: { boardId }, orderBy: { position: 'asc' } })).map(toStep);
  }

  async addStep(tx: Tx, boardId: string, step: { position: number; tex: string; note: string | null }, by: Author): Promise<void> {
    await tx.whiteboardStep.create({ data: { boardId, position: step.position, tex: step.tex, note: step.note, authorId: by.id, authorName: by.name } });
    await tx.whiteboard.update({ where: { id: boardId }, data: { updatedAt: new Date() } });
  }

  /** Remembers the board's live message; a no-op when the board is gone meanwhile. */
  async setMessage(boardId: string, messageId: string): Promise<void> {
    await this.prisma.whiteboard.updateMany({ where: { id: boardId }, data: { messageId } });
  }

  async deleteStep(tx: Tx, stepId: string): Promise<void> {
    await tx.whiteboardStep.deleteMany({ where: { id: stepId } });
  }

  /** Deletes the board and its steps; returns how many steps it had. */
  async deleteBoard(tx: Tx, boardId: string): Promise<number> {
    const { count } = await tx.whiteboardStep.deleteMany({ where: { boardId } });
    await tx.whiteboard.deleteMany({ where: { id: boardId } });
    return count;
  }
}
