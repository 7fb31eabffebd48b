/**
 * The leaderboards' SQL: the only place it lives. Reads the aggregates the answers trigger
 * maintains on write (`daily_scores`, `streaks`; see the duels_sprints_leaderboards migration)
 * and `ratings`, and returns domain values.
 */
import { Prisma, type PrismaClient } from '../generated/prisma/client.js';
import { MIN_ACCURACY_ANSWERS, TOP, type Streak, type Totals } from './rules.js';

/** One row of a live board: the member's value and what its detail is made of. */
export interface LiveRow {
  userId: string;
  value: number;
  /** points and accuracy boards. */
  answers?: number;
  correct?: number;
  /** elo board. */
  games?: number;
  /** streak board: the streak's last day, "YYYY-MM-DD". */
  lastDay?: string;
}

/** A board read live: the top ten, best first, and the caller's row with the count of members strictly better. */
export interface LiveBoard {
  top: LiveRow[];
  caller: (LiveRow & { better: number }) | null;
}

/** A period's totals of every member, in board order, as columns (one slot per member). */
export interface TotalsColumns {
  /** Members in points order (points descending, then user id). */
  ids: string[];
  /** Each member's slot in `ids`. */
  rowOf: Map<string, number>;
  points: Float64Array;
  answers: Float64Array;
  correct: Float64Array;
  /** The points-order positions of the members ranked on accuracy, in accuracy order. */
  accuracyOrder: Uint32Array;
  /** daily_scores rows the aggregation read. */
  rowsRead: number;
}

/** Every member's rating, in board order (elo descending, then user id). */
export interface EloColumns {
  ids: string[];
  rowOf: Map<string, number>;
  elo: Float64Array;
  games: Int32Array;
}

/** A member's streak in one server, with the server's time zone (its days are that zone's). */
export interface MemberStreak extends Streak {
  guildId: string;
  timeZone: string;
}

/** How snapshot statements run (in their own transaction): see LeaderboardStore.snapshot. */
export const SNAPSHOT_SETTINGS: readonly string[] = [`SET LOCAL jit = off`, `SET LOCAL work_mem = '32MB'`, `SET LOCAL max_parallel_workers_per_gather = 0`];
/** Members per row of a snapshot result, and per slice of work between two yields to the event loop. */
const SNAPSHOT_CHUNK = 5_000;

const since = (startDay: string | null) => (startDay === null ? Prisma.empty : Prisma.sql`AND day >= ${startDay}::date`);

/** The period's per-member totals (used by the live statements). */
const totals = (guildId: string, startDay: string | null) => Prisma.sql`
  SELECT user_id, sum(points)::float8 AS points, sum(answers)::float8 AS answers, sum(correct)::float8 AS correct
  FROM daily_scores WHERE guild_id = ${guildId} ${since(startDay)}
  GROUP BY user_id`;

/**
 * The statements, exported so that the benchmark EXPLAINs exactly these. Each `live*` returns
 * the top ten (me = false, best first) and, when ranked, the caller's row (me = true, with `better`).
 */
export const leaderboardSql = {
  /** points or accuracy over the period: one aggregation (materialised once), then top ten and the caller's count of better. */
  liveTotals: (guildId: string, startDay: string | null, board: 'points' | 'accuracy', callerId: string) => {
    const value = board === 'points' ? Prisma.sql`points` : Prisma.sql`correct / answers`;
    // Who is ranked: accuracy needs MIN_ACCURACY_ANSWERS answers; points needs points (rules.pointsValue).
    const qualifies = board === 'accuracy' ? Prisma.sql`WHERE answers >= ${MIN_ACCURACY_ANSWERS}::float8` : Prisma.sql`WHERE points > 0`;
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
   * Live streaks: last_day >= `aliveFrom` (rules.streakAliveFrom, which is yesterday). The
   * index (guild_id, last_day, current) is read per last_day value, backwards (current
   * descending), ten rows each: today, yesterday, and (only after a change of time zone) later
   * days. The caller's count of better is an index-only range scan of the same index.
   */
  liveStreak: (guildId: string, today: string, aliveFrom: string, callerId: string) => {
    const branch = (cond: Prisma.Sql) => Prisma.sql`(SELECT user_id, current, last_day FROM streaks
      WHERE guild_id = ${guildId} AND ${cond} ORDER BY current DESC, user_id COLLATE "C" LIMIT ${TOP}::int4)`;
    return Prisma.sql`
      (SELECT false AS me, user_id AS "userId", current::float8 AS value, NULL::float8 AS answers, NULL::float8 AS correct, NULL::int4 AS games,
              last_day AS "lastDay", NULL::int8 AS better
       FROM (${branch(Prisma.sql`last_day = ${today}::date`)} UNION ALL ${branch(Prisma.sql`last_day = ${aliveFrom}::date`)}
             UNION ALL ${branch(Prisma.sql`last_day > ${today}::date`)}) s
       ORDER BY current DESC, user_id COLLATE "C" LIMIT ${TOP}::int4)
      UNION ALL
      SELECT true, user_id, current::float8, NULL, NULL, NULL, last_day,
             (SELECT count(*) FROM streaks o WHERE o.guild_id = ${guildId} AND o.last_day >= ${aliveFrom}::date AND o.current > me.current)
      FROM streaks me WHERE guild_id = ${guildId} AND user_id = ${callerId} AND last_day >= ${aliveFrom}::date`;
  },
  /**
   * Snapshot of the period's totals, sorted by PostgreSQL and sent as rows of SNAPSHOT_CHUNK
   * members, each a JSON object of arrays (one JSON.parse per row, so that Node never parses
   * one huge value and yields between rows; Prisma's own decoding of SQL arrays blocked the
   * event loop for ~100 ms at 100,000 members): kind 'p' = members in points order ({ ids, points,
   * answers, correct }); kind 'a' = the points-order positions of the members ranked on
   * accuracy, in accuracy order ({ positions }); kind 'n' = how many daily_scores rows were
   * read ({ n }).
   */
  snapshotTotals: (guildId: string, startDay: string | null) => Prisma.sql`
    WITH t AS MATERIALIZED (
      SELECT user_id, sum(points)::int8 AS points, sum(answers)::int8 AS answers, sum(correct)::int8 AS correct, count(*) AS n
      FROM daily_scores WHERE guild_id = ${guildId} ${since(startDay)} GROUP BY user_id
    ), p AS MATERIALIZED (
      SELECT user_id, points, answers, correct, row_number() OVER (ORDER BY points DESC, user_id COLLATE "C") - 1 AS pos FROM t
    )
    SELECT 'p' AS kind, (pos / ${SNAPSHOT_CHUNK}::int8)::int4 AS chunk,
           json_build_object('ids', json_agg(user_id ORDER BY pos), 'points', json_agg(points ORDER BY pos),
                             'answers', json_agg(answers ORDER BY pos), 'correct', json_agg(correct ORDER BY pos))::text AS data
    FROM p GROUP BY 2
    UNION ALL
    SELECT 'a', (rk / ${SNAPSHOT_CHUNK}::int8)::int4, json_build_object('positions', json_agg(pos ORDER BY rk))::text
    FROM (SELECT pos, row_number() OVER (ORDER BY correct::float8 / answers DESC, user_id COLLATE "C") - 1 AS rk
          FROM p WHERE answers >= ${MIN_ACCURACY_ANSWERS}::int8) a
    GROUP BY 2
    UNION ALL
    SELECT 'n', 0, json_build_object('n', (SELECT coalesce(sum(n), 0) FROM t))::text
    ORDER BY 1, 2`,
  /** Snapshot of the ratings, the same way: rows of SNAPSHOT_CHUNK members in board order ({ ids, elo, games }). */
  snapshotElo: (guildId: string) => Prisma.sql`
    SELECT (rk / ${SNAPSHOT_CHUNK}::int8)::int4 AS chunk,
           json_build_object('ids', json_agg(user_id ORDER BY rk), 'elo', json_agg(elo ORDER BY rk), 'games', json_agg(games ORDER BY rk))::text AS data
    FROM (SELECT user_id, elo, games, row_number() OVER (ORDER BY elo DESC, user_id COLLATE "C") - 1 AS rk FROM ratings WHERE guild_id = ${guildId}) r
    GROUP BY 1 ORDER BY 1`,
  /** The caller's own totals over the period (index daily_scores(guild_id, user_id, day)). */
  callerTotals: (guildId: string, startDay: string | null, callerId: string) => Prisma.sql`
    SELECT sum(points)::float8 AS points, sum(answers)::float8 AS answers, sum(correct)::float8 AS correct
    FROM daily_scores WHERE guild_id = ${guildId} AND user_id = ${callerId} ${since(startDay)}`,
  callerElo: (guildId: string, callerId: string) => Prisma.sql`
    SELECT elo, games FROM ratings WHERE guild_id = ${guildId} AND user_id = ${callerId}`,
  /** A member's streaks with their servers' zones: in one server (primary key) or in all (index streaks(user_id)). */
  memberStreaks: (userId: string, guildId: string | null) => Prisma.sql`
    SELECT s.guild_id AS "guildId", s.current, to_char(s.last_day, 'YYYY-MM-DD') AS "lastDay", COALESCE(g.time_zone, 'UTC') AS "timeZone"
    FROM streaks s LEFT JOIN guild_settings g ON g.guild_id = s.guild_id
    WHERE s.user_id = ${userId} ${guildId === null ? Prisma.empty : Prisma.sql`AND s.guild_id = ${guildId}`}`,
};

interface LiveSqlRow {
  me: boolean;
  userId: string;
  value: number;
  answers: number | null;
  correct: number | null;
  games: number | null;
  lastDay: Date | null;
  better: bigint | null;
}

interface SnapshotRow {
  kind?: 'p' | 'a' | 'n';
  chunk: number;
  /** JSON: an object of equally long arrays, or { n }. */
  data: string;
}

/** One snapshot row's JSON, checked to hold the arrays named, all as long as the first. */
function parseChunk<K extends string>(row: SnapshotRow, keys: readonly K[]): Record<K, unknown[]> {
  const value = JSON.parse(row.data) as Record<string, unknown>;
  const length = (value[keys[0]!] as unknown[] | undefined)?.length;
  for (const k of keys) {
    const a = value[k];
    if (!Array.isArray(a) || a.length !== length) throw new Error(`leaderboard snapshot: malformed chunk (${k})`);
  }
  return value as Record<K, unknown[]>;
}

/** Lets other work run (interactions, timers) between slices of a snapshot copy. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Appends a chunk's ids to `ids` and to their index. */
function addIds(ids: string[], rowOf: Map<string, number>, chunk: readonly string[]): void {
  for (const id of chunk) rowOf.set(id, ids.push(id) - 1);
}

/** A DATE column as read by Prisma (midnight UTC) to "YYYY-MM-DD". */
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

function liveRow(r: LiveSqlRow): LiveRow {
  const row: LiveRow = { userId: r.userId, value: r.value };
  if (r.answers !== null) row.answers = r.answers;
  if (r.correct !== null) row.correct = r.correct;
  if (r.games !== null) row.games = r.games;
  if (r.lastDay !== null) row.lastDay = isoDay(r.lastDay);
  return row;
}

function liveBoard(rows: LiveSqlRow[]): LiveBoard {
  const me = rows.find((r) => r.me);
  return {
    top: rows.filter((r) => !r.me).map(liveRow),
    caller: me ? { ...liveRow(me), better: Number(me.better ?? 0n) } : null,
  };
}

export class LeaderboardStore {
  constructor(private readonly prisma: PrismaClient) {}

  async liveTotals(guildId: string, startDay: string | null, board: 'points' | 'accuracy', callerId: string): Promise<LiveBoard> {
    return liveBoard(await this.prisma.$queryRaw<LiveSqlRow[]>(leaderboardSql.liveTotals(guildId, startDay, board, callerId)));
  }

  async liveElo(guildId: string, callerId: string): Promise<LiveBoard> {
    return liveBoard(await this.prisma.$queryRaw<LiveSqlRow[]>(leaderboardSql.liveElo(guildId, callerId)));
  }

  /** Streaks whose last day is `aliveFrom` or later. */
  async liveStreak(guildId: string, today: string, aliveFrom: string, callerId: string): Promise<LiveBoard> {
    return liveBoard(await this.prisma.$queryRaw<LiveSqlRow[]>(leaderboardSql.liveStreak(guildId, today, aliveFrom, callerId)));
  }

  /** The caller's totals over the period, or null when they have none. */
  async callerTotals(guildId: string, startDay: string | null, callerId: string): Promise<Totals | null> {
    const [row] = await this.prisma.$queryRaw<{ points: number | null; answers: number | null; correct: number | null }[]>(
      leaderboardSql.callerTotals(guildId, startDay, callerId),
    );
    if (!row || row.points === null || row.answers === null || row.correct === null) return null;
    return { points: row.points, answers: row.answers, correct: row.correct };
  }

  async callerElo(guildId: string, callerId: string): Promise<{ elo: number; games: number } | null> {
    const [row] = await this.prisma.$queryRaw<{ elo: number; games: number }[]>(leaderboardSql.callerElo(guildId, callerId));
    return row ? { elo: row.elo, games: row.games } : null;
  }

  /** The member's streak in `guildId`, or in every server they have one in (guildId null). */
  async memberStreaks(userId: string, guildId: string | null): Promise<MemberStreak[]> {
    const rows = await this.prisma.$queryRaw<MemberStreak[]>(leaderboardSql.memberStreaks(userId, guildId));
    return rows.map((r) => ({ guildId: r.guildId, current: r.current, lastDay: r.lastDay, timeZone: r.timeZone }));
  }

  /** Every member's totals over the period, in board order (one aggregation, see snapshot()). */
  async totalsSnapshot(guildId: string, startDay: string | null): Promise<TotalsColumns> {
    const rows = await this.snapshot(leaderboardSql.snapshotTotals(guildId, startDay));
    const ids: string[] = [];
    const rowOf = new Map<string, number>();
    const points: number[] = [];
    const answers: number[] = [];
    const correct: number[] = [];
    const positions: number[] = [];
    let rowsRead = 0;
    for (const row of rows) {
      if (row.kind === 'p') {
        const c = parseChunk(row, ['ids', 'points', 'answers', 'correct'] as const);
        addIds(ids, rowOf, c.ids as string[]);
        points.push(...(c.points as number[]));
        answers.push(...(c.answers as number[]));
        correct.push(...(c.correct as number[]));
      } else if (row.kind === 'a') {
        positions.push(...(parseChunk(row, ['positions'] as const).positions as number[]));
      } else {
        rowsRead = Number((JSON.parse(row.data) as { n: number }).n);
      }
      await yieldToEventLoop();
    }
    return {
      ids,
      rowOf,
      points: Float64Array.from(points),
      answers: Float64Array.from(answers),
      correct: Float64Array.from(correct),
      accuracyOrder: Uint32Array.from(positions),
      rowsRead,
    };
  }

  /** Every member's rating, in board order. */
  async eloSnapshot(guildId: string): Promise<EloColumns> {
    const rows = await this.snapshot(leaderboardSql.snapshotElo(guildId));
    const ids: string[] = [];
    const rowOf = new Map<string, number>();
    const elo: number[] = [];
    const games: number[] = [];
    for (const row of rows) {
      const c = parseChunk(row, ['ids', 'elo', 'games'] as const);
      addIds(ids, rowOf, c.ids as string[]);
      elo.push(...(c.elo as number[]));
      games.push(...(c.games as number[]));
      await yieldToEventLoop();
    }
    return { ids, rowOf, elo: Float64Array.from(elo), games: Int32Array.from(games) };
  }

  /**
   * Runs a snapshot statement in its own short transaction with settings for one big
   * aggregation: no JIT (compiling costs ~100 ms and gains nothing here), enough work_mem to
   * aggregate and sort 100,000 members without spilling to disk (~20 % faster), and no
   * parallel workers: a build mostly runs in the background, and should leave the other cores
   * to the interactive queries (on a 2-core server it was not faster with them anyway).
   */
  private snapshot(sql: Prisma.Sql): Promise<SnapshotRow[]> {
    return this.prisma.$transaction(
      async (tx) => {
        for (const setting of SNAPSHOT_SETTINGS) await tx.$executeRawUnsafe(setting);
        return tx.$queryRaw<SnapshotRow[]>(sql);
      },
      { maxWait: 10_000, timeout: 120_000 },
    );
  }
}
