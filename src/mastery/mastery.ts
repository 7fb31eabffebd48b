/**
 * What a member has learnt, read from their answers and FSRS cards: per-topic mastery, due
 * cards, streak, accuracy, and which chain to practise next. Every query is scoped to one user.
 *
 * Visibility (`/mastery user:` for someone else): pass `{ guildId }` and only what that member
 * did in this server counts: answers given with that guild_id, and the cards of prompts they
 * have answered at least once there. Cards are per user, not per server, so such a card
 * carries its full memory state (reviews done elsewhere included): the simple rule. What shows
 * is which prompts they answered here and how well they know them, never an answer, a prompt
 * or a count from another server.
 */
import type { Bank, Chain } from '../bank/load.js';
import type { Level } from '../bank/schema.js';
import { UserError } from '../platform/errors.js';
import { Prisma, type PrismaClient } from '../generated/prisma/client.js';
import { isValidTimeZone } from '../guilds/rules.js';
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

export interface MasteryOverview {
  topics: TopicMastery[];
  due: number;
  streak: number;
  accuracy: Accuracy | null;
}

/** A chain is mastered when each of its prompts would be recalled with at least this probability. */
export const MASTERED_RETRIEVABILITY = 0.9;
/** Streaks are counted up to this many days (the walk back stops there). */
export const STREAK_MAX_DAYS = 400;

/** Whether a chain's prompts are all mastered, given each one's card (undefined when unseen). */
export function chainMastered(cards: readonly (Pick<CardState, 'state'> & { r: number } | undefined)[]): boolean {
  return cards.length > 0 && cards.every((c) => c !== undefined && c.state === State.Review && c.r >= MASTERED_RETRIEVABILITY);
}

export type CardRow = Pick<CardState, 'stability' | 'difficulty' | 'state' | 'lastReview' | 'due'> & { promptId: string };

const CARD_COLUMNS = Prisma.sql`c.prompt_id AS "promptId", c.stability, c.difficulty, c.state, c.last_review AS "lastReview", c.due`;

/**
 * Cards of prompts the member answered at least once in the server: one probe of
 * answers(user_id, prompt_id) per card. OFFSET 0 keeps it a per-card probe: as a plain EXISTS
 * the planner may turn it into a join that reads the whole server's answers through
 * answers(guild_id, answered_at) (30 ms instead of 2 for a member with 5,000 answers).
 */
function answeredIn(scope: Scope): Prisma.Sql {
  return scope.guildId === undefined
    ? Prisma.empty
    : Prisma.sql`AND EXISTS (SELECT 1 FROM answers a WHERE a.user_id = c.user_id AND a.prompt_id = c.prompt_id AND a.guild_id = ${scope.guildId} OFFSET 0)`;
}
function amongPrompts(promptIds: readonly string[] | undefined): Prisma.Sql {
  return promptIds ? Prisma.sql`AND prompt_id = ANY(${promptIds}::text[])` : Prisma.empty;
}
function givenIn(scope: Scope): Prisma.Sql {
  return scope.guildId === undefined ? Prisma.empty : Prisma.sql`AND guild_id = ${scope.guildId}`;
}

/**
 * The statements MasteryQueries runs, built here so that the benchmark can EXPLAIN exactly
 * these (`.text` and `.values`). Each reads one user through an index: cards by the primary key
 * (user_id, prompt_id) or cards(user_id, due); answers by answers(user_id, answered_at).
 */
export const masterySql = {
  cards: (userId: string, scope: Scope = {}) => Prisma.sql`SELECT ${CARD_COLUMNS} FROM cards c WHERE c.user_id = ${userId} ${answeredIn(scope)}`,
  /** `onlyPrompts` leaves out cards of other prompts (only needed when some card's prompt has left the bank). */
  dueCards: (userId: string, now: Date, limit: number, onlyPrompts?: readonly string[]) => Prisma.sql`
    SELECT prompt_id AS "promptId", topic, due, state FROM cards
    WHERE user_id = ${userId} AND due <= ${now}::timestamptz ${amongPrompts(onlyPrompts)}
    ORDER BY due, prompt_id
    LIMIT ${limit}::int4`,
  nextDue: (userId: string, now: Date, onlyPrompts?: readonly string[]) => Prisma.sql`
    SELECT prompt_id AS "promptId", due FROM cards
    WHERE user_id = ${userId} AND due > ${now}::timestamptz ${amongPrompts(onlyPrompts)}
    ORDER BY due LIMIT 1`,
  dueCount: (userId: string, now: Date, promptIds: readonly string[], scope: Scope = {}) => Prisma.sql`
    SELECT count(*)::int4 AS n FROM cards c
    WHERE c.user_id = ${userId} AND c.due <= ${now}::timestamptz AND c.prompt_id = ANY(${promptIds}::text[]) ${answeredIn(scope)}`,
  /**
   * Walks back one calendar day (of `timeZone`) at a time from the day of the latest answer, if
   * that is today or yesterday, while the day before has an answer: one index probe per day of
   * streak instead of reading every answer of the last months. Returns one row, `days`.
   */
  streak: (userId: string, timeZone: string, now: Date, scope: Scope = {}) => Prisma.sql`
    WITH RECURSIVE walk (day, n) AS (
      SELECT latest.day, 1 FROM (
        SELECT (max(answered_at) AT TIME ZONE ${timeZone})::date AS day FROM answers
        WHERE user_id = ${userId} AND answered_at <= ${now}::timestamptz ${givenIn(scope)}
      ) latest
      WHERE latest.day >= (${now}::timestamptz AT TIME ZONE ${timeZone})::date - 1
      UNION ALL
      SELECT w.day - 1, w.n + 1 FROM walk w
      WHERE w.n < ${STREAK_MAX_DAYS}::int4 AND EXISTS (
        SELECT 1 FROM answers
        WHERE user_id = ${userId} ${givenIn(scope)}
          AND answered_at >= ((w.day - 1)::timestamp AT TIME ZONE ${timeZone})
          AND answered_at < (w.day::timestamp AT TIME ZONE ${timeZone}))
    )
    SELECT count(*)::int4 AS days FROM walk`,
  accuracy: (userId: string, since: Date, scope: Scope = {}) => Prisma.sql`
    SELECT (count(*) FILTER (WHERE verdict = 'correct'))::int4 AS correct, count(*)::int4 AS total
    FROM answers WHERE user_id = ${userId} AND answered_at >= ${since}::timestamptz ${givenIn(scope)}`,
};

export class MasteryQueries {
  private readonly promptIds: string[];

  constructor(
    private readonly prisma: PrismaClient,
    private readonly bank: Bank,
  ) {
    this.promptIds = bank.prompts.map((p) => p.id);
  }

  /** The member's cards (one indexed query on the primary key), optionally limited to a server's. */
  private cards(userId: string, scope: Scope = {}): Promise<CardRow[]> {
    return this.prisma.$queryRaw<CardRow[]>(masterySql.cards(userId, scope));
  }

  /** Per bank topic, in the bank's order: seen, unseen and mean retrievability now. */
  async topicMastery(userId: string, now: Date, scope: Scope = {}): Promise<TopicMastery[]> {
    return this.summarise(await this.cards(userId, scope), now);
  }

  private summarise(rows: readonly CardRow[], now: Date): TopicMastery[] {
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

  private inBank = (row: { promptId: string }) => this.bank.promptById.has(row.promptId);

  /**
   * Cards due at `now`, oldest first (index cards(user_id, due)). Cards of prompts no longer in
   * the bank are skipped: when the first answer holds one, the query is asked again with the
   * bank's ids (rare, and not worth sending ~300 ids with every /review).
   */
  async dueCards(userId: string, now: Date, limit: number): Promise<DueCard[]> {
    const n = Math.max(0, Math.min(Math.trunc(limit), 500));
    if (n === 0) return [];
    const rows = await this.prisma.$queryRaw<DueCard[]>(masterySql.dueCards(userId, now, n));
    if (rows.every(this.inBank)) return rows;
    return this.prisma.$queryRaw<DueCard[]>(masterySql.dueCards(userId, now, n, this.promptIds));
  }

  /** When the next card falls due after `now` ("nothing is due; next at ..."), or null when none will. */
  async nextDue(userId: string, now: Date): Promise<Date | null> {
    let rows = await this.prisma.$queryRaw<{ promptId: string; due: Date }[]>(masterySql.nextDue(userId, now));
    if (!rows.every(this.inBank)) rows = await this.prisma.$queryRaw<{ promptId: string; due: Date }[]>(masterySql.nextDue(userId, now, this.promptIds));
    return rows[0]?.due ?? null;
  }

  async dueCount(userId: string, now: Date, scope: Scope = {}): Promise<number> {
    const rows = await this.prisma.$queryRaw<{ n: number }[]>(masterySql.dueCount(userId, now, this.promptIds, scope));
    return rows[0]?.n ?? 0;
  }

  /**
   * Consecutive calendar days with at least one answer, ending today or yesterday. Days are
   * those of `timeZone`, the server's (guild_settings.time_zone, "UTC" by default and in DMs;
   * see GuildRepository.settings): a server's members share one calendar, the same one its
   * drops and weekly leaderboards use, and Discord does not tell a bot a member's own zone.
   * Counts up to STREAK_MAX_DAYS.
   */
  async streak(userId: string, timeZone: string, now: Date, scope: Scope = {}): Promise<number> {
    if (!isValidTimeZone(timeZone)) throw new UserError(`Unknown time zone "${timeZone}".`);
    const rows = await this.prisma.$queryRaw<{ days: number }[]>(masterySql.streak(userId, timeZone, now, scope));
    return rows[0]?.days ?? 0;
  }

  /** Correct answers over all answers given since `since` (null when there are none). */
  async accuracy(userId: string, since: Date, scope: Scope = {}): Promise<Accuracy | null> {
    const rows = await this.prisma.$queryRaw<{ correct: number; total: number }[]>(masterySql.accuracy(userId, since, scope));
    const row = rows[0];
    if (!row || row.total === 0) return null;
    return { correct: row.correct, total: row.total, rate: row.correct / row.total };
  }

  /**
   * Everything /mastery shows: per-topic mastery, cards due now, streak (in `timeZone`) and
   * accuracy since `since`, all restricted to `scope`. Three queries in parallel: the due count
   * comes from the same card rows as the mastery (same answer as dueCount).
   */
  async overview(userId: string, now: Date, opts: { timeZone: string; since: Date } & Scope): Promise<MasteryOverview> {
    const scope: Scope = opts.guildId === undefined ? {} : { guildId: opts.guildId };
    const [cards, streak, accuracy] = await Promise.all([
      this.cards(userId, scope),
      this.streak(userId, opts.timeZone, now, scope),
      this.accuracy(userId, opts.since, scope),
    ]);
    const due = cards.filter((c) => c.due.getTime() <= now.getTime() && this.bank.promptById.has(c.promptId)).length;
    return { topics: this.summarise(cards, now), due, streak, accuracy };
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
