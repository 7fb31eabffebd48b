import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { FakeDiscord } from '../support/fake-discord.js';
import { BotProcess, botEnv } from '../support/bot-process.js';
import { createTestDatabase } from '../support/database.js';

const defs = commands.map((c) => c.data.toJSON());
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => {});
});

describe('operating the bot', () => {
  it('serves /healthz and Prometheus /metrics with interaction counts', async () => {
    const discord = await FakeDiscord.start({ commands: defs });
    const db = await createTestDatabase('ops');
    cleanups.push(() => db.drop(), () => discord.close());
    const bot = BotProcess.start(botEnv(discord.apiUrl, db.url));
    cleanups.push(() => bot.stop('SIGKILL'));
    const ready = await bot.ready();
    const base = `http://127.0.0.1:${ready.metricsPort as number}`;

    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', database: 'up', gateway: { ready: true } });

    await discord.slash(discord.user('alice'), 'help');
    await discord.slash(discord.user('bob'), 'settings', {}); // refused: not an admin
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/backprop_interactions_total\{command="help",kind="command",outcome="ok"\} 1/);
    expect(metrics).toMatch(/backprop_interactions_total\{command="settings",kind="command",outcome="user_error"\} 1/);
    expect(metrics).toMatch(/backprop_interaction_duration_seconds_count\{command="help",kind="command"\} 1/);
    expect(metrics).toMatch(/backprop_interaction_duration_seconds_bucket\{le="10",command="help",kind="command"\} 1/);
    // The token never reaches the logs.
    expect(JSON.stringify(bot.logs)).not.toContain('fake-token.for-tests');
  });

  it('runs on the embedded database under DATA_DIR when DATABASE_URL is unset, and keeps data across restarts', async () => {
    const discord = await FakeDiscord.start({ commands: defs });
    cleanups.push(() => discord.close());
    const dataDir = mkdtempSync(path.join(tmpdir(), 'bp-data-'));
    const env = botEnv(discord.apiUrl, undefined, { DATA_DIR: dataDir });
    const first = BotProcess.start(env);
    cleanups.push(() => first.stop('SIGKILL'));
    await first.ready(90_000);
    expect(first.logs.some((l) => /DATABASE_URL is not set: using the embedded PostgreSQL/.test(l.msg))).toBe(true);
    const admin = discord.user('admin');
    expect((await discord.slash(admin, 'settings', { timezone: 'Asia/Tokyo' }, { admin: true })).content).toMatch(/Settings saved/);
    expect(await first.stop('SIGTERM')).toBe(0);
    expect(readdirSync(dataDir)).toContain('pglite');

    const second = BotProcess.start(env);
    cleanups.push(() => second.stop('SIGKILL'));
    await second.ready(90_000);
    await discord.waitForBot();
    const shown = await discord.slash(admin, 'settings', {}, { admin: true });
    expect(shown.content).toContain('Asia/Tokyo');
  }, 180_000);

  it('exits with one clear line when the token is missing', async () => {
    const bot = BotProcess.start({ DISCORD_TOKEN: undefined, DATABASE_URL: undefined, DOTENV_CONFIG_PATH: '/nonexistent' });
    expect(await bot.exited).toBe(1);
    expect(bot.stderr.join('').trim()).toBe('Invalid configuration: DISCORD_TOKEN is required: the bot token from the Discord developer portal (Bot > Token)');
  });
});
