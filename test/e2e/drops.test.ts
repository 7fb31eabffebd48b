import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { loadBank } from '../../src/bank/load.js';
import { FakeDiscord, componentsOf, isComponentsV2, messageText, type FakeMessage, type FakeUser } from '../support/fake-discord.js';
import { BotProcess, botEnv } from '../support/bot-process.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { readable } from '../../src/render/readable.js';
import { findRawTex } from '../support/visible-text.js';

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
      [{ channel: channel('drops'), when: '09:00', topics: 'xgboost, astrology' }, /I have no topic called `astrology`/],
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

    const root = await discord.waitForMessage((m) => m.channel_id === channel('drops').id && messageText(m).includes('Question drop'), 20_000);
    let drop = (await sql.query('SELECT id, chain_id, slot_at, thread_id FROM drops')).rows[0];
    for (let i = 0; i < 100 && !drop?.thread_id; i++) {
      await new Promise((r) => setTimeout(r, 50));
      drop = (await sql.query('SELECT id, chain_id, slot_at, thread_id FROM drops')).rows[0];
    }
    expect(new Date(drop.slot_at).getTime()).toBe(at);
    const chain = bank.chainById.get(drop.chain_id)!;
    expect(chain.topic).toBe('roc-auc');
    const prompt0 = chain.prompts[0]!;
    // The root is a card: the question and the whole options as text, a countdown, the one role ping.
    expect(isComponentsV2(root)).toBe(true);
    const rootText = messageText(root);
    expect(rootText).toContain(`Question drop: ${chain.title}`);
    expect(rootText).toContain(readable(prompt0.question).text);
    for (const o of [prompt0.choice.correct, ...prompt0.choice.distractors]) expect(rootText).toContain(readable(o).text);
    expect(rootText).toMatch(/Answer revealed <t:\d+:R>/);
    expect(rootText).toContain('<@&777000000000000001>');
    expect(root.allowed_mentions).toEqual({ parse: [], roles: ['777000000000000001'] });
    expect(root.thread?.id).toBe(drop.thread_id);
    expect(root.attachments).toEqual([]); // no PNG repeating the question's text

    // Three members answer the root: right, wrong, and in their own words; one sentence each.
    const [ann, ben, cat] = ['ann', 'ben', 'cat'].map((n) => discord.user(n));
    const buttonFor = (m: FakeMessage, optionId: number) => componentsOf(m).find((c) => c.custom_id.startsWith('bp1:da:') && c.custom_id.endsWith(`:${optionId}`))!.custom_id;
    const a = await discord.click(ann!, root, buttonFor(root, 0));
    expect(a.ephemeral).toBe(true);
    expect(a.content).toMatch(/^✅ Correct, \+\d{3} points; the answer is revealed <t:\d+:R>\.$/);
    const again = await discord.click(ann!, root, buttonFor(root, 1));
    expect(again.content).toBe('You already answered this question; your first answer counts.');
    expect((await discord.click(ben!, root, buttonFor(root, 2))).content).toMatch(/^❌ Not this one; the answer is revealed <t:\d+:R>\.$/);
    const own = await discord.click(cat!, root, componentsOf(root).find((c) => c.custom_id.startsWith('bp1:dx:'))!.custom_id);
    const catAnswer = await discord.submitModal(cat!, own.modal!, { answer: prompt0.keyPoints.map((k) => k.accept[0]).join('. ') }, { message: root });
    const keyPoints = prompt0.keyPoints.length;
    expect(catAnswer.content).toMatch(new RegExp(`^✅ ${keyPoints} of ${keyPoints} key points?, \\+\\d{3} points; the model answer is revealed <t:\\d+:R>\\.$`));

    // Follow-up 1 arrives in the thread after 5 bot minutes, after the root's reveal.
    const step1 = await discord.waitForMessage((m) => m.channel_id === drop.thread_id && messageText(m).includes('Follow-up 1 of'), 20_000);
    expect(messageText(step1)).toMatch(/<t:\d+:R>/);
    const reveal = discord.channelMessages(drop.thread_id).find((m) => messageText(m).includes('✅ Answer to '))!;
    const revealText = messageText(reveal);
    expect(revealText).toContain('How the channel answered** · 3 answers');
    const options = componentsOf(root).filter((c) => c.custom_id.startsWith('bp1:da:'));
    const right = options.findIndex((c) => c.custom_id.endsWith(':0'));
    expect(revealText).toContain(`✅ **${'ABCDE'[right]}.** ${readable(prompt0.choice.correct).text} — **1**`); // whole, with its count
    expect(revealText).toContain('✍️ In their own words — **1**');
    expect(revealText).toContain(readable(prompt0.testing).text);

    // The root is edited to show it closed: buttons disabled, the right one green, the distribution.
    const closed = discord.messages.get(root.id)!;
    expect(componentsOf(closed).every((c) => c.disabled)).toBe(true);
    expect(componentsOf(closed).filter((c) => c.style === 3).map((c) => c.custom_id)).toEqual([buttonFor(root, 0)]);
    expect(messageText(closed)).toContain('🔒 Closed · 3 answers (1 in their own words)');
    expect(messageText(closed)).not.toMatch(/<t:\d+:R>/);

    // A click from a client that still shows the old buttons is refused: the answer is out.
    const late = await discord.click(discord.user('dan'), root, buttonFor(root, 0));
    expect(late.ephemeral).toBe(true);
    expect(late.content).toBe('This question has closed; its answer is in the thread.');
    // "Your answer" under the reveal tells each member what they answered.
    const mine = componentsOf(reveal).find((c) => c.label === 'Your answer')!.custom_id;
    expect((await discord.click(ann!, reveal, mine)).content).toMatch(new RegExp(`^You answered \\*\\*${'ABCDE'[right]}\\*\\*: ✅ right, \\+\\d{3} points\\.$`));
    expect((await discord.click(discord.user('dan'), reveal, mine)).content).toBe('You did not answer the root question.');

    const summary = await discord.waitForMessage((m) => m.channel_id === drop.thread_id && messageText(m).includes('🏁 Drop complete'), 60_000);
    const text = messageText(summary);
    expect(text).toContain('3 participants');
    expect(text).toContain('**Root question**: 2 of 3 answers correct (67%)'); // ann and cat (all key points in her own words) right; ben wrong
    expect(text).toContain(`Fastest correct: <@${ann!.id}>`);
    expect(summary.attachments).toEqual([]);
    const results = await discord.click(cat!, summary, componentsOf(summary).find((c) => c.label === 'Your results')!.custom_id);
    expect(results.content).toMatch(/^Root question: in your own words, ✅ right, \+\d{3} points\nFollow-up 1: no answer/);

    // Every step exactly once; every question closed; no internal id or raw TeX anywhere members read.
    const steps = await sql.query('SELECT step, count(*)::int AS n FROM drop_steps GROUP BY step ORDER BY step');
    expect(steps.rows).toEqual(Array.from({ length: chain.prompts.length + 1 }, (_, i) => ({ step: i, n: 1 })));
    const threadMessages = discord.channelMessages(drop.thread_id);
    const questions = [closed, ...threadMessages.filter((m) => /Follow-up \d+ of/.test(messageText(m)))];
    expect(questions).toHaveLength(chain.prompts.length);
    for (const q of questions) {
      expect(messageText(q)).toContain('🔒 Closed');
      expect(componentsOf(q).every((c) => c.disabled)).toBe(true);
    }
    expect(threadMessages.filter((m) => messageText(m).includes('✅ Answer to ') && !/\((?!1 of)\d+ of \d+\)/.test(messageText(m)))).toHaveLength(chain.prompts.length); // first pages
    for (const m of [closed, ...threadMessages]) {
      expect(isComponentsV2(m)).toBe(true);
      expect(messageText(m)).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
      expect(findRawTex(messageText(m))).toEqual([]);
    }
    // Each live step was posted with a countdown to its reveal.
    const posts = discord.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${drop.thread_id}/messages`).map((r) => messageText({ content: '', embeds: [], components: (r.body as { components?: [] }).components ?? [] } as unknown as FakeMessage));
    const followUps = posts.filter((t) => /Follow-up \d+ of/.test(t));
    expect(followUps).toHaveLength(chain.prompts.length - 1);
    for (const t of followUps) expect(t).toMatch(/⏳ Answer revealed <t:\d+:R>/);
    const answers = await sql.query(`SELECT user_id, mode FROM answers WHERE event_id = $1 AND event_step = 0`, [drop.id]);
    expect(answers.rows).toHaveLength(3);
    expect(new Set(answers.rows.map((r) => r.mode))).toEqual(new Set(['drop']));
  }, 120_000);

  it('reveals the next follow-up as soon as K members have answered', async () => {
    const opts = { admin: true, channel: channel('general') };
    const res = await discord.slash(admin, 'drop', { topic: 'temporal' }, opts);
    expect(res.content).toMatch(/^Posted a drop: \*\*.+\*\*; its follow-ups arrive in its thread every 60 minutes\.$/);
    const drop = (await sql.query(`SELECT id, thread_id FROM drops WHERE channel_id = $1`, [channel('general').id])).rows[0];
    // /drop uses the default cadence (60 bot minutes = 60 s here); make this drop reveal after 2 answers instead.
    await sql.query('UPDATE drops SET reveal_after_answers = 2, reveal_every_minutes = 600, next_step_at = next_step_at + interval \'10 hours\' WHERE id = $1', [drop.id]);
    const root = await discord.waitForMessage((m) => m.channel_id === channel('general').id && messageText(m).includes('Question drop'));
    const first = componentsOf(root).find((c) => c.custom_id.startsWith('bp1:da:'))!.custom_id;
    await discord.click(discord.user('eve'), root, first);
    await new Promise((r) => setTimeout(r, 1500));
    expect(discord.channelMessages(drop.thread_id)).toHaveLength(0); // one answer: not yet
    await discord.click(discord.user('finn'), root, first);
    await discord.waitForMessage((m) => m.channel_id === drop.thread_id && messageText(m).includes('Follow-up 1 of'), 10_000);
    expect(messageText(discord.channelMessages(drop.thread_id)[0])).toContain('How the channel answered** · 2 answers');
  }, 60_000);
});
