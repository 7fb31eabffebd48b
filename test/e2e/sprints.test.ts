import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { FakeDiscord, buttonId, embedText, type FakeMessage, type FakeUser } from '../support/fake-discord.js';
import { BotProcess, botEnv } from '../support/bot-process.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { decodePng } from '../support/png.js';

let discord: FakeDiscord;
let db: TestDatabase;
let bot: BotProcess;
let sql: pg.Client;

beforeAll(async () => {
  discord = await FakeDiscord.start({ commands: commands.map((c) => c.data.toJSON()) });
  db = await createTestDatabase('sprints');
  bot = BotProcess.start(botEnv(discord.apiUrl, db.url, { SCHEDULER_TICK_SECONDS: '1' }));
  await bot.ready();
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
});

afterAll(async () => {
  await sql?.end();
  await bot?.stop();
  await discord?.close();
  await db?.drop();
});

const button = (m: FakeMessage, prefix: string, suffix = '') => buttonId(m, prefix, suffix)!;

describe('sprints', () => {
  it('runs a 30-player sprint whose podium matches the stored answers', async () => {
    const starter = discord.user('host');
    const lobby = await discord.slash(starter, 'sprint', { topic: 'roc-auc', rounds: 3, seconds: 10 });
    expect(lobby.content).toMatch(/Sprint!\*\* 3 questions on \*\*roc-auc\*\*/);
    const joinId = button(lobby.message!, 'bp1:spj:');
    const players: FakeUser[] = Array.from({ length: 29 }, (_, i) => discord.user(`runner${i}`));
    const joins = await Promise.all(players.map((p) => discord.click(p, lobby.message!, button(lobby.message!, 'bp1:spj:'))));
    expect(joins.filter((j) => !(j.ephemeral && /You're in!/.test(j.content))).map((j) => j.content)).toEqual([]);
    expect((await discord.click(players[0]!, lobby.message!, button(lobby.message!, 'bp1:sps:'))).content).toMatch(/Only the member who opened/);
    await discord.click(starter, lobby.message!, button(lobby.message!, 'bp1:sps:'));
    await discord.waitForMessage((m) => m.embeds.some((e) => typeof e.title === 'string' && e.title.startsWith('Sprint question 1 of 3')), 20_000);
    const late = await discord.click(discord.user('latecomer'), lobby.message!, joinId, { raw: true });
    expect(late.content).toMatch(/already started|has ended/);

    const everyone = [starter, ...players];
    for (let round = 0; round < 3; round++) {
      const q = await discord.waitForMessage((m) => m.origin === 'channel' && m.embeds.some((e) => typeof e.title === 'string' && e.title.startsWith(`Sprint question ${round + 1} of 3`)), 20_000);
      // Player i answers right when (i + round) % 3 != 0; everyone clicks twice (first click counts).
      await Promise.all(
        everyone.map(async (p, i) => {
          const right = (i + round) % 3 !== 0;
          await discord.click(p, q, button(q, 'bp1:spa:', right ? ':0' : ':1'));
          const again = await discord.click(p, q, button(q, 'bp1:spa:', right ? ':1' : ':0'));
          expect(again.content).toMatch(/first click already counts|closed/);
        }),
      );
    }
    const end = await discord.waitForMessage((m) => m.content.startsWith('🏁 **Sprint over!**'), 30_000);
    const stored = await sql.query(`SELECT user_id, sum(points)::int AS points, count(*) FILTER (WHERE correct)::int AS correct FROM sprint_answers GROUP BY user_id ORDER BY points DESC, correct DESC, user_id`);
    expect(stored.rows).toHaveLength(30);
    for (const r of stored.rows) {
      const i = everyone.findIndex((p) => p.id === r.user_id);
      expect(r.correct).toBe([0, 1, 2].filter((round) => (i + round) % 3 !== 0).length);
    }
    const name = (id: string) => everyone.find((p) => p.id === id)!.username;
    const podium = end.content.split('\n').slice(1);
    expect(podium).toEqual(stored.rows.slice(0, 3).map((r, i) => `${['🥇', '🥈', '🥉'][i]} ${name(r.user_id)}: ${r.points.toLocaleString('en-US')}`));
    expect(embedText(end.embeds[0]!)).toMatch(/Answers \(30\)/);
    expect((await decodePng(end.attachments[0]!.data)).height).toBeGreaterThan(300);
    expect(Number((await sql.query(`SELECT count(*) AS n FROM answers WHERE mode = 'sprint'`)).rows[0].n)).toBe(90);
  }, 90_000);
});
