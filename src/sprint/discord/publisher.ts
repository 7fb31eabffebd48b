import type { Client } from 'discord.js';
import type { GuildService } from '../../guilds/service.js';
import type { Logger } from '../../platform/log.js';
import type { Renderer } from '../../render/index.js';
import { readableTexts, typeset } from '../../render/discord/math.js';
import type { SprintRound, SprintService } from '../service.js';
import type { Sprint } from '../types.js';
import { questionTexts, resultsMessage, roundMessage, startedLobby, type QuestionText } from './views.js';
import { editPosted, sendableChannel } from '../../platform/discord/text.js';

/**
 * Posts sprint questions, edits each closed question's message to show it closed (buttons
 * disabled, the answer marked, the distribution and the top five), and posts the results.
 */
export class SprintDriver {
  constructor(
    private readonly sprints: SprintService,
    private readonly renderer: Renderer,
    private readonly guilds: GuildService,
    private readonly client: Client,
    private readonly log: Logger,
  ) {}

  /** A question's texts made readable and its formulas drawn (text alone when drawing fails). */
  private async questionText(r: SprintRound): Promise<QuestionText> {
    const texts = questionTexts(r);
    try {
      return await typeset(this.renderer, await this.guilds.theme(r.sprint.guildId), texts, `q${r.round + 1}`);
    } catch (err) {
      this.log.warn({ err, sprintId: r.sprint.id, round: r.round }, 'could not draw a sprint question’s formulas; posting its text alone');
      return { texts: readableTexts(texts).texts, files: [], images: [] };
    }
  }

  /** Starts the sprint (once, whoever asks first) and posts its first round. */
  async start(id: string, by: string | null): Promise<void> {
    const first = await this.sprints.start(id, by);
    if (!first) return;
    const s = first.sprint;
    if (s.messageId) {
      const c = await sendableChannel(this.client, s.channelId);
      const players = (await this.sprints.standings(s.id)).length;
      if ('messages' in c) await c.messages.edit(s.messageId, startedLobby(s, players)).catch((err) => this.log.warn({ err, sprintId: s.id }, 'could not close a sprint lobby'));
    }
    await this.postRound(first);
  }

  /** Posts a question and records its message, which the question's closing edits. */
  private async postRound(r: SprintRound): Promise<void> {
    const message = await (await sendableChannel(this.client, r.sprint.channelId)).send(roundMessage(r, await this.questionText(r)));
    await this.sprints.setRoundMessage(r.sprint.id, r.round, message.id);
    // Closed while its message was on its way: nobody knew the message to close it.
    const now = await this.sprints.get(r.sprint.id);
    if (now.status !== 'active' || now.round !== r.round) await this.closeRoundMessage(now, r.round);
  }

  /**
   * Edits a closed question's message to its closed card, built from what is stored (a closed
   * question's answers are final), so closing it twice edits it the same way. A message that
   * is gone, or an edit Discord refuses, is logged and the sprint goes on.
   */
  async closeRoundMessage(s: Sprint, round: number, fallbackMessageId?: string): Promise<void> {
    try {
      const closed = await this.sprints.closedRound(s, round);
      if (!closed) return;
      const messageId = (await this.sprints.roundMessage(s.id, round)) ?? fallbackMessageId;
      if (!messageId) return;
      const payload = roundMessage(closed.recap, await this.questionText(closed.recap), closed);
      await editPosted(this.client, s.channelId, messageId, payload);
    } catch (err) {
      this.log.warn({ err, sprintId: s.id, round }, 'could not show a sprint question as closed; the sprint goes on');
    }
  }

  /** Closes round `round` (once), posts the next question or the results, and shows the closed one as closed. */
  async advance(id: string, round: number): Promise<void> {
    const closed = await this.sprints.closeRound(id, round);
    if (!closed) return;
    const { sprint } = closed.recap;
    if (closed.next) {
      // The next question's clock is running: post it first, then close the previous message.
      try {
        await this.postRound(closed.next);
      } finally {
        await this.closeRoundMessage(closed.next.sprint, round);
      }
      return;
    }
    await this.closeRoundMessage(sprint, round);
    await (await sendableChannel(this.client, sprint.channelId)).send(resultsMessage(sprint, closed.standings));
  }

  /** From the scheduler's tick: lobbies to start, rounds to close. */
  async sweep(): Promise<number> {
    const due = await this.sprints.due();
    for (const s of due) {
      try {
        if (s.status === 'lobby') await this.start(s.id, null);
        else await this.advance(s.id, s.round);
      } catch (err) {
        this.log.warn({ err, sprintId: s.id }, 'sprint step failed; retrying next tick');
      }
    }
    return due.length;
  }
}
