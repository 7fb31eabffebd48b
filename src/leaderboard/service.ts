/**
 * `/leaderboard`: the top ten of a server and the caller's own standing, for four boards.
 *
 * - points: sum of `daily_scores.points` per member over the period (week: from Monday, month:
 *   from the 1st, both in the server's time zone, i.e. `day >= <that local date>`; all: all of it).
 *   Only members with points in the period are ranked (a member whose answers were all wrong
 *   is not listed at 0). How an answer earns points: src/quiz/points.ts.
 * - accuracy: sum(correct) / sum(answers) over the period: every answer given in this server,
 *   in every mode (practice included; a partial answer is not right); only members with at
 *   least MIN_ACCURACY_ANSWERS answers in the period are ranked (the result says so:
 *   `minAnswers`, and the caller's own count: `callerAnswers`).
 * - elo: `ratings.elo`. Always the current rating: the period is accepted and ignored.
 * - streak: `streaks.current` of streaks still alive (last active day today or yesterday, in the
 *   server's time zone: rules.isStreakAlive). Always current, like elo. The same streak, read
 *   the same way, is what /mastery shows (memberStreak).
 *
 * Ranking: value descending; equal values share a rank and the next rank skips ("1224"
 * competition ranking); the top ten lists equal values by user id (text order, "C" collation).
 * The caller's rank is 1 + the number of members with a strictly better value, wherever they are.
 *
 * Speed. elo and streak read their tables through their indexes. points and accuracy must sum
 * every `daily_scores` row of the period (~140,000 rows for a week, 1.7 million for all time
 * in a 100,000-member server): no index gives a top ten or a rank of sums without reading
 * them, which takes 0.1 to 1 s. So for big boards the standings of the others come from a
 * snapshot held in memory (the full ranking, built by one aggregate query, refreshed in the
 * background once older than `snapshotMaxAgeMs`), while the caller's own numbers are always
 * read live (one index probe) and placed into it: a member sees their own answers at once,
 * the others' with a delay of at most about `snapshotMaxAgeMs`. Boards small enough to read
 * cheaply (fewer than `liveBelowRows` rows to read) are read live on every call; that is
 * re-checked whenever a snapshot would be refreshed. Options `{ snapshotMaxAgeMs: 0 }` reads
 * everything live, always.
 */
import { LRUCache } from 'lru-cache';
import { isValidTimeZone } from '../guilds/rules.js';
import { DomainError } from '../platform/errors.js';
import { localDate, periodStartDay, startOfDay, type Period } from './period.js';
import {
  accuracyDetail,
  accuracyValue,
  BOARDS,
  countAboveSorted,
  eloDetail,
  liveStreakDays,
  MIN_ACCURACY_ANSWERS,
  PERIODS,
  pointsDetail,
  pointsValue,
  rankRows,
  standingFromBetter,
  standingsWithLiveCaller,
  streakAliveFrom,
  streakDetail,
  totalsEntry,
  type BoardKind,
  type BoardRow,
  type CallerStanding,
  type Entry,
  type Ranking,
  type Standings,
} from './rules.js';
import type { EloColumns, LeaderboardStore, LiveBoard, LiveRow, TotalsColumns } from './store.js';

export interface BoardOptions {
  period: Period;
  board: BoardKind;
}

export interface BoardResult {
  board: BoardKind;
  period: Period;
  /** The top ten (fewer when fewer members are ranked). */
  rows: BoardRow[];
  /** The caller's standing, or null when they are not ranked (nothing in the period; too few answers for accuracy; no rating; no live streak). */
  caller: CallerStanding | null;
  /** accuracy only: members need at least this many answers in the period to be ranked. */
  minAnswers?: number;
  /** accuracy only: the caller's answers in the period (what they have towards `minAnswers`), 0 when none. */
  callerAnswers?: number;
  /** First instant of the period (Monday / the 1st, 00:00 in the server's zone); null for all time and for elo and streak (always current). */
  periodStart: Date | null;
  /** 'live': everything was read now; 'snapshot': the others' standings were read at `asOf`, the caller's now. */
  source: 'live' | 'snapshot';
  asOf: Date;
}

export interface LeaderboardOptions {
  /** A snapshot older than this is refreshed in the background (the old one is served meanwhile). 0: no snapshots, everything live. Default 30 s. */
  snapshotMaxAgeMs?: number;
  /** A snapshot older than this is not served: the call waits for the refresh. Default 5 min. */
  snapshotMaxStaleMs?: number;
  /** Boards with fewer rows than this to read are read live (exact, and cheap enough). Default 20,000. */
  liveBelowRows?: number;
  /** Snapshots kept (least recently used dropped first). Default 32. */
  maxSnapshots?: number;
  /** Monotonic clock for snapshot ages, in ms. */
  monotonicMs?: () => number;
}

export interface LeaderboardStats {
  snapshotBuilds: number;
  snapshotBuildMs: number;
  backgroundRefreshErrors: number;
  lastBuild?: { key: string; ms: number; rowsRead: number; members: number; kept: boolean };
}

/**
 * A ranking over columns already in board order (sorted by PostgreSQL): `order[k]` is the row
 * at place k (identity when null), `desc[k]` its value.
 */
class SortedRanking implements Ranking {
  constructor(
    private readonly ids: readonly string[],
    private readonly rowOf: ReadonlyMap<string, number>,
    private readonly order: Uint32Array | null,
    private readonly desc: Float64Array,
    /** The row's value on this board, or null when the row is not ranked on it. */
    private readonly rankedValue: (row: number) => number | null,
    private readonly detail: (row: number) => string,
  ) {}
  get size() {
    return this.desc.length;
  }
  entryAt(i: number): Entry {
    const row = this.order ? this.order[i]! : i;
    return { userId: this.ids[row]!, value: this.desc[i]!, detail: this.detail(row) };
  }
  valueOf(userId: string): number | null {
    const row = this.rowOf.get(userId);
    return row === undefined ? null : this.rankedValue(row);
  }
  countAbove(v: number): number {
    return countAboveSorted(this.desc, v);
  }
}

interface TotalsSnapshot {
  points: Ranking;
  accuracy: Ranking;
}

/** How many of `desc` (points, descending) are ranked: those above 0. */
function rankedOnPoints(desc: Float64Array): number {
  return countAboveSorted(desc, 0);
}

function totalsSnapshot(c: TotalsColumns): TotalsSnapshot {
  const { ids, rowOf, points, answers, correct, accuracyOrder } = c;
  const accuracy = new Float64Array(accuracyOrder.length);
  accuracyOrder.forEach((row, k) => {
    accuracy[k] = correct[row]! / answers[row]!;
  });
  return {
    // Points order puts members with 0 points last: the ranking is the prefix of those with some (rules.pointsValue).
    points: new SortedRanking(ids, rowOf, null, points.subarray(0, rankedOnPoints(points)), (row) => pointsValue(points[row]!), (row) => pointsDetail(answers[row]!)),
    accuracy: new SortedRanking(
      ids,
      rowOf,
      accuracyOrder,
      accuracy,
      (row) => accuracyValue(answers[row]!, correct[row]!),
      (row) => accuracyDetail(correct[row]!, answers[row]!),
    ),
  };
}

function eloSnapshot(c: EloColumns): Ranking {
  return new SortedRanking(c.ids, c.rowOf, null, c.elo, (row) => c.elo[row]!, (row) => eloDetail(c.games[row]!));
}

type Built = { kind: 'live' } | { kind: 'totals'; snap: TotalsSnapshot } | { kind: 'elo'; snap: Ranking };

interface CacheEntry {
  /** Monotonic time the data was read (start of the build query). */
  at: number;
  /** Wall time of the same moment, for `asOf`. */
  wall: Date;
  built: Built;
}

/** What a snapshot build needs: its key for the stats, and how to read it. */
interface BuildJob {
  label: string;
  build: () => Promise<{ built: Built; rowsRead: number; members: number }>;
}

export class Leaderboards {
  private readonly maxAgeMs: number;
  private readonly maxStaleMs: number;
  private readonly liveBelowRows: number;
  private readonly monotonic: () => number;
  /**
   * The snapshots, least recently used dropped first. `fetch` runs one build per key at a time
   * (concurrent callers share it); builds keep going when their entry is dropped meanwhile
   * (clear(), eviction), so waiting callers still get their answer while the cache stays clear.
   */
  private readonly snapshots: LRUCache<string, CacheEntry, BuildJob>;
  readonly stats: LeaderboardStats = { snapshotBuilds: 0, snapshotBuildMs: 0, backgroundRefreshErrors: 0 };

  constructor(
    private readonly store: LeaderboardStore,
    opts: LeaderboardOptions = {},
  ) {
    this.maxAgeMs = opts.snapshotMaxAgeMs ?? 30_000;
    this.maxStaleMs = Math.max(this.maxAgeMs, opts.snapshotMaxStaleMs ?? 300_000);
    this.liveBelowRows = opts.liveBelowRows ?? 20_000;
    this.monotonic = opts.monotonicMs ?? (() => performance.now());
    this.snapshots = new LRUCache<string, CacheEntry, BuildJob>({
      max: Math.max(1, opts.maxSnapshots ?? 32),
      ignoreFetchAbort: true,
      noDeleteOnFetchRejection: true,
      fetchMethod: (_key, _stale, { context }) => this.build(context),
    });
  }

  /**
   * The top ten of `board` in `guildId` for `period` and `callerId`'s own standing. `now` and
   * `timeZone` (the server's, guild_settings.time_zone) place the period: a week starts on
   * Monday 00:00 and a month on the 1st, local time; a streak is alive when its last day is
   * today or yesterday, local time.
   */
  async board(guildId: string, opts: BoardOptions, callerId: string, now: Date, timeZone: string): Promise<BoardResult> {
    const { period, board } = opts;
    if (!PERIODS.includes(period)) throw new TypeError(`Leaderboards.board: unknown period ${String(period)}`);
    if (!BOARDS.includes(board)) throw new TypeError(`Leaderboards.board: unknown board ${String(board)}`);
    if (!guildId) throw new TypeError('Leaderboards.board: guildId is required');
    if (Number.isNaN(now.getTime())) throw new TypeError('Leaderboards.board: now is an invalid date');
    if (!isValidTimeZone(timeZone)) throw new DomainError('leaderboard.unknown-time-zone', { zone: timeZone });

    if (board === 'streak') {
      const today = localDate(now, timeZone);
      const live = await this.store.liveStreak(guildId, today, streakAliveFrom(today), callerId);
      return { board, period, ...standingsOf(live, (r) => (r.lastDay === undefined ? undefined : streakDetail(r.lastDay, today))), periodStart: null, source: 'live', asOf: new Date() };
    }
    if (board === 'elo') return this.eloBoard(guildId, period, callerId);

    const startDay = periodStartDay(period, now, timeZone);
    const periodStart = startDay === null ? null : startOfDay(startDay, timeZone);
    const extra = (answers: number | undefined) => (board === 'accuracy' ? { minAnswers: MIN_ACCURACY_ANSWERS, callerAnswers: answers ?? 0 } : {});
    const entry = await this.cached(`${guildId} ${startDay ?? '*'}`, () => this.buildTotals(guildId, startDay));
    if (!entry || entry.built.kind !== 'totals') {
      const live = await this.store.liveTotals(guildId, startDay, board, callerId);
      const detail = (r: LiveRow) => (board === 'points' ? pointsDetail(r.answers ?? 0) : accuracyDetail(r.correct ?? 0, r.answers ?? 0));
      // An unranked caller on the accuracy board is told how many answers they have towards the minimum.
      const callerAnswers = board !== 'accuracy' ? undefined : live.caller ? live.caller.answers : (await this.store.callerTotals(guildId, startDay, callerId))?.answers;
      return { board, period, ...standingsOf(live, detail), ...extra(callerAnswers), periodStart, source: 'live', asOf: new Date() };
    }
    const mine = await this.store.callerTotals(guildId, startDay, callerId);
    const live = mine ? totalsEntry(board, callerId, mine) : null;
    const ranking = board === 'points' ? entry.built.snap.points : entry.built.snap.accuracy;
    return { board, period, ...standingsWithLiveCaller(ranking, callerId, live), ...extra(mine?.answers), periodStart, source: 'snapshot', asOf: entry.wall };
  }

  private async eloBoard(guildId: string, period: Period, callerId: string): Promise<BoardResult> {
    const entry = await this.cached(`${guildId} elo`, () => this.buildElo(guildId));
    if (!entry || entry.built.kind !== 'elo') {
      const live = await this.store.liveElo(guildId, callerId);
      return { board: 'elo', period, ...standingsOf(live, (r) => eloDetail(r.games ?? 0)), periodStart: null, source: 'live', asOf: new Date() };
    }
    const mine = await this.store.callerElo(guildId, callerId);
    const live: Entry | null = mine ? { userId: callerId, value: mine.elo, detail: eloDetail(mine.games) } : null;
    return { board: 'elo', period, ...standingsWithLiveCaller(entry.built.snap, callerId, live), periodStart: null, source: 'snapshot', asOf: entry.wall };
  }

  /**
   * The member's live streak, in days: in `guildId`, that server's (what its streak board
   * shows them); with no server (a DM), the longest of their servers' streaks, each alive or
   * not by its own server's calendar.
   */
  async memberStreak(userId: string, now: Date, guildId: string | null): Promise<number> {
    const streaks = await this.store.memberStreaks(userId, guildId);
    let best = 0;
    for (const s of streaks) {
      if (!isValidTimeZone(s.timeZone)) continue;
      best = Math.max(best, liveStreakDays(s, localDate(now, s.timeZone)));
    }
    return best;
  }

  /* Snapshots ------------------------------------------------------------------------------ */

  /** The cache entry for `key`, building or refreshing it as its age requires; null when snapshots are off. */
  private async cached(key: string, build: BuildJob['build']): Promise<CacheEntry | null> {
    if (this.maxAgeMs <= 0) return null;
    // allowStale: the entry being refreshed, while it is.
    const entry = this.snapshots.get(key, { allowStale: true });
    const age = entry ? this.monotonic() - entry.at : Infinity;
    if (entry && age <= this.maxAgeMs) return entry;
    // forceRefresh: the entry is too old by our measure (from when its data was read); a build
    // already running for the key is joined, not repeated.
    const refreshing = this.snapshots.fetch(key, { forceRefresh: true, context: { label: key, build } }) as Promise<CacheEntry>;
    if (entry && age <= this.maxStaleMs) {
      refreshing.catch(() => {
        this.stats.backgroundRefreshErrors++;
      });
      return entry;
    }
    return refreshing;
  }

  private async build(job: BuildJob): Promise<CacheEntry> {
    const at = this.monotonic();
    const wall = new Date();
    const { built, rowsRead, members } = await job.build();
    const ms = this.monotonic() - at;
    this.stats.snapshotBuilds++;
    this.stats.snapshotBuildMs += ms;
    this.stats.lastBuild = { key: job.label, ms: Math.round(ms), rowsRead, members, kept: built.kind !== 'live' };
    return { at, wall, built };
  }

  private async buildTotals(guildId: string, startDay: string | null): Promise<{ built: Built; rowsRead: number; members: number }> {
    const columns = await this.store.totalsSnapshot(guildId, startDay);
    const { rowsRead } = columns;
    const members = columns.ids.length;
    if (rowsRead < this.liveBelowRows) return { built: { kind: 'live' }, rowsRead, members };
    return { built: { kind: 'totals', snap: totalsSnapshot(columns) }, rowsRead, members };
  }

  private async buildElo(guildId: string): Promise<{ built: Built; rowsRead: number; members: number }> {
    const columns = await this.store.eloSnapshot(guildId);
    const members = columns.ids.length;
    if (members < this.liveBelowRows) return { built: { kind: 'live' }, rowsRead: members, members };
    return { built: { kind: 'elo', snap: eloSnapshot(columns) }, rowsRead: members, members };
  }

  /** Drops every snapshot (e.g. after /forget-me, so the member disappears from the others' boards at once). */
  clear(): void {
    this.snapshots.clear();
  }
}

/** Standings from a live read: ranks for the top ten, the caller's rank from their count of better. */
function standingsOf(live: LiveBoard, detail: (r: LiveRow) => string | undefined): Standings {
  const top = live.top.map((r): Entry => {
    const d = detail(r);
    return d === undefined ? { userId: r.userId, value: r.value } : { userId: r.userId, value: r.value, detail: d };
  });
  return {
    rows: rankRows(top),
    caller: live.caller ? standingFromBetter(live.caller.better, live.caller.value, detail(live.caller)) : null,
  };
}
