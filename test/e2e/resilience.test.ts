import { afterAll, afterEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { commands } from '../../commands/index.js';
import { readMigrations } from '../../src/platform/db/migrate.js';
import { FakeDiscord, messageText } from '../support/fake-discord.js';
import { BotProcess, botEnv } from '../support/bot-process.js';
import { createTestDatabase, serverReachable, type TestDatabase } from '../support/database.js';
import { TcpProxy } from '../support/tcp-proxy.js';

const sharedServer = await serverReachable();

const defs = commands.map((c) => c.data.toJSON());
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => {});
});

async function setup(label: string) {
  const discord = await FakeDiscord.start({ commands: defs });
  const db = await createTestDatabase(label);
  cleanups.push(() => db.drop(), () => discord.close());
  return { discord, db };
}

describe('the bot under failure', () => {
  it('answers "temporarily unavailable" while the database is gone, and recovers by itself', async () => {
    const { discord, db } = await setup('dbdown');
    const u = new URL(db.url);
    const proxy = await TcpProxy.start(u.hostname, Number(u.port || 5432));
    cleanups.push(() => proxy.close());
    const bot = BotProcess.start(botEnv(discord.apiUrl, proxy.wrap(db.url)));
    cleanups.push(() => bot.stop('SIGKILL'));
    await bot.ready();
    const admin = discord.user('admin');
    expect((await discord.slash(admin, 'settings', { theme: 'light' }, { admin: true })).content).toMatch(/Settings saved/);

    proxy.cut();
    const down = await discord.slash(admin, 'settings', { theme: 'dark' }, { admin: true, timeoutMs: 15_000 });
    expect(down.ephemeral).toBe(true);
    expect(down.content).toMatch(/temporarily unavailable/);
    expect(bot.exitCode).toBeNull();
    await bot.waitForLog((l) => l.msg === 'database unavailable during interaction');
    // /help does not need the database and keeps working meanwhile.
    expect(messageText((await discord.slash(admin, 'help')).message)).toContain('follow-up chains');

    proxy.restore();
    const back = await discord.slash(admin, 'settings', {}, { admin: true, timeoutMs: 15_000 });
    expect(back.content).toContain('**light**'); // the failed change did not half-apply
    expect((await discord.slash(admin, 'settings', { theme: 'dark' }, { admin: true })).content).toMatch(/Settings saved/);
  });

  it('turns a handler error into a private apology and one error log line', async () => {
    const { discord, db } = await setup('boom');
    const bot = BotProcess.start(botEnv(discord.apiUrl, db.url));
    cleanups.push(() => bot.stop('SIGKILL'));
    await bot.ready();
    // Break the schema under the running bot: the handler's query now throws a real error.
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    await c.query('ALTER TABLE guild_settings RENAME TO guild_settings_gone');
    await c.end();
    const res = await discord.slash(discord.user('admin'), 'settings', {}, { admin: true });
    expect(res.ephemeral).toBe(true);
    expect(res.content).toMatch(/something went wrong on my side/);
    const ref = /reference `([0-9a-f]{8})`/.exec(res.content)?.[1];
    expect(ref).toBeDefined();
    const line = await bot.waitForLog((l) => l.msg === 'interaction failed');
    expect(line).toMatchObject({ level: 50, command: 'settings', ref });
    expect(bot.exitCode).toBeNull();
    expect((await discord.slash(discord.user('admin'), 'help')).callbackType).toBe(4);
  });

  // Several processes need a shared server; the embedded database is single-process by design.
  it.skipIf(!sharedServer)('starts two processes at once on an empty database: both ready, migrations applied once', async () => {
    const { discord, db } = await setup('twoproc');
    const a = BotProcess.start(botEnv(discord.apiUrl, db.url));
    const b = BotProcess.start(botEnv(discord.apiUrl, db.url));
    cleanups.push(() => a.stop('SIGKILL'), () => b.stop('SIGKILL'));
    await Promise.all([a.ready(), b.ready()]);
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    const { rows } = await c.query('SELECT migration_name, finished_at FROM _prisma_migrations');
    await c.end();
    expect(rows.map((r) => r.migration_name).sort()).toEqual(readMigrations().map((m) => m.name));
    expect(rows.every((r) => r.finished_at !== null)).toBe(true);
    const applied = [a, b].map((p) => p.logs.find((l) => l.msg === 'database migrations checked')!.applied as string[]);
    expect(applied.map((x) => x.length).sort()).toEqual([0, readMigrations().length]);
  });

  it('shuts down cleanly on SIGTERM within 10 s, exit code 0', async () => {
    const { discord, db } = await setup('sigterm');
    const bot = BotProcess.start(botEnv(discord.apiUrl, db.url));
    cleanups.push(() => bot.stop('SIGKILL'));
    await bot.ready();
    const t0 = Date.now();
    const code = await bot.stop('SIGTERM');
    expect(code).toBe(0);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(bot.logs.some((l) => l.msg === 'shutdown complete')).toBe(true);
  });
});

afterAll(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => {});
});
