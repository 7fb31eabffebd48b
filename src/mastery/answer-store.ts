/**
 * The answer store: every answer from every mode goes through `AnswerStore.record`, which
 * stores it once (keyed by its event) and, when it carries a rating, moves the member's FSRS
 * card for the prompt in the same transaction.
 */
import type { Bank, Prompt } from '../bank/load.js';
import { UserError } from '../errors.js';
import { Prisma, type PrismaClient } from '../generated/prisma/client.js';
import { suggestRating } from '../quiz/grade.js';
import { emptyCard, isGrade, Rating, review, type CardState, type Grade } from './fsrs.js';

export type AnswerMode = 'chain' | 'review' | 'drill' | 'drop' | 'duel' | 'sprint';
export type Verdict = 'correct' | 'partial' | 'wrong';

/** What a member answered is kept up to this many characters (code points). */
export const GIVEN_MAX_CHARS = 2_000;

export interface AnswerEvent {
  /**
   * Names the answer event, e.g. "chain:<session>:<step>" or "drop:<drop>:<step>:<user>". The
   * same key recorded twice (a double click, a retried interaction) is stored once.
   */
  eventKey: string;
  userId: string;
  guildId?: string | null;
  channelId?: string | null;
  /** The bank prompt answered; exactly one of `promptId` and `drill`. */
  promptId?: string | null;
  /** The generated drill answered. `seed` is the drill's unsigned 32-bit seed. */
  drill?: { kind: string; seed: number } | null;
  mode: AnswerMode;
  given: string;
  verdict: Verdict;
  /** Grade in [0, 1]. */
  score: number;
  points: number;
  responseMs?: number | null;
  /** FSRS rating to apply to the prompt's card (1 Again .. 4 Easy); null or absent for none. Ignored for drills. */
  rating?: Grade | null;
  /** When it was answered; defaults to the store's clock. */
  at?: Date;
}

export interface RecordResult {
  /** False when this event was already stored: nothing changed. */
  stored: boolean;
  answerId: bigint | null;
  /** The prompt's card after this answer, when a rating was applied. */
  card?: { due: Date; state: number };
}

/**
 * Response-time thresholds for turning an auto-graded verdict into a rating. Multiple choice:
 * a right answer within 15 s is Easy, after 60 s Hard. Free text and numeric drills need typing
 * (and, for drills, arithmetic), so their bar is four times longer.
 */
export const RESPONSE_TIMES = {
  choice: { fastMs: 15_000, slowMs: 60_000 },
  freeText: { fastMs: 60_000, slowMs: 240_000 },
  drill: { fastMs: 60_000, slowMs: 240_000 },
} as const;

/**
 * The product rule (docs: Mastery): wrong → Again; partial → Hard; right → Good, Easy when at
 * or under `fastMs`, Hard when over `slowMs` (default: four times `fastMs`). An unknown response
 * time (null) never makes a right answer Easy or Hard. Delegates to the grader's `suggestRating`
 * so that the rule lives in one place.
 */
export function ratingFor(verdict: Verdict, responseMs: number | null | undefined, fastMs: number = RESPONSE_TIMES.choice.fastMs, slowMs: number = fastMs * 4): Grade {
  return suggestRating(verdict, responseMs == null ? {} : { responseMs, fastMs, slowMs });
}

/**
 * The concept rule. A follow-up builds on its chain's root question, so failing a follow-up
 * (rated Again) says the underlying concept is weak, not just this one step: the member's card
 * for the chain's root, if they have one, becomes due now (its due date is never pushed later;
 * its FSRS memory state is left alone, since the root itself was not answered). Reviews thus
 * target concepts. Returns the root prompt's id when the rule applies.
 */
export function conceptRootToResurface(prompt: Pick<Prompt, 'chainId' | 'step'>, rating: Grade | null | undefined, bank: Pick<Bank, 'chainById'>): string | null {
  if (rating !== Rating.Again || prompt.step === 0) return null;
  const root = bank.chainById.get(prompt.chainId)?.prompts[0];
  return root ? root.id : null;
}

/** The root card's new due date under the concept rule: now, unless it is already due earlier. */
export function resurfacedDue(due: Date, now: Date): Date {
  return due.getTime() <= now.getTime() ? due : now;
}

/** Keeps at most GIVEN_MAX_CHARS code points, and drops NUL (which PostgreSQL text cannot hold). */
export function capGiven(given: string): string {
  const clean = given.includes('\u0000') ? given.replaceAll('\u0000', '') : given;
  if (clean.length <= GIVEN_MAX_CHARS) return clean;
  return Array.from(clean).slice(0, GIVEN_MAX_CHARS).join('');
}

const MODES: ReadonlySet<string> = new Set<AnswerMode>(['chain', 'review', 'drill', 'drop', 'duel', 'sprint']);
const VERDICTS: ReadonlySet<string> = new Set<Verdict>(['correct', 'partial', 'wrong']);

/** Rejects events no caller should build (a bug, not user input). */
function validate(e: AnswerEvent): void {
  const fail = (what: string) => {
    throw new TypeError(`AnswerStore.record: ${what}`);
  };
  if (!e.eventKey || e.eventKey.length > 200) fail('eventKey must be 1..200 characters');
  if (!e.userId) fail('userId is required');
  if (!e.promptId === !e.drill) fail('give exactly one of promptId and drill');
  if (e.drill && (!e.drill.kind || !Number.isFinite(e.drill.seed))) fail('drill needs a kind and a finite seed');
  if (!MODES.has(e.mode)) fail(`unknown mode ${String(e.mode)}`);
  if (!VERDICTS.has(e.verdict)) fail(`unknown verdict ${String(e.verdict)}`);
  if (!(e.score >= 0 && e.score <= 1)) fail('score must be in [0, 1]');
  if (!Number.isInteger(e.points)) fail('points must be an integer');
  if (e.responseMs != null && !(Number.isFinite(e.responseMs) && e.responseMs >= 0)) fail('responseMs must be a non-negative number');
  if (e.rating != null && !isGrade(e.rating)) fail('rating must be 1, 2, 3 or 4');
  if (e.at && Number.isNaN(e.at.getTime())) fail('at is an invalid date');
}

interface LockedCard extends CardState {
  answerId: bigint;
}

export class AnswerStore {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly bank: Bank,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * Stores one answer, at most once per `eventKey`, and applies its rating to the member's card.
   *
   * One transaction: the answer is inserted with ON CONFLICT (event_key) DO NOTHING; when it was
   * already there nothing else happens and `stored` is false (so a replayed event never reviews
   * a card twice). Otherwise, with a rating and a prompt, the same statement makes sure the card
   * exists (an empty ts-fsrs card if new) and locks it (INSERT ... ON CONFLICT DO UPDATE takes
   * the row lock and returns the latest committed row, so two different answers to the same
   * prompt at once are applied one after the other, never lost); ts-fsrs schedules it; the
   * update writes it back, and the concept rule may bring the chain's root card due.
   */
  async record(event: AnswerEvent): Promise<RecordResult> {
    validate(event);
    const prompt = event.promptId ? this.bank.promptById.get(event.promptId) : undefined;
    if (event.promptId && !prompt) {
      throw new UserError('That question is no longer in the question bank, so this answer was not recorded.', 'not-found');
    }
    const now = event.at ?? this.clock();
    const rating = prompt && event.rating != null ? event.rating : null;
    const insertAnswer = Prisma.sql`INSERT INTO answers
        (event_key, user_id, guild_id, channel_id, prompt_id, topic, drill_kind, drill_seed, mode, given, verdict, score, points, response_ms, rating, answered_at)
      VALUES (${event.eventKey}, ${event.userId}, ${event.guildId ?? null}, ${event.channelId ?? null}, ${prompt?.id ?? null}, ${prompt?.topic ?? null},
        ${event.drill?.kind ?? null},
        -- drill seeds are unsigned 32-bit, the column is a signed int4: stored as the same 32 bits (normalizeSeed reads them back)
        ${event.drill ? event.drill.seed | 0 : null}::int4,
        ${event.mode}::"AnswerMode", ${capGiven(event.given)}, ${event.verdict}::"Verdict", ${event.score}::float8, ${event.points}::int4,
        ${event.responseMs == null ? null : Math.round(event.responseMs)}::int4, ${rating}::int4, ${now}::timestamptz)
      ON CONFLICT (event_key) DO NOTHING
      RETURNING id`;

    if (!prompt || rating === null) {
      const rows = await this.prisma.$queryRaw<{ id: bigint }[]>(insertAnswer);
      const id = rows[0]?.id ?? null;
      return { stored: id !== null, answerId: id };
    }

    const root = conceptRootToResurface(prompt, rating, this.bank);
    return this.prisma.$transaction(async (tx) => {
      const fresh = emptyCard(now);
      const rows = await tx.$queryRaw<LockedCard[]>`
        WITH ins AS (${insertAnswer}),
        card AS (
          INSERT INTO cards (user_id, prompt_id, topic, due, stability, difficulty, elapsed_days, scheduled_days, learning_steps, reps, lapses, state, last_review)
          SELECT ${event.userId}, ${prompt.id}, ${prompt.topic}, ${fresh.due}::timestamptz, ${fresh.stability}::float8, ${fresh.difficulty}::float8,
                 ${fresh.elapsedDays}::int4, ${fresh.scheduledDays}::int4, ${fresh.learningSteps}::int4, ${fresh.reps}::int4, ${fresh.lapses}::int4,
                 ${fresh.state}::int4, NULL
          FROM ins
          -- Locks an existing card (and keeps its topic in step with the bank).
          ON CONFLICT (user_id, prompt_id) DO UPDATE SET topic = EXCLUDED.topic
          RETURNING *
        )
        SELECT ins.id AS "answerId", card.due, card.stability, card.difficulty, card.elapsed_days AS "elapsedDays",
               card.scheduled_days AS "scheduledDays", card.learning_steps AS "learningSteps", card.reps, card.lapses,
               card.state, card.last_review AS "lastReview"
        FROM ins CROSS JOIN card`;
      const locked = rows[0];
      if (!locked) return { stored: false, answerId: null };
      const next = review(locked, now, rating);
      await tx.$executeRaw`
        WITH updated AS (
          UPDATE cards SET due = ${next.due}::timestamptz, stability = ${next.stability}::float8, difficulty = ${next.difficulty}::float8,
            elapsed_days = ${next.elapsedDays}::int4, scheduled_days = ${next.scheduledDays}::int4, learning_steps = ${next.learningSteps}::int4,
            reps = ${next.reps}::int4, lapses = ${next.lapses}::int4, state = ${next.state}::int4, last_review = ${next.lastReview}::timestamptz
          WHERE user_id = ${event.userId} AND prompt_id = ${prompt.id}
          RETURNING 1
        )
        UPDATE cards SET due = LEAST(due, ${now}::timestamptz)
        WHERE user_id = ${event.userId} AND prompt_id = ${root ?? ''} AND ${root !== null} AND due > ${now}::timestamptz`;
      return { stored: true, answerId: locked.answerId, card: { due: next.due, state: next.state } };
    });
  }
}
