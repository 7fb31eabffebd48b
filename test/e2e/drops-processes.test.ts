import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { loadBank } from '../../src/bank/load.js';
import { FakeDiscord, componentsOf, messageText, type FakeMessage } from '../support/fake-discord.js';
import { BotProcess, botEnv } from '../support/bot-process.js';
import { createTestDatabase, serverReachable } from '../support/database.js';

const SPEED = 60; // one real second is one bot minute
const bank = loadBank();
const sharedServer = await serverReachable();
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => {});
});

async function setup(label: string) {
  const discord = await FakeDiscord.start({ commands: commands.map((c) => c.data.toJSON()), guilds: [{ name: 'Study Group', channels: ['general', 'drops'] }] });
  const db = await createTestDatabase(label);
  const sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  cleanups.push(() => db.drop(), () => discord.close(), () => sql.end());
  // Every process (and every restart) shares one fast timeline.
  const anchor = Date.now();
  const env = botEnv(discord.apiUrl, db.url, { CLOCK_SPEED: String(SPEED), CLOCK_ANCHOR_MS: String(anchor), SCHEDULER_TICK_SECONDS: '1' });
  const start = () => {
    const bot = BotProcess.start(env);
    cleanups.push(() => bot.stop('SIGKILL'));
    return bot;
  };
  const botNow = () => anchor + (Date.now() - anchor) * SPEED;
  const hhmmIn = (minutes: number) => {
    const at = Math.ceil((botNow() + minutes * 60_000) / 60_000) * 60_000;
    return { at, hhmm: new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(at)) };
  };
  const drops = discord.guild.channels.find((c) => c.name === 'drops')!;
  return { discord, sql, start, hhmmIn, drops };
}

async function expectEachStepOnce(discord: FakeDiscord, sql: pg.Client, channelId: string) {
  const drop = (await sql.query('SELECT id, chain_id, thread_id, status FROM drops')).rows;
  expect(drop).toHaveLength(1);
  const chain = bank.chainById.get(drop[0].chain_id)!;
  expect(drop[0].status).toBe('done');
  expect(discord.channelMessages(channelId).filter((m: FakeMessage) => messageText(m).includes('Question drop'))).toHaveLength(1);
  const inThread = discord.channelMessages(drop[0].thread_id);
  // Per step after the root: the previous step's reveal (one page or more), then the follow-up (or the summary).
  const followUps = inThread.filter((m) => /Follow-up \d+ of/.test(messageText(m)));
  const summaries = inThread.filter((m) => messageText(m).includes('🏁 Drop complete'));
  const revealPages = inThread.filter((m) => messageText(m).includes('✅ Answer to '));
  const firstPages = revealPages.filter((m) => !/✅ Answer to .*\((?!1 of)\d+ of \d+\)/.test(messageText(m)));
  expect([firstPages.length, followUps.length, summaries.length]).toEqual([chain.prompts.length, chain.prompts.length - 1, 1]);
  expect(inThread).toHaveLength(revealPages.length + followUps.length + summaries.length);
  // Each message carries its own recovery marker (a button's custom id): none twice.
  const markers = inThread.map((m) => componentsOf(m).find((c) => /^bp1:(dx|dru):/.test(c.custom_id))?.custom_id);
  expect(markers.every(Boolean)).toBe(true);
  expect(new Set(markers).size).toBe(markers.length);
  const steps = await sql.query('SELECT step, status FROM drop_steps ORDER BY step');
  expect(steps.rows).toEqual(Array.from({ length: chain.prompts.length + 1 }, (_, i) => ({ step: i, status: 'posted' })));
}

describe('drops with several processes and crashes', () => {
  it.skipIf(!sharedServer)('two bot processes against one database post each drop and each reveal exactly once', async () => {
    const { discord, sql, start, hhmmIn, drops } = await setup('drops2p');
    const [a, b] = [start(), start()];
    await Promise.all([a.ready(), b.ready()]);
    const { hhmm } = hhmmIn(2);
    const set = await discord.slash(discord.user('admin'), 'schedule set', { channel: drops, when: hhmm, timezone: 'UTC', topics: 'distillation', every_minutes: 2 }, { admin: true });
    expect(set.content).toMatch(/^Scheduled/);
    await discord.waitForMessage((m) => messageText(m).includes('🏁 Drop complete'), 60_000);
    await new Promise((r) => setTimeout(r, 1500)); // a few more ticks of both processes
    await expectEachStepOnce(discord, sql, drops.id);
    // Both processes really ran the scheduler.
    expect(a.logs.some((l) => l.msg === 'scheduler tick') || b.logs.some((l) => l.msg === 'scheduler tick')).toBe(true);
    expect(a.exitCode).toBeNull();
    expect(b.exitCode).toBeNull();
  }, 120_000);

  it('a process killed mid-drop is restarted and completes the drop without duplicates', async () => {
    const { discord, sql, start, hhmmIn, drops } = await setup('dropkill');
    const first = start();
    await first.ready();
    const { hhmm } = hhmmIn(2);
    await discord.slash(discord.user('admin'), 'schedule set', { channel: drops, when: hhmm, timezone: 'UTC', topics: 'distillation', every_minutes: 2 }, { admin: true });
    await discord.waitForMessage((m) => messageText(m).includes('Question drop'), 30_000);
    await first.stop('SIGKILL'); // mid-drop: follow-ups still to come
    const before = (await sql.query('SELECT posted FROM drops')).rows[0].posted as number;
    const chain = bank.chainById.get((await sql.query('SELECT chain_id FROM drops')).rows[0].chain_id)!;
    expect(before).toBeLessThan(chain.prompts.length + 1);
    await new Promise((r) => setTimeout(r, 3000)); // three bot minutes of downtime
    const second = start();
    await second.ready();
    await discord.waitForMessage((m) => messageText(m).includes('🏁 Drop complete'), 60_000);
    await new Promise((r) => setTimeout(r, 1500));
    await expectEachStepOnce(discord, sql, drops.id);
  }, 120_000);
});
