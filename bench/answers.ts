/**
 * Benchmarks the answer store and the mastery queries at scale. Prints JSON.
 *   npx tsx bench/answers.ts
 *
 * Creates its own database (bp_bench_answers_<random>) on BENCH_ADMIN_URL (default
 * postgresql://postgres@127.0.0.1:5432/postgres), applies the migrations, seeds 100,000 users,
 * 2,000,000 answers (one member with 5,000 of them, answering every day) and their cards
 * server-side (INSERT ... SELECT over generate_series), runs VACUUM ANALYZE, then measures
 * through the application's own code (Prisma over the pg adapter, pool of BENCH_POOL_SIZE,
 * default 10 like DATABASE_POOL_SIZE):
 * - record: AnswerStore.record with an FSRS update, 2,000 sequential answers by random users;
 * - mastery: the /mastery query set (MasteryService: topic mastery, due count, streak,
 *   accuracy; in parallel as the command runs it, and the four methods one after the other) for
 *   the 5,000-answer member, 200 times; and the same seen from one server ({ guildId }), 50 times;
 * - review: MasteryService.dueCards for that member, 1,000 times;
 * - sustained: 500 answers/s for 10 s from 50 concurrent simulated members (open loop: each
 *   member answers every 100 ms whatever the latency).
 * Then prints EXPLAIN (ANALYZE, BUFFERS) of the exact statements MasteryStore runs (and the streak's), and drops
 * the database (also on Ctrl-C). For iterating on queries: BENCH_KEEP=1 keeps the database and
 * BENCH_DATABASE=<name> measures an existing seeded one (both skip the drop).
 */
import { createHash, randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { benchDatabase, STREAKS_FROM_DAILY_SCORES } from './support.js';
import { loadBank } from '../src/bank/load.js';
import { connectDatabase, type Database } from '../src/platform/db/client.js';
import { migrate } from '../src/platform/db/migrate.js';
import { createLogger } from '../src/platform/log.js';
import { AnswerStore } from '../src/answers/store.js';
import { ratingFor, type AnswerEvent, type Verdict } from '../src/answers/rules.js';
import { Leaderboards } from '../src/leaderboard/service.js';
import { LeaderboardStore, leaderboardSql } from '../src/leaderboard/store.js';
import { MasteryService } from '../src/mastery/service.js';
import { MasteryStore, masterySql, type Scope } from '../src/mastery/store.js';

const POOL_SIZE = Number(process.env.BENCH_POOL_SIZE ?? 10);
const USERS = 100_000;
const ANSWERS = 2_000_000;
const HEAVY_ANSWERS = 5_000;
const HEAVY_USER = uid(1);
const TARGETS = { recordP99Ms: 15, masteryP99Ms: 30, reviewP99Ms: 10, sustainedRate: 500 };
const DAY_MS = 86_400_000;
/** Event keys are unique per run, so a reused database (BENCH_DATABASE) measures new answers, not replays. */
const RUN = randomBytes(3).toString('hex');

function uid(n: number): string {
  return String(100_000_000_000_000_000n + BigInt(n));
}

function summarise(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return { runs: samples.length, p50: round(at(0.5)), p90: round(at(0.9)), p99: round(at(0.99)), max: round(sorted[sorted.length - 1] ?? NaN) };
}

async function timed<T>(fn: () => Promise<T>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

async function seed(url: string, promptIds: string[], topics: string[], now: Date) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const steps: Record<string, number> = {};
  const step = async (name: string, sql: string, params: unknown[] = []) => {
    const start = performance.now();
    await c.query(sql, params);
    steps[name] = Math.round(performance.now() - start);
  };
  try {
    await c.query(`SET synchronous_commit = off; SET maintenance_work_mem = '512MB'; SET work_mem = '256MB'`);
    // Secondary indexes are rebuilt once after the bulk load (much faster than maintaining them row by row).
    const { rows: indexes } = await c.query<{ name: string; def: string }>(
      `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
       WHERE i.schemaname = current_schema() AND i.tablename IN ('answers', 'cards')
         AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conname = i.indexname)`,
    );
    for (const ix of indexes) await c.query(`DROP INDEX "${ix.name}"`);
    await step('users', `INSERT INTO users (id, username) SELECT (100000000000000000 + g)::text, 'member' || g FROM generate_series(1, ${USERS}) g`);
    // Everyone but the heavy member: ~20 answers each over the last year, random prompts, 60 % right.
    const answerSelect = (from: number, to: number, user: string, when: string) => `
      INSERT INTO answers (event_key, event_id, event_step, user_id, guild_id, channel_id, prompt_id, topic, mode, given, verdict, score, points, response_ms, rating, answered_at)
      SELECT 'seed:' || g, gen_random_uuid(), 0, u, 'guild' || (right(u, 6)::int % 50), 'channel' || (right(u, 6)::int % 200), ($1::text[])[i], ($2::text[])[i],
             (ARRAY['chain','review','drill','drop','duel','sprint']::"AnswerMode"[])[1 + (g % 6)], 'seeded answer',
             CASE WHEN v < 0.6 THEN 'correct' WHEN v < 0.75 THEN 'partial' ELSE 'wrong' END::"Verdict",
             CASE WHEN v < 0.6 THEN 1 WHEN v < 0.75 THEN 0.5 ELSE 0 END, CASE WHEN v < 0.6 THEN 10 ELSE 0 END,
             (1000 + ms)::int, CASE WHEN v < 0.6 THEN 3 WHEN v < 0.75 THEN 2 ELSE 1 END, at
      FROM (SELECT g, ${user} AS u, 1 + floor(random() * ${promptIds.length})::int AS i, random() AS v, random() * 60000 AS ms, ${when} AS at
            FROM generate_series(${from}, ${to}) g) s`;
    const nowSql = `'${now.toISOString()}'::timestamptz`;
    await step(
      'answers',
      answerSelect(HEAVY_ANSWERS + 1, ANSWERS, `(100000000000000002 + floor(random() * ${USERS - 1})::bigint)::text`, `${nowSql} - random() * interval '365 days'`),
      [promptIds, topics],
    );
    // The heavy member answered on each of the last 300 days (a 300-day streak), ~17 a day.
    await step(
      'heavyAnswers',
      answerSelect(1, HEAVY_ANSWERS, `'${HEAVY_USER}'`, `${nowSql} - (g % 300) * interval '1 day' - random() * interval '20 hours'`),
      [promptIds, topics],
    );
    // One card per (member, prompt) answered, in Review, last reviewed at the last answer.
    await step(
      'cards',
      `INSERT INTO cards (user_id, prompt_id, topic, due, stability, difficulty, elapsed_days, scheduled_days, learning_steps, reps, lapses, state, last_review)
       SELECT user_id, prompt_id, topic, last + s * interval '1 day', s, 1 + random() * 9, 0, ceil(s)::int, 0, reps, lapses, 2, last
       FROM (SELECT user_id, prompt_id, min(topic) AS topic, max(answered_at) AS last, count(*)::int AS reps,
                    (count(*) FILTER (WHERE verdict = 'wrong'))::int AS lapses, 0.5 + random() * 90 AS s
             FROM answers GROUP BY user_id, prompt_id) x`,
    );
    const start = performance.now();
    for (const ix of indexes) await c.query(ix.def);
    steps.indexes = Math.round(performance.now() - start);
    // The answers went in out of time order, which the trigger's streaks do not expect: rebuilt
    // with the migration's backfill (each member's last run of consecutive days).
    await c.query('DELETE FROM streaks');
    await step(
      'streaks',
      STREAKS_FROM_DAILY_SCORES,
    );
    await step('vacuumAnalyze', 'VACUUM ANALYZE');
    const { rows } = await c.query<{ answers: number; cards: number; heavy_cards: number }>(
      `SELECT (SELECT count(*) FROM answers)::int AS answers, (SELECT count(*) FROM cards)::int AS cards,
              (SELECT count(*) FROM cards WHERE user_id = $1)::int AS heavy_cards`,
      [HEAVY_USER],
    );
    return { ms: steps, rows: rows[0] };
  } finally {
    await c.end();
  }
}

function randomVerdict(): Verdict {
  const v = Math.random();
  return v < 0.6 ? 'correct' : v < 0.75 ? 'partial' : 'wrong';
}

/** A stable event for a key, so that the same key replays the same event. */
const eventOf = (key: string) => {
  const h = createHash('sha256').update(key).digest('hex');
  return { id: `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`, step: 0 };
};

function makeAnswer(key: string, userId: string, promptId: string): AnswerEvent {
  const verdict = randomVerdict();
  const responseMs = Math.round(2_000 + Math.random() * 70_000);
  return {
    event: eventOf(key),
    userId,
    guildId: 'guild7',
    channelId: 'channel7',
    promptId,
    mode: 'chain',
    given: 'an answer given during the benchmark',
    verdict,
    score: verdict === 'correct' ? 1 : verdict === 'partial' ? 0.5 : 0,
    points: verdict === 'correct' ? 10 : 0,
    responseMs,
    rating: ratingFor(verdict, responseMs),
  };
}

async function explain(pool: pg.Pool, sql: { text: string; values: unknown[] }): Promise<string[]> {
  const { rows } = await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql.text}`, sql.values);
  return rows.map((r) => r['QUERY PLAN']);
}

async function main() {
  const bank = loadBank();
  const promptIds = bank.prompts.map((p) => p.id);
  const topics = bank.prompts.map((p) => p.topic);
  const reuse = process.env.BENCH_DATABASE;
  const bench = await benchDatabase('answers', { reuse, keep: process.env.BENCH_KEEP === '1' });
  const { name } = bench;
  const url = new URL(bench.url);
  let db: Database | undefined;
  const dropDatabase = async () => {
    await db?.close();
    await bench.drop();
  };
  const total = performance.now();
  const loadBefore = loadavg().map((x) => Math.round(x * 100) / 100);
  try {
    await migrate(url.toString());
    const now = new Date();
    const seeded = reuse ? { ms: {}, rows: undefined } : await seed(url.toString(), promptIds, topics, now);

    db = connectDatabase(url.toString(), { poolSize: POOL_SIZE, log: createLogger('silent') });
    const store = new AnswerStore(db.prisma, bank, () => new Date());
    const mastery = new MasteryService(db, new MasteryStore(db.prisma), bank, new Leaderboards(new LeaderboardStore(db.prisma)), () => new Date());
    // What /mastery reads, as the command reads it (in parallel); `guildId` as seen from that server.
    const overview = async (userId: string, now: Date, o: { since: Date; guildId?: string }) => {
      const scope: Scope = o.guildId === undefined ? {} : { guildId: o.guildId };
      const [topics, due, streak, accuracy] = await Promise.all([
        mastery.topicMastery(userId, now, scope),
        mastery.dueCount(userId, now, scope),
        mastery.streak(userId, now, o.guildId ?? null),
        mastery.accuracy(userId, o.since, scope),
      ]);
      return { topics, due, streak, accuracy };
    };
    const randomUser = () => uid(2 + Math.floor(Math.random() * (USERS - 1)));
    const randomPrompt = () => promptIds[Math.floor(Math.random() * promptIds.length)]!;

    // Record: warm up (connections, Prisma's first-query work), then 2,000 sequential answers.
    for (let i = 0; i < 200; i++) await store.record(makeAnswer(`bench:${RUN}:warm:${i}`, randomUser(), randomPrompt()));
    const recordMs: number[] = [];
    let stored = 0;
    for (let i = 0; i < 2_000; i++) {
      const e = makeAnswer(`bench:${RUN}:rec:${i}`, randomUser(), randomPrompt());
      recordMs.push(await timed(async () => void (stored += (await store.record(e)).stored ? 1 : 0)));
    }
    const duplicateMs: number[] = [];
    for (let i = 0; i < 200; i++) duplicateMs.push(await timed(() => store.record(makeAnswer(`bench:${RUN}:rec:${i}`, uid(2), randomPrompt()))));

    // /mastery for the 5,000-answer member.
    const opts = { since: new Date(Date.now() - 30 * DAY_MS) };
    for (let i = 0; i < 20; i++) await overview(HEAVY_USER, new Date(), opts);
    const masteryMs: number[] = [];
    for (let i = 0; i < 200; i++) masteryMs.push(await timed(() => overview(HEAVY_USER, new Date(), opts)));
    const masterySeqMs: number[] = [];
    for (let i = 0; i < 200; i++) {
      masterySeqMs.push(
        await timed(async () => {
          const t = new Date();
          await mastery.topicMastery(HEAVY_USER, t);
          await mastery.dueCount(HEAVY_USER, t);
          await mastery.streak(HEAVY_USER, t, null);
          await mastery.accuracy(HEAVY_USER, opts.since);
        }),
      );
    }
    const sample = await overview(HEAVY_USER, new Date(), opts);
    // /mastery user:<heavy member> seen from a server (all their answers were given in guild1).
    const guildViewMs: number[] = [];
    for (let i = 0; i < 50; i++) guildViewMs.push(await timed(() => overview(HEAVY_USER, new Date(), { ...opts, guildId: 'guild1' })));

    // /review for the same member.
    const reviewMs: number[] = [];
    for (let i = 0; i < 1_000; i++) reviewMs.push(await timed(() => mastery.dueCards(HEAVY_USER, new Date(), 10)));
    const reviewRandomMs: number[] = [];
    for (let i = 0; i < 1_000; i++) reviewRandomMs.push(await timed(() => mastery.dueCards(randomUser(), new Date(), 10)));

    // Sustained: 50 members, each answering every 100 ms for 10 s (open loop).
    const members = Array.from({ length: 50 }, () => randomUser());
    const perMember = 100;
    const intervalMs = 100;
    const sustainedMs: number[] = [];
    let errors = 0;
    let maxLagMs = 0;
    const firstError: string[] = [];
    const start = performance.now();
    await Promise.all(
      members.map(async (userId, m) => {
        for (let i = 0; i < perMember; i++) {
          const due = start + (m / members.length) * intervalMs + i * intervalMs;
          await sleep(due - performance.now());
          maxLagMs = Math.max(maxLagMs, performance.now() - due);
          const t0 = performance.now();
          try {
            await store.record(makeAnswer(`bench:${RUN}:sus:${m}:${i}`, userId, randomPrompt()));
            sustainedMs.push(performance.now() - t0);
          } catch (err) {
            errors++;
            if (firstError.length < 3) firstError.push((err as Error).message.slice(0, 300));
          }
        }
      }),
    );
    const elapsedS = (performance.now() - start) / 1000;
    const sustained = {
      offeredPerSecond: (members.length * 1000) / intervalMs,
      answers: sustainedMs.length,
      errors,
      firstError,
      elapsedS: Math.round(elapsedS * 100) / 100,
      achievedPerSecond: Math.round(sustainedMs.length / elapsedS),
      maxScheduleLagMs: Math.round(maxLagMs),
      ms: summarise(sustainedMs),
    };

    const t = new Date();
    const plans = {
      topicMasteryCards: await explain(db.pool, masterySql.masteryCards(HEAVY_USER)),
      topicMasteryCardsInGuild: await explain(db.pool, masterySql.masteryCards(HEAVY_USER, { guildId: 'guild1' })),
      topicMasteryDrills: await explain(db.pool, masterySql.drillAnswers(HEAVY_USER)),
      chainCandidateCards: await explain(db.pool, masterySql.cards(HEAVY_USER)),
      dueCount: await explain(db.pool, masterySql.dueCount(HEAVY_USER, t, promptIds)),
      streak: await explain(db.pool, leaderboardSql.memberStreaks(HEAVY_USER, null)),
      streakInGuild: await explain(db.pool, leaderboardSql.memberStreaks(HEAVY_USER, 'guild1')),
      accuracy: await explain(db.pool, masterySql.accuracy(HEAVY_USER, opts.since)),
      dueCards: await explain(db.pool, masterySql.dueCards(HEAVY_USER, t, 10)),
      nextDue: await explain(db.pool, masterySql.nextDue(HEAVY_USER, t)),
    };

    const record = summarise(recordMs);
    const masteryParallel = summarise(masteryMs);
    const review = summarise(reviewMs);
    const result = {
      database: { name, poolSize: POOL_SIZE, users: USERS, ...seeded.rows, bankPrompts: promptIds.length, seedMs: seeded.ms },
      machine: { cpus: cpus().length, loadAverageBefore: loadBefore, loadAverageAfter: loadavg().map((x) => Math.round(x * 100) / 100) },
      record: { ms: record, stored, duplicateReplayMs: summarise(duplicateMs), contendedFallbacks: store.stats.contended },
      mastery: {
        parallelMs: masteryParallel,
        sequentialMs: summarise(masterySeqMs),
        guildViewMs: summarise(guildViewMs),
        sample: { due: sample.due, streak: sample.streak, accuracy: sample.accuracy, seen: sample.topics.reduce((n, x) => n + x.seen, 0) },
      },
      review: { heavyMemberMs: review, randomMembersMs: summarise(reviewRandomMs) },
      sustained,
      targets: {
        recordP99: { targetMs: TARGETS.recordP99Ms, ok: record.p99 <= TARGETS.recordP99Ms },
        masteryP99: { targetMs: TARGETS.masteryP99Ms, ok: masteryParallel.p99 <= TARGETS.masteryP99Ms },
        reviewP99: { targetMs: TARGETS.reviewP99Ms, ok: review.p99 <= TARGETS.reviewP99Ms },
        sustained: { target: `${TARGETS.sustainedRate}/s, 0 errors`, ok: errors === 0 && sustained.achievedPerSecond >= TARGETS.sustainedRate * 0.98 },
      },
      plans,
      totalS: 0,
    };
    result.totalS = Math.round((performance.now() - total) / 100) / 10;
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await dropDatabase();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
