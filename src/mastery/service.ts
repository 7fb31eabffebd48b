/**
 * What a member has learnt, read from their answers and FSRS cards: per-topic mastery, due
 * cards, streak, accuracy, and which chain to practise next; and the rating of an answer
 * stored without one. Every query is scoped to one user.
 *
 * Visibility (`/mastery user:` for someone else): pass `{ guildId }` and only what that member
 * did in this server counts: answers given with that guild_id, and the cards of prompts they
 * have answered at least once there. Cards are per user, not per server, so such a card
 * carries its full memory state (reviews done elsewhere included): the simple rule. What shows
 * is which prompts they answered here and how well they know them, never an answer, a prompt
 * or a count from another server.
 *
 * Streaks are the leaderboards' (one definition, see Leaderboards.memberStreak): consecutive
 * days with an answer in a server, in that server's time zone.
 */
import type { Bank } from '../bank/load.js';
import type { Level } from '../bank/schema.js';
import type { Clock } from '../platform/clock.js';
import type { Transactor } from '../platform/db/client.js';
import { conceptRootToResurface } from '../answers/rules.js';
import { chainCandidates, chainsFor, emptyCard, review, topicMastery, type ChainCandidate, type Grade, type TopicMastery } from './rules.js';
import type { Accuracy, DueCard, MasteryStore, Scope } from './store.js';

/** Where streaks come from (the leaderboards, which keep them). */
export interface StreakSource {
  memberStreak(userId: string, now: Date, guildId: string | null): Promise<number>;
}

export class MasteryService {
  private readonly promptIds: string[];

  constructor(
    private readonly db: Transactor,
    private readonly store: MasteryStore,
    private readonly bank: Bank,
    private readonly streaks: StreakSource,
    private readonly clock: Clock,
  ) {
    this.promptIds = bank.prompts.map((p) => p.id);
  }

  /**
   * Per bank topic, in the bank's order: seen, unseen, drills and mastery at `now` (recall a
   * week ahead, 0 after a wrong latest answer, drills by their last answers: see
   * rules.MASTERY_HORIZON_DAYS).
   */
  async topicMastery(userId: string, now: Date, scope: Scope = {}): Promise<TopicMastery[]> {
    const [cards, drills] = await Promise.all([this.store.masteryCards(userId, scope), this.store.drillAnswers(userId, scope)]);
    return topicMastery(this.bank, cards, drills, now);
  }

  private inBank = (row: { promptId: string }) => this.bank.promptById.has(row.promptId);

  /**
   * Cards due at `now`, oldest first. Cards of prompts no longer in the bank are skipped: when
   * the first answer holds one, the query is asked again with the bank's ids (rare, and not
   * worth sending ~300 ids with every /review).
   */
  async dueCards(userId: string, now: Date, limit: number): Promise<DueCard[]> {
    const n = Math.max(0, Math.min(Math.trunc(limit), 500));
    if (n === 0) return [];
    const rows = await this.store.dueCards(userId, now, n);
    if (rows.every(this.inBank)) return rows;
    return this.store.dueCards(userId, now, n, this.promptIds);
  }

  /** When the next card falls due after `now` ("nothing is due; next at ..."), or null when none will. */
  async nextDue(userId: string, now: Date): Promise<Date | null> {
    let next = await this.store.nextDue(userId, now);
    if (next && !this.inBank(next)) next = await this.store.nextDue(userId, now, this.promptIds);
    return next?.due ?? null;
  }

  /** Cards due at `now`, of prompts still in the bank. */
  dueCount(userId: string, now: Date, scope: Scope = {}): Promise<number> {
    return this.store.dueCount(userId, now, this.promptIds, scope);
  }

  /**
   * The member's live streak in days: in a server (`guildId`), their streak there, for
   * themselves and for others alike; in a DM (null), their longest live streak over their
   * servers. Each server's days are those of its time zone (guild_settings.time_zone): a
   * server's members share one calendar, the same one its drops and weekly leaderboards use,
   * and Discord does not tell a bot a member's own zone.
   */
  streak(userId: string, now: Date, guildId: string | null): Promise<number> {
    return this.streaks.memberStreak(userId, now, guildId);
  }

  /** Correct answers over all answers given since `since` (null when there are none). */
  async accuracy(userId: string, since: Date, scope: Scope = {}): Promise<Accuracy | null> {
    const { correct, total } = await this.store.accuracy(userId, since, scope);
    return total === 0 ? null : { correct, total, rate: correct / total };
  }

  /** The chains `filter` keeps (see rules.chainsFor), best candidates to practise first (see rules.chainCandidates). */
  async chainCandidates(userId: string, now: Date, filter: { topic?: string; level?: Level } = {}): Promise<ChainCandidate[]> {
    const chains = chainsFor(this.bank, filter);
    if (chains.length === 0) return [];
    return chainCandidates(chains, await this.store.cards(userId), now);
  }

  /**
   * Rates an answer that was stored without a rating (self-graded free recall: the answer is
   * kept the moment it is given, and the member rates their recall afterwards). Applies the
   * rating to the card at most once: a second call (double click, or "next" after rating)
   * changes nothing. Same card rules as AnswerStore.record, concept rule included.
   */
  rate(eventKey: string, userId: string, rating: Grade): Promise<{ applied: boolean; card?: { due: Date; state: number } }> {
    return this.db.transaction(async (tx) => {
      const promptId = await this.store.claimRating(tx, eventKey, userId, rating);
      const prompt = promptId ? this.bank.promptById.get(promptId) : undefined;
      if (!prompt) return { applied: false };
      const now = this.clock();
      const card = await this.store.lockCard(tx, userId, prompt, emptyCard(now));
      const next = review(card, now, rating);
      await this.store.writeCard(tx, userId, prompt.id, next);
      const root = conceptRootToResurface(prompt, rating, this.bank);
      if (root) await this.store.resurface(tx, userId, root, now);
      return { applied: true, card: { due: next.due, state: next.state } };
    });
  }
}
