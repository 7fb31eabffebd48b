import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { loadBank } from '../../src/bank/load.js';
import { drillKinds, generateDrill } from '../../src/drills/index.js';
import { FakeDiscord, componentsOf, isComponentsV2, messageText, type FakeMessage, type FakeUser, type InteractionHandle } from '../support/fake-discord.js';
import { BotProcess, botEnv } from '../support/bot-process.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { decodePng } from '../support/png.js';
import { readable } from '../../src/render/readable.js';
import { findMidWordCuts, findRawTex } from '../support/visible-text.js';

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
/** The prompt a question card shows: its question is on the card as text (the longest such, should one contain another). */
const promptOf = (h: InteractionHandle) => {
  const text = messageText(h.message);
  const shown = bank.prompts.filter((p) => text.includes(p.question)).sort((a, b) => b.question.length - a.question.length);
  expect(shown.length, 'a question of the bank on the card').toBeGreaterThan(0);
  return shown[0]!;
};
const textOf = (h: InteractionHandle) => messageText(h.message);
const words = (s: string) => s.split(/\s+/).filter(Boolean).join(' ');
const withId = (h: InteractionHandle, prefix: string) => buttons(h).find((b) => b.custom_id.startsWith(prefix))!;
/** The drill a /drill card shows, rebuilt from its session. */
const drillShown = async (h: InteractionHandle) => {
  const id = buttons(h)[0]!.custom_id.split(':')[2]!;
  const row = (await sql.query('SELECT queue FROM practice_sessions WHERE id = $1', [id])).rows[0];
  const [kind, seed] = (row.queue[0] as string).split(':');
  return generateDrill(kind!, Number(seed))!;
};
/** Every text a member reads on the card: no raw TeX, nothing cut mid-word. */
const expectReadable = (m: FakeMessage | undefined) => {
  const text = messageText(m);
  expect(findRawTex(text)).toEqual([]);
  expect(findMidWordCuts(text)).toEqual([]);
};

describe('practice: /chain, /review, /drill, /mastery, /forget-me', () => {
  let sessionMessage: InteractionHandle;

  it('runs a chain privately: a right answer, a double click, a wrong answer, a free-text answer', async () => {
    const start = await discord.slash(alice, 'chain', { topic: 'xgboost', level: 'L4' });
    expect(start.ephemeral).toBe(true);
    expect(isComponentsV2(start.message)).toBe(true);
    expect(start.message!.embeds).toEqual([]);
    const root = promptOf(start);
    expect(root.topic).toBe('xgboost');
    expect(root.step).toBe(0);
    // The question is text: every option whole, the letter buttons, and no image (it has no maths).
    expect(readable(root.question).formulas).toEqual([]);
    expect(start.files).toEqual([]);
    const shown = textOf(start);
    for (const o of [root.choice.correct, ...root.choice.distractors]) expect(shown).toContain(o);
    expect(shown).toMatch(/Chain · .+ · root question \(1 of \d+\)/);
    expect(buttons(start).map((b) => b.label)).toEqual(expect.arrayContaining(['A', 'B', 'C', 'Answer in my own words']));
    expectReadable(start.message);
    sessionMessage = start;

    // Right answer, clicked twice at once: one answer stored.
    const right = optionButton(start, 0);
    const [a, b] = await Promise.all([discord.click(alice, start.message!, right.custom_id), discord.click(alice, start.message!, right.custom_id)]);
    expect(textOf(a)).toMatch(/✅ Correct: [A-E]/);
    expect(textOf(b)).toMatch(/✅ Correct: [A-E]/);
    expect(await count('answers', alice.id)).toBe(1);
    // The card became the feedback: the option buttons of the answered question are gone.
    expect(isComponentsV2(a.message)).toBe(true);
    expect(buttons(a).filter((x) => x.custom_id.startsWith('bp1:pa:'))).toEqual([]);
    // Short: the verdict with the right option, one line of why; the rest one click away.
    const feedback = textOf(a);
    expect(feedback.length).toBeLessThan(1000);
    expect(feedback).toContain(root.choice.correct);
    expect(feedback).toMatch(/\*\*Why:\*\* \S/);
    expect(feedback).not.toContain(root.choice.explanation.slice(-80));
    expect(buttons(a).map((x) => x.label)).toEqual(expect.arrayContaining(['Model answer', 'What was tested', 'Why the others are wrong']));
    expectReadable(a.message);

    // The whole model answer: one click, privately, every sentence of it, its formulas as images.
    const opened = await discord.click(alice, a.message!, withId(a, 'bp1:pd:').custom_id.replace(/:[atw]$/, ':a'));
    expect(opened.ephemeral).toBe(true);
    expect(isComponentsV2(opened.message)).toBe(true);
    expect(opened.message!.id).not.toBe(a.message!.id); // a follow-up: the feedback stays
    let page = opened;
    const pages = [textOf(page)];
    let images = page.message!.attachments.length;
    expectReadable(page.message);
    for (let next = buttons(page).find((x) => x.label === 'Next page'); next; next = buttons(page).find((x) => x.label === 'Next page')) {
      page = await discord.click(alice, page.message!, next.custom_id);
      pages.push(textOf(page));
      images += page.message!.attachments.length;
      expectReadable(page.message);
    }
    expect(pages[0]).toMatch(/Model answer/);
    const whole = words(pages.join('\n'));
    for (const sentence of root.answer.split(/(?<=\.)\s+/).filter((x) => !x.includes('$'))) expect(whole).toContain(words(sentence));
    expect(images).toBe(readable(root.question).formulas.length + readable(root.answer).formulas.length);
    const drawn = [opened, ...(page === opened ? [] : [page])].flatMap((h) => h.message!.attachments);
    if (images > 0) expect((await decodePng(drawn[0]!.data)).width).toBeGreaterThan(20); // real pixels
    const tested = await discord.click(alice, a.message!, withId(a, 'bp1:pd:').custom_id.replace(/:[atw]$/, ':t'));
    expect(textOf(tested)).toContain(root.testing);
    for (const k of root.keyPoints) expect(textOf(tested)).toContain(k.point);
    const why = await discord.click(alice, a.message!, withId(a, 'bp1:pd:').custom_id.replace(/:[atw]$/, ':w'));
    expect(textOf(why)).toContain(root.choice.explanation);

    // Next follow-up, then a wrong answer.
    const next = await discord.click(alice, a.message!, withId(a, 'bp1:pn:').custom_id);
    const follow = promptOf(next);
    expect(follow.chainId).toBe(root.chainId);
    expect(follow.step).toBe(1);
    // A stale button (the root's option, from before) shows where the session is: this follow-up.
    const stale = await discord.click(alice, next.message!, right.custom_id, { raw: true });
    expect(promptOf(stale).id).toBe(follow.id);
    const wrong = await discord.click(alice, next.message!, optionButton(next, 1).custom_id);
    expect(textOf(wrong)).toMatch(/❌ Not quite: the answer is [A-E]/);
    expect(textOf(wrong)).toContain(follow.choice.correct);
    expect(textOf(wrong)).toMatch(/You picked [A-E]\./);

    // Third step in my own words: the modal, then key points hit and missed, then a self-rating.
    const third = await discord.click(alice, wrong.message!, withId(wrong, 'bp1:pn:').custom_id);
    const prompt3 = promptOf(third);
    const own = await discord.click(alice, third.message!, withId(third, 'bp1:pw:').custom_id);
    expect(own.callbackType).toBe(9);
    const answerText = prompt3.keyPoints.map((k) => k.accept[0]).join('. ');
    const graded = await discord.submitModal(alice, own.modal!, { answer: answerText }, { message: third.message! });
    expect(textOf(graded)).toContain(`✅ You covered the key points (${prompt3.keyPoints.length}/${prompt3.keyPoints.length})`);
    expect(textOf(graded)).not.toContain('What you missed');
    expect(buttons(graded).filter((x) => x.custom_id.startsWith('bp1:pa:') || x.custom_id.startsWith('bp1:pw:'))).toEqual([]);
    const stored = await sql.query('SELECT given, rating, mode FROM answers WHERE user_id = $1 AND prompt_id = $2', [alice.id, prompt3.id]);
    expect(stored.rows).toEqual([{ given: answerText, rating: null, mode: 'chain' }]); // kept at once, rated next
    const rated = await discord.click(alice, graded.message!, buttons(graded).find((x) => x.custom_id.endsWith(':3') && x.custom_id.startsWith('bp1:pr:'))!.custom_id);
    expect(textOf(rated)).toContain('Your rating: **Good**');
    expect(buttons(rated).filter((x) => x.custom_id.startsWith('bp1:pr:'))).toEqual([]);
    expect((await sql.query('SELECT rating FROM answers WHERE user_id = $1 AND prompt_id = $2', [alice.id, prompt3.id])).rows[0].rating).toBe(3);
    expect(await count('cards', alice.id)).toBe(3);
    sessionMessage = rated;
  });

  it('tells what a free-text answer missed, shortly', async () => {
    const carol = discord.user('carol');
    const start = await discord.slash(carol, 'chain', { topic: 'xgboost', level: 'L4' });
    const prompt = promptOf(start);
    const own = await discord.click(carol, start.message!, withId(start, 'bp1:pw:').custom_id);
    const half = prompt.keyPoints.slice(0, 1);
    const graded = await discord.submitModal(carol, own.modal!, { answer: half.map((k) => k.accept[0]).join('. ') }, { message: start.message! });
    const text = textOf(graded);
    expect(text).toMatch(new RegExp(`(🟡 Partly there|❌ Key points missing) \\(1/${prompt.keyPoints.length}\\)`));
    expect(text).toContain('What you missed');
    for (const k of prompt.keyPoints.slice(1)) expect(text).toContain(`❌ ${k.point}`);
    expect(text).not.toContain(`❌ ${prompt.keyPoints[0]!.point}`);
    expect(text.length).toBeLessThan(1400);
    expectReadable(graded.message);
  });

  it('finishes a session with a summary in words that count right, and says when nothing is due', async () => {
    const dave = discord.user('dave');
    const none = await discord.slash(dave, 'review');
    expect(none.ephemeral).toBe(true);
    expect(isComponentsV2(none.message)).toBe(true);
    expect(textOf(none)).toContain('You have no cards yet');
    let h = await discord.slash(dave, 'chain', { topic: 'xgboost', level: 'L4' });
    let answered = 0;
    for (;;) {
      h = await discord.click(dave, h.message!, optionButton(h, 0).custom_id);
      answered++;
      const next = withId(h, 'bp1:pn:');
      if (next.label === 'Finish') {
        h = await discord.click(dave, h.message!, next.custom_id);
        break;
      }
      expect(next.label).toBe('Next follow-up');
      h = await discord.click(dave, h.message!, next.custom_id);
    }
    expect(textOf(h)).toContain('Session complete');
    expect(textOf(h)).toContain(`You answered ${answered} questions, ${answered} fully right.`);
    expect(textOf(h)).toMatch(/Your next review is due <t:\d+:R>\./);
    expect(buttons(h)).toEqual([]);
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
    expect(textOf(now)).toMatch(/Review · .+ · card 1 of 1/);
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
    expect(textOf(later)).toMatch(new RegExp(`card 1 of ${expected.length}`));
    const r = await discord.click(alice, later.message!, optionButton(later, 0).custom_id);
    expect(textOf(r)).toMatch(/✅ Correct/);
    expect(withId(r, 'bp1:pn:').label).toBe('Next card');
    expect((await sql.query(`SELECT mode FROM answers WHERE user_id = $1 ORDER BY id DESC LIMIT 1`, [alice.id])).rows[0].mode).toBe('review');
  });

  it('grades a right and a wrong numeric drill, with the worked solution', async () => {
    const sessionDrill = async () => {
      const res = await discord.slash(alice, 'drill', { kind: 'auc-ties' });
      return { res, drill: await drillShown(res) };
    };
    const { res, drill } = await sessionDrill();
    expect(isComponentsV2(res.message)).toBe(true);
    const names = res.message!.attachments.map((a) => a.filename);
    // The question's formulas as images, and the sample's figure; no picture of the whole question.
    expect(names.filter((n) => /^q-\d+\.png$/.test(n))).toHaveLength(readable(drill.question).formulas.length);
    if (drill.figure) expect(names).toContain('figure.png');
    expect(names).not.toContain('drill.png');
    expect(textOf(res)).toContain(drill.title);
    expectReadable(res.message);
    const open = await discord.click(alice, res.message!, buttons(res)[0]!.custom_id);
    const unreadable = await discord.submitModal(alice, open.modal!, { answer: 'about half' }, { message: res.message! });
    expect(unreadable.ephemeral).toBe(true);
    // One sentence, said once.
    expect(unreadable.content).toBe('I couldn\'t read "about half" as a number — try 0.75, 3/4 or 75%.');
    const good = await discord.submitModal(alice, open.modal!, { answer: drill.answerText }, { message: res.message! });
    expect(good.message!.id).toBe(res.message!.id); // the drill card became its result
    expect(textOf(good)).toContain(`✅ Correct: ${drill.answerText}`);
    expect(textOf(good)).toContain('Worked solution');
    expect(buttons(good).filter((b) => b.custom_id.startsWith('bp1:dw:'))).toEqual([]);
    expectReadable(good.message);
    // The worked solution whole (over its pages) with its formulas drawn.
    let page = good;
    let solution = textOf(page);
    let images = page.message!.attachments.filter((a) => /^solution-\d+\.png$/.test(a.filename)).length;
    for (let next = buttons(page).find((x) => x.label === 'Next page'); next; next = buttons(page).find((x) => x.label === 'Next page')) {
      page = await discord.click(alice, page.message!, next.custom_id);
      solution += `\n${textOf(page)}`;
      images += page.message!.attachments.filter((a) => /^solution-\d+\.png$/.test(a.filename)).length;
    }
    expect(images).toBe(readable(drill.solution).formulas.length);
    expect(solution).toContain(`**Answer:** ${drill.answerText}`);

    const second = await sessionDrill();
    const open2 = await discord.click(alice, second.res.message!, buttons(second.res)[0]!.custom_id);
    const bad = await discord.submitModal(alice, open2.modal!, { answer: String(second.drill.answer + 0.2) }, { message: second.res.message! });
    expect(textOf(bad)).toContain(`❌ Not quite: the answer is ${second.drill.answerText}`);
    const verdicts = await sql.query(`SELECT verdict, points FROM answers WHERE user_id = $1 AND mode = 'drill' ORDER BY id`, [alice.id]);
    expect(verdicts.rows.map((r) => r.verdict)).toEqual(['correct', 'wrong']);
    // The economy (src/quiz/points.ts): a right drill is worth the L5 base, 125, as in a duel; a wrong one 0.
    expect(verdicts.rows.map((r) => r.points)).toEqual([125, 0]);
  });

  it('shows a drill of every kind as a card: its text readable, its formulas and figure as images', async () => {
    for (const kind of drillKinds) {
      const res = await discord.slash(alice, 'drill', { kind: kind.id });
      expect(res.text, kind.id).not.toMatch(/Invalid|went wrong/);
      expect(isComponentsV2(res.message), kind.id).toBe(true);
      const drill = await drillShown(res);
      expect(textOf(res), kind.id).toContain(drill.title);
      expect(res.message!.attachments.length, kind.id).toBeLessThanOrEqual(10);
      expect(res.message!.attachments.filter((a) => /^q-\d+\.png$/.test(a.filename)).length, kind.id).toBe(readable(drill.question).formulas.length);
      expectReadable(res.message);
    }
  });

  it('draws /mastery from the stored data', async () => {
    const res = await discord.slash(alice, 'mastery');
    expect(res.ephemeral).toBe(true);
    // A private Components v2 card: no content, no embed; the summary as text, the chart in a gallery, the measure as subtext.
    expect(isComponentsV2(res.message)).toBe(true);
    expect(res.content).toBe('');
    expect(res.message!.embeds).toEqual([]);
    const text = messageText(res.message);
    const seen = await count('cards', alice.id);
    // Started topics (questions and drills count) and the rest counted, not listed at 0 %.
    expect(text).toMatch(new RegExp(`^Your mastery: \\d+ topics? started, \\d+ not started · ${seen} questions? seen · \\d+ drills? counted`));
    expect(text).toMatch(/^-# Mastery: FSRS's chance of recalling each question a week from now, 0 if the last answer was wrong/m);
    const container = res.message!.components[0] as { components: { type: number; items?: { media: { url: string } }[] }[] };
    expect(container.components.map((c) => c.type)).toEqual([10, 12, 10]);
    expect(container.components[1]!.items![0]!.media.url).toBe('attachment://mastery.png');
    expectReadable(res.message);
    const img = await decodePng(res.files[0]!.data);
    expect(img.height).toBeGreaterThan(300);
    const other = await discord.slash(discord.user('bob'), 'mastery', { user: alice });
    expect(isComponentsV2(other.message)).toBe(true);
    expect(messageText(other.message)).toMatch(/alice's mastery: \d+ topics? started, \d+ not started · \d+ questions? seen/);
    expect(messageText(other.message)).toContain('Answers given in this server only.');
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
