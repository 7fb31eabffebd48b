/**
 * Elo ratings for duels, one rating per member per server (`ratings`, start 1200).
 *
 * Numbers: a duel moves both players by the same amount in opposite directions (zero-sum).
 * That amount, K * (score - expected), is rounded to 0.1 (half away from zero), and so are the
 * new ratings: stored ratings are always multiples of 0.1 (give or take float representation),
 * the column stays DOUBLE PRECISION, and a card can show them with `toFixed(0)` or `toFixed(1)`.
 * A change smaller than 0.05 (a near-certain win against a much weaker player) rounds to 0.
 */
import type { PrismaClient } from '../generated/prisma/client.js';

export const INITIAL_ELO = 1200;
export const DEFAULT_K = 32;
/** K outside (0, MAX_K] is refused: above 400/4 = 100 a single game swings more than any rating gap means. */
export const MAX_K = 100;

/** Rounds to 0.1, halves away from zero, so that `round1(-x) === -round1(x)` (symmetry). */
export function round1(x: number): number {
  const r = Math.round(Math.abs(x) * 10) / 10;
  return x < 0 ? -r : r;
}

function checkRating(r: number, name: string): void {
  if (!Number.isFinite(r)) throw new TypeError(`elo: ${name} must be a finite number`);
}

/** Probability-like expected score of a player rated `a` against one rated `b`, in (0, 1). */
export function expectedScore(a: number, b: number): number {
  checkRating(a, 'rating a');
  checkRating(b, 'rating b');
  return 1 / (1 + 10 ** ((b - a) / 400));
}

/**
 * The change to A's rating (B's is its negation) for a result `scoreA` (1 A won, 0.5 tie, 0 A
 * lost; any value in [0, 1] is accepted). Computed from the lower-rated side's point of view
 * (then negated when A is the higher one), so that swapping the players gives exactly the
 * opposite change, bit for bit.
 */
export function eloDelta(ra: number, rb: number, scoreA: number, k: number = DEFAULT_K): number {
  checkRating(ra, 'rating a');
  checkRating(rb, 'rating b');
  if (!(scoreA >= 0 && scoreA <= 1)) throw new TypeError('elo: scoreA must be in [0, 1] (1 win, 0.5 tie, 0 loss)');
  if (!(Number.isFinite(k) && k > 0 && k <= MAX_K)) throw new TypeError(`elo: K must be in (0, ${MAX_K}]`);
  const d = ra > rb ? -eloDelta(rb, ra, 1 - scoreA, k) : round1(k * (scoreA - expectedScore(ra, rb)));
  return d === 0 ? 0 : d; // never -0
}

export interface EloPair {
  a: number;
  b: number;
}

/** New ratings after one game: zero-sum, each moved by at most K, rounded to 0.1. */
export function eloUpdate(ra: number, rb: number, scoreA: number, k: number = DEFAULT_K): EloPair {
  const d = eloDelta(ra, rb, scoreA, k);
  return { a: round1(ra + d), b: round1(rb - d) };
}

export interface DuelResultInput {
  guildId: string;
  /** The two players (distinct). */
  aId: string;
  bId: string;
  /** 1 when A won, 0.5 a tie, 0 when B won. */
  scoreA: number;
}

export interface RatingChange {
  before: number;
  after: number;
  /** after - before, rounded to 0.1 (b.delta === -a.delta). */
  delta: number;
}

export interface DuelResult {
  a: RatingChange;
  b: RatingChange;
}

/**
 * Prisma's interactive-transaction limits. Its defaults (2 s to get a connection, 5 s in all)
 * are too tight when many duels finish at once and queue for the pool: waiting is fine, the
 * transaction itself is three short statements.
 */
const TRANSACTION_LIMITS = { maxWait: 15_000, timeout: 15_000 };

/** Transient failures worth retrying the whole transaction for: deadlock, serialization failure. */
export function isRetryable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 5) return false;
  const e = err as { code?: unknown; cause?: unknown; meta?: { driverAdapterError?: { cause?: { originalCode?: unknown; code?: unknown } } } };
  if (e.code === '40P01' || e.code === '40001' || e.code === 'P2034') return true;
  const cause = e.meta?.driverAdapterError?.cause;
  if (cause && (cause.originalCode === '40P01' || cause.originalCode === '40001' || cause.code === '40P01' || cause.code === '40001')) return true;
  return isRetryable(e.cause, depth + 1);
}

/**
 * Applies one finished duel to both players' ratings in `guildId`, in ONE transaction, and
 * returns each player's rating before and after. Rows missing are created at INITIAL_ELO;
 * both get `games + 1` and `updated_at = now`.
 *
 * Concurrency: both rows are created if missing (INSERT ... ON CONFLICT DO NOTHING) and then
 * locked with SELECT ... FOR UPDATE, always in the same order (user id, "C" collation) whoever is
 * A, so concurrent duels sharing a player queue on that row instead of deadlocking, and each
 * reads the rating the previous one wrote. Should PostgreSQL still report a deadlock or a
 * serialization failure, the transaction (which then changed nothing) is retried, up to 3 times.
 *
 * Not idempotent: call it once per finished duel (the caller's guard, e.g. the conditional
 * status transition that finishes the duel).
 */
export async function applyDuelResult(prisma: PrismaClient, input: DuelResultInput, now: Date): Promise<DuelResult> {
  const { guildId, aId, bId, scoreA } = input;
  if (!guildId || !aId || !bId) throw new TypeError('applyDuelResult: guildId, aId and bId are required');
  if (aId === bId) throw new TypeError('applyDuelResult: a player cannot duel themselves');
  if (!(scoreA >= 0 && scoreA <= 1)) throw new TypeError('applyDuelResult: scoreA must be in [0, 1]');
  if (Number.isNaN(now.getTime())) throw new TypeError('applyDuelResult: now is an invalid date');
  const [first, second] = aId < bId ? [aId, bId] : [bId, aId];

  for (let attempt = 1; ; attempt++) {
    try {
      return await prisma.$transaction(async (tx) => {
        await tx.$executeRaw`
          INSERT INTO ratings (guild_id, user_id, elo, games, updated_at)
          VALUES (${guildId}, ${first}, ${INITIAL_ELO}::float8, 0, ${now}::timestamptz),
                 (${guildId}, ${second}, ${INITIAL_ELO}::float8, 0, ${now}::timestamptz)
          ON CONFLICT (guild_id, user_id) DO NOTHING`;
        // LockRows runs above the sort, so the rows are locked in this order.
        const rows = await tx.$queryRaw<{ userId: string; elo: number }[]>`
          SELECT user_id AS "userId", elo FROM ratings
          WHERE guild_id = ${guildId} AND user_id IN (${first}, ${second})
          ORDER BY user_id COLLATE "C"
          FOR UPDATE`;
        const ra = rows.find((r) => r.userId === aId)?.elo;
        const rb = rows.find((r) => r.userId === bId)?.elo;
        if (ra === undefined || rb === undefined) throw new Error('applyDuelResult: rating rows vanished under the lock');
        const delta = eloDelta(ra, rb, scoreA);
        const next = { a: round1(ra + delta), b: round1(rb - delta) };
        await tx.$executeRaw`
          UPDATE ratings r SET elo = v.elo, games = r.games + 1, updated_at = ${now}::timestamptz
          FROM (VALUES (${aId}, ${next.a}::float8), (${bId}, ${next.b}::float8)) AS v (user_id, elo)
          WHERE r.guild_id = ${guildId} AND r.user_id = v.user_id`;
        return {
          a: { before: ra, after: next.a, delta },
          b: { before: rb, after: next.b, delta: delta === 0 ? 0 : -delta },
        };
      }, TRANSACTION_LIMITS);
    } catch (err) {
      if (attempt >= 3 || !isRetryable(err)) throw err;
    }
  }
}
