import type { Client, EmbedBuilder, SendableChannels } from 'discord.js';
import type { GuildService } from '../../guilds/service.js';
import { crashPoint } from '../../platform/fault.js';
import type { Logger } from '../../platform/log.js';
import { drillCard } from '../../practice/discord/views.js';
import type { Renderer } from '../../render/index.js';
import type { DuelService } from '../service.js';
import type { Duel, DuelOutcome } from '../types.js';
import { expiredMessage, resultCard, resultMessage, roundMessage, scoreboard, type RoundImages } from './views.js';
import { sendableChannel } from '../../platform/discord/text.js';

/**
 * Moves duels along in Discord: posts each round, closes rounds when both have answered or the
 * deadline passed (the scheduler's tick sweeps deadlines from the database, so a restart
 * resumes every duel), and posts the result card with the Elo change.
 */
export class DuelPublisher {
  constructor(
    private readonly duels: DuelService,
    private readonly renderer: Renderer,
    private readonly guilds: GuildService,
    private readonly client: Client,
    private readonly log: Logger,
  ) {}


  /** A drill round's card and figure, in the server's theme. */
  private async images(duel: Duel, round: number): Promise<RoundImages | null> {
    const q = this.duels.question(duel, round);
    if (q.type !== 'drill') return null;
    const theme = await this.guilds.theme(duel.guildId);
    const { drill } = q;
    const card = (await this.renderer.questionCard(drillCard(drill), { theme })).png;
    const figure = drill.figure ? (await this.renderer.drillFigure(drill.figure, { theme })).png : undefined;
    return figure ? { card, figure } : { card };
  }

  async postRound(duel: Duel, round: number, previous?: EmbedBuilder): Promise<void> {
    const message = roundMessage(duel, round, this.duels.question(duel, round), await this.images(duel, round), previous);
    await (await sendableChannel(this.client, duel.channelId)).send(message);
  }

  /** Closes a round (idempotent) and posts what follows. */
  async advance(duelId: string, round: number): Promise<void> {
    const closed = await this.duels.closeRound(duelId, round);
    if (!closed) return;
    if (closed.finished) {
      await this.finish(duelId);
      return;
    }
    const board = scoreboard(closed.duel, round, this.duels.question(closed.duel, round), await this.duels.scores(closed.duel));
    await this.postRound(closed.duel, round + 1, board);
  }

  /** Decides the result (with its Elo, one transaction), then posts it. */
  async finish(duelId: string): Promise<void> {
    const outcome = await this.duels.finish(duelId);
    if (!outcome) return;
    crashPoint('duel-after-finish');
    await this.postResult(outcome);
  }

  /** Posts a decided duel's result card, unless another caller (the sweep, another process) has claimed it. */
  private async postResult(outcome: DuelOutcome): Promise<void> {
    const { duel, a, b } = outcome;
    if (!(await this.duels.claimResult(duel.id))) return;
    const name = async (id: string) => this.client.users.fetch(id).then((u) => u.displayName, () => 'a member');
    const names = { a: await name(a.userId), b: await name(b.userId) };
    const last = duel.questions.length - 1;
    const board = scoreboard(duel, last, this.duels.question(duel, last), outcome);
    const card = await this.renderer.summaryCard(resultCard(outcome, names), { theme: await this.guilds.theme(duel.guildId) });
    await (await sendableChannel(this.client, duel.channelId)).send(resultMessage(outcome, names, board, card.png));
  }

  /** Called by the scheduler's tick: expired challenges, overdue rounds, undecided and unposted results. */
  async sweep(): Promise<number> {
    let n = 0;
    for (const d of await this.duels.expireChallenges()) {
      n++;
      if (!d.messageId) continue;
      const channel = await sendableChannel(this.client, d.channelId).catch(() => null);
      const message = channel && 'messages' in channel ? await channel.messages.fetch(d.messageId).catch(() => null) : null;
      await message?.edit(expiredMessage(d)).catch((err) => this.log.warn({ err }, 'could not edit an expired challenge'));
    }
    for (const d of await this.duels.overdue()) {
      n++;
      await this.advance(d.id, d.round).catch((err) => this.log.warn({ err, duelId: d.id }, 'could not close a duel round'));
    }
    for (const d of await this.duels.scoring()) {
      await this.finish(d.id).catch((err) => this.log.warn({ err, duelId: d.id }, 'could not finish a duel'));
    }
    for (const d of await this.duels.unposted()) {
      await this.duels
        .outcome(d)
        .then((outcome) => this.postResult(outcome))
        .catch((err) => this.log.warn({ err, duelId: d.id }, 'could not post a duel result'));
    }
    return n;
  }
}
