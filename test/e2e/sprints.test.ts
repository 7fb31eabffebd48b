import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { FakeDiscord, buttonId, componentsOf, isComponentsV2, messageText, type FakeMessage, type FakeUser } from '../support/fake-discord.js';
import { BotProcess, botEnv } from '../support/bot-process.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { ACCENTS } from '../../src/platform/discord/card.js';
import { OPTION_LETTERS } from '../../src/platform/discord/text.js';

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
const accent = (m: FakeMessage) => (m.components[0] as { accent_color?: number } | undefined)?.accent_color;
const COUNTDOWN = /Closes <t:\d+:R>/;
const question = (n: number, of: number) => discord.waitForMessage((m) => m.origin === 'channel' && messageText(m).includes(`**Sprint question ${n} of ${of}**`), 20_000);
const closedQuestion = (m: FakeMessage) => discord.waitForMessage((x) => x.id === m.id && messageText(x).includes('**Closed**'), 20_000);
const results = (channelId?: string) => discord.waitForMessage((m) => m.origin === 'channel' && (!channelId || m.channel_id === channelId) && messageText(m).startsWith('🏁 **Sprint over!**'), 30_000);
/** A closed question's buttons: all disabled, the right one (option id 0) green, the others grey. */
function expectClosedButtons(m: FakeMessage) {
  const buttons = componentsOf(m).filter((c) => c.type === 2);
  expect(buttons.length).toBeGreaterThan(1);
  expect(buttons.every((b) => b.disabled === true)).toBe(true);
  expect(buttons.map((b) => b.style)).toEqual(buttons.map((b) => (b.custom_id.endsWith(':0') ? 3 : 2)));
}

describe('sprints', () => {
  it('runs a 30-player sprint whose podium matches the stored answers', async () => {
    const starter = discord.user('host');
    const lobby = await discord.slash(starter, 'sprint', { topic: 'roc-auc', rounds: 3, seconds: 10 });
    expect(isComponentsV2(lobby.message)).toBe(true);
    expect(accent(lobby.message!)).toBe(ACCENTS.sprint);
    expect(messageText(lobby.message)).toMatch(/Sprint!\*\* 3 questions on \*\*roc-auc\*\*, 10 s each/);
    expect(messageText(lobby.message)).toMatch(/it starts <t:\d+:R>/);
    const joinId = button(lobby.message!, 'bp1:spj:');
    const players: FakeUser[] = Array.from({ length: 29 }, (_, i) => discord.user(`runner${i}`));
    const joins = await Promise.all(players.map((p) => discord.click(p, lobby.message!, button(lobby.message!, 'bp1:spj:'))));
    expect(joins.filter((j) => !(j.ephemeral && /^You're in, with \d+ players so far\.$/.test(j.content))).map((j) => j.content)).toEqual([]);
    expect((await discord.click(players[0]!, lobby.message!, button(lobby.message!, 'bp1:sps:'))).content).toMatch(/Only the member who opened/);
    await discord.click(starter, lobby.message!, button(lobby.message!, 'bp1:sps:'));
    await question(1, 3);
    const late = await discord.click(discord.user('latecomer'), lobby.message!, joinId, { raw: true });
    expect(late.content).toMatch(/already started|has ended/);
    expect(messageText(lobby.message)).toMatch(/The sprint has started with 30 players/);

    const everyone = [starter, ...players];
    for (let round = 0; round < 3; round++) {
      const q = await question(round + 1, 3);
      expect(isComponentsV2(q)).toBe(true);
      expect(accent(q)).toBe(ACCENTS.sprint);
      expect(messageText(q)).toMatch(COUNTDOWN);
      expect(componentsOf(q).every((c) => !c.disabled)).toBe(true);
      // Player i answers right when (i + round) % 3 != 0; everyone clicks twice (first click counts).
      const clicks = await Promise.all(
        everyone.map(async (p, i) => {
          const right = (i + round) % 3 !== 0;
          const first = await discord.click(p, q, button(q, 'bp1:spa:', right ? ':0' : ':1'));
          const again = await discord.click(p, q, button(q, 'bp1:spa:', right ? ':1' : ':0'));
          expect(again.content).toMatch(/first click already counts|closed/);
          return first.content;
        }),
      );
      expect(clicks.filter((c) => !/^(✅ Right, \+\d{3} points\.|❌ Wrong, 0 points; the answer shows when the question closes\.)$/.test(c))).toEqual([]);
      // The question closes visibly once everyone has answered: buttons disabled, the right one
      // green and ✅, how many picked each option, the top five, "Closed" instead of the countdown.
      await closedQuestion(q);
      expectClosedButtons(q);
      const text = messageText(q);
      const options = componentsOf(q).filter((c) => c.type === 2);
      const rightLetter = OPTION_LETTERS[options.findIndex((c) => c.custom_id.endsWith(':0'))]!;
      const wrongLetter = OPTION_LETTERS[options.findIndex((c) => c.custom_id.endsWith(':1'))]!;
      const rightCount = everyone.filter((_, i) => (i + round) % 3 !== 0).length;
      expect(text).toContain(`✅ **${rightLetter}.** `);
      expect(text).toContain(`the answer was **${rightLetter}** · 30 answers`);
      expect(text).toContain(`✅ **${rightLetter}**: ${rightCount} (${Math.round((100 * rightCount) / 30)}%)`);
      expect(text).toContain(`▫️ **${wrongLetter}**: ${30 - rightCount} (${Math.round((100 * (30 - rightCount)) / 30)}%)`);
      expect(text).toMatch(/\*\*Top five\*\*\n1\. \S+: [\d,]+\n2\./);
      expect(text).not.toMatch(COUNTDOWN);
      expect(accent(q)).toBe(ACCENTS.closed);
    }
    const end = await results();
    const stored = await sql.query(`SELECT user_id, sum(points)::int AS points, count(*) FILTER (WHERE correct)::int AS correct FROM sprint_answers GROUP BY user_id ORDER BY points DESC, correct DESC, user_id`);
    expect(stored.rows).toHaveLength(30);
    for (const r of stored.rows) {
      const i = everyone.findIndex((p) => p.id === r.user_id);
      expect(r.correct).toBe([0, 1, 2].filter((round) => (i + round) % 3 !== 0).length);
    }
    const name = (id: string) => everyone.find((p) => p.id === id)!.username;
    const text = messageText(end);
    expect(text).toMatch(/^🏁 \*\*Sprint over!\*\* 30 players · 3 questions on \*\*roc-auc\*\*/);
    const lines = text.split('\n');
    const top = stored.rows.slice(0, 10).map((r, i) => `${['🥇', '🥈', '🥉'][i] ?? `${i + 1}.`} ${name(r.user_id)}: ${r.points.toLocaleString('en-US')} · ${r.correct}/3 right`);
    expect(lines.slice(1, 11)).toEqual(top);
    expect(text).toContain('and 20 more players');
    expect(accent(end)).toBe(ACCENTS.sprint);
    expect(Number((await sql.query(`SELECT count(*) AS n FROM answers WHERE mode = 'sprint'`)).rows[0].n)).toBe(90);
    expect(bot.logs.filter((l) => /could not/.test(String(l.msg)))).toEqual([]);
  }, 90_000);

  it('closes an unanswered question on its deadline, and goes on when a question message was deleted; one question is "1 question"', async () => {
    const channel = discord.guild.channels[1]!;
    const host = discord.user('solo');
    const lobby = await discord.slash(host, 'sprint', { rounds: 2, seconds: 5 }, { channel });
    expect(messageText(lobby.message)).toMatch(/Sprint!\*\* 2 questions, 5 s each/);
    await discord.click(host, lobby.message!, button(lobby.message!, 'bp1:sps:'));
    // Nobody answers question 1: it closes on its deadline (the scheduler), visibly.
    const q1 = await discord.waitForMessage((m) => m.channel_id === channel.id && messageText(m).includes('**Sprint question 1 of 2**'), 20_000);
    expect(messageText(q1)).toMatch(COUNTDOWN);
    await closedQuestion(q1);
    expectClosedButtons(q1);
    expect(messageText(q1)).toMatch(/the answer was \*\*[A-E]\*\* · 0 answers/);
    // Question 2's message is deleted before it closes: the sprint still ends, the failed edit is logged.
    const q2 = await discord.waitForMessage((m) => m.channel_id === channel.id && messageText(m).includes('**Sprint question 2 of 2**'), 20_000);
    q2.deleted = true;
    const end = await results(channel.id);
    expect(messageText(end)).toMatch(/^🏁 \*\*Sprint over!\*\* 1 player · 2 questions/);
    expect(messageText(end)).toContain('🥇 solo: 0 · 0/2 right');
    await bot.waitForLog((l) => /could not show a sprint question as closed/.test(String(l.msg)), 10_000);

    const one = await discord.slash(host, 'sprint', { rounds: 1, seconds: 5 }, { channel });
    expect(messageText(one.message)).toMatch(/Sprint!\*\* 1 question, 5 s each/);
    expect(messageText(one.message)).not.toMatch(/\b1 questions\b/);
    await discord.click(host, one.message!, button(one.message!, 'bp1:sps:'));
    const q = await discord.waitForMessage((m) => m.channel_id === channel.id && messageText(m).includes('**Sprint question 1 of 1**'), 20_000);
    expect((await discord.click(host, q, button(q, 'bp1:spa:', ':0'))).content).toMatch(/^✅ Right/);
    await closedQuestion(q);
    expect(messageText(q)).toContain('· 1 answer\n');
    const last = await discord.waitForMessage((m) => m.channel_id === channel.id && BigInt(m.id) > BigInt(q.id) && messageText(m).startsWith('🏁'), 20_000);
    expect(messageText(last)).toMatch(/1 player · 1 question\n/);
    expect(messageText(last)).toMatch(/1\/1 right/);
  }, 60_000);
});
