import type { Transactor } from '../platform/db/client.js';
import { alreadyOpen, boardToTex, checkHasSteps, checkMayClear, cleanStep, cleanTitle, nextPosition, noBoard, stepToUndo } from './rules.js';
import type { WhiteboardStore } from './store.js';
import type { Author, Board, BoardStep } from './types.js';

/** Checks a step's TeX (e.g. by rendering it); throws a DomainError (`render.*`, with MathJax's message) when it is invalid. */
export type TexValidator = (tex: string) => Promise<void>;

/**
 * Shared derivation boards, one per channel or thread. Steps are appended under a row lock on
 * the board, so concurrent additions get distinct, consecutive positions in the order the
 * database granted the lock.
 */
export class WhiteboardService {
  constructor(
    private readonly store: WhiteboardStore,
    private readonly db: Transactor,
    private readonly validateTex: TexValidator,
  ) {}

  /** The channel's open board; refused when there is none. */
  async require(channelId: string): Promise<Board> {
    const board = await this.store.find(channelId);
    if (!board) throw noBoard();
    return board;
  }

  async start(where: { guildId: string; channelId: string }, title: string, by: Author): Promise<Board> {
    const clean = cleanTitle(title);
    const existing = await this.store.find(where.channelId);
    if (existing) throw alreadyOpen(existing.title, existing.steps.length);
    // Two members starting at the same moment: one wins, the other is told it is open.
    const board = await this.store.create(where, clean, by.id);
    if (!board) throw alreadyOpen(clean, 0);
    return board;
  }

  /** Appends a step; returns it with its 1-based number on the board. The board is unchanged when the step is refused. */
  async add(channelId: string, input: { tex: string; note?: string | null }, by: Author): Promise<{ number: number; tex: string; note: string | null; title: string }> {
    const step = cleanStep(input);
    await this.validateTex(step.tex);
    return this.db.transaction(async (tx) => {
      const board = await this.store.lockBoard(tx, channelId);
      if (!board) throw noBoard();
      const steps = await this.store.steps(tx, board.id);
      await this.store.addStep(tx, board.id, { ...step, position: nextPosition(steps) }, by);
      return { number: steps.length + 1, ...step, title: board.title };
    });
  }

  /** Removes the caller's own most recent step. */
  async undo(channelId: string, by: Author): Promise<BoardStep> {
    return this.db.transaction(async (tx) => {
      const boardId = await this.store.lock(tx, channelId);
      if (!boardId) throw noBoard();
      const last = stepToUndo(await this.store.steps(tx, boardId), by);
      await this.store.deleteStep(tx, last.id);
      return last;
    });
  }

  /** Empties and closes the board, so a new one can be started; returns the board as it was (its steps, its live message). */
  async clear(channelId: string, by: Author, canManageServer: boolean): Promise<{ board: Board; removed: number }> {
    const board = await this.require(channelId);
    checkMayClear(board, by, canManageServer);
    // Under the board's row lock, like add and undo: a step added or undone meanwhile waits.
    const removed = await this.db.transaction(async (tx) => {
      if ((await this.store.lock(tx, channelId)) !== board.id) throw noBoard();
      return this.store.deleteBoard(tx, board.id);
    });
    return { board, removed };
  }

  /** The channel's open board, or null (to redraw its live message). */
  find(channelId: string): Promise<Board | null> {
    return this.store.find(channelId);
  }

  /** Remembers which message shows the board live. */
  rememberMessage(boardId: string, messageId: string): Promise<void> {
    return this.store.setMessage(boardId, messageId);
  }

  /** The board to draw; refused when it has no step yet. */
  async show(channelId: string): Promise<Board> {
    const board = await this.require(channelId);
    checkHasSteps(board, 'show');
    return board;
  }

  /** The board as a LaTeX document; refused when it has no step yet. */
  async export(channelId: string, at: Date): Promise<{ board: Board; tex: string }> {
    const board = await this.require(channelId);
    checkHasSteps(board, 'export');
    return { board, tex: boardToTex(board, at) };
  }
}
