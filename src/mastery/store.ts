/**
 * Mastery's SQL: the only place it lives. Reads a member's FSRS cards and answers (every query
 * scoped to one user, through an index), and writes a card when a stored answer is rated
 * afterwards. (Recording answers is the answer store's: answer-store.ts.)
 */
import { Prisma, type PrismaClient } from '../generated/prisma/client.js';
import type { Tx } from '../platform/db/client.js';
import { DRILL_RECENT, type AnswerVerdict, type CardRow, type CardState, type DrillAnswer, type Grade, type MasteryCard } from './rules.js';

export interface Scope {
  /** Only answers given in this server, and cards of prompts answered in it. */
  guildId?: string;
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
function givenIn(scope: Scope, table: Prisma.Sql = Prisma.empty): Prisma.Sql {
  return scope.guildId === undefined ? Prisma.empty : Prisma.sql`AND ${table}guild_id = ${scope.guildId}`;
}

/**
 * The statements MasteryStore runs, built here so that the benchmark can EXPLAIN exactly
 * these (`.text` and `.values`). Each reads one user through an index: cards by the primary key
 * (user_id, prompt_id) or cards(user_id, due); answers by answers(user_id, answered_at).
 */
export const masterySql = {
  cards: (userId: string, scope: Scope = {}) => Prisma.sql`SELECT ${CARD_COLUMNS} FROM cards c WHERE c.user_id = ${userId} ${answeredIn(scope)}`,
  /**
   * The cards with the verdict of the member's latest answer to each prompt (in the server, with
   * a scope): one probe of answers(user_id, prompt_id) per card, newest first.
   */
  masteryCards: (userId: string, scope: Scope = {}) => Prisma.sql`
    SELECT ${CARD_COLUMNS},
      (SELECT a.verdict::text FROM answers a WHERE a.user_id = c.user_id AND a.prompt_id = c.prompt_id ${givenIn(scope, Prisma.sql`a.`)}
       ORDER BY a.answered_at DESC, a.id DESC LIMIT 1) AS "lastVerdict"
    FROM cards c WHERE c.user_id = ${userId} ${answeredIn(scope)}`,
  /** The member's last DRILL_RECENT answers to each kind of drill, in any mode (index answers(user_id, answered_at)). */
  drillAnswers: (userId: string, scope: Scope = {}) => Prisma.sql`
    SELECT kind, verdict FROM (
      SELECT drill_kind AS kind, verdict::text AS verdict, row_number() OVER (PARTITION BY drill_kind ORDER BY answered_at DESC, id DESC) AS n
      FROM answers WHERE user_id = ${userId} AND drill_kind IS NOT NULL ${givenIn(scope)}
    ) d WHERE n <= ${DRILL_RECENT}::int8 ORDER BY kind, n`,
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
  accuracy: (userId: string, since: Date, scope: Scope = {}) => Prisma.sql`
    SELECT (count(*) FILTER (WHERE verdict = 'correct'))::int4 AS correct, count(*)::int4 AS total
    FROM answers WHERE user_id = ${userId} AND answered_at >= ${since}::timestamptz ${givenIn(scope)}`,
};

const VERDICTS: readonly AnswerVerdict[] = ['correct', 'partial', 'wrong'];
function verdictOf(v: string | null): AnswerVerdict | null {
  return VERDICTS.find((x) => x === v) ?? null;
}

const CARD_STATE_COLUMNS = Prisma.sql`due, stability, difficulty, elapsed_days AS "elapsedDays", scheduled_days AS "scheduledDays",
  learning_steps AS "learningSteps", reps, lapses, state, last_review AS "lastReview"`;

export class MasteryStore {
  constructor(private readonly prisma: PrismaClient) {}

  /** The member's cards (one indexed query on the primary key), optionally limited to a server's. */
  async cards(userId: string, scope: Scope = {}): Promise<CardRow[]> {
    const rows = await this.prisma.$queryRaw<CardRow[]>(masterySql.cards(userId, scope));
    return rows.map((r) => ({ promptId: r.promptId, stability: r.stability, difficulty: r.difficulty, state: r.state, lastReview: r.lastReview, due: r.due }));
  }

  /** The member's cards with their latest verdict (what /mastery scores), optionally limited to a server's. */
  async masteryCards(userId: string, scope: Scope = {}): Promise<MasteryCard[]> {
    const rows = await this.prisma.$queryRaw<(CardRow & { lastVerdict: string | null })[]>(masterySql.masteryCards(userId, scope));
    return rows.map((r) => ({
      promptId: r.promptId,
      stability: r.stability,
      difficulty: r.difficulty,
      state: r.state,
      lastReview: r.lastReview,
      due: r.due,
      lastVerdict: verdictOf(r.lastVerdict),
    }));
  }

  /** The member's last DRILL_RECENT answers to each drill kind, newest first within a kind. */
  async drillAnswers(userId: string, scope: Scope = {}): Promise<DrillAnswer[]> {
    const rows = await this.prisma.$queryRaw<{ kind: string; verdict: string }[]>(masterySql.drillAnswers(userId, scope));
    return rows.flatMap((r) => {
      const verdict = verdictOf(r.verdict);
      return verdict ? [{ kind: r.kind, verdict }] : [];
    });
  }

  /** Cards due at `now`, oldest first (index cards(user_id, due)), optionally only of `onlyPrompts`. */
  async dueCards(userId: string, now: Date, limit: number, onlyPrompts?: readonly string[]): Promise<DueCard[]> {
    const rows = await this.prisma.$queryRaw<DueCard[]>(masterySql.dueCards(userId, now, limit, onlyPrompts));
    return rows.map((r) => ({ promptId: r.promptId, topic: r.topic, due: r.due, state: r.state }));
  }

  /** The first card due after `now`, optionally only of `onlyPrompts`. */
  async nextDue(userId: string, now: Date, onlyPrompts?: readonly string[]): Promise<{ promptId: string; due: Date } | null> {
    const [row] = await this.prisma.$queryRaw<{ promptId: string; due: Date }[]>(masterySql.nextDue(userId, now, onlyPrompts));
    return row ? { promptId: row.promptId, due: row.due } : null;
  }

  async dueCount(userId: string, now: Date, promptIds: readonly string[], scope: Scope = {}): Promise<number> {
    const [row] = await this.prisma.$queryRaw<{ n: number }[]>(masterySql.dueCount(userId, now, promptIds, scope));
    return row?.n ?? 0;
  }

  async accuracy(userId: string, since: Date, scope: Scope = {}): Promise<{ correct: number; total: number }> {
    const [row] = await this.prisma.$queryRaw<{ correct: number; total: number }[]>(masterySql.accuracy(userId, since, scope));
    return { correct: row?.correct ?? 0, total: row?.total ?? 0 };
  }

  /* Rating a stored answer (in the caller's transaction) ---------------------------------- */

  /**
   * Sets the rating of the member's stored answer `eventKey` if it has none yet and is about a
   * prompt; returns that prompt's id, or null when there is nothing (left) to rate.
   */
  async claimRating(tx: Tx, eventKey: string, userId: string, rating: Grade): Promise<string | null> {
    const claimed = await tx.$queryRaw<{ prompt_id: string }[]>`
      UPDATE answers SET rating = ${rating}::int4
      WHERE event_key = ${eventKey} AND user_id = ${userId} AND rating IS NULL AND prompt_id IS NOT NULL
      RETURNING prompt_id`;
    return claimed[0]?.prompt_id ?? null;
  }

  /** The member's card for the prompt, created as `fresh` if new, and locked either way (concurrent ratings apply in turn). */
  async lockCard(tx: Tx, userId: string, prompt: { id: string; topic: string }, fresh: CardState): Promise<CardState> {
    const rows = await tx.$queryRaw<CardState[]>`
      INSERT INTO cards (user_id, prompt_id, topic, due, stability, difficulty, elapsed_days, scheduled_days, learning_steps, reps, lapses, state, last_review)
      VALUES (${userId}, ${prompt.id}, ${prompt.topic}, ${fresh.due}::timestamptz, ${fresh.stability}::float8, ${fresh.difficulty}::float8,
              ${fresh.elapsedDays}::int4, ${fresh.scheduledDays}::int4, ${fresh.learningSteps}::int4, ${fresh.reps}::int4, ${fresh.lapses}::int4, ${fresh.state}::int4, NULL)
      ON CONFLICT (user_id, prompt_id) DO UPDATE SET topic = EXCLUDED.topic
      RETURNING ${CARD_STATE_COLUMNS}`;
    const r = rows[0]!;
    return {
      due: r.due,
      stability: r.stability,
      difficulty: r.difficulty,
      elapsedDays: r.elapsedDays,
      scheduledDays: r.scheduledDays,
      learningSteps: r.learningSteps,
      reps: r.reps,
      lapses: r.lapses,
      state: r.state,
      lastReview: r.lastReview,
    };
  }

  async writeCard(tx: Tx, userId: string, promptId: string, next: CardState): Promise<void> {
    await tx.$executeRaw`
      UPDATE cards SET due = ${next.due}::timestamptz, stability = ${next.stability}::float8, difficulty = ${next.difficulty}::float8,
        elapsed_days = ${next.elapsedDays}::int4, scheduled_days = ${next.scheduledDays}::int4, learning_steps = ${next.learningSteps}::int4,
        reps = ${next.reps}::int4, lapses = ${next.lapses}::int4, state = ${next.state}::int4, last_review = ${next.lastReview}::timestamptz
      WHERE user_id = ${userId} AND prompt_id = ${promptId}`;
  }

  /** The concept rule's write: the member's card for `promptId` falls due at `now`, unless it is due earlier already. */
  async resurface(tx: Tx, userId: string, promptId: string, now: Date): Promise<void> {
    await tx.$executeRaw`UPDATE cards SET due = ${now}::timestamptz WHERE user_id = ${userId} AND prompt_id = ${promptId} AND due > ${now}::timestamptz`;
  }
}
