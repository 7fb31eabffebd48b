import { DiscordAPIError, RESTJSONErrorCodes, type Client, type Message } from 'discord.js';
import type { GuildService } from '../../guilds/service.js';
import type { Logger } from '../../platform/log.js';
import { editPosted, sendableChannel } from '../../platform/discord/text.js';
import type { Renderer } from '../../render/index.js';
import type { WhiteboardService } from '../service.js';
import type { Board } from '../types.js';
import { boardCard, boardCleared, boardMoved } from './views.js';

/** Errors that mean "that message can no longer be edited": deleted, or out of the bot's reach. */
const GONE: ReadonlySet<number | string> = new Set([RESTJSONErrorCodes.UnknownMessage, RESTJSONErrorCodes.UnknownChannel, RESTJSONErrorCodes.MissingAccess, RESTJSONErrorCodes.CannotEditMessageAuthoredByAnotherUser]);
const isGone = (err: unknown) => err instanceof DiscordAPIError && GONE.has(err.code);

/**
 * Keeps each board's one live message up to date: redrawn and edited in place after every
 * change, posted anew (and remembered) when it was deleted. Redraws of one channel run one after
 * another and each draws the board as it is then, so concurrent additions end with the message
 * showing every step. (A channel's interactions all reach the shard of its server, so one
 * process owns each board.)
 */
export class WhiteboardPublisher {
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly boards: WhiteboardService,
    private readonly renderer: Renderer,
    private readonly guilds: GuildService,
    private readonly client: Client,
    private readonly log: Logger,
  ) {}

  /** Runs `job` after the channel's earlier redraws. */
  private queued<T>(channelId: string, job: () => Promise<T>): Promise<T> {
    const run = (this.queues.get(channelId) ?? Promise.resolve()).then(job, job);
    const tail = run.catch(() => {});
    this.queues.set(channelId, tail);
    void tail.then(() => {
      if (this.queues.get(channelId) === tail) this.queues.delete(channelId);
    });
    return run;
  }

  /** The board's card as it is now, in the server's theme. */
  async card(board: Board) {
    return boardCard(this.renderer, await this.guilds.theme(board.guildId), board);
  }

  /**
   * Redraws the channel's board in its live message; returns the message's link, or null when
   * the channel has no board or Discord refused (logged: the step is stored, and the next
   * change redraws the board again).
   */
  async refresh(channelId: string): Promise<string | null> {
    try {
      return await this.redraw(channelId);
    } catch (err) {
      this.log.warn({ err, channelId }, 'could not redraw the whiteboard message');
      return null;
    }
  }

  private redraw(channelId: string): Promise<string | null> {
    return this.queued(channelId, async () => {
      const board = await this.boards.find(channelId);
      if (!board) return null;
      const card = await this.card(board);
      const channel = await sendableChannel(this.client, channelId);
      if (board.messageId) {
        try {
          return (await channel.messages.edit(board.messageId, card)).url;
        } catch (err) {
          if (!isGone(err)) throw err;
          this.log.info({ channelId, messageId: board.messageId, code: (err as DiscordAPIError).code }, 'whiteboard message gone; posting it anew');
        }
      }
      const posted = await channel.send(card);
      await this.boards.rememberMessage(board.id, posted.id);
      return posted.url;
    });
  }

  /** The board was just posted anew in `message` (by /whiteboard start or show): remember it, and point its old message there. */
  moved(board: Board, message: Message): Promise<void> {
    return this.queued(board.channelId, async () => {
      await this.boards.rememberMessage(board.id, message.id);
      if (board.messageId && board.messageId !== message.id) await this.editOld(board.channelId, board.messageId, boardMoved(board, message.url));
    });
  }

  /** The board was cleared: its live message says so, without the drawing. */
  cleared(board: Board, removed: number, by: string): Promise<void> {
    return this.queued(board.channelId, async () => {
      if (board.messageId) await this.editOld(board.channelId, board.messageId, boardCleared(board, removed, by));
    });
  }

  /** Edits a board message that is no longer live; a failure is only logged (the board itself is fine). */
  private async editOld(channelId: string, messageId: string, card: ReturnType<typeof boardMoved>): Promise<void> {
    try {
      await editPosted(this.client, channelId, messageId, card);
    } catch (err) {
      if (!isGone(err)) this.log.warn({ err, channelId, messageId }, 'could not edit an old whiteboard message');
    }
  }
}
