import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { FakeDiscord, messageText, shardOf } from '../support/fake-discord.js';
import { BotProcess, botEnv } from '../support/bot-process.js';
import { createTestDatabase, serverReachable, type TestDatabase } from '../support/database.js';

const sharedServer = await serverReachable();
let discord: FakeDiscord;
let db: TestDatabase;
let bot: BotProcess;

beforeAll(async () => {
  if (!sharedServer) return;
  discord = await FakeDiscord.start({ commands: commands.map((c) => c.data.toJSON()), shards: 2, guilds: Array.from({ length: 4 }, (_, i) => ({ name: `Server ${i}`, channels: ['general'] })) });
  db = await createTestDatabase('shards');
  bot = BotProcess.start(botEnv(discord.apiUrl, db.url, { SHARDS: 'auto', SCHEDULER_TICK_SECONDS: '1', CLOCK_SPEED: '60', CLOCK_ANCHOR_MS: String(Date.now()) }));
  await bot.waitForLog((l) => l.msg === 'all shards ready', 120_000, '"all shards ready"');
  // The manager hears a shard is ready over IPC before that shard's own "ready" line reaches the
  // shared stdout, so wait for each shard's line too (CI once read the logs between the two).
  for (const id of [0, 1]) {
    await bot.waitForLog((l) => l.msg === 'ready' && (l.shards as number[] | undefined)?.[0] === id, 30_000, `"ready" of shard ${id}`);
  }
}, 180_000);

afterAll(async () => {
  await bot?.stop();
  await discord?.close();
  await db?.drop();
});

// Several processes need a shared PostgreSQL server (the embedded one is single-process).
describe.skipIf(!sharedServer)('SHARDS=auto (the fake recommends 2)', () => {
  it('runs one process per shard, each identifying with its shard and receiving its guilds only', async () => {
    const shards = discord.identifies.map((d) => d.shard as number[]).sort();
    expect(shards).toEqual([
      [0, 2],
      [1, 2],
    ]);
    const readies = bot.logs.filter((l) => l.msg === 'ready');
    expect(readies.map((r) => (r.shards as number[])[0]).sort()).toEqual([0, 1]);
    for (const r of readies) {
      const expected = discord.guilds.filter((g) => shardOf(g.id, 2) === (r.shards as number[])[0]).length;
      expect(r.guilds).toBe(expected);
    }
    expect(new Set(discord.guilds.map((g) => shardOf(g.id, 2)))).toEqual(new Set([0, 1]));
  });

  it('serves members of guilds on both shards', async () => {
    for (const guild of discord.guilds) {
      const res = await discord.slash(discord.user(`m-${guild.name}`), 'help', {}, { guild, channel: guild.channels[0] });
      expect(messageText(res.message)).toContain('follow-up chains');
    }
  });

  it('posts a scheduled drop exactly once although both processes run the scheduler', async () => {
    const guild = discord.guilds.find((g) => shardOf(g.id, 2) === 1)!;
    const channel = guild.channels[0]!;
    const sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
    // Due now for both processes' schedulers; only the shard owning the guild may claim it.
    await sql.query(
      `INSERT INTO schedules (id, guild_id, channel_id, cron, time_zone, topics, reveal_every_minutes, created_by, next_run_at) VALUES (gen_random_uuid(), $1, $2, '0 9 * * *', 'UTC', '{distillation}', 1, 'test', now())`,
      [guild.id, channel.id],
    );
    const summary = await discord.waitForMessage((m) => messageText(m).includes('🏁 Drop complete'), 60_000);
    expect(summary).toBeDefined();
    await new Promise((r) => setTimeout(r, 2000));
    expect(discord.channelMessages(channel.id).filter((m) => messageText(m).includes('Question drop'))).toHaveLength(1);
    const steps = await sql.query(`SELECT step, count(*)::int AS n FROM drop_steps GROUP BY step HAVING count(*) > 1`);
    expect(steps.rows).toEqual([]);
    await sql.end();
  }, 90_000);
});
