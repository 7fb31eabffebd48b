/**
 * kill -9 between a duel's result and its Elo: the real bot process plays a duel to its end
 * and SIGKILLs itself (BACKPROP_FAULT=duel-after-finish, see src/platform/fault.ts) right after
 * the result is committed, before anything is posted. Restarted on the same database, it must
 * have moved both ratings and post the result exactly once.
 */
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { FakeDiscord, buttonId, messageText, type FakeMessage } from '../support/fake-discord.js';
import { BotProcess, botEnv } from '../support/bot-process.js';
import { createTestDatabase } from '../support/database.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => {});
});

async function until<T>(what: string, read: () => Promise<T | null | undefined>, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('kill -9 between a duel result and its Elo', () => {
  it('the restarted bot has moved both ratings and posts the result once', async () => {
    const discord = await FakeDiscord.start({ commands: commands.map((c) => c.data.toJSON()) });
    const db = await createTestDatabase('duel_elo_kill');
    const sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
    cleanups.push(() => db.drop(), () => discord.close(), () => sql.end());
    const start = async (extra: Record<string, string> = {}) => {
      const bot = BotProcess.start(botEnv(discord.apiUrl, db.url, { SCHEDULER_TICK_SECONDS: '1', ...extra }));
      cleanups.push(() => bot.stop('SIGKILL'));
      await bot.ready();
      await discord.waitForBot();
      return bot;
    };

    const doomed = await start({ BACKPROP_FAULT: 'duel-after-finish' });
    const [a, b] = [discord.user('ann'), discord.user('ben')];
    const channel = discord.channel;
    const challenge = await discord.slash(a, 'duel', { opponent: b, rounds: 1, seconds: 30, topic: 'ensembles' });
    await discord.click(b, challenge.message!, buttonId(challenge.message, 'bp1:dza:')!);
    const round = await discord.waitForMessage((m) => messageText(m).includes('**Round 1 of 1**'), 20_000);
    // Option 0 is the right answer: ann wins, so both ratings must move (in opposite directions).
    expect((await discord.click(a, round, buttonId(round, 'bp1:dzq:', ':0')!)).content).toMatch(/Right/);
    expect((await discord.click(b, round, buttonId(round, 'bp1:dzq:', ':1')!)).content).toMatch(/Wrong/);
    // ben's answer closes the round and finishes the duel: the process dies right after the commit.
    await doomed.exited;
    expect(doomed.signal).toBe('SIGKILL');
    const [killedAt] = (await sql.query(`SELECT status FROM duels`)).rows;
    expect(killedAt.status).toBe('finished');

    await start();
    const ratings = await until(
      'both ratings',
      async () => {
        const { rows } = await sql.query(`SELECT user_id, elo, games FROM ratings ORDER BY user_id`);
        return rows.length === 2 ? rows : null;
      },
      20_000,
    );
    const byUser = new Map(ratings.map((r) => [r.user_id as string, r as { elo: number; games: number }]));
    expect(byUser.get(a.id)).toMatchObject({ games: 1 });
    expect(byUser.get(b.id)).toMatchObject({ games: 1 });
    const change = byUser.get(a.id)!.elo - 1200;
    expect(change).toBeGreaterThan(0);
    expect(byUser.get(b.id)!.elo - 1200).toBeCloseTo(-change, 6);
    const [duel] = (await sql.query(`SELECT status, winner_id, elo_change FROM duels`)).rows;
    expect(duel).toMatchObject({ status: 'finished', winner_id: a.id });
    expect(duel.elo_change).toBeCloseTo(change, 6);

    const isResult = (m: FakeMessage) => messageText(m).includes('**Duel over**');
    const result = await discord.waitForMessage((m) => m.channel_id === channel.id && isResult(m), 20_000);
    expect(messageText(result)).toMatch(/🏆 ann wins!/);
    expect(messageText(result)).toMatch(/\*\*ann\*\*: [\d,]+ points · 1\/1 right · Elo 1200 → 1216 \(\+16\)/);
    expect(messageText(result)).toMatch(/\*\*ben\*\*: 0 points · 0\/1 right · Elo 1200 → 1184 \(−16\)/);
    // The round was shown closed before the result was decided (and the process killed).
    expect(messageText(round)).toContain('**Closed**');
    // A few more scheduler ticks: the sweep must not post it again.
    await new Promise((r) => setTimeout(r, 3_500));
    expect(discord.channelMessages(channel.id).filter(isResult)).toHaveLength(1);
  }, 180_000);
});
