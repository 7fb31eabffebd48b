/**
 * `npm run bench:compete` (JSON on stdout). Through the fake Discord, with the real bot process
 * and PostgreSQL: 200 duels in parallel (400 simulated players answering every round) and one
 * 200-player sprint. Reports interaction response times (the ack must stay well inside
 * Discord's 3 s), answers recorded per second and errors. The leaderboard query benchmark with
 * 100,000 users is `bench/leaderboard.ts` (run by `npm run bench` too).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pg from 'pg';
import { benchDatabase, pct } from './support.js';
import { commands } from '../commands/index.js';
import { migrate } from '../src/platform/db/migrate.js';
import { BotProcess, botEnv } from '../test/support/bot-process.js';
import { FakeDiscord, buttonId, messageText, type FakeMessage, type FakeUser, type InteractionHandle } from '../test/support/fake-discord.js';

const DUELS = Number(process.env.BENCH_DUELS ?? 200);
const SPRINTERS = Number(process.env.BENCH_SPRINTERS ?? 200);
const ROUNDS = 3;
const bench = await benchDatabase('compete');
const url = new URL(bench.url);
await migrate(url.toString());

// Each duel in its own channel (rounds are posted to the duel's channel).
const perGuild = 100;
const discord = await FakeDiscord.start({
  commands: commands.map((x) => x.data.toJSON()),
  guilds: Array.from({ length: Math.ceil(DUELS / perGuild) + 1 }, (_, g) => ({ name: `Bench ${g}`, channels: Array.from({ length: perGuild }, (_, i) => `c${i}`) })),
});
// The fake Discord and the simulated players share this process: when its own event loop
// stalls, the times measured here include the stall (reported as loadGeneratorEventLoopMs).
const loop = monitorEventLoopDelay({ resolution: 10 });
const bot = BotProcess.start(botEnv(discord.apiUrl, url.toString(), { LOG_LEVEL: 'warn', SCHEDULER_TICK_SECONDS: '1' }));
await discord.waitForBot(120_000);
loop.enable();
await new Promise((r) => setTimeout(r, 1000));

const latencies: number[] = [];
const acks: number[] = [];
let errors = 0;
async function timed(p: () => Promise<InteractionHandle>): Promise<InteractionHandle | null> {
  const t0 = performance.now();
  try {
    const h = await p();
    latencies.push(performance.now() - t0);
    if (h.ackAt !== undefined) acks.push(h.ackAt - h.sentAt);
    return h;
  } catch {
    errors++;
    return null;
  }
}
const button = buttonId;

// ---- 200 duels in parallel ----
const slots = discord.guilds.slice(0, Math.ceil(DUELS / perGuild)).flatMap((g) => g.channels.map((ch) => ({ guild: g, channel: ch }))).slice(0, DUELS);
const t0 = Date.now();
await Promise.all(
  slots.map(async ({ guild, channel }, i) => {
    const a = discord.user(`duelist-a${i}`);
    const b = discord.user(`duelist-b${i}`);
    const ch = await timed(() => discord.slash(a, 'duel', { opponent: b, rounds: ROUNDS, seconds: 30 }, { guild, channel }));
    if (!ch?.message) return;
    await timed(() => discord.click(b, ch.message!, button(ch.message!, 'bp1:dza:')!, { guild, channel }));
    for (let r = 1; r <= ROUNDS; r++) {
      const msg = await discord
        .waitForMessage((m) => m.channel_id === channel.id && messageText(m).includes(`**Round ${r} of `), 60_000)
        .catch(() => null);
      if (!msg) {
        errors++;
        return;
      }
      await Promise.all([a, b].map((p: FakeUser, k) => timed(() => discord.click(p, msg, button(msg, 'bp1:dzq:', `:${(i + k + r) % 2}`)!, { guild, channel }))));
    }
    await discord.waitForMessage((m) => m.channel_id === channel.id && messageText(m).includes('**Duel over**'), 60_000).catch(() => errors++);
  }),
);
const duelSeconds = (Date.now() - t0) / 1000;

// ---- one 200-player sprint ----
const sprintGuild = discord.guilds.at(-1)!;
const sprintChannel = sprintGuild.channels[0]!;
const runners = Array.from({ length: SPRINTERS }, (_, i) => discord.user(`runner${i}`));
const t1 = Date.now();
const lobby = await timed(() => discord.slash(runners[0]!, 'sprint', { rounds: ROUNDS, seconds: 30 }, { guild: sprintGuild, channel: sprintChannel }));
const join = button(lobby!.message!, 'bp1:spj:')!;
await Promise.all(runners.slice(1).map((r) => timed(() => discord.click(r, lobby!.message!, join, { guild: sprintGuild, channel: sprintChannel }))));
await timed(() => discord.click(runners[0]!, lobby!.message!, button(lobby!.message!, 'bp1:sps:')!, { guild: sprintGuild, channel: sprintChannel }));
for (let r = 1; r <= ROUNDS; r++) {
  const q = await discord.waitForMessage((m) => m.channel_id === sprintChannel.id && messageText(m).includes(`**Sprint question ${r} of `), 60_000);
  await Promise.all(runners.map((p, i) => timed(() => discord.click(p, q, button(q, 'bp1:spa:', `:${(i + r) % 3 === 0 ? 1 : 0}`)!, { guild: sprintGuild, channel: sprintChannel }))));
}
await discord.waitForMessage((m) => m.channel_id === sprintChannel.id && messageText(m).startsWith('🏁 **Sprint over!**'), 60_000).catch(() => errors++);
const sprintSeconds = (Date.now() - t1) / 1000;

const sql = new pg.Client({ connectionString: url.toString() });
await sql.connect();
const counts = (await sql.query(`SELECT mode, count(*)::int AS n FROM answers GROUP BY mode`)).rows;
const duelsFinished = (await sql.query(`SELECT count(*)::int AS n FROM duels WHERE status = 'finished'`)).rows[0].n;
await sql.end();
await bot.stop();
await discord.close();
await bench.drop();

const answers = Object.fromEntries(counts.map((r) => [r.mode, r.n]));
console.log(
  JSON.stringify(
    {
      duels: { parallel: DUELS, players: DUELS * 2, rounds: ROUNDS, finished: duelsFinished, seconds: duelSeconds, answersRecorded: answers.duel ?? 0, answersPerSecond: Number(((answers.duel ?? 0) / duelSeconds).toFixed(1)) },
      sprint: { players: SPRINTERS, rounds: ROUNDS, seconds: sprintSeconds, answersRecorded: answers.sprint ?? 0, answersPerSecond: Number(((answers.sprint ?? 0) / sprintSeconds).toFixed(1)) },
      // ack: from sending the interaction to the bot's first callback (what Discord's 3 s applies to)
      ackMs: { n: acks.length, p50: pct(acks, 50), p99: pct(acks, 99), max: pct(acks, 100) },
      // response: until the member sees the final answer (after a defer, the edit)
      responseMs: { n: latencies.length, p50: pct(latencies, 50), p99: pct(latencies, 99), max: pct(latencies, 100) },
      errors,
      loadGeneratorEventLoopMs: { p99: Math.round(loop.percentile(99) / 1e6), max: Math.round(loop.max / 1e6) },
    },
    null,
    2,
  ),
);
