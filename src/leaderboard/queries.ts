/**
 * `/leaderboard`: the top ten of a server and the caller's own standing, for four boards.
 *
 * - points: sum of `daily_scores.points` per member over the period (week: from Monday, month:
 *   from the 1st, both in the server's time zone, i.e. `day >= <that local date>`; all: all of it).
 * - accuracy: sum(correct) / sum(answers) over the period; only members with at least
 *   MIN_ACCURACY_ANSWERS answers in the period are ranked (the result says so: `minAnswers`).
 * - elo: `ratings.elo`. Always the current rating: the period is accepted and ignored.
 * - streak: `streaks.current` of streaks still alive (last active day today or yesterday, in the
 *   server's time zone). Always current, like elo.
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
import { UserError } from '../platform/errors.js';
import { Prisma, type PrismaClient } from '../generated/prisma/client.js';
import { isValidTimeZone } from '../guilds/rules.js';
import { addDays, localDate, periodStartDay, startOfDay, type Period } from './period.js';

export type { Period } from './period.js';
export type BoardKind = 'points' | 'elo' | 'accuracy' | 'streak';

export interface BoardOptions {
  period: Period;
  board: BoardKind;
}

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

export interface BoardResult {
  board: BoardKind;
  period: Period;
  /** The top ten (fewer when fewer members are ranked). */
  rows: BoardRow[];
  /** The caller's standing, or null when they are not ranked (nothing in the period; too few answers for accuracy; no rating; no live streak). */
  caller: CallerStanding | null;
  /** accuracy only: members need at least this many answers in the period to be ranked. */
  minAnswers?: number;
  /** First instant of the period (Monday / the 1st, 00:00 in the server's zone); null for all time and for elo and streak (always current). */
  periodStart: Date | null;
  /** 'live': everything was read now; 'snapshot': the others' standings were read at `asOf`, the caller's now. */
  source: 'live' | 'snapshot';
  asOf: Date;
}

export const TOP = 10;
export const MIN_ACCURACY_ANSWERS = 20;
export const BOARDS: readonly BoardKind[] = ['points', 'elo', 'accuracy', 'streak'];
export const PERIODS: readonly Period[] = ['week', 'month', 'all'];
/** How snapshot statements run (in their own transaction): see Leaderboards.snapshotQuery. */
export const SNAPSHOT_SETTINGS: readonly string[] = [`SET LOCAL jit = off`, `SET LOCAL work_mem = '32MB'`, `SET LOCAL max_parallel_workers_per_gather = 0`];
/** Entries per text chunk of a snapshot, and per slice of work between two yields to the event loop. */
export const SNAPSHOT_CHUNK = 5_000;

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

/* ------------------------------------------------------------------------------------------ */
/* SQL                                                                                         */
/* ------------------------------------------------------------------------------------------ */

const since = (startDay: string | null) => (startDay === null ? Prisma.empty : Prisma.sql`AND day >= ${startDay}::date`);

/** The period's per-member totals (used by the live statements and the snapshot build). */
const totals = (guildId: string, startDay: string | null) => Prisma.sql`
  SELECT user_id, sum(points)::float8 AS points, sum(answers)::float8 AS answers, sum(correct)::float8 AS correct
  FROM daily_scores WHERE guild_id = ${guildId} ${since(startDay)}
  GROUP BY user_id`;

export interface LiveRow {
  me: boolean;
  userId: string;
  value: number;
  answers: number | null;
  correct: number | null;
  games: number | null;
  lastDay: Date | null;
  /** For the caller's row: members with a strictly better value. */
  better: bigint | null;
}

/**
 * The statements, exported so that the benchmark EXPLAINs exactly these. Each `live*` returns
 * the top ten (me = false, best first) and, when ranked, the caller's row (me = true, with `better`).
 */
export const leaderboardSql = {
  /** points or accuracy over the period: one aggregation (materialised once), then top ten and the caller's count of better. */
  liveTotals: (guildId: string, startDay: string | null, board: 'points' | 'accuracy', callerId: string) => {
    const value = board === 'points' ? Prisma.sql`points` : Prisma.sql`correct / answers`;
    const qualifies = board === 'accuracy' ? Prisma.sql`WHERE answers >= ${MIN_ACCURACY_ANSWERS}::float8` : Prisma.empty;
    return Prisma.sql`
      WITH t AS MATERIALIZED (${totals(guildId, startDay)}),
      v AS MATERIALIZED (SELECT user_id, ${value} AS value, answers, correct FROM t ${qualifies})
      (SELECT false AS me, user_id AS "userId", value, answers, correct, NULL::int4 AS games, NULL::date AS "lastDay", NULL::int8 AS better
       FROM v ORDER BY value DESC, user_id COLLATE "C" LIMIT ${TOP}::int4)
      UNION ALL
      SELECT true, user_id, value, answers, correct, NULL, NULL, (SELECT count(*) FROM v o WHERE o.value > me.value)
      FROM v me WHERE user_id = ${callerId}`;
  },
  /** ratings: top ten by the (guild_id, elo) index read backwards; the caller by the primary key, then a count on (guild_id, elo). */
  liveElo: (guildId: string, callerId: string) => Prisma.sql`
    (SELECT false AS me, user_id AS "userId", elo AS value, NULL::float8 AS answers, NULL::float8 AS correct, games, NULL::date AS "lastDay", NULL::int8 AS better
     FROM ratings WHERE guild_id = ${guildId} ORDER BY elo DESC, user_id COLLATE "C" LIMIT ${TOP}::int4)
    UNION ALL
    SELECT true, user_id, elo, NULL, NULL, games, NULL, (SELECT count(*) FROM ratings o WHERE o.guild_id = ${guildId} AND o.elo > me.elo)
    FROM ratings me WHERE guild_id = ${guildId} AND user_id = ${callerId}`,
  /**
   * Live streaks (last_day >= yesterday). The index (guild_id, last_day, current) is read per
   * last_day value, backwards (current descending), ten rows each: today, yesterday, and (only
   * after a change of time zone) later days. The caller's count of better is an index-only
   * range scan of the same index.
   */
  liveStreak: (guildId: string, today: string, callerId: string) => {
    const yesterday = addDays(today, -1);
    const branch = (cond: Prisma.Sql) => Prisma.sql`(SELECT user_id, current, last_day FROM streaks
      WHERE guild_id = ${guildId} AND ${cond} ORDER BY current DESC, user_id COLLATE "C" LIMIT ${TOP}::int4)`;
    return Prisma.sql`
      (SELECT false AS me, user_id AS "userId", current::float8 AS value, NULL::float8 AS answers, NULL::float8 AS correct, NULL::int4 AS games,
              last_day AS "lastDay", NULL::int8 AS better
       FROM (${branch(Prisma.sql`last_day = ${today}::date`)} UNION ALL ${branch(Prisma.sql`last_day = ${yesterday}::date`)}
             UNION ALL ${branch(Prisma.sql`last_day > ${today}::date`)}) s
       ORDER BY current DESC, user_id COLLATE "C" LIMIT ${TOP}::int4)
      UNION ALL
      SELECT true, user_id, current::float8, NULL, NULL, NULL, last_day,
             (SELECT count(*) FROM streaks o WHERE o.guild_id = ${guildId} AND o.last_day >= ${yesterday}::date AND o.current > me.current)
      FROM streaks me WHERE guild_id = ${guildId} AND user_id = ${callerId} AND last_day >= ${yesterday}::date`;
  },
  /**
   * Snapshot of the period's totals, sorted by PostgreSQL and sent as text chunks of
   * SNAPSHOT_CHUNK entries (so that Node never parses one huge value and can yield between
   * chunks): kind 'p' = members in points order, "id US points US answers US correct" joined
   * by RS; kind 'a' = the points-order positions of the members ranked on accuracy, in accuracy
   * order; kind 'n' = how many daily_scores rows were read.
   */
  snapshotTotals: (guildId: string, startDay: string | null) => Prisma.sql`
    WITH t AS MATERIALIZED (
      SELECT user_id, sum(points)::int8 AS points, sum(answers)::int8 AS answers, sum(correct)::int8 AS correct, count(*) AS n
      FROM daily_scores WHERE guild_id = ${guildId} ${since(startDay)} GROUP BY user_id
    ), p AS MATERIALIZED (
      SELECT user_id, points, answers, correct, row_number() OVER (ORDER BY points DESC, user_id COLLATE "C") - 1 AS pos FROM t
    )
    SELECT 'p' AS kind, pos / ${SNAPSHOT_CHUNK}::int8 AS chunk,
           string_agg(user_id || chr(31) || points || chr(31) || answers || chr(31) || correct, chr(30) ORDER BY pos) AS data
    FROM p GROUP BY 2
    UNION ALL
    SELECT 'a', rk / ${SNAPSHOT_CHUNK}::int8, string_agg(pos::text, chr(30) ORDER BY rk)
    FROM (SELECT pos, row_number() OVER (ORDER BY correct::float8 / answers DESC, user_id COLLATE "C") - 1 AS rk
          FROM p WHERE answers >= ${MIN_ACCURACY_ANSWERS}::int8) a
    GROUP BY 2
    UNION ALL
    SELECT 'n', 0, (SELECT coalesce(sum(n), 0) FROM t)::text
    ORDER BY 1, 2`,
  /** Snapshot of the ratings, the same way: kind 'e' = "id US elo US games" in board order. */
  snapshotElo: (guildId: string) => Prisma.sql`
    SELECT 'e' AS kind, rk / ${SNAPSHOT_CHUNK}::int8 AS chunk,
           string_agg(user_id || chr(31) || elo::text || chr(31) || games, chr(30) ORDER BY rk) AS data
    FROM (SELECT user_id, elo, games, row_number() OVER (ORDER BY elo DESC, user_id COLLATE "C") - 1 AS rk FROM ratings WHERE guild_id = ${guildId}) r
    GROUP BY 2 ORDER BY 2`,
  /** The caller's own totals over the period (index daily_scores(guild_id, user_id, day)). */
  callerTotals: (guildId: string, startDay: string | null, callerId: string) => Prisma.sql`
    SELECT sum(points)::float8 AS points, sum(answers)::float8 AS answers, sum(correct)::float8 AS correct
    FROM daily_scores WHERE guild_id = ${guildId} AND user_id = ${callerId} ${since(startDay)}`,
  callerElo: (guildId: string, callerId: string) => Prisma.sql`
    SELECT elo, games FROM ratings WHERE guild_id = ${guildId} AND user_id = ${callerId}`,
};

/* ------------------------------------------------------------------------------------------ */
/* Ranking helpers (pure)                                                                      */
/* ------------------------------------------------------------------------------------------ */

export interface Entry {
  userId: string;
  value: number;
  detail?: string;
}

/** Leaderboard order: value descending, then user id ascending (UTF-16 code units, as "C" for ASCII ids). */
export function compareEntries(a: Entry, b: Entry): number {
  return b.value - a.value || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0);
}

/** Ranks a prefix of the leaderboard order: equal values share the rank of the first of them. */
export function rankRows(sorted: readonly Entry[]): BoardRow[] {
  const rows: BoardRow[] = [];
  sorted.forEach((e, i) => {
    const prev = rows[i - 1];
    const rank = prev && prev.value === e.value ? prev.rank : i + 1;
    rows.push(e.detail === undefined ? { rank, userId: e.userId, value: e.value } : { rank, userId: e.userId, value: e.value, detail: e.detail });
  });
  return rows;
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
export function standingsWithLiveCaller(ranking: Ranking, callerId: string, live: Entry | null): { rows: BoardRow[]; caller: CallerStanding | null } {
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
  return { rows, caller: withDetail({ rank: better + 1, value: live.value }, live.detail) };
}

function withDetail<T extends object>(o: T, detail: string | undefined): T & { detail?: string } {
  return detail === undefined ? o : { ...o, detail };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function pointsDetail(answers: number): string {
  return plural(answers, 'answer');
}
function accuracyDetail(correct: number, answers: number): string {
  return `${correct}/${answers}`;
}
function eloDetail(games: number): string {
  return plural(games, 'game');
}

/** Lets other work run (interactions, timers) between slices of a snapshot build. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A ranking over rows already in board order (sorted by PostgreSQL): `order[k]` is the row at
 * place k (identity when null), `desc[k]` its value.
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

interface Chunk {
  kind: string;
  chunk: bigint | number;
  data: string | null;
}

const RS = '\u001e';
const US = '\u001f';

/** Decodes the chunks of a kind: one entry per record, fields split by US; yields between chunks. */
async function decodeEntries(chunks: readonly Chunk[], kind: string, fields: number, onEntry: (f: string[], row: number) => void): Promise<number> {
  let row = 0;
  for (const c of chunks) {
    if (c.kind !== kind || !c.data) continue;
    for (const record of c.data.split(RS)) {
      const f = record.split(US);
      if (f.length !== fields) throw new Error(`leaderboard snapshot: malformed ${kind} entry`);
      onEntry(f, row++);
    }
    await yieldToEventLoop();
  }
  return row;
}

async function totalsSnapshot(chunks: readonly Chunk[], members: number): Promise<TotalsSnapshot> {
  const ids: string[] = new Array<string>(members);
  const points = new Float64Array(members);
  const answers = new Float64Array(members);
  const correct = new Float64Array(members);
  const rowOf = new Map<string, number>();
  await decodeEntries(chunks, 'p', 4, (f, row) => {
    ids[row] = f[0]!;
    points[row] = Number(f[1]);
    answers[row] = Number(f[2]);
    correct[row] = Number(f[3]);
    rowOf.set(f[0]!, row);
  });
  const ranked = entriesIn(chunks, 'a');
  const order = new Uint32Array(ranked);
  const accuracy = new Float64Array(ranked);
  await decodeEntries(chunks, 'a', 1, (f, k) => {
    const row = Number(f[0]);
    order[k] = row;
    accuracy[k] = correct[row]! / answers[row]!;
  });
  return {
    points: new SortedRanking(ids, rowOf, null, points, (row) => points[row]!, (row) => pointsDetail(answers[row]!)),
    accuracy: new SortedRanking(
      ids,
      rowOf,
      order,
      accuracy,
      (row) => (answers[row]! >= MIN_ACCURACY_ANSWERS ? correct[row]! / answers[row]! : null),
      (row) => accuracyDetail(correct[row]!, answers[row]!),
    ),
  };
}

async function eloSnapshot(chunks: readonly Chunk[], members: number): Promise<Ranking> {
  const ids: string[] = new Array<string>(members);
  const elo = new Float64Array(members);
  const games = new Int32Array(members);
  const rowOf = new Map<string, number>();
  await decodeEntries(chunks, 'e', 3, (f, row) => {
    ids[row] = f[0]!;
    elo[row] = Number(f[1]);
    games[row] = Number(f[2]);
    rowOf.set(f[0]!, row);
  });
  return new SortedRanking(ids, rowOf, null, elo, (row) => elo[row]!, (row) => eloDetail(games[row]!));
}

/** Entries in the chunks of a kind (each chunk is full but the last). */
function entriesIn(chunks: readonly Chunk[], kind: string): number {
  const mine = chunks.filter((c) => c.kind === kind && c.data);
  if (mine.length === 0) return 0;
  return (mine.length - 1) * SNAPSHOT_CHUNK + mine[mine.length - 1]!.data!.split(RS).length;
}

/* ------------------------------------------------------------------------------------------ */
/* Leaderboards                                                                                */
/* ------------------------------------------------------------------------------------------ */

type Built = { kind: 'live' } | { kind: 'totals'; snap: TotalsSnapshot } | { kind: 'elo'; snap: Ranking };

interface CacheEntry {
  /** Monotonic time the data was read (start of the build query). */
  at: number;
  /** Wall time of the same moment, for `asOf`. */
  wall: Date;
  built: Built;
}

interface Slot {
  entry?: CacheEntry;
  refreshing?: Promise<CacheEntry>;
}

export interface LeaderboardStats {
  snapshotBuilds: number;
  snapshotBuildMs: number;
  backgroundRefreshErrors: number;
  lastBuild?: { key: string; ms: number; rowsRead: number; members: number; kept: boolean };
}

export class Leaderboards {
  private readonly maxAgeMs: number;
  private readonly maxStaleMs: number;
  private readonly liveBelowRows: number;
  private readonly maxSnapshots: number;
  private readonly monotonic: () => number;
  /** Insertion order = least recently used first. */
  private readonly slots = new Map<string, Slot>();
  readonly stats: LeaderboardStats = { snapshotBuilds: 0, snapshotBuildMs: 0, backgroundRefreshErrors: 0 };

  constructor(
    private readonly prisma: PrismaClient,
    opts: LeaderboardOptions = {},
  ) {
    this.maxAgeMs = opts.snapshotMaxAgeMs ?? 30_000;
    this.maxStaleMs = Math.max(this.maxAgeMs, opts.snapshotMaxStaleMs ?? 300_000);
    this.liveBelowRows = opts.liveBelowRows ?? 20_000;
    this.maxSnapshots = Math.max(1, opts.maxSnapshots ?? 32);
    this.monotonic = opts.monotonicMs ?? (() => performance.now());
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
    if (!isValidTimeZone(timeZone)) throw new UserError(`Unknown time zone "${timeZone}".`);

    if (board === 'streak') {
      const today = localDate(now, timeZone);
      const rows = await this.prisma.$queryRaw<LiveRow[]>(leaderboardSql.liveStreak(guildId, today, callerId));
      return { board, period, ...this.fromLiveRows(rows, board, today), periodStart: null, source: 'live', asOf: new Date() };
    }
    if (board === 'elo') return this.eloBoard(guildId, period, callerId);

    const startDay = periodStartDay(period, now, timeZone);
    const periodStart = startDay === null ? null : startOfDay(startDay, timeZone);
    const extra = board === 'accuracy' ? { minAnswers: MIN_ACCURACY_ANSWERS } : {};
    const entry = await this.cached(`${guildId}\u0000${startDay ?? '*'}`, () => this.buildTotals(guildId, startDay));
    if (!entry || entry.built.kind !== 'totals') {
      const rows = await this.prisma.$queryRaw<LiveRow[]>(leaderboardSql.liveTotals(guildId, startDay, board, callerId));
      return { board, period, ...this.fromLiveRows(rows, board, null), ...extra, periodStart, source: 'live', asOf: new Date() };
    }
    const [mine] = await this.prisma.$queryRaw<{ points: number | null; answers: number | null; correct: number | null }[]>(
      leaderboardSql.callerTotals(guildId, startDay, callerId),
    );
    let live: Entry | null = null;
    if (mine && mine.answers !== null && mine.points !== null && mine.correct !== null) {
      if (board === 'points') live = { userId: callerId, value: mine.points, detail: pointsDetail(mine.answers) };
      else if (mine.answers >= MIN_ACCURACY_ANSWERS) live = { userId: callerId, value: mine.correct / mine.answers, detail: accuracyDetail(mine.correct, mine.answers) };
    }
    const ranking = board === 'points' ? entry.built.snap.points : entry.built.snap.accuracy;
    return { board, period, ...standingsWithLiveCaller(ranking, callerId, live), ...extra, periodStart, source: 'snapshot', asOf: entry.wall };
  }

  private async eloBoard(guildId: string, period: Period, callerId: string): Promise<BoardResult> {
    const entry = await this.cached(`${guildId}\u0000elo`, () => this.buildElo(guildId));
    if (!entry || entry.built.kind !== 'elo') {
      const rows = await this.prisma.$queryRaw<LiveRow[]>(leaderboardSql.liveElo(guildId, callerId));
      return { board: 'elo', period, ...this.fromLiveRows(rows, 'elo', null), periodStart: null, source: 'live', asOf: new Date() };
    }
    const [mine] = await this.prisma.$queryRaw<{ elo: number; games: number }[]>(leaderboardSql.callerElo(guildId, callerId));
    const live: Entry | null = mine ? { userId: callerId, value: mine.elo, detail: eloDetail(mine.games) } : null;
    return { board: 'elo', period, ...standingsWithLiveCaller(entry.built.snap, callerId, live), periodStart: null, source: 'snapshot', asOf: entry.wall };
  }

  private fromLiveRows(rows: LiveRow[], board: BoardKind, today: string | null): { rows: BoardRow[]; caller: CallerStanding | null } {
    const detail = (r: LiveRow): string | undefined => {
      if (board === 'points') return pointsDetail(r.answers ?? 0);
      if (board === 'accuracy') return accuracyDetail(r.correct ?? 0, r.answers ?? 0);
      if (board === 'elo') return eloDetail(r.games ?? 0);
      if (!r.lastDay || today === null) return undefined;
      const day = r.lastDay.toISOString().slice(0, 10);
      return day >= today ? 'today' : 'yesterday';
    };
    const top = rows.filter((r) => !r.me).map((r): Entry => withDetail({ userId: r.userId, value: r.value }, detail(r)));
    const me = rows.find((r) => r.me);
    return {
      rows: rankRows(top),
      caller: me ? withDetail({ rank: Number(me.better ?? 0n) + 1, value: me.value }, detail(me)) : null,
    };
  }

  /* Snapshots ------------------------------------------------------------------------------ */

  /** The cache entry for `key`, building or refreshing it as its age requires; null when snapshots are off. */
  private async cached(key: string, build: () => Promise<Built>): Promise<CacheEntry | null> {
    if (this.maxAgeMs <= 0) return null;
    let slot = this.slots.get(key);
    if (slot) {
      this.slots.delete(key); // re-insert: most recently used
      this.slots.set(key, slot);
    } else {
      slot = {};
      this.slots.set(key, slot);
      this.evict();
    }
    const entry = slot.entry;
    const age = entry ? this.monotonic() - entry.at : Infinity;
    if (entry && age <= this.maxAgeMs) return entry;
    const refreshing = this.refresh(key, slot, build);
    if (entry && age <= this.maxStaleMs) {
      refreshing.catch(() => {
        this.stats.backgroundRefreshErrors++;
      });
      return entry;
    }
    return refreshing;
  }

  private refresh(key: string, slot: Slot, build: () => Promise<Built>): Promise<CacheEntry> {
    if (slot.refreshing) return slot.refreshing;
    const at = this.monotonic();
    const wall = new Date();
    const p = build()
      .then((built) => {
        const entry: CacheEntry = { at, wall, built };
        slot.entry = entry;
        this.stats.snapshotBuilds++;
        const ms = this.monotonic() - at;
        this.stats.snapshotBuildMs += ms;
        return entry;
      })
      .finally(() => {
        slot.refreshing = undefined;
      });
    slot.refreshing = p;
    return p;
  }

  private evict(): void {
    for (const key of this.slots.keys()) {
      if (this.slots.size <= this.maxSnapshots) break;
      this.slots.delete(key);
    }
  }

  private note(key: string, at: number, rowsRead: number, members: number, kept: boolean): void {
    this.stats.lastBuild = { key: key.replace('\u0000', ' '), ms: Math.round(this.monotonic() - at), rowsRead, members, kept };
  }

  /**
   * Runs a snapshot statement in its own short transaction with settings for one big
   * aggregation: no JIT (compiling costs ~100 ms and gains nothing here), enough work_mem to
   * aggregate and sort 100,000 members without spilling to disk (~20 % faster), and no
   * parallel workers: a build mostly runs in the background, and should leave the other cores
   * to the interactive queries (on a 2-core server it was not faster with them anyway).
   */
  private snapshotQuery(sql: Prisma.Sql): Promise<Chunk[]> {
    return this.prisma.$transaction(
      async (tx) => {
        for (const setting of SNAPSHOT_SETTINGS) await tx.$executeRawUnsafe(setting);
        return tx.$queryRaw<Chunk[]>(sql);
      },
      { maxWait: 10_000, timeout: 120_000 },
    );
  }

  private async buildTotals(guildId: string, startDay: string | null): Promise<Built> {
    const at = this.monotonic();
    const chunks = await this.snapshotQuery(leaderboardSql.snapshotTotals(guildId, startDay));
    const rowsRead = Number(chunks.find((c) => c.kind === 'n')?.data ?? 0);
    const members = entriesIn(chunks, 'p');
    const kept = rowsRead >= this.liveBelowRows;
    this.note(`${guildId} ${startDay ?? '*'}`, at, rowsRead, members, kept);
    if (!kept) return { kind: 'live' };
    return { kind: 'totals', snap: await totalsSnapshot(chunks, members) };
  }

  private async buildElo(guildId: string): Promise<Built> {
    const at = this.monotonic();
    const chunks = await this.snapshotQuery(leaderboardSql.snapshotElo(guildId));
    const members = entriesIn(chunks, 'e');
    const kept = members >= this.liveBelowRows;
    this.note(`${guildId} elo`, at, members, members, kept);
    if (!kept) return { kind: 'live' };
    return { kind: 'elo', snap: await eloSnapshot(chunks, members) };
  }

  /** Drops every snapshot (e.g. after /forget-me, so the member disappears from the others' boards at once). */
  clear(): void {
    this.slots.clear();
  }
}
