/**
 * Crashes and outages with the real bot process and real PostgreSQL: the database going away
 * while 50 members answer, and SIGKILL in the middle of a duel, a sprint and whiteboard edits.
 */
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { FakeDiscord, buttonId, componentsOf, messageText, type FakeMessage, type FakeUser, type InteractionHandle } from '../support/fake-discord.js';
import { BotProcess, botEnv } from '../support/bot-process.js';
import { createTestDatabase } from '../support/database.js';
import { TcpProxy } from '../support/tcp-proxy.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => {});
});

async function setup(label: string, viaProxy = false) {
  const discord = await FakeDiscord.start({ commands: commands.map((c) => c.data.toJSON()) });
  const db = await createTestDatabase(label);
  const sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  cleanups.push(() => db.drop(), () => discord.close(), () => sql.end());
  let url = db.url;
  let proxy: TcpProxy | undefined;
  if (viaProxy) {
    const u = new URL(db.url);
    proxy = await TcpProxy.start(u.hostname, Number(u.port || 5432));
    cleanups.push(() => proxy!.close());
    url = proxy.wrap(db.url);
  }
  const start = async () => {
    const bot = BotProcess.start(botEnv(discord.apiUrl, url, { SCHEDULER_TICK_SECONDS: '1' }));
    cleanups.push(() => bot.stop('SIGKILL'));
    await bot.ready();
    await discord.waitForBot();
    return bot;
  };
  return { discord, sql, start, proxy };
}
const button = buttonId;

describe('outages and crashes', () => {
  it('PostgreSQL going away while 50 members answer: "try again" meanwhile, no accepted answer lost, recovery without a restart', async () => {
    const { discord, sql, start, proxy } = await setup('pgdown', true);
    const bot = await start();
    const members = Array.from({ length: 50 }, (_, i) => discord.user(`member${i}`));
    const chains = await Promise.all(members.map((m) => discord.slash(m, 'chain', {}, { timeoutMs: 30_000 })));
    // Half answer, then the database goes away while the other half click.
    const click = (i: number) => discord.click(members[i]!, chains[i]!.message!, button(chains[i]!.message, 'bp1:pa:', ':0')!, { timeoutMs: 30_000 });
    const early = await Promise.all(members.slice(0, 25).map((_, i) => click(i)));
    proxy!.cut();
    const during = await Promise.all(members.slice(25).map((_, i) => click(25 + i)));
    expect(bot.exitCode).toBeNull();
    for (const h of during) expect(h.text).toMatch(/temporarily unavailable|try again/i);
    proxy!.restore();
    // They try again once the database is back, and it works without restarting the bot.
    const retried = await Promise.all(members.slice(25).map((_, i) => click(25 + i)));
    const accepted = [...early, ...retried].filter((h: InteractionHandle) => /Correct/.test(messageText(h.message)));
    expect(accepted).toHaveLength(50);
    const stored = await sql.query(`SELECT count(DISTINCT user_id)::int AS n FROM answers WHERE mode = 'chain'`);
    expect(stored.rows[0].n).toBe(50);
  }, 180_000);

  it('SIGKILL during a duel, a sprint and whiteboard edits: everything resumes, nothing doubled', async () => {
    const { discord, sql, start } = await setup('sigkill');
    let bot = await start();
    const [a, b] = [discord.user('ann'), discord.user('ben')];
    // A duel in round 1, a sprint lobby, a whiteboard with steps being added.
    const challenge = await discord.slash(a, 'duel', { opponent: b, rounds: 2, seconds: 30, topic: 'ensembles' });
    await discord.click(b, challenge.message!, button(challenge.message, 'bp1:dza:')!);
    const r1 = await discord.waitForMessage((m) => messageText(m).includes('**Round 1 of 2**'));
    await discord.click(a, r1, button(r1, 'bp1:dzq:', ':0')!);
    const lobby = await discord.slash(a, 'sprint', { rounds: 1, seconds: 30 }, { channel: discord.guild.channels[1] });
    await discord.click(b, lobby.message!, button(lobby.message, 'bp1:spj:')!);
    const board = await discord.slash(a, 'whiteboard start', { title: 'kill test' });
    const adds = [a, b, a, b].map((u, i) => discord.sendSlash(u, 'whiteboard add', { step: `x_${i} = ${i}` }));
    bot.child.kill('SIGKILL');
    await bot.exited;

    bot = await start();
    // The duel goes on from the stored round: ben answers round 1, both answer round 2.
    await discord.click(b, r1, button(r1, 'bp1:dzq:', ':1')!);
    const r2 = await discord.waitForMessage((m) => messageText(m).includes('**Round 2 of 2**'), 20_000);
    // Round 1, posted before the kill, is closed by the restarted process: its message id was stored.
    await discord.waitForMessage((m) => m.id === r1.id && messageText(m).includes('**Closed**'), 20_000);
    expect(componentsOf(r1).every((c) => c.disabled)).toBe(true);
    await discord.click(a, r2, button(r2, 'bp1:dzq:', ':0')!);
    await discord.click(b, r2, button(r2, 'bp1:dzq:', ':0')!);
    await discord.waitForMessage((m) => messageText(m).includes('**Duel over**'), 20_000);
    expect(Number((await sql.query(`SELECT count(*) AS n FROM duel_answers`)).rows[0].n)).toBe(4);
    expect(Number((await sql.query(`SELECT count(*) AS n FROM ratings`)).rows[0].n)).toBe(2);
    // The sprint lobby closes on its own timer (stored deadline) after the restart.
    await discord.click(a, lobby.message!, button(lobby.message, 'bp1:sps:')!, { raw: true });
    const q = await discord.waitForMessage((m) => messageText(m).includes('**Sprint question 1 of 1**'), 40_000);
    await discord.click(a, q, button(q, 'bp1:spa:', ':0')!);
    await discord.click(b, q, button(q, 'bp1:spa:', ':0')!);
    await discord.waitForMessage((m) => messageText(m).startsWith('🏁 **Sprint over!**'), 20_000);
    expect(discord.channelMessages(discord.guild.channels[1]!.id).filter((m) => messageText(m).startsWith('🏁'))).toHaveLength(1);
    // Whiteboard: the steps that were acknowledged are there, in distinct positions, none twice.
    const steps = (await sql.query(`SELECT tex, position FROM whiteboard_steps ORDER BY position`)).rows;
    const acknowledged = adds.filter((h) => h.answered && /Step \*\*\d+\*\* is on \*\*kill test\*\*/.test(h.content)).length;
    expect(steps.length).toBeGreaterThanOrEqual(acknowledged);
    expect(new Set(steps.map((s) => s.tex)).size).toBe(steps.length);
    expect(steps.map((s) => s.position)).toEqual(steps.map((_, i) => i + 1));
    expect((await discord.slash(a, 'whiteboard add', { step: 'y = 1' })).content).toMatch(/Step \*\*\d+\*\* is on \*\*kill test\*\*/);
    // The restarted bot keeps the board's live message drawn: the newest board message shows every step,
    // the ones added before the kill too. (It is the start reply, unless the kill came before its id was stored.)
    const boardMessages = [...discord.messages.values()].filter((m) => !m.deleted && (m.flags & 64) === 0 && messageText(m).startsWith('🧮 **kill test**'));
    expect(boardMessages[0]!.id).toBe(board.message!.id);
    expect(boardMessages.length).toBeLessThanOrEqual(2);
    expect(messageText(boardMessages.at(-1))).toContain(`🧮 **kill test** · ${steps.length + 1} step${steps.length === 0 ? "" : "s"}`);
  }, 180_000);
});
