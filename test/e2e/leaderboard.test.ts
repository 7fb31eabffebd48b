import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { FakeDiscord, isComponentsV2, messageText, type FakeUser } from '../support/fake-discord.js';
import { BotProcess, botEnv } from '../support/bot-process.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { decodePng } from '../support/png.js';

let discord: FakeDiscord;
let db: TestDatabase;
let bot: BotProcess;
let sql: pg.Client;
let members: FakeUser[];

/** Answers straight into the answer store's table; the trigger keeps the leaderboard aggregates. */
let batch = 0;
async function answer(user: FakeUser, at: string, points: number, correct: boolean, n = 1) {
  batch++;
  await sql.query(
    `INSERT INTO answers (event_key, event_id, event_step, user_id, guild_id, channel_id, prompt_id, topic, mode, given, verdict, score, points, answered_at)
     SELECT 'seed:' || $9 || ':' || g, gen_random_uuid(), 0, $1, $3, $4, 'auc-probabilistic-meaning', 'roc-auc', 'drop', 'x', $5::"Verdict", $6, $7, $2::timestamptz
     FROM generate_series(1, $8) AS g`,
    [user.id, at, discord.guild.id, discord.channel.id, correct ? 'correct' : 'wrong', correct ? 1 : 0, points, n, batch],
  );
}

beforeAll(async () => {
  discord = await FakeDiscord.start({ commands: commands.map((c) => c.data.toJSON()) });
  db = await createTestDatabase('leaderboard');
  bot = BotProcess.start(botEnv(discord.apiUrl, db.url));
  await bot.ready();
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  members = Array.from({ length: 14 }, (_, i) => discord.user(`m${String(i).padStart(2, '0')}`));
  const now = new Date();
  const iso = (d: Date) => d.toISOString();
  const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000);
  // In time order, as answers really arrive (the aggregates are maintained on write).
  for (const [i, m] of members.entries()) {
    // Long ago: only the all-time board sees these (reversed order, so the boards differ).
    await answer(m, iso(daysAgo(400)), 1000 * (i + 1), true);
    // Streaks: member i was active on each of the last 13 - i days before today.
    for (let d = 13 - i; d >= 1; d--) await answer(m, iso(daysAgo(d)), 0, true);
    // Today: 20 answers each, fewer right and fewer points down the list.
    await answer(m, iso(now), 100, true, 20 - i);
    if (i > 0) await answer(m, iso(now), 0, false, i);
    await sql.query(`INSERT INTO ratings (guild_id, user_id, elo, games) VALUES ($1, $2, $3, 1)`, [discord.guild.id, m.id, 1400 - i * 10]);
  }
  // Two more this week: one with 12 answers, all wrong (no points), one with 7 right answers (under the accuracy minimum).
  await answer(zero(), iso(now), 0, false, 12);
  await answer(few(), iso(now), 100, true, 7);
});
const zero = () => discord.user('zero-points');
const few = () => discord.user('seven-answers');

afterAll(async () => {
  await sql?.end();
  await bot?.stop();
  await discord?.close();
  await db?.drop();
});

const caller = () => members[13]!; // last on every recent board: outside the top ten
const lines = (text: string) => text.split('\n').filter((l) => /^\d+\. /.test(l));

/** /leaderboard as the caller reads it: a Components v2 card (no content, no embed), its text. */
async function boardCard(user: FakeUser, options: Record<string, unknown>) {
  const res = await discord.slash(user, 'leaderboard', options);
  expect(isComponentsV2(res.message)).toBe(true);
  expect(res.content).toBe('');
  expect(res.message!.embeds).toEqual([]);
  return { res, text: messageText(res.message) };
}

describe('/leaderboard', () => {
  it('points this week: the top ten and the caller outside it', async () => {
    const { res, text } = await boardCard(caller(), { period: 'week', board: 'points' });
    expect(res.ephemeral).toBe(false);
    expect(text.split('\n')[0]).toBe('### 🏆 Points, this week');
    expect(lines(text)).toEqual(members.slice(0, 10).map((m, i) => `${i + 1}. ${m.username}: ${((20 - i) * 100).toLocaleString('en-US')}`));
    expect(text).toContain('You: #14 with 700');
    // What the board counts, as subtext under the image.
    expect(text).toContain('-# Weeks start on Monday (UTC).');
    // The image sits in the card's media gallery, under the text and above the footnote.
    const container = res.message!.components[0] as { components: { type: number; content?: string; items?: { media: { url: string } }[] }[] };
    expect(container.components.map((c) => c.type)).toEqual([10, 12, 10]);
    expect(container.components[1]!.items![0]!.media.url).toBe('attachment://leaderboard.png');
    expect(container.components[2]!.content!.split('\n').every((l) => l.startsWith('-# '))).toBe(true);
    expect(res.files.map((f) => f.filename)).toEqual(['leaderboard.png']);
    expect((await decodePng(res.files[0]!.data)).height).toBeGreaterThan(400);
  });

  it('points all time includes the old answers', async () => {
    const { text } = await boardCard(caller(), { period: 'all', board: 'points' });
    // m13: 700 this week + 14,000 long ago = 14,700, the most.
    expect(lines(text)[0]).toBe(`1. ${caller().username}: 14,700`);
    expect(text).toContain('You: #1 with 14,700');
  });

  it('points this month; a member with 0 points is not ranked', async () => {
    const { text } = await boardCard(caller(), { period: 'month', board: 'points' });
    expect(lines(text)[0]).toMatch(/^1\. m00: 2,000$/);
    const mine = await boardCard(zero(), { period: 'month', board: 'points' });
    expect(mine.text).not.toContain('zero-points');
    expect(mine.text).toContain('You have no points in this period yet.');
  });

  it('every board says how points are earned', async () => {
    for (const board of ['points', 'accuracy', 'elo', 'streak']) {
      const { text } = await boardCard(caller(), { period: 'week', board });
      expect(text).toContain('-# Points: 100 a right answer (L5 125, L6 150, drills 125), half for a partial one, in every mode. Live drops, duels and sprints add up to +50% for speed; practice scores a question once a day.');
    }
  });

  it('accuracy (minimum answers stated), elo and streak', async () => {
    const acc = await boardCard(caller(), { period: 'week', board: 'accuracy' });
    expect(lines(acc.text)[0]).toBe('1. m00: 100%');
    expect(acc.text).toMatch(/You: #14 with 35%/);
    // What it counts and from how many answers, said on the board; the member with 12 wrong answers is ranked at 0%.
    expect(acc.text).toContain('Right answers out of all answers in this server, every mode (a partial one is not right); ranked from 10 answers.');
    const few7 = await boardCard(few(), { period: 'week', board: 'accuracy' });
    expect(few7.text).toContain('You are not ranked yet: 7 answers this week, 10 needed.');
    const zeroAcc = await boardCard(zero(), { period: 'week', board: 'accuracy' });
    expect(zeroAcc.text).toContain('You: #15 with 0%');
    const elo = await boardCard(caller(), { period: 'week', board: 'elo' });
    expect(lines(elo.text).slice(0, 2)).toEqual(['1. m00: 1400', '2. m01: 1390']);
    expect(elo.text).toContain('You: #14 with 1270');
    const streak = await boardCard(caller(), { period: 'all', board: 'streak' });
    expect(lines(streak.text)[0]).toBe('1. m00: 14 days');
    expect(streak.text).toContain('You: #14 with 1 day');
  });
});
