/**
 * What a member has learnt, read from their answers and FSRS cards: per-topic mastery, due
 * cards, streak, accuracy, and which chain to practise next. Every query is scoped to one user.
 *
 * Visibility (`/mastery user:` for someone else): pass `{ guildId }` and only what that member
 * did in this server counts: answers given with that guild_id, and the cards of prompts they
 * have answered at least once there. Cards are per user, not per server, so a card seen here
 * carries its full memory state (reviews done elsewhere included); that is the simple rule,
 * and it reveals no question or answer given elsewhere.
 */
import type { Bank, Chain } from '../bank/load.js';
import type { Level } from '../bank/schema.js';
import { UserError } from '../errors.js';
import { Prisma, type PrismaClient } from '../generated/prisma/client.js';
import { isValidTimeZone } from '../guilds/repository.js';
import { retrievability, State, type CardState } from './fsrs.js';

export interface Scope {
  /** Only answers given in this server, and cards of prompts answered in it. */
  guildId?: string;
}

export interface TopicMastery {
  topic: string;
  title: string;
  /** Prompts of the topic the member has a card for. */
  seen: number;
  /** Prompts of the topic without a card. */
  unseen: number;
  /** Mean ts-fsrs retrievability now over the seen prompts, in [0, 1]; 0 when none is seen. */
  mastery: number;
}

export interface DueCard {
  promptId: string;
  topic: string;
  due: Date;
  state: number;
}

export interface Accuracy {
  correct: number;
  total: number;
  /** correct / total. A partial answer is not correct. */
  rate: number;
}

export interface ChainCandidate {
  chainId: string;
  topic: string;
  prompts: number;
  /** Prompts of the chain the member has a card for. */
  seen: number;
  /** Mean retrievability over all the chain's prompts, an unseen one counting 0. */
  strength: number;
  /** Every prompt's card is in Review with retrievability >= MASTERED_RETRIEVABILITY. */
  mastered: boolean;
}

/** A chain is mastered when each of its prompts would be recalled with at least this probability. */
export const MASTERED_RETRIEVABILITY = 0.9;
/** How far back a streak is looked for: longer streaks are reported as this many days. */
export const STREAK_WINDOW_DAYS = 400;
const DAY_MS = 86_400_000;

/**
 * The length of a streak, from distinct day numbers (any consecutive integers per calendar
 * day) and today's. It counts back from today, or from yesterday when nothing was answered
 * today yet: a streak is not broken until the day is over.
 */
export function streakFromDays(days: readonly number[], today: number): number {
  const set = new Set(days);
  let day = set.has(today) ? today : today - 1;
  let length = 0;
  while (set.has(day)) {
    length++;
    day--;
  }
  return length;
}

/** Whether a chain's prompts are all mastered, given each one's card (undefined when unseen). */
export function chainMastered(cards: readonly (Pick<CardState, 'state'> & { r: number } | undefined)[]): boolean {
  return cards.length > 0 && cards.every((c) => c !== undefined && c.state === State.Review && c.r >= MASTERED_RETRIEVABILITY);
}

type CardRow = Pick<CardState, 'stability' | 'difficulty' | 'state' | 'lastReview' | 'due'> & { promptId: string };

const CARD_COLUMNS = Prisma.sql`c.prompt_id AS "promptId", c.stability, c.difficulty, c.state, c.last_review AS "lastReview", c.due`;

export class MasteryQueries {
  private readonly promptIds: string[];

  constructor(
    private readonly prisma: PrismaClient,
    private readonly bank: Bank,
  ) {
    this.promptIds = bank.prompts.map((p) => p.id);
  }

  /** The member's cards (one indexed query on the primary key), optionally limited to a server's. */
  private async cards(userId: string, scope: Scope = {}): Promise<CardRow[]> {
    if (scope.guildId === undefined) {
      return this.prisma.$queryRaw<CardRow[]>`SELECT ${CARD_COLUMNS} FROM cards c WHERE c.user_id = ${userId}`;
    }
    return this.prisma.$queryRaw<CardRow[]>`
      SELECT ${CARD_COLUMNS} FROM cards c
      WHERE c.user_id = ${userId}
        AND EXISTS (SELECT 1 FROM answers a WHERE a.user_id = c.user_id AND a.prompt_id = c.prompt_id AND a.guild_id = ${scope.guildId})`;
  }

  /** Per bank topic, in the bank's order: seen, unseen and mean retrievability now. */
  async topicMastery(userId: string, now: Date, scope: Scope = {}): Promise<TopicMastery[]> {
    const rows = await this.cards(userId, scope);
    const sums = new Map<string, { seen: number; r: number }>();
    for (const row of rows) {
      const topic = this.bank.promptById.get(row.promptId)?.topic;
      if (!topic) continue; // a prompt since removed from the bank
      const acc = sums.get(topic) ?? { seen: 0, r: 0 };
      acc.seen++;
      acc.r += retrievability(row, now);
      sums.set(topic, acc);
    }
    return this.bank.topics.map((t) => {
      const total = t.chains.reduce((n, c) => n + c.prompts.length, 0);
      const acc = sums.get(t.id) ?? { seen: 0, r: 0 };
      return { topic: t.id, title: t.title, seen: acc.seen, unseen: total - acc.seen, mastery: acc.seen ? acc.r / acc.seen : 0 };
    });
  }

  /** Cards due at `now`, oldest first (index cards(user_id, due)); prompts no longer in the bank are skipped. */
  async dueCards(userId: string, now: Date, limit: number): Promise<DueCard[]> {
    const n = Math.max(0, Math.min(Math.trunc(limit), 500));
    if (n === 0) return [];
    return this.prisma.$queryRaw<DueCard[]>`
      SELECT prompt_id AS "promptId", topic, due, state FROM cards
      WHERE user_id = ${userId} AND due <= ${now}::timestamptz AND prompt_id = ANY(${this.promptIds}::text[])
      ORDER BY due, prompt_id
      LIMIT ${n}::int4`;
  }

  /** When the next card falls due after `now` ("nothing is due; next at ..."), or null when none will. */
  async nextDue(userId: string, now: Date): Promise<Date | null> {
    const rows = await this.prisma.$queryRaw<{ due: Date }[]>`
      SELECT due FROM cards
      WHERE user_id = ${userId} AND due > ${now}::timestamptz AND prompt_id = ANY(${this.promptIds}::text[])
      ORDER BY due LIMIT 1`;
    return rows[0]?.due ?? null;
  }

  async dueCount(userId: string, now: Date, scope: Scope = {}): Promise<number> {
    const guild = scope.guildId === undefined
      ? Prisma.empty
      : Prisma.sql`AND EXISTS (SELECT 1 FROM answers a WHERE a.user_id = c.user_id AND a.prompt_id = c.prompt_id AND a.guild_id = ${scope.guildId})`;
    const rows = await this.prisma.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int4 AS n FROM cards c
      WHERE c.user_id = ${userId} AND c.due <= ${now}::timestamptz AND c.prompt_id = ANY(${this.promptIds}::text[]) ${guild}`;
    return rows[0]?.n ?? 0;
  }

  /**
   * Consecutive calendar days with at least one answer, ending today or yesterday. Days are
   * those of `timeZone`, the server's (guild_settings.time_zone, "UTC" by default and in DMs;
   * see GuildRepository.settings): a server's members share one calendar, the same one its
   * drops and weekly leaderboards use, and Discord does not tell a bot a member's own zone.
   * Looks back STREAK_WINDOW_DAYS days at most.
   */
  async streak(userId: string, timeZone: string, now: Date, scope: Scope = {}): Promise<number> {
    if (!isValidTimeZone(timeZone)) throw new UserError(`Unknown time zone "${timeZone}".`);
    const guild = scope.guildId === undefined ? Prisma.empty : Prisma.sql`AND guild_id = ${scope.guildId}`;
    const from = new Date(now.getTime() - (STREAK_WINDOW_DAYS + 1) * DAY_MS);
    // Day numbers (days since 2000-01-01 in the zone) rather than dates: consecutive days are consecutive integers.
    const rows = await this.prisma.$queryRaw<{ day: number; today: number }[]>`
      SELECT DISTINCT ((answered_at AT TIME ZONE ${timeZone})::date - DATE '2000-01-01') AS day,
             ((${now}::timestamptz AT TIME ZONE ${timeZone})::date - DATE '2000-01-01') AS today
      FROM answers
      WHERE user_id = ${userId} AND answered_at > ${from}::timestamptz AND answered_at <= ${now}::timestamptz ${guild}`;
    if (rows.length === 0) return 0;
    return Math.min(streakFromDays(rows.map((r) => r.day), rows[0]!.today), STREAK_WINDOW_DAYS);
  }

  /** Correct answers over all answers given since `since` (null when there are none). */
  async accuracy(userId: string, since: Date, scope: Scope = {}): Promise<Accuracy | null> {
    const guild = scope.guildId === undefined ? Prisma.empty : Prisma.sql`AND guild_id = ${scope.guildId}`;
    const rows = await this.prisma.$queryRaw<{ correct: number; total: number }[]>`
      SELECT (count(*) FILTER (WHERE verdict = 'correct'))::int4 AS correct, count(*)::int4 AS total
      FROM answers WHERE user_id = ${userId} AND answered_at >= ${since}::timestamptz ${guild}`;
    const row = rows[0];
    if (!row || row.total === 0) return null;
    return { correct: row.correct, total: row.total, rate: row.correct / row.total };
  }

  /**
   * Chains to practise, best candidates first: not mastered before mastered, then weakest first
   * (mean retrievability over the chain's prompts, unseen ones counting 0, so untouched chains
   * lead), then bank order. `topic` keeps one topic's chains; `level` keeps chains that ask at
   * least one question of that level (chains climb L4 → L6, so "L6" means "reaches L6").
   */
  async chainCandidates(userId: string, now: Date, filter: { topic?: string; level?: Level } = {}): Promise<ChainCandidate[]> {
    const chains = this.bank.chains.filter(
      (c: Chain) => (!filter.topic || c.topic === filter.topic) && (!filter.level || c.prompts.some((p) => p.level === filter.level)),
    );
    if (chains.length === 0) return [];
    const byPrompt = new Map((await this.cards(userId)).map((row) => [row.promptId, { state: row.state, r: retrievability(row, now) }]));
    const order = new Map(chains.map((c, i) => [c.id, i]));
    return chains
      .map((c): ChainCandidate => {
        const cards = c.prompts.map((p) => byPrompt.get(p.id));
        const seen = cards.filter((x) => x !== undefined).length;
        const strength = cards.reduce((s, x) => s + (x?.r ?? 0), 0) / c.prompts.length;
        return { chainId: c.id, topic: c.topic, prompts: c.prompts.length, seen, strength, mastered: chainMastered(cards) };
      })
      .sort((a, b) => Number(a.mastered) - Number(b.mastered) || a.strength - b.strength || order.get(a.chainId)! - order.get(b.chainId)!);
  }
}
