/** What the benchmarks share: a throw-away PostgreSQL database each, and percentiles. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The server's maintenance database, used to create and drop the benchmark's own one. */
export const ADMIN_URL = process.env.BENCH_ADMIN_URL ?? process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface BenchDatabase {
  name: string;
  url: string;
  /** Drops the database (unless kept); safe to call twice. */
  drop: () => Promise<void>;
}

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/**
 * A fresh database named `bp_bench_<prefix>_<random>`, or with `reuse` an existing one (kept,
 * not seeded again by the callers). `keep` leaves it behind for inspection. Ctrl-C drops it.
 */
export async function benchDatabase(prefix: string, opts: { reuse?: string; keep?: boolean } = {}): Promise<BenchDatabase> {
  const name = opts.reuse ?? `bp_bench_${prefix}_${randomBytes(4).toString('hex')}`;
  const keep = opts.reuse !== undefined || opts.keep === true;
  if (!opts.reuse) await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  let dropped = false;
  const drop = async () => {
    if (keep || dropped) return;
    dropped = true;
    await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  };
  process.once('SIGINT', () => {
    void drop().finally(() => process.exit(130));
  });
  return { name, url: url.toString(), drop };
}

/** The p-th percentile (nearest rank) to 0.1, or null for no samples. */
export function pct(xs: readonly number[], p: number): number | null {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? Number(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!.toFixed(1)) : null;
}

/**
 * Rebuilds `streaks` from `daily_scores` as the leaderboards migration's backfill does (each
 * member's last run of consecutive days): for seeds that insert answers out of time order,
 * which the trigger's streaks do not expect.
 */
export const STREAKS_FROM_DAILY_SCORES = `WITH r AS (
    SELECT guild_id, user_id, day, day - (row_number() OVER w)::int AS grp, max(day) OVER (PARTITION BY guild_id, user_id) AS last
    FROM daily_scores
    WINDOW w AS (PARTITION BY guild_id, user_id ORDER BY day)
  ), l AS (SELECT guild_id, user_id, grp FROM r WHERE day = last)
  INSERT INTO streaks (guild_id, user_id, current, last_day)
  SELECT r.guild_id, r.user_id, count(*)::int, max(r.day) FROM r JOIN l USING (guild_id, user_id, grp) GROUP BY r.guild_id, r.user_id`;
