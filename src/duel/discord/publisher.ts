import { AttachmentBuilder, type Client } from 'discord.js';
import type { GuildService } from '../../guilds/service.js';
import { crashPoint } from '../../platform/fault.js';
import type { Logger } from '../../platform/log.js';
import type { Renderer } from '../../render/index.js';
import { readableTexts, typeset } from '../../render/discord/math.js';
import { CARD_LIMITS } from '../../platform/discord/card.js';
import type { DuelService } from '../service.js';
import { isRoundClosed } from '../rules.js';
import type { Duel, DuelOutcome, DuelQuestion } from '../types.js';
import { expiredMessage, resultMessage, roundMessage, roundTexts, type RoundText } from './views.js';
import { editPosted, sendableChannel } from '../../platform/discord/text.js';

/**
 * Moves duels along in Discord: posts each round, closes rounds when both have answered or the
 * deadline passed (the scheduler's tick sweeps deadlines from the database, so a restart
 * resumes every duel), edits each closed round's message to show it closed (buttons disabled,
 * the answer marked, who answered what), and posts the result with the Elo change.
 */
export class DuelPublisher {
  constructor(
    private readonly duels: DuelService,
    private readonly renderer: Renderer,
    private readonly guilds: GuildService,
    private readonly client: Client,
    private readonly log: Logger,
  ) {}

  /**
   * A round's texts made readable, its formulas drawn, and a drill's figure (never its
   * solution figure), in the server's theme. A drawing that fails leaves the text readable
   * and the round playable.
   */
  private async roundText(duel: Duel, round: number, q: DuelQuestion): Promise<RoundText> {
    const theme = await this.guilds.theme(duel.guildId);
    const prefix = `round${round + 1}`;
    const texts = roundTexts(duel, round, q);
    let out: RoundText;
    try {
      out = { ...(await typeset(this.renderer, theme, texts, prefix)) };
    } catch (err) {
      this.log.warn({ err, duelId: duel.id, round }, 'could not draw a duel round’s formulas; posting its text alone');
      out = { texts: readableTexts(texts).texts, files: [], images: [] };
    }
    if (q.type === 'drill' && q.drill.figure && out.images.length < CARD_LIMITS.galleryItems) {
      try {
        const figure = await this.renderer.drillFigure(q.drill.figure, { theme, title: 'The data' });
        const name = `${prefix}-figure.png`;
        out = { ...out, files: [...out.files, new AttachmentBuilder(figure.png, { name })], images: [...out.images, { name, description: `The figure of round ${round + 1}` }] };
      } catch (err) {
        this.log.warn({ err, duelId: duel.id, round, kind: q.drill.kind }, 'could not draw a duel drill’s figure; posting the round without it');
      }
    }
    return out;
  }

  /** Posts a round and records its message, which the round's closing edits. */
  async postRound(duel: Duel, round: number): Promise<void> {
    const q = this.duels.question(duel, round);
    const channel = await sendableChannel(this.client, duel.channelId);
    const message = await channel.send(roundMessage(duel, round, q, await this.roundText(duel, round, q)));
    await this.duels.setRoundMessage(duel.id, round, message.id);
    // A round closed while its message was on its way was closed without knowing the message:
    // close the message now (the same edit the closer would have made).
    const now = await this.duels.get(duel.id);
    if (isRoundClosed(now, round)) await this.closeRoundMessage(now, round);
  }

  /**
   * Edits a closed round's message to its closed card. The card is built from what is stored
   * (a closed round's answers are final), so closing it twice edits it the same way. A message
   * that is gone, or an edit Discord refuses, is logged and the duel goes on. `fallbackMessageId`:
   * the message a stale button was clicked on, when none was recorded for the round.
   */
  async closeRoundMessage(duel: Duel, round: number, fallbackMessageId?: string): Promise<void> {
    try {
      const closed = await this.duels.closedRound(duel, round);
      if (!closed) return;
      const messageId = (await this.duels.roundMessage(duel.id, round)) ?? fallbackMessageId;
      if (!messageId) return;
      const payload = roundMessage(duel, round, closed.question, await this.roundText(duel, round, closed.question), closed);
      await editPosted(this.client, duel.channelId, messageId, payload);
    } catch (err) {
      this.log.warn({ err, duelId: duel.id, round }, 'could not show a duel round as closed; the duel goes on');
    }
  }

  /** Closes a round (idempotent), posts what follows and shows the closed round as closed. */
  async advance(duelId: string, round: number): Promise<void> {
    const closed = await this.duels.closeRound(duelId, round);
    if (!closed) return;
    if (closed.finished) {
      await this.closeRoundMessage(closed.duel, round);
      await this.finish(duelId);
      return;
    }
    // The next round's clock is running: post it first, then close the previous message.
    try {
      await this.postRound(closed.duel, round + 1);
    } finally {
      await this.closeRoundMessage(closed.duel, round);
    }
  }

  /** Decides the result (with its Elo, one transaction), then posts it. */
  async finish(duelId: string): Promise<void> {
    const outcome = await this.duels.finish(duelId);
    if (!outcome) return;
    crashPoint('duel-after-finish');
    await this.postResult(outcome);
  }

  /** Posts a decided duel's result, unless another caller (the sweep, another process) has claimed it. */
  private async postResult(outcome: DuelOutcome): Promise<void> {
    const { duel, a, b } = outcome;
    if (!(await this.duels.claimResult(duel.id))) return;
    const name = async (id: string) => this.client.users.fetch(id).then((u) => u.displayName, () => 'a member');
    const names = { a: await name(a.userId), b: await name(b.userId) };
    await (await sendableChannel(this.client, duel.channelId)).send(resultMessage(outcome, names));
  }

  /** Called by the scheduler's tick: expired challenges, overdue rounds, undecided and unposted results. */
  async sweep(): Promise<number> {
    let n = 0;
    for (const d of await this.duels.expireChallenges()) {
      n++;
      if (!d.messageId) continue;
      const channel = await sendableChannel(this.client, d.channelId).catch(() => null);
      if (!channel || !('messages' in channel)) continue;
      await channel.messages.edit(d.messageId, expiredMessage(d)).catch((err) => this.log.warn({ err }, 'could not edit an expired challenge'));
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
