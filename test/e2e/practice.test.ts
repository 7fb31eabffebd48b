import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { loadBank } from '../../src/bank/load.js';
import { drillKinds, generateDrill } from '../../src/drills/index.js';
import { FakeDiscord, componentsOf, type FakeUser, type InteractionHandle } from '../support/fake-discord.js';
import { BotProcess, botEnv } from '../support/bot-process.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { decodePng } from '../support/png.js';

const DAY = 24 * 60 * 60 * 1000;
const bank = loadBank();
let discord: FakeDiscord;
let db: TestDatabase;
let bot: BotProcess;
let sql: pg.Client;
let alice: FakeUser;

const startBot = async (offsetMs = 0) => {
  bot = BotProcess.start(botEnv(discord.apiUrl, db.url, { CLOCK_OFFSET_MS: String(offsetMs) }));
  await bot.ready();
  await discord.waitForBot();
};

beforeAll(async () => {
  discord = await FakeDiscord.start({ commands: commands.map((c) => c.data.toJSON()) });
  db = await createTestDatabase('practice');
  await startBot();
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  alice = discord.user('alice');
});

afterAll(async () => {
  await sql?.end();
  await bot?.stop();
  await discord?.close();
  await db?.drop();
});

const count = async (table: string, userId: string) => Number((await sql.query(`SELECT count(*) AS n FROM ${table} WHERE user_id = $1`, [userId])).rows[0].n);
const buttons = (h: InteractionHandle) => componentsOf(h.message);
/** The button for option `id` (0 is always the correct option; the display order is shuffled). */
const optionButton = (h: InteractionHandle, id: number) => buttons(h).find((b) => b.custom_id.startsWith('bp1:pa:') && b.custom_id.endsWith(`:${id}`))!;
const promptOf = (h: InteractionHandle) => bank.prompts.find((p) => h.message!.embeds[0]!.description === p.question)!;

describe('practice: /chain, /review, /drill, /mastery, /forget-me', () => {
  let sessionMessage: InteractionHandle;

  it('runs a chain privately: a right answer, a double click, a wrong answer, a free-text answer', async () => {
    const start = await discord.slash(alice, 'chain', { topic: 'xgboost', level: 'L4' });
    expect(start.ephemeral).toBe(true);
    expect(start.files.map((f) => f.filename)).toEqual(['question.png']);
    const card = await decodePng(start.files[0]!.data);
    expect(card.width).toBeGreaterThan(300);
    const root = promptOf(start);
    expect(root.topic).toBe('xgboost');
    expect(root.step).toBe(0);
    sessionMessage = start;

    // Right answer, clicked twice at once: one answer stored.
    const right = optionButton(start, 0);
    const [a, b] = await Promise.all([discord.click(alice, start.message!, right.custom_id), discord.click(alice, start.message!, right.custom_id)]);
    expect(a.message!.embeds[0]!.title).toMatch(/^✅ Correct/);
    expect(b.message!.embeds[0]!.title).toMatch(/^✅ Correct/);
    expect(await count('answers', alice.id)).toBe(1);
    const fields = a.message!.embeds[0]!.fields as { name: string; value: string }[];
    expect(fields.map((f) => f.name)).toEqual(expect.arrayContaining(['Model answer', 'What the interviewer was testing', 'Why']));

    // Next follow-up, then a wrong answer.
    const next = await discord.click(alice, a.message!, buttons(a).find((x) => x.custom_id.startsWith('bp1:pn:'))!.custom_id);
    const follow = promptOf(next);
    expect(follow.chainId).toBe(root.chainId);
    expect(follow.step).toBe(1);
    const wrong = await discord.click(alice, next.message!, optionButton(next, 1).custom_id);
    expect(wrong.message!.embeds[0]!.title).toMatch(/^❌ Not quite: the answer is [A-E]/);

    // Third step in my own words: the modal, then key points hit and missed, then a self-rating.
    const third = await discord.click(alice, wrong.message!, buttons(wrong).find((x) => x.custom_id.startsWith('bp1:pn:'))!.custom_id);
    const prompt3 = promptOf(third);
    const opened = await discord.click(alice, third.message!, buttons(third).find((x) => x.custom_id.startsWith('bp1:pw:'))!.custom_id);
    expect(opened.callbackType).toBe(9);
    const answerText = prompt3.keyPoints.map((k) => k.accept[0]).join('. ');
    const graded = await discord.submitModal(alice, opened.modal!, { answer: answerText }, { message: third.message! });
    const embed = graded.message!.embeds[0]!;
    expect(embed.title).toMatch(/covered the key points/);
    expect((embed.fields as { name: string }[])[0]!.name).toBe(`Key points (${prompt3.keyPoints.length}/${prompt3.keyPoints.length})`);
    const stored = await sql.query('SELECT given, rating, mode FROM answers WHERE user_id = $1 AND prompt_id = $2', [alice.id, prompt3.id]);
    expect(stored.rows).toEqual([{ given: answerText, rating: null, mode: 'chain' }]); // kept at once, rated next
    const rated = await discord.click(alice, graded.message!, buttons(graded).find((x) => x.custom_id.endsWith(':3') && x.custom_id.startsWith('bp1:pr:'))!.custom_id);
    expect(JSON.stringify(rated.message!.embeds)).toContain('Your rating');
    expect((await sql.query('SELECT rating FROM answers WHERE user_id = $1 AND prompt_id = $2', [alice.id, prompt3.id])).rows[0].rating).toBe(3);
    expect(await count('cards', alice.id)).toBe(3);
    sessionMessage = rated;
  });

  it('continues the same session after a restart', async () => {
    await bot.stop();
    await startBot();
    const next = await discord.click(alice, sessionMessage.message!, buttons(sessionMessage).find((x) => x.custom_id.startsWith('bp1:pn:'))!.custom_id);
    const prompt = promptOf(next);
    expect(prompt.step).toBe(3);
  });

  it('serves the cards FSRS scheduled when /review is run later', async () => {
    // The follow-up was answered wrongly: the concept rule made the chain's root due at once.
    const now = await discord.slash(alice, 'review');
    const rootNow = promptOf(now);
    expect(rootNow.step).toBe(0);
    expect(now.message!.embeds[0]!.author).toMatchObject({ name: expect.stringMatching(/card 1 of 1/) });
    const due = await sql.query(`SELECT prompt_id, due FROM cards WHERE user_id = $1 ORDER BY due, prompt_id`, [alice.id]);
    // Ten days later, as the injected clock sees it.
    await bot.stop();
    await startBot(10 * DAY);
    // A button from the chain session (24-hour lifetime) is now politely refused.
    const stale = await discord.click(alice, sessionMessage.message!, buttons(sessionMessage)[0]!.custom_id);
    expect(stale.ephemeral).toBe(true);
    expect(stale.text).toMatch(/session has expired \(sessions last 24 hours\)/);
    const later = await discord.slash(alice, 'review', { count: 10 });
    const first = promptOf(later);
    const expected = due.rows.filter((r) => r.due.getTime() <= Date.now() + 10 * DAY);
    expect(expected.length).toBeGreaterThan(0);
    expect(first.id).toBe(expected[0].prompt_id); // oldest due first
    expect(later.message!.embeds[0]!.author).toMatchObject({ name: expect.stringMatching(new RegExp(`card 1 of ${expected.length}`)) });
    const r = await discord.click(alice, later.message!, optionButton(later, 0).custom_id);
    expect(r.message!.embeds[0]!.title).toMatch(/^✅/);
    expect((await sql.query(`SELECT mode FROM answers WHERE user_id = $1 ORDER BY id DESC LIMIT 1`, [alice.id])).rows[0].mode).toBe('review');
  });

  it('grades a right and a wrong numeric drill, with the worked solution', async () => {
    const sessionDrill = async () => {
      const res = await discord.slash(alice, 'drill', { kind: 'auc-ties' });
      const id = buttons(res)[0]!.custom_id.split(':')[2]!;
      const row = (await sql.query('SELECT queue FROM practice_sessions WHERE id = $1', [id])).rows[0];
      const [kind, seed] = (row.queue[0] as string).split(':');
      return { res, drill: generateDrill(kind!, Number(seed))! };
    };
    const { res, drill } = await sessionDrill();
    expect(res.files.length).toBeGreaterThanOrEqual(2); // question card + the ROC of the sample
    const open = await discord.click(alice, res.message!, buttons(res)[0]!.custom_id);
    const unreadable = await discord.submitModal(alice, open.modal!, { answer: 'about half' }, { message: res.message! });
    expect(unreadable.ephemeral).toBe(true);
    expect(unreadable.content).toMatch(/couldn.t read/i);
    const good = await discord.submitModal(alice, open.modal!, { answer: drill.answerText }, { message: res.message! });
    expect(good.message!.embeds[0]!.title).toBe(`✅ Correct: ${drill.answerText}`);
    expect(JSON.stringify(good.message!.embeds[0]!.fields)).toContain('Worked solution');

    const second = await sessionDrill();
    const open2 = await discord.click(alice, second.res.message!, buttons(second.res)[0]!.custom_id);
    const bad = await discord.submitModal(alice, open2.modal!, { answer: String(second.drill.answer + 0.2) }, { message: second.res.message! });
    expect(bad.message!.embeds[0]!.title).toBe(`❌ Not quite: the answer is ${second.drill.answerText}`);
    const verdicts = await sql.query(`SELECT verdict, points FROM answers WHERE user_id = $1 AND mode = 'drill' ORDER BY id`, [alice.id]);
    expect(verdicts.rows.map((r) => r.verdict)).toEqual(['correct', 'wrong']);
    // The economy (src/quiz/points.ts): a right drill is worth the L5 base, 125, as in a duel; a wrong one 0.
    expect(verdicts.rows.map((r) => r.points)).toEqual([125, 0]);
  });

  it('shows a drill of every kind with its question card', async () => {
    for (const kind of drillKinds) {
      const res = await discord.slash(alice, 'drill', { kind: kind.id });
      expect(res.text, kind.id).not.toMatch(/Invalid|went wrong/);
      expect(res.files.find((f) => f.filename === 'drill.png'), kind.id).toBeDefined();
    }
  });

  it('draws /mastery from the stored data', async () => {
    const res = await discord.slash(alice, 'mastery');
    expect(res.ephemeral).toBe(true);
    const seen = await count('cards', alice.id);
    // Started topics (questions and drills count) and the rest counted, not listed at 0 %.
    expect(res.content).toMatch(new RegExp(`^Your mastery: \\d+ topics? started, \\d+ not started · ${seen} questions? seen · \\d+ drills? counted`));
    const img = await decodePng(res.files[0]!.data);
    expect(img.height).toBeGreaterThan(300);
    const other = await discord.slash(discord.user('bob'), 'mastery', { user: alice });
    expect(other.content).toMatch(/alice's mastery: \d+ topics? started, \d+ not started · \d+ questions? seen/);
  });

  it('refuses a forged button for someone else’s session', async () => {
    const mallory = discord.user('mallory');
    const forged = await discord.click(mallory, sessionMessage.message!, optionButton(sessionMessage, 0)?.custom_id ?? buttons(sessionMessage)[0]!.custom_id, { raw: true });
    expect(forged.ephemeral).toBe(true);
    expect(forged.text).toMatch(/someone else’s practice session/);
  });

  it('/forget-me deletes every row about the caller after confirmation', async () => {
    const before = await count('answers', alice.id);
    expect(before).toBeGreaterThan(3);
    const ask = await discord.slash(alice, 'forget-me');
    expect(ask.ephemeral).toBe(true);
    const yes = buttons(ask).find((b) => b.custom_id.endsWith(':yes'))!;
    const done = await discord.click(alice, ask.message!, yes.custom_id);
    expect(done.content).toContain(`${before} answers`);
    expect(done.content).toMatch(/leaderboards: \d+ days? of points, 1 streak, 0 Elo ratings/);
    expect(done.content).toContain('0 drop schedules you created');
    for (const table of ['answers', 'cards', 'practice_sessions']) expect(await count(table, alice.id)).toBe(0);
  });
});
