import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { loadBank } from '../../src/bank/load.js';
import { FakeDiscord, componentsOf, embedText, type FakeMessage, type FakeUser } from '../support/fake-discord.js';
import { BotProcess, botEnv } from '../support/bot-process.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { decodePng } from '../support/png.js';

// The bot's clock runs 60x faster: one real second is one minute for the scheduler.
const SPEED = 60;
const bank = loadBank();
let discord: FakeDiscord;
let db: TestDatabase;
let bot: BotProcess;
let sql: pg.Client;
let admin: FakeUser;
const channel = (name: string) => discord.guild.channels.find((c) => c.name === name)!;

beforeAll(async () => {
  discord = await FakeDiscord.start({
    commands: commands.map((c) => c.data.toJSON()),
    guilds: [{ name: 'Study Group', channels: ['general', 'drops', 'locked'], botDenied: ['locked'] }],
  });
  db = await createTestDatabase('drops');
  bot = BotProcess.start(botEnv(discord.apiUrl, db.url, { CLOCK_SPEED: String(SPEED), SCHEDULER_TICK_SECONDS: '1' }));
  await bot.ready();
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  admin = discord.user('admin');
});

afterAll(async () => {
  await sql?.end();
  await bot?.stop();
  await discord?.close();
  await db?.drop();
});

/** "HH:MM" in a time zone, `minutes` ahead of the bot's (60x) clock. */
async function localTimeAhead(zone: string, minutes: number): Promise<{ hhmm: string; at: number }> {
  // The bot's clock is origin + (now - origin) * SPEED, origin being when it logged the shift.
  const origin = Date.parse(bot.logs.find((l) => l.msg === 'the clock is shifted (CLOCK_OFFSET_MS / CLOCK_SPEED)')!.time as string);
  const botNow = origin + (Date.now() - origin) * SPEED;
  const at = Math.ceil((botNow + minutes * 60_000) / 60_000) * 60_000;
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(at));
  return { hhmm: parts, at };
}

describe('scheduled drops', () => {
  it('refuses bad schedules with a clear private message and changes nothing', async () => {
    const cases: [Record<string, unknown>, RegExp, boolean?][] = [
      [{ channel: channel('drops'), when: '25:99' }, /not a time of day/],
      [{ channel: channel('drops'), when: '0 9 * *' }, /five fields/],
      [{ channel: channel('drops'), when: '99 9 * * *' }, /not a valid cron expression/],
      [{ channel: channel('drops'), when: '09:00', timezone: 'Mars/Olympus' }, /not a time zone I know/],
      [{ channel: channel('drops'), when: '09:00', topics: 'xgboost, astrology' }, /Unknown topic: `astrology`/],
      [{ channel: channel('locked'), when: '09:00' }, /can't post drops in <#\d+>: I'm missing \*\*Send Messages\*\*/],
    ];
    for (const [options, message] of cases) {
      const res = await discord.slash(admin, 'schedule set', options, { admin: true });
      expect(res.ephemeral).toBe(true);
      expect(res.content).toMatch(message);
    }
    const member = await discord.slash(discord.user('bob'), 'schedule set', { channel: channel('drops'), when: '09:00' });
    expect(member.content).toMatch(/Manage Server/);
    expect(Number((await sql.query('SELECT count(*) AS n FROM schedules')).rows[0].n)).toBe(0);
  });

  it('posts the drop at its local time with a thread, reveals follow-ups on cadence, records answers and sums up', async () => {
    const { hhmm, at } = await localTimeAhead('Asia/Tokyo', 3);
    const set = await discord.slash(admin, 'schedule set', { channel: channel('drops'), when: hhmm, timezone: 'Asia/Tokyo', topics: 'roc-auc', role: '777000000000000001', every_minutes: 5 }, { admin: true });
    expect(set.content).toMatch(new RegExp(`Scheduled\\. \`[0-9a-f]{8}\` <#${channel('drops').id}> every day at ${hhmm} \\(Asia/Tokyo\\)`));
    const list = await discord.slash(admin, 'schedule list', {}, { admin: true });
    expect(list.content).toContain('topics roc-auc');

    const root = await discord.waitForMessage((m) => m.channel_id === channel('drops').id && m.content.includes('Question drop'), 20_000);
    let drop = (await sql.query('SELECT id, chain_id, slot_at, thread_id FROM drops')).rows[0];
    for (let i = 0; i < 100 && !drop?.thread_id; i++) {
      await new Promise((r) => setTimeout(r, 50));
      drop = (await sql.query('SELECT id, chain_id, slot_at, thread_id FROM drops')).rows[0];
    }
    expect(new Date(drop.slot_at).getTime()).toBe(at);
    const chain = bank.chainById.get(drop.chain_id)!;
    expect(chain.topic).toBe('roc-auc');
    expect(root.content).toContain('<@&777000000000000001>');
    expect(root.allowed_mentions).toEqual({ parse: [], roles: ['777000000000000001'] });
    expect(root.thread?.id).toBe(drop.thread_id);
    expect(root.attachments[0]!.filename).toBe('step-0.png');
    expect((await decodePng(root.attachments[0]!.data)).width).toBeGreaterThan(300);

    // Three members answer the root: right, wrong, and in their own words.
    const [ann, ben, cat] = ['ann', 'ben', 'cat'].map((n) => discord.user(n));
    const buttonFor = (m: FakeMessage, optionId: number) => componentsOf(m).find((c) => c.custom_id.startsWith('bp1:da:') && c.custom_id.endsWith(`:${optionId}`))!.custom_id;
    const a = await discord.click(ann!, root, buttonFor(root, 0));
    expect(a.ephemeral).toBe(true);
    expect(a.content).toMatch(/Answer recorded \(\+\d{3} points\)\. ✅ Correct!/);
    const again = await discord.click(ann!, root, buttonFor(root, 1));
    expect(again.content).toMatch(/already answered/);
    expect((await discord.click(ben!, root, buttonFor(root, 2))).content).toMatch(/❌ Not this time/);
    const own = await discord.click(cat!, root, componentsOf(root).find((c) => c.custom_id.startsWith('bp1:dx:'))!.custom_id);
    const prompt0 = chain.prompts[0]!;
    const catAnswer = await discord.submitModal(cat!, own.modal!, { answer: prompt0.keyPoints.map((k) => k.accept[0]).join('. ') }, { message: root });
    expect(catAnswer.content).toMatch(/Key points: \d\/\d/);

    // Follow-up 1 arrives in the thread after 5 bot minutes, with the root's reveal.
    const step1 = await discord.waitForMessage((m) => m.channel_id === drop.thread_id && m.content.includes('Follow-up 1'), 20_000);
    const reveal = embedText(step1.embeds[0]!);
    expect(reveal).toContain('How the channel answered (3)');
    expect(reveal).toMatch(/✅ \*\*[A-E]\*\* .*: 1/);
    expect(reveal).toContain('In their own words: 1');
    expect(reveal).toContain(prompt0.testing.slice(0, 40));

    // A late answer to the root counts for mastery, not for points (its answer is public by then).
    const late = await discord.click(discord.user('dan'), root, buttonFor(root, 0));
    expect(late.content).toMatch(/Late answer recorded for your mastery \(no points once the answer is out\)/);

    const summary = await discord.waitForMessage((m) => m.channel_id === drop.thread_id && m.embeds.some((e) => e.title === '🏁 Drop complete'), 60_000);
    const text = embedText(summary.embeds.at(-1)!);
    expect(text).toContain('4 participants');
    expect(text).toMatch(/Root: 3\/4 correct/); // ann, dan and cat (all key points in her own words) right; ben wrong
    expect(text).toMatch(/Fastest correct: ann/);
    expect(summary.attachments.map((f) => f.filename)).toEqual(['summary.png']);

    // Every step exactly once, and all answers in the answer store.
    const steps = await sql.query('SELECT step, count(*)::int AS n FROM drop_steps GROUP BY step ORDER BY step');
    expect(steps.rows).toEqual(Array.from({ length: chain.prompts.length + 1 }, (_, i) => ({ step: i, n: 1 })));
    const threadMessages = discord.channelMessages(drop.thread_id);
    expect(threadMessages).toHaveLength(chain.prompts.length);
    const answers = await sql.query(`SELECT user_id, mode FROM answers WHERE event_id = $1 AND event_step = 0`, [drop.id]);
    expect(answers.rows).toHaveLength(4);
    expect(new Set(answers.rows.map((r) => r.mode))).toEqual(new Set(['drop']));
  }, 120_000);

  it('reveals the next follow-up as soon as K members have answered', async () => {
    const opts = { admin: true, channel: channel('general') };
    const res = await discord.slash(admin, 'drop', { topic: 'temporal' }, opts);
    expect(res.content).toMatch(/Posted a drop/);
    const drop = (await sql.query(`SELECT id, thread_id FROM drops WHERE channel_id = $1`, [channel('general').id])).rows[0];
    // /drop uses the default cadence (60 bot minutes = 60 s here); make this drop reveal after 2 answers instead.
    await sql.query('UPDATE drops SET reveal_after_answers = 2, reveal_every_minutes = 600, next_step_at = next_step_at + interval \'10 hours\' WHERE id = $1', [drop.id]);
    const root = await discord.waitForMessage((m) => m.channel_id === channel('general').id && m.content.includes('Question drop'));
    const first = componentsOf(root).find((c) => c.custom_id.startsWith('bp1:da:'))!.custom_id;
    await discord.click(discord.user('eve'), root, first);
    await new Promise((r) => setTimeout(r, 1500));
    expect(discord.channelMessages(drop.thread_id)).toHaveLength(0); // one answer: not yet
    await discord.click(discord.user('finn'), root, first);
    const step1 = await discord.waitForMessage((m) => m.channel_id === drop.thread_id && m.content.includes('Follow-up 1'), 10_000);
    expect(embedText(step1.embeds[0]!)).toContain('How the channel answered (2)');
  }, 60_000);
});
