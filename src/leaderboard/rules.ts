/**
 * The leaderboards' pure decisions: the boards and periods there are, competition ranking,
 * placing the caller's live numbers into a ranking, the words of a row's detail, and when a
 * streak is alive. No I/O. Calendar arithmetic (a server's days, weeks, months) is period.ts.
 */
import { addDays } from './period.js';
import type { Period } from './period.js';

export type { Period } from './period.js';
export type BoardKind = 'points' | 'elo' | 'accuracy' | 'streak';

export const TOP = 10;
/**
 * Answers a member needs in the period to be ranked on accuracy: fewer say little (3/3 is not
 * a better record than 45/50). 10 is about one /review session or two drops; the board says
 * so, and tells an unranked caller how many they have.
 */
export const MIN_ACCURACY_ANSWERS = 10;
export const BOARDS: readonly BoardKind[] = ['points', 'elo', 'accuracy', 'streak'];
export const PERIODS: readonly Period[] = ['week', 'month', 'all'];

export interface BoardRow {
  rank: number;
  userId: string;
  /** points: integer; accuracy: a fraction in [0, 1]; elo: the rating; streak: days. */
  value: number;
  /** points: "<n> answers"; accuracy: "<correct>/<answers>"; elo: "<n> games"; streak: "today" or "yesterday" (last active day). */
  detail?: string;
}

export interface CallerStanding {
  rank: number;
  value: number;
  detail?: string;
}

export interface Standings {
  rows: BoardRow[];
  caller: CallerStanding | null;
}

export interface Entry {
  userId: string;
  value: number;
  detail?: string;
}

/** Leaderboard order: value descending, then user id ascending (UTF-16 code units, as "C" for ASCII ids). */
export function compareEntries(a: Entry, b: Entry): number {
  return b.value - a.value || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0);
}

/** Ranks a prefix of the leaderboard order: equal values share the rank of the first of them ("1224"). */
export function rankRows(sorted: readonly Entry[]): BoardRow[] {
  const rows: BoardRow[] = [];
  sorted.forEach((e, i) => {
    const prev = rows[i - 1];
    const rank = prev && prev.value === e.value ? prev.rank : i + 1;
    rows.push(withDetail({ rank, userId: e.userId, value: e.value }, e.detail));
  });
  return rows;
}

/** The caller's standing from the number of members with a strictly better value. */
export function standingFromBetter(better: number, value: number, detail: string | undefined): CallerStanding {
  return withDetail({ rank: better + 1, value }, detail);
}

/** A full ranking held in memory: entries in leaderboard order. */
export interface Ranking {
  readonly size: number;
  entryAt(i: number): Entry;
  /** The member's value in this ranking, or null when not ranked in it. */
  valueOf(userId: string): number | null;
  /** Members with a value strictly greater than `v`. */
  countAbove(v: number): number;
}

/** Number of values strictly greater than `v` in `desc` (sorted descending). */
export function countAboveSorted(desc: Float64Array, v: number): number {
  let lo = 0;
  let hi = desc.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (desc[mid]! > v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The top ten and the caller's standing from a snapshot ranking, with the caller's entry
 * replaced by their live one (`live`, or null when they are not ranked now). The others'
 * values are the snapshot's.
 */
export function standingsWithLiveCaller(ranking: Ranking, callerId: string, live: Entry | null): Standings {
  const candidates: Entry[] = [];
  for (let i = 0; i < ranking.size && candidates.length < TOP; i++) {
    const e = ranking.entryAt(i);
    if (e.userId !== callerId) candidates.push(e);
  }
  if (live) candidates.push(live);
  candidates.sort(compareEntries);
  const rows = rankRows(candidates.slice(0, TOP));
  if (!live) return { rows, caller: null };
  const stale = ranking.valueOf(callerId);
  const better = ranking.countAbove(live.value) - (stale !== null && stale > live.value ? 1 : 0);
  return { rows, caller: standingFromBetter(better, live.value, live.detail) };
}

function withDetail<T extends object>(o: T, detail: string | undefined): T & { detail?: string } {
  return detail === undefined ? o : { ...o, detail };
}

/* Details ------------------------------------------------------------------------------- */

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function pointsDetail(answers: number): string {
  return plural(answers, 'answer');
}
export function accuracyDetail(correct: number, answers: number): string {
  return `${correct}/${answers}`;
}
export function eloDetail(games: number): string {
  return plural(games, 'game');
}

/** The period's totals of one member, as the points and accuracy boards rank them. */
export interface Totals {
  points: number;
  answers: number;
  correct: number;
}

/** The member's value on the accuracy board, or null when they have too few answers to be ranked. */
export function accuracyValue(answers: number, correct: number): number | null {
  return answers >= MIN_ACCURACY_ANSWERS ? correct / answers : null;
}

/** The member's value on the points board, or null when they have no points in the period (no board ranks a member with 0 points). */
export function pointsValue(points: number): number | null {
  return points > 0 ? points : null;
}

/** The member's entry on the points or accuracy board, or null when not ranked there (points: none; accuracy: too few answers). */
export function totalsEntry(board: 'points' | 'accuracy', userId: string, t: Totals): Entry | null {
  if (board === 'points') return pointsValue(t.points) === null ? null : { userId, value: t.points, detail: pointsDetail(t.answers) };
  const value = accuracyValue(t.answers, t.correct);
  return value === null ? null : { userId, value, detail: accuracyDetail(t.correct, t.answers) };
}

/* Streaks ------------------------------------------------------------------------------- */

/**
 * A streak: the consecutive days (in the server's time zone) with at least one answer in the
 * server, ending on `lastDay` ("YYYY-MM-DD"), as the answers trigger keeps them in `streaks`.
 */
export interface Streak {
  current: number;
  lastDay: string;
}

/**
 * The first last day on which a streak is still alive on `today`: yesterday. A streak is not
 * broken until the day after its last day is over. (A last day after today, possible once a
 * server has moved its zone west, counts as alive too.)
 */
export function streakAliveFrom(today: string): string {
  return addDays(today, -1);
}

export function isStreakAlive(streak: Streak, today: string): boolean {
  return streak.lastDay >= streakAliveFrom(today);
}

/** The days a streak counts on `today`: its length while alive, else 0. */
export function liveStreakDays(streak: Streak | null, today: string): number {
  return streak && isStreakAlive(streak, today) ? streak.current : 0;
}

/** A live streak's detail: when its member last answered. */
export function streakDetail(lastDay: string, today: string): string {
  return lastDay >= today ? 'today' : 'yesterday';
}
