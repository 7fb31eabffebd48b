import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { FakeDiscord, isComponentsV2, messageText } from '../support/fake-discord.js';
import { BotProcess, botEnv } from '../support/bot-process.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

describe('the real bot through the fake Discord', () => {
  let discord: FakeDiscord;
  let db: TestDatabase;
  let bot: BotProcess;

  beforeAll(async () => {
    discord = await FakeDiscord.start({ commands: commands.map((c) => c.data.toJSON()) });
    db = await createTestDatabase('foundation');
    bot = BotProcess.start(botEnv(discord.apiUrl, db.url));
    await bot.ready();
    await discord.waitForBot();
  });

  afterAll(async () => {
    await bot?.stop();
    await discord?.close();
    await db?.drop();
  });

  it('answers /help privately, listing only commands that exist', async () => {
    const res = await discord.slash(discord.user('alice'), 'help');
    expect(res.callbackType).toBe(4);
    expect(res.ephemeral).toBe(true);
    // A private Components v2 card (no content, no embed): the command table and how points are earned.
    expect(isComponentsV2(res.message)).toBe(true);
    expect(res.content).toBe('');
    expect(res.message!.embeds).toEqual([]);
    const text = messageText(res.message);
    expect(text).toContain('follow-up chains');
    expect(text).toContain('### For members');
    expect(text).toContain('`/help`: this overview');
    expect(text).toContain('/settings');
    for (const c of commands) expect(text).toContain(`\`/${c.data.name}\`: `);
    expect(text).toContain('### Points\nPoints: 100 a right answer (L5 125, L6 150, drills 125), half for a partial one, in every mode.\nLive drops, duels and sprints add up to +50% for speed; practice scores a question once a day.');
    for (const absent of ['/duel', '/sprint', '/leaderboard']) {
      if (!commands.some((c) => `/${c.data.name}` === absent)) expect(text).not.toContain(absent);
    }
  });

  it('refuses /settings to a member without Manage Server, privately', async () => {
    const res = await discord.slash(discord.user('bob'), 'settings', { theme: 'light' });
    expect(res.ephemeral).toBe(true);
    expect(res.content).toMatch(/Manage Server/);
  });

  it('saves /settings for an admin and reads them back', async () => {
    const admin = discord.user('admin');
    const saved = await discord.slash(admin, 'settings', { theme: 'light', timezone: 'Europe/Berlin' }, { admin: true });
    expect(saved.content).toMatch(/Settings saved/);
    const shown = await discord.slash(admin, 'settings', {}, { admin: true });
    expect(shown.content).toContain('**light**');
    expect(shown.content).toContain('Europe/Berlin');
  });

  it('explains a bad time zone without changing anything', async () => {
    const admin = discord.user('admin');
    const res = await discord.slash(admin, 'settings', { timezone: 'Mars/Olympus' }, { admin: true });
    expect(res.ephemeral).toBe(true);
    expect(res.content).toMatch(/not a time zone I know/);
    const shown = await discord.slash(admin, 'settings', {}, { admin: true });
    expect(shown.content).toContain('Europe/Berlin');
  });

  it('offers time zones through autocomplete', async () => {
    const choices = await discord.autocomplete(discord.user('admin'), 'settings', 'timezone', 'berl', {}, { admin: true });
    expect(choices.map((c) => c.value)).toContain('Europe/Berlin');
  });

  it('offers the server’s schedules by channel and time when pausing, resuming or removing: no id to copy', async () => {
    const admin = discord.user('admin');
    const general = discord.channel;
    const morning = await discord.slash(admin, 'schedule set', { channel: general, when: '09:00', timezone: 'Europe/Berlin', topics: 'xgboost' }, { admin: true });
    const evening = await discord.slash(admin, 'schedule set', { channel: general, when: '0 18 * * 1-5', timezone: 'UTC', level: 'L5' }, { admin: true });
    const ids = [morning, evening].map((r) => /`([0-9a-f]{8})`/.exec(r.content)![1]!);

    const pause = await discord.autocomplete(admin, 'schedule pause', 'id', '', {}, { admin: true });
    expect(pause).toEqual([
      { name: `#${general.name} · daily 09:00 Europe/Berlin · xgboost (${ids[0]})`, value: ids[0] },
      { name: `#${general.name} · cron 0 18 * * 1-5 UTC · all topics L5 (${ids[1]})`, value: ids[1] },
    ]);
    // Typing narrows the list, by any of the words shown.
    expect((await discord.autocomplete(admin, 'schedule pause', 'id', 'berlin', {}, { admin: true })).map((c) => c.value)).toEqual([ids[0]]);
    const paused = await discord.slash(admin, 'schedule pause', { id: pause[0]!.value }, { admin: true });
    expect(paused.content).toMatch(/^Paused\. `[0-9a-f]{8}`/);

    // Resume offers the paused one; pause, the one still running.
    expect((await discord.autocomplete(admin, 'schedule resume', 'id', '', {}, { admin: true })).map((c) => c.name)).toEqual([`#${general.name} · daily 09:00 Europe/Berlin · xgboost · paused (${ids[0]})`]);
    expect((await discord.autocomplete(admin, 'schedule pause', 'id', '', {}, { admin: true })).map((c) => c.value)).toEqual([ids[1]]);
    expect((await discord.autocomplete(admin, 'schedule remove', 'id', '', {}, { admin: true })).map((c) => c.value)).toEqual(ids);
    // A member without Manage Server is offered nothing, even when forging the request.
    expect(await discord.autocomplete(discord.user('carol'), 'schedule remove', 'id', '', {})).toEqual([]);
    for (const id of ids) expect((await discord.slash(admin, 'schedule remove', { id }, { admin: true })).content).toMatch(/^Removed schedule `[0-9a-f]{8}` \(<#\d+> /);
    expect(await discord.autocomplete(admin, 'schedule remove', 'id', '', {}, { admin: true })).toEqual([]);
  });

  it('answers a forged button politely', async () => {
    const help = await discord.slash(discord.user('carol'), 'help');
    const res = await discord.click(discord.user('carol'), help.original!, 'bp1:no-such-route:1', { raw: true });
    expect(res.ephemeral).toBe(true);
    expect(res.content).toMatch(/has ended|no longer understand/);
  });

  it('retries after a 429 with Retry-After and still answers', async () => {
    discord.failNext({ method: 'POST', path: /^\/interactions\/\d+\/[^/]+\/callback$/, status: 429, retryAfter: 0.3 });
    const t0 = Date.now();
    const res = await discord.slash(discord.user('dora'), 'help');
    expect(messageText(res.message)).toContain('follow-up chains');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
    expect(discord.requests.filter((r) => r.path.startsWith(`/interactions/${res.id}/`))).toHaveLength(2);
  });

  it('registers the slash commands with npm run deploy-commands, globally or to one guild', async () => {
    const { execFile } = await import('node:child_process');
    const { promisify } = await import('node:util');
    const env = { ...process.env, DISCORD_TOKEN: 'fake-token.for-tests', DISCORD_API_URL: discord.apiUrl, NODE_OPTIONS: '' };
    // Asynchronously: the fake Discord lives in this process and must keep answering.
    const { stdout: out } = await promisify(execFile)('npm', ['run', '-s', 'deploy-commands', '--', '--guild', discord.guild.id], { env, encoding: 'utf8' });
    expect(out).toContain(`registered ${commands.length} commands to guild ${discord.guild.id}`);
    expect(discord.registeredCommands.map((c) => c.name)).toEqual(commands.map((c) => c.data.name));
    expect(discord.requests.some((r) => r.method === 'PUT' && r.path === `/applications/${discord.applicationId}/guilds/${discord.guild.id}/commands`)).toBe(true);
  });

  it('has not called any REST route the fake does not know', () => {
    expect(discord.unhandled).toEqual([]);
  });
});
