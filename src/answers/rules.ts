/**
 * What an answer is and the rules every mode's answers follow: ratings from verdict and
 * speed, the concept rule, what is kept of the text, the event key. Pure.
 */
import type { Bank, Prompt } from '../bank/load.js';
import { suggestRating } from '../quiz/grade.js';
import { isGrade, Rating, type Grade } from '../mastery/rules.js';

export type AnswerMode = 'chain' | 'review' | 'drill' | 'drop' | 'duel' | 'sprint';
export type Verdict = 'correct' | 'partial' | 'wrong';

/** What a member answered is kept up to this many characters (code points). */
export const GIVEN_MAX_CHARS = 2_000;

/**
 * Which event an answer belongs to: the practice session, drop, duel or sprint (its id; the
 * kind is the answer's `mode`) and the step or round. The same event recorded twice for the
 * same member (a double click, a retried interaction) is stored once.
 */
export interface AnswerEventRef {
  id: string;
  step: number;
}

export interface AnswerEvent {
  event: AnswerEventRef;
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
  /** Time from showing the question to the answer (stored up to ~24.8 days, the int4 column's limit). */
  responseMs?: number | null;
  /** FSRS rating to apply to the prompt's card (1 Again .. 4 Easy); null or absent for none. Ignored for drills. */
  rating?: Grade | null;
  /** When it was answered; defaults to the store's clock. */
  at?: Date;
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

/** Keeps at most GIVEN_MAX_CHARS code points, and drops NUL (which PostgreSQL text cannot hold). */
export function capGiven(given: string): string {
  const clean = given.includes('\u0000') ? given.replaceAll('\u0000', '') : given;
  if (clean.length <= GIVEN_MAX_CHARS) return clean;
  return Array.from(clean).slice(0, GIVEN_MAX_CHARS).join('');
}

export const INT4_MAX = 2_147_483_647;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Modes whose event many members answer (a drop, a duel, a sprint): their key names the member too. */
const SHARED_MODES: ReadonlySet<AnswerMode> = new Set<AnswerMode>(['drop', 'duel', 'sprint']);

/**
 * The idempotency key of an answer: "<mode>:<event>:<step>", plus ":<member>" for shared
 * events. Only the unique index reads it; queries use the event_id and event_step columns.
 */
export function eventKeyOf(e: Pick<AnswerEvent, 'mode' | 'event' | 'userId'>): string {
  const key = `${e.mode}:${e.event.id}:${e.event.step}`;
  return SHARED_MODES.has(e.mode) ? `${key}:${e.userId}` : key;
}
const MODES: ReadonlySet<string> = new Set<AnswerMode>(['chain', 'review', 'drill', 'drop', 'duel', 'sprint']);
const VERDICTS: ReadonlySet<string> = new Set<Verdict>(['correct', 'partial', 'wrong']);

/** Rejects events no caller should build (a bug, not user input). */
export function validateEvent(e: AnswerEvent): void {
  const fail = (what: string) => {
    throw new TypeError(`AnswerStore.record: ${what}`);
  };
  if (!e.event || !UUID.test(e.event.id)) fail('event.id must be the uuid of a session, drop, duel or sprint');
  if (!Number.isInteger(e.event.step) || e.event.step < 0 || e.event.step > 1_000_000) fail('event.step must be an integer in 0..1000000');
  if (!e.userId || e.userId.length > 100) fail('userId must be 1..100 characters');
  if (!e.promptId === !e.drill) fail('give exactly one of promptId and drill');
  if (e.drill && (!e.drill.kind || !Number.isFinite(e.drill.seed))) fail('drill needs a kind and a finite seed');
  if (!MODES.has(e.mode)) fail(`unknown mode ${String(e.mode)}`);
  if (!VERDICTS.has(e.verdict)) fail(`unknown verdict ${String(e.verdict)}`);
  if (!(e.score >= 0 && e.score <= 1)) fail('score must be in [0, 1]');
  if (!Number.isInteger(e.points) || Math.abs(e.points) > INT4_MAX) fail('points must be a 32-bit integer');
  if (e.responseMs != null && !(Number.isFinite(e.responseMs) && e.responseMs >= 0)) fail('responseMs must be a non-negative number');
  if (e.rating != null && !isGrade(e.rating)) fail('rating must be 1, 2, 3 or 4');
  if (e.at && Number.isNaN(e.at.getTime())) fail('at is an invalid date');
}

// ---- repeats --------------------------------------------------------------------------------

/**
 * Every mode avoids asking a member what they answered this recently (in any mode), unless
 * the pool it draws from holds nothing else.
 */
export const REPEAT_WINDOW_DAYS = 7;

/** The start of the repeat window ending at `now`. */
export function repeatWindowStart(now: Date): Date {
  return new Date(now.getTime() - REPEAT_WINDOW_DAYS * 24 * 60 * 60 * 1000);
}

/**
 * `n` distinct items of `pool`, freshest first: items are drawn at random (`random(k)` gives
 * 0..k-1) from those of lowest `staleness` still left (0 = nobody saw it recently; e.g. the
 * number of players who did), so a seen item is only taken once no unseen one is left. When
 * the pool holds fewer than `n` items, all of them, in that order.
 */
export function pickFresh<T>(pool: readonly T[], n: number, staleness: (item: T) => number, random: (k: number) => number): T[] {
  const left = pool.map((item) => ({ item, stale: staleness(item) }));
  const chosen: T[] = [];
  while (chosen.length < n && left.length > 0) {
    const least = Math.min(...left.map((x) => x.stale));
    const freshest = left.flatMap((x, i) => (x.stale === least ? [i] : []));
    const at = freshest[random(freshest.length)]!;
    chosen.push(left.splice(at, 1)[0]!.item);
  }
  return chosen;
}

/** The items of `pool` nobody saw recently, or, when there are none, the least seen ones (the pool is exhausted). */
export function freshest<T>(pool: readonly T[], staleness: (item: T) => number): T[] {
  if (pool.length === 0) return [];
  const stale = pool.map(staleness);
  const least = Math.min(...stale);
  return pool.filter((_, i) => stale[i] === least);
}
