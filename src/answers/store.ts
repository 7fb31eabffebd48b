/**
 * The answer store: every answer from every mode goes through `AnswerStore.record`, which
 * stores it once (keyed by its event) and, when it carries a rating, moves the member's FSRS
 * card for the prompt in the same transaction.
 */
import type { Bank, Prompt } from '../bank/load.js';
import { DomainError } from '../platform/errors.js';
import { Prisma, type PrismaClient } from '../generated/prisma/client.js';
import { emptyCard, review, type CardState, type Grade } from '../mastery/rules.js';
import { INT4_MAX, capGiven, conceptRootToResurface, eventKeyOf, validateEvent, type AnswerEvent } from './rules.js'; 

export interface RecordOptions {
  /**
   * A mode's own row of the same answer (a duel's or a sprint's), written in the same
   * statement as the answer so the two commit together or not at all: an INSERT ... SELECT
   * ... FROM ins, where `ins` holds the answer's row only when this event was new. If it fails
   * (e.g. a unique violation), nothing of the answer is stored.
   */
  alongside?: Prisma.Sql;
}

export interface RecordResult {
  /** False when this event was already stored: nothing changed. */
  stored: boolean;
  answerId: bigint | null;
  /** The prompt's card after this answer, when a rating was applied. */
  card?: { due: Date; state: number };
}

type CardRow = CardState & { answerId?: bigint };

const CARD_COLUMNS = Prisma.sql`due, stability, difficulty, elapsed_days AS "elapsedDays", scheduled_days AS "scheduledDays",
  learning_steps AS "learningSteps", reps, lapses, state, last_review AS "lastReview"`;

/** `(user_id, prompt_id, topic, due, ...)` values of a card row, in the column order of INSERT_CARD. */
function cardValues(userId: string, prompt: Prompt, c: CardState): Prisma.Sql {
  return Prisma.sql`${userId}, ${prompt.id}, ${prompt.topic}, ${c.due}::timestamptz, ${c.stability}::float8, ${c.difficulty}::float8,
    ${c.elapsedDays}::int4, ${c.scheduledDays}::int4, ${c.learningSteps}::int4, ${c.reps}::int4, ${c.lapses}::int4, ${c.state}::int4,
    ${c.lastReview}::timestamptz`;
}
const INSERT_CARD = Prisma.sql`INSERT INTO cards (user_id, prompt_id, topic, due, stability, difficulty, elapsed_days, scheduled_days,
  learning_steps, reps, lapses, state, last_review)`;

/** True for the deliberate division by zero with which the fast path's statement aborts itself. */
function isGuardAbort(err: unknown): boolean {
  const cause = (err as { meta?: { driverAdapterError?: { cause?: { code?: unknown } } } })?.meta?.driverAdapterError?.cause;
  return (err as { code?: unknown })?.code === 'P2010' && cause?.code === '22012';
}

export class AnswerStore {
  /** How often the fast path lost a race for a card and the answer went through the locking path (for metrics). */
  readonly stats = { contended: 0 };

  constructor(
    private readonly prisma: PrismaClient,
    private readonly bank: Bank,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * Stores one answer, at most once per event and member (see eventKeyOf), and applies its rating to the member's card.
   *
   * The answer and its card change commit together or not at all, and a replayed event changes
   * nothing (`stored: false`): the answer is inserted with ON CONFLICT (event_key) DO NOTHING
   * and the card is only written when that insert happened. Two ways there, same result:
   * - Fast path (two round trips, no explicit transaction): read the card, schedule it with
   *   ts-fsrs, then ONE statement inserts the answer and writes the card on condition that its
   *   `reps` is still the one read (every review bumps it). If another answer reviewed the card
   *   in between, that statement aborts itself (a division by zero, so the answer insert rolls
   *   back too) and the locking path runs instead.
   * - Locking path (one transaction): insert the answer; make sure the card exists and lock it
   *   (INSERT ... ON CONFLICT DO UPDATE takes the row lock and returns the latest committed row);
   *   schedule; write it back. Concurrent answers to one card queue on the lock.
   * Both apply the concept rule (see conceptRootToResurface) in the same statement as the card write.
   */
  async record(event: AnswerEvent, options: RecordOptions = {}): Promise<RecordResult> {
    const p = this.prepare(event);
    const also = options.alongside ? Prisma.sql`, alongside AS (${options.alongside})` : Prisma.empty;
    if (!p.rated) {
      const rows = await this.prisma.$queryRaw<{ id: bigint }[]>`WITH ins AS (${p.insertAnswer})${also} SELECT id FROM ins`;
      const id = rows[0]?.id ?? null;
      return { stored: id !== null, answerId: id };
    }
    const { userId, prompt, rating, now, insertAnswer, resurfaceRoot } = p.rated;
    try {
      return await this.recordOptimistically(userId, prompt, rating, now, insertAnswer, Prisma.sql`${resurfaceRoot}${also}`);
    } catch (err) {
      if (!isGuardAbort(err)) throw err;
      this.stats.contended++;
    }
    return this.recordLocked(userId, prompt, rating, now, insertAnswer, resurfaceRoot, also);
  }

  // ---- what members saw (for the modes that avoid repeats; see rules.pickFresh) ---------------

  /** Per prompt, how many of these members answered it since `since`, in any mode (prompts none of them answered are absent). */
  async promptsSeenBy(userIds: readonly string[], since: Date): Promise<Map<string, number>> {
    if (userIds.length === 0) return new Map();
    const rows = await this.prisma.answer.findMany({
      where: { userId: { in: [...new Set(userIds)] }, answeredAt: { gte: since }, promptId: { not: null } },
      select: { userId: true, promptId: true },
      distinct: ['userId', 'promptId'],
    });
    return countBy(rows.map((r) => r.promptId!));
  }

  /** Per prompt, how many members answered it in this channel since `since`, in any mode. */
  async promptsSeenInChannel(where: { guildId: string; channelId: string }, since: Date): Promise<Map<string, number>> {
    const rows = await this.prisma.answer.findMany({
      where: { guildId: where.guildId, channelId: where.channelId, answeredAt: { gte: since }, promptId: { not: null } },
      select: { userId: true, promptId: true },
      distinct: ['userId', 'promptId'],
    });
    return countBy(rows.map((r) => r.promptId!));
  }

  /** The drill kinds the member answered since `since`. */
  async drillKindsSeenBy(userId: string, since: Date): Promise<Set<string>> {
    const rows = await this.prisma.answer.findMany({
      where: { userId, answeredAt: { gte: since }, drillKind: { not: null } },
      select: { drillKind: true },
      distinct: ['drillKind'],
    });
    return new Set(rows.map((r) => r.drillKind!));
  }

  /** Whether the member ever answered a bank question (in any mode, anywhere). */
  async hasAnsweredPrompts(userId: string): Promise<boolean> {
    return (await this.prisma.answer.findFirst({ where: { userId, promptId: { not: null } }, select: { id: true } })) !== null;
  }

  /** Validates the event and builds its answer insert and, when it rates a prompt, the card change's parts. */
  private prepare(event: AnswerEvent) {
    validateEvent(event);
    const prompt = event.promptId ? this.bank.promptById.get(event.promptId) : undefined;
    if (event.promptId && !prompt) {
      throw new DomainError('answers.prompt-gone', {}, 'not-found');
    }
    const now = event.at ?? this.clock();
    const rating = prompt && event.rating != null ? event.rating : null;
    const insertAnswer = Prisma.sql`INSERT INTO answers
        (event_key, event_id, event_step, user_id, guild_id, channel_id, prompt_id, topic, drill_kind, drill_seed, mode, given, verdict, score, points, response_ms, rating, answered_at)
      VALUES (${eventKeyOf(event)}, ${event.event.id}::uuid, ${event.event.step}::int4, ${event.userId}, ${event.guildId ?? null}, ${event.channelId ?? null}, ${prompt?.id ?? null}, ${prompt?.topic ?? null},
        ${event.drill?.kind ?? null},
        -- drill seeds are unsigned 32-bit, the column is a signed int4: stored as the same 32 bits (normalizeSeed reads them back)
        ${event.drill ? event.drill.seed | 0 : null}::int4,
        ${event.mode}::"AnswerMode", ${capGiven(event.given)}, ${event.verdict}::"Verdict", ${event.score}::float8, ${event.points}::int4,
        ${event.responseMs == null ? null : Math.min(Math.round(event.responseMs), INT4_MAX)}::int4, ${rating}::int4, ${now}::timestamptz)
      ON CONFLICT (event_key) DO NOTHING
      RETURNING id`;
    if (!prompt || rating === null) return { insertAnswer, rated: null };

    const root = conceptRootToResurface(prompt, rating, this.bank);
    // The concept rule, as a CTE that runs only when the card write (CTE `card`) happened.
    const resurfaceRoot = root
      ? Prisma.sql`, root AS (
          UPDATE cards SET due = ${now}::timestamptz
          WHERE user_id = ${event.userId} AND prompt_id = ${root} AND due > ${now}::timestamptz AND EXISTS (SELECT 1 FROM card))`
      : Prisma.empty;
    return { insertAnswer, rated: { userId: event.userId, prompt, rating, now, insertAnswer, resurfaceRoot } };
  }

  private async recordOptimistically(userId: string, prompt: Prompt, rating: Grade, now: Date, insertAnswer: Prisma.Sql, resurfaceRoot: Prisma.Sql): Promise<RecordResult> {
    const [current] = await this.prisma.$queryRaw<CardRow[]>`SELECT ${CARD_COLUMNS} FROM cards WHERE user_id = ${userId} AND prompt_id = ${prompt.id}`;
    const next = review(current ?? emptyCard(now), now, rating);
    // A card read as absent is "reps -1": no row has it, so any card created meanwhile fails the check.
    const rows = await this.prisma.$queryRaw<{ id: bigint }[]>`
      WITH ins AS (${insertAnswer}),
      card AS (
        ${INSERT_CARD} SELECT ${cardValues(userId, prompt, next)} FROM ins
        ON CONFLICT (user_id, prompt_id) DO UPDATE SET topic = EXCLUDED.topic, due = EXCLUDED.due, stability = EXCLUDED.stability,
          difficulty = EXCLUDED.difficulty, elapsed_days = EXCLUDED.elapsed_days, scheduled_days = EXCLUDED.scheduled_days,
          learning_steps = EXCLUDED.learning_steps, reps = EXCLUDED.reps, lapses = EXCLUDED.lapses, state = EXCLUDED.state,
          last_review = EXCLUDED.last_review
        WHERE cards.reps = ${current?.reps ?? -1}::int4
        RETURNING 1
      )${resurfaceRoot}
      -- The guard: an answer stored without its card write divides by zero, aborting the whole statement.
      SELECT ins.id, 1 / (SELECT count(*)::int4 FROM card) AS guard FROM ins`;
    const id = rows[0]?.id ?? null;
    return id === null ? { stored: false, answerId: null } : { stored: true, answerId: id, card: { due: next.due, state: next.state } };
  }

  private recordLocked(userId: string, prompt: Prompt, rating: Grade, now: Date, insertAnswer: Prisma.Sql, resurfaceRoot: Prisma.Sql, also: Prisma.Sql): Promise<RecordResult> {
    return this.prisma.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<CardRow[]>`
        WITH ins AS (${insertAnswer}),
        card AS (
          ${INSERT_CARD} SELECT ${cardValues(userId, prompt, emptyCard(now))} FROM ins
          -- Locks an existing card (and keeps its topic in step with the bank).
          ON CONFLICT (user_id, prompt_id) DO UPDATE SET topic = EXCLUDED.topic
          RETURNING *
        )${also}
        SELECT ins.id AS "answerId", ${CARD_COLUMNS} FROM ins CROSS JOIN card`;
      const locked = rows[0];
      if (!locked) return { stored: false, answerId: null };
      const next = review(locked, now, rating);
      await tx.$executeRaw`
        WITH card AS (
          UPDATE cards SET due = ${next.due}::timestamptz, stability = ${next.stability}::float8, difficulty = ${next.difficulty}::float8,
            elapsed_days = ${next.elapsedDays}::int4, scheduled_days = ${next.scheduledDays}::int4, learning_steps = ${next.learningSteps}::int4,
            reps = ${next.reps}::int4, lapses = ${next.lapses}::int4, state = ${next.state}::int4, last_review = ${next.lastReview}::timestamptz
          WHERE user_id = ${userId} AND prompt_id = ${prompt.id}
          RETURNING 1
        )${resurfaceRoot}
        SELECT 1`;
      return { stored: true, answerId: locked.answerId ?? null, card: { due: next.due, state: next.state } };
    });
  }
}

function countBy(keys: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  return counts;
}
