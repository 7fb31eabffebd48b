import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { FakeDiscord, messageText, snowflake, type FakeUser } from '../support/fake-discord.js';
import { BotProcess, botEnv } from '../support/bot-process.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let discord: FakeDiscord;
let db: TestDatabase;
let bot: BotProcess;
let alice: FakeUser;

beforeAll(async () => {
  discord = await FakeDiscord.start({ commands: commands.map((c) => c.data.toJSON()), heartbeatInterval: 2_000 });
  db = await createTestDatabase('faults');
  bot = BotProcess.start(botEnv(discord.apiUrl, db.url, { SCHEDULER_TICK_SECONDS: '1' }));
  await bot.ready();
  alice = discord.user('alice');
});

afterAll(async () => {
  await bot?.stop();
  await discord?.close();
  await db?.drop();
});

// /help is a Components v2 card: its words are in text displays, read as a member does.
const help = async () => expect(messageText((await discord.slash(alice, 'help', {}, { timeoutMs: 15_000 })).message)).toContain('follow-up chains');

describe('Discord misbehaving', () => {
  it('retries 500s on the interaction callback and still answers', async () => {
    discord.failNext({ method: 'POST', path: /^\/interactions\/\d+\/[^/]+\/callback$/, status: 500, times: 2 });
    await help();
    expect(bot.exitCode).toBeNull();
  });

  it('waits out a 429 with Retry-After on channel posts and posts once', async () => {
    discord.failNext({ method: 'POST', path: /^\/channels\/\d+\/messages$/, status: 429, retryAfter: 0.5, times: 1 });
    const res = await discord.slash(discord.user('admin'), 'drop', { topic: 'distillation' }, { admin: true, timeoutMs: 20_000 });
    expect(res.content).toMatch(/Posted a drop/);
    await discord.waitForMessage((m) => messageText(m).includes('Question drop'), 15_000);
    await new Promise((r) => setTimeout(r, 1500));
    const roots = discord.channelMessages(discord.channel.id).filter((m) => messageText(m).includes('Question drop'));
    expect(roots).toHaveLength(1);
    expect(discord.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${discord.channel.id}/messages`)).toHaveLength(2);
  });

  it('reconnects and resumes after op 7 and after an abrupt close', async () => {
    const resumes = discord.resumes;
    discord.requestReconnect();
    await new Promise((r) => setTimeout(r, 1500));
    await help();
    discord.dropGateway();
    await new Promise((r) => setTimeout(r, 3000));
    await discord.waitForBot(30_000);
    await help();
    expect(discord.resumes + discord.identifies.length).toBeGreaterThan(resumes + 1);
    expect(bot.exitCode).toBeNull();
  });

  it('logs and ignores malformed or hostile gateway payloads', async () => {
    const base = (type: number) => discord.baseInteraction(type, alice);
    const hostile: Record<string, unknown>[] = [
      { ...base(99), data: {} }, // unknown interaction type
      { ...base(2) }, // command without data
      { ...base(2), data: { id: snowflake(), name: 'help', type: 1 }, member: undefined }, // no member nor user
      { ...base(2), data: { id: snowflake(), name: 'tex', type: 1, options: [{ name: 'formula', type: 3, value: 'x'.repeat(200_000) }] } }, // oversized option
      { ...base(2), data: { id: snowflake(), name: 'roc', type: 1, options: [{ name: 'labels', type: 4, value: 'not a number' }] } }, // wrong option type
      { ...base(3), data: { custom_id: 'bp1:pa:not-a-uuid:0:0', component_type: 2 } }, // component without message
      { ...base(5), data: { custom_id: 'bp1:pm:00000000-0000-0000-0000-000000000000:0', components: [] } }, // modal without fields
    ];
    for (const h of hostile) discord.dispatchInteraction(h as Record<string, unknown> & { id: string; token: string });
    discord.dispatch('SOMETHING_NEW', { hello: 'world' });
    discord.dispatch('GUILD_CREATE', { id: 'not-a-snowflake' });
    await new Promise((r) => setTimeout(r, 1500));
    await help();
    expect(bot.exitCode).toBeNull();
    // The oversized formula was refused politely, not rendered.
    const tex = discord.interactions.get(hostile[3]!.id as string)!;
    await tex.waitFor((x) => x.answered, 5_000, 'a refusal');
    expect(tex.ephemeral).toBe(true);
    expect(tex.text).toMatch(/too long/);
  });
});

describe('permissions', () => {
  const adminOnly: [string, Record<string, unknown>][] = [
    ['schedule set', { channel: undefined, when: '09:00' }],
    ['schedule list', {}],
    ['schedule pause', { id: 'abcdef12' }],
    ['schedule resume', { id: 'abcdef12' }],
    ['schedule remove', { id: 'abcdef12' }],
    ['drop', {}],
    ['settings', { theme: 'light' }],
  ];
  it.each(adminOnly)('/%s refuses members without Manage Server', async (command, options) => {
    const opts = command === 'schedule set' ? { ...options, channel: discord.channel } : options;
    const res = await discord.slash(discord.user('member'), command, opts);
    expect(res.ephemeral).toBe(true);
    expect(res.content).toMatch(/Only members with the \*\*Manage Server\*\* permission/);
  });
});
