/**
 * `npm run bench:drops` (JSON on stdout). Through the fake Discord, with the real bot process
 * and PostgreSQL:
 * - fan-out: N schedules (default 10,000; `--schedules N`) all due in the same minute, spread
 *   over channels of several guilds; time until every root message and thread is posted. The
 *   floor is Discord's global limit of 50 requests/s, which discord.js enforces itself: each
 *   drop is two requests (message + thread), so 10,000 drops need at least 400 s.
 * - interaction latency while the fan-out runs: /help (answered in the acknowledgement) and
 *   /leaderboard (deferred, then edited: the edit must not queue behind the fan-out's posts);
 * - the scheduler's CPU time per tick with 100,000 schedules of which none is due.
 */
import pg from 'pg';
import { benchDatabase, pct } from './support.js';
import { commands } from '../commands/index.js';
import { loadBank } from '../src/bank/load.js';
import { connectDatabase } from '../src/platform/db/client.js';
import { migrate } from '../src/platform/db/migrate.js';
import { AnswerStore } from '../src/answers/store.js';
import { DropService } from '../src/drop/service.js';
import { DropStore } from '../src/drop/store.js';
import type { DropPublisher } from '../src/drop/types.js';
import { commandLine, wholeNumber } from '../src/platform/cli.js';
import { createLogger } from '../src/platform/log.js';
import { BotProcess, botEnv } from '../test/support/bot-process.js';
import { FakeDiscord, messageText } from '../test/support/fake-discord.js';

const USAGE = 'npm run bench:drops [-- --schedules N] [--idle N]';
const { values: args } = commandLine({ options: { schedules: { type: 'string' }, idle: { type: 'string' } } }, USAGE);
const N = wholeNumber('schedules', args.schedules, 10_000, USAGE);
const IDLE = wholeNumber('idle', args.idle, 100_000, USAGE);
async function fanOut() {
  const perGuild = 500; // Discord's channel limit per server
  const guilds = Array.from({ length: Math.ceil(N / perGuild) }, (_, g) => ({ name: `Bench ${g}`, channels: Array.from({ length: Math.min(perGuild, N - g * perGuild) }, (_, i) => `c${i}`) }));
  const discord = await FakeDiscord.start({ commands: commands.map((c) => c.data.toJSON()), guilds });
  const db = await benchDatabase('drops');
  await migrate(db.url);
  const sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  const channels = discord.guilds.flatMap((g) => g.channels.map((c) => ({ guild: g.id, channel: c.id })));
  // All due one minute from now, follow-ups far later (we measure the roots).
  const due = new Date(Math.ceil((Date.now() + 30_000) / 60_000) * 60_000);
  await sql.query(
    `INSERT INTO schedules (id, guild_id, channel_id, cron, time_zone, topics, reveal_every_minutes, created_by, next_run_at)
     SELECT gen_random_uuid(), g, c, '${due.getUTCMinutes()} ${due.getUTCHours()} * * *', 'UTC', '{}', 1440, 'bench', $3
     FROM unnest($1::text[], $2::text[]) AS t(g, c)`,
    [channels.map((c) => c.guild), channels.map((c) => c.channel), due],
  );
  const bot = BotProcess.start(botEnv(discord.apiUrl, db.url, { SCHEDULER_TICK_SECONDS: '1', LOG_LEVEL: 'warn' }));
  // (LOG_LEVEL=warn hides the "ready" line: the fake's view of the gateway is what counts.)
  await discord.waitForBot(120_000);
  const latencies: number[] = [];
  /** A deferred command (/leaderboard: acknowledged, then edited): its edit is an interaction webhook. */
  const deferred: number[] = [];
  let errors = 0;
  const user = discord.user('bench');
  const roots = () => [...discord.messages.values()].filter((m) => m.origin === 'channel' && messageText(m).includes('Question drop')).length;
  const threads = () => [...discord.channels.values()].filter((c) => c.type === 11).length;
  // Interactions are measured from 10 s before the slot until the fan-out is done.
  while (Date.now() < due.getTime() - 10_000) await new Promise((r) => setTimeout(r, 200));
  const started = due.getTime();
  const deadline = started + 30 * 60_000;
  while (Date.now() < deadline) {
    const t0 = performance.now();
    try {
      await discord.slash(user, 'help', {}, { timeoutMs: 10_000 });
      latencies.push(performance.now() - t0);
    } catch {
      errors++;
    }
    const t1 = performance.now();
    try {
      await discord.slash(user, 'leaderboard', {}, { timeoutMs: 30_000 });
      deferred.push(performance.now() - t1);
    } catch {
      errors++;
    }
    if (roots() >= N && threads() >= N) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const fanOutRequests = discord.requests.filter((r) => r.at >= started && /^\/channels\/\d+\/(messages|messages\/\d+\/threads)$/.test(r.path) && r.method === 'POST');
  const last = Math.max(...fanOutRequests.map((r) => r.at));
  const perSecond = new Map<number, number>();
  for (const r of fanOutRequests) perSecond.set(Math.floor(r.at / 1000), (perSecond.get(Math.floor(r.at / 1000)) ?? 0) + 1);
  const result = {
    schedules: N,
    guilds: guilds.length,
    rootsPosted: roots(),
    threadsOpened: threads(),
    secondsFromSlotUntilAllPosted: Number(((last - started) / 1000).toFixed(1)),
    floorSeconds: (2 * N) / 50,
    postRequests: fanOutRequests.length,
    peakRequestsInOneSecond: Math.max(...perSecond.values()),
    interactionMs: { n: latencies.length, p50: pct(latencies, 50), p99: pct(latencies, 99), max: pct(latencies, 100), errors },
    deferredReplyMs: { n: deferred.length, p50: pct(deferred, 50), p99: pct(deferred, 99), max: pct(deferred, 100) },
    duplicates: (await sql.query(`SELECT count(*)::int AS n FROM (SELECT channel_id FROM drops GROUP BY channel_id HAVING count(*) > 1) d`)).rows[0].n,
  };
  await bot.stop();
  await sql.end();
  await discord.close();
  await db.drop();
  return result;
}

async function idleTick() {
  const db = await benchDatabase('drops');
  await migrate(db.url);
  const sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  await sql.query(
    `INSERT INTO schedules (id, guild_id, channel_id, cron, time_zone, topics, created_by, next_run_at)
     SELECT gen_random_uuid(), 'g' || (i % 1000), 'c' || i, '0 9 * * *', 'Europe/Berlin', '{}', 'bench', now() + (i % 1440) * interval '1 minute' + interval '1 minute'
     FROM generate_series(1, $1) AS i`,
    [IDLE],
  );
  await sql.query('ANALYZE schedules');
  const database_ = connectDatabase(db.url, { poolSize: 4, log: createLogger('silent') });
  const noPublisher: DropPublisher = { postStep: async () => ({ messageId: 'x' }) };
  const bank = loadBank();
  const clock = () => new Date();
  const engine = new DropService({
    db: database_,
    store: new DropStore(database_.prisma),
    bank,
    answers: new AnswerStore(database_.prisma, bank, clock),
    publisher: noPublisher,
    clock,
    log: createLogger('silent'),
  });
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let i = 0; i < 200; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await engine.tick();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  const plan = (await sql.query(`EXPLAIN (ANALYZE, BUFFERS) SELECT id FROM schedules WHERE NOT paused AND next_run_at <= now() ORDER BY next_run_at LIMIT 200 FOR UPDATE SKIP LOCKED`)).rows.map((r) => r['QUERY PLAN']);
  await database_.close();
  await sql.end();
  await db.drop();
  return { idleSchedules: IDLE, tickCpuMs: { p50: pct(cpu, 50), p99: pct(cpu, 99) }, tickWallMs: { p50: pct(wall, 50), p99: pct(wall, 99) }, duePlan: plan };
}

const report = { idle: await idleTick(), fanOut: await fanOut() };
console.log(JSON.stringify(report, null, 2));
