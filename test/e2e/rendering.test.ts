import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { FakeDiscord, type FakeUser } from '../support/fake-discord.js';
import { BotProcess, botEnv } from '../support/bot-process.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { colourShare, decodePng, distinctColours, hex } from '../support/png.js';

let discord: FakeDiscord;
let db: TestDatabase;
let bot: BotProcess;
let alice: FakeUser;
let bob: FakeUser;

beforeAll(async () => {
  discord = await FakeDiscord.start({ commands: commands.map((c) => c.data.toJSON()), guilds: [{ name: 'Study Group', channels: ['general', 'derivations', 'light-room'] }] });
  db = await createTestDatabase('rendering');
  bot = BotProcess.start(botEnv(discord.apiUrl, db.url));
  await bot.ready();
  alice = discord.user('alice');
  bob = discord.user('bob');
});

afterAll(async () => {
  await bot?.stop();
  await discord?.close();
  await db?.drop();
});

const channel = (name: string) => discord.guild.channels.find((c) => c.name === name)!;

describe('/tex', () => {
  it('returns a crisp PNG of the formula in the dark theme', async () => {
    const res = await discord.slash(alice, 'tex', { formula: '\\mathcal{L} = -\\sum_i y_i \\log \\hat y_i', caption: 'cross-entropy' });
    expect(res.ephemeral).toBe(false);
    expect(res.files).toHaveLength(1);
    const png = res.files[0]!;
    expect(png.content_type).toBe('image/png');
    const img = await decodePng(png.data);
    expect(img.width).toBeGreaterThan(200);
    expect(img.height).toBeGreaterThan(60);
    expect(colourShare(img, hex('#313338'))).toBeGreaterThan(0.5); // Discord dark background
    expect(colourShare(img, hex('#dbdee1'), 10)).toBeGreaterThan(0.005); // text colour present
    expect(distinctColours(img)).toBeGreaterThan(4); // anti-aliased glyphs, not a blank block
  });

  it('uses the light theme once the server picks it', async () => {
    await discord.slash(discord.user('admin'), 'settings', { theme: 'light' }, { admin: true });
    const res = await discord.slash(alice, 'tex', { formula: 'e^{i\\pi}+1=0' });
    const img = await decodePng(res.files[0]!.data);
    expect(colourShare(img, hex('#ffffff'))).toBeGreaterThan(0.5);
    expect(colourShare(img, hex('#313338'), 10)).toBeGreaterThan(0.005);
    await discord.slash(discord.user('admin'), 'settings', { theme: 'dark' }, { admin: true });
  });

  it('explains a bad formula privately with MathJax’s message', async () => {
    const res = await discord.slash(alice, 'tex', { formula: '\\frac{1}{2' });
    expect(res.ephemeral).toBe(true);
    expect(res.text).toMatch(/MathJax could not read that: \*\*.*(close brace|Missing)/i);
    expect(res.files).toHaveLength(0);
    const undefinedCs = await discord.slash(alice, 'tex', { formula: '\\foo{x}' });
    expect(undefinedCs.text).toMatch(/Undefined control sequence `\\foo`/);
  });

  it('refuses formula bombs within 3 s while another member is served normally', async () => {
    const started = Date.now();
    const bombs = [
      discord.sendSlash(alice, 'tex', { formula: '\\def\\a{\\a\\a}\\a' }),
      discord.sendSlash(alice, 'tex', { formula: 'x+'.repeat(50_000) }, { raw: true }),
      discord.sendSlash(alice, 'tex', { formula: '\\rule{100000em}{100000em}' }),
    ];
    const help = await discord.slash(bob, 'help');
    expect(help.text).toContain('follow-up chains');
    const answered = await Promise.all(bombs.map((b) => b.waitFor((h) => h.answered, 3_000, 'a refusal')));
    expect(Date.now() - started).toBeLessThan(3_000);
    for (const a of answered) {
      expect(a.ephemeral).toBe(true);
      expect(a.files).toHaveLength(0);
    }
    expect(answered[0]!.text).toMatch(/Undefined control sequence `\\def`/);
    expect(answered[1]!.text).toMatch(/too long/);
    expect(answered[2]!.text).toMatch(/too (large|big|wide|tall)/i);
    expect(bot.exitCode).toBeNull();
  });
});

describe('/roc', () => {
  it('computes AUC and AP for known data and returns the curves', async () => {
    // Positives 0.9, 0.8, 0.4; negatives 0.7, 0.3, 0.1: 8 of 9 pairs ranked right.
    const res = await discord.slash(alice, 'roc', { labels: '1 1 1 0 0 0', scores: '0.9, 0.8, 0.4, 0.7, 0.3, 0.1' });
    expect(res.content).toContain('AUC = 0.8889');
    expect(res.content).toMatch(/AP = 0\.9167/); // (1 + 1 + 3/4) / 3
    expect(res.content).toMatch(/n = 6 \(3 positive, prevalence 50\.0%\)/);
    const img = await decodePng(res.files[0]!.data);
    expect(img.width).toBeGreaterThan(img.height); // two panels side by side
    expect(distinctColours(img)).toBeGreaterThan(8);
  });

  it('counts ties as half (Mann-Whitney), whatever the input order', async () => {
    // Every score tied at 0.5 except one: pairs (p,n) = 2x2 = 4; p1=0.5 vs n=0.5 tie, p2=0.9 wins both.
    const a = await discord.slash(alice, 'roc', { labels: '1 0 1 0', scores: '0.5 0.5 0.9 0.5' });
    const b = await discord.slash(alice, 'roc', { labels: '0 1 0 1', scores: '0.5 0.5 0.5 0.9' });
    // wins: 0.9 beats both negatives (2), 0.5 ties both (2 x 0.5 = 1) -> 3/4
    expect(a.content).toContain('AUC = 0.7500');
    expect(b.content).toContain('AUC = 0.7500');
  });

  it('reads a CSV attachment with a header and marks the threshold', async () => {
    const csv = 'label,score\n1,0.9\n0,0.2\n1,0.65\n0,0.7\n1,0.8\n0,0.1\n';
    const res = await discord.slash(alice, 'roc', { file: { filename: 'preds.csv', data: Buffer.from(csv) }, threshold: 0.6 });
    expect(res.content).toContain('AUC = 0.8889');
    expect(res.content).toMatch(/At threshold 0\.6: TPR 1\.000, FPR 0\.333/);
    expect(res.files).toHaveLength(1);
  });

  it.each([
    [{ labels: '1 0 1', scores: '0.5 0.2' }, /3 labels but 2 scores/],
    [{ labels: '1 0', scores: '0.5 high' }, /Scores must be numbers; score #2 is `high`/],
    [{ labels: '1 2', scores: '0.5 0.2' }, /Labels must be 0 or 1/],
    [{ labels: '1 1', scores: '0.5 0.2' }, /needs both classes/],
    [{}, /Give both `labels` and `scores`/],
  ])('explains bad text input %#', async (options, message) => {
    const res = await discord.slash(alice, 'roc', options);
    expect(res.ephemeral).toBe(true);
    expect(res.text).toMatch(message);
  });

  it('explains bad attachments', async () => {
    const notCsv = await discord.slash(alice, 'roc', { file: { filename: 'plot.png', data: Buffer.from('x'), content_type: 'image/png' } });
    expect(notCsv.text).toMatch(/not a CSV file/);
    expect(notCsv.ephemeral).toBe(true);
    const tooMany = Array.from({ length: 100_001 }, (_, i) => `${i % 2},${(i % 997) / 997}`).join('\n');
    const rows = await discord.slash(alice, 'roc', { file: { filename: 'big.csv', data: Buffer.from(tooMany) } });
    expect(rows.text).toMatch(/more than 100,000 rows/);
    const huge = await discord.slash(alice, 'roc', { file: { filename: 'huge.csv', data: Buffer.alloc(5 * 1024 * 1024, 48) } });
    expect(huge.text).toMatch(/limit is 4 MB/);
  });
});

describe('/whiteboard', () => {
  it('lets two members build a derivation: add, add, undo, show, export', async () => {
    const opts = { channel: channel('derivations') };
    expect((await discord.slash(alice, 'whiteboard start', { title: 'Ridge closed form' }, opts)).content).toMatch(/Ridge closed form\*\* is open/);
    const again = await discord.slash(bob, 'whiteboard start', { title: 'Other' }, opts);
    expect(again.ephemeral).toBe(true);
    expect(again.content).toMatch(/already has an open board, \*\*Ridge closed form\*\* \(0 steps\)/);

    const s1 = await discord.slash(alice, 'whiteboard add', { step: 'L(w) = \\|y - Xw\\|^2 + \\lambda\\|w\\|^2', note: 'objective' }, opts);
    expect(s1.content).toMatch(/Step \*\*1\*\* added by alice/);
    expect(s1.files).toHaveLength(1);
    const s2 = await discord.slash(bob, 'whiteboard add', { step: '\\nabla_w L = -2X^T(y - Xw) + 2\\lambda w = 0' }, opts);
    expect(s2.content).toMatch(/Step \*\*2\*\* added by bob/);
    const typo = await discord.slash(bob, 'whiteboard add', { step: 'w = (X^TX + \\lambda I)^{-1' }, opts);
    expect(typo.ephemeral).toBe(true);
    expect(typo.text).toMatch(/MathJax could not read that/);
    const s3 = await discord.slash(bob, 'whiteboard add', { step: 'w = X^Ty' }, opts);
    expect(s3.content).toMatch(/Step \*\*3\*\*/);
    expect((await discord.slash(alice, 'whiteboard undo', {}, opts)).content).toMatch(/objective|\\\|y - Xw/); // alice's own step 1
    const s4 = await discord.slash(bob, 'whiteboard add', { step: 'w^* = (X^TX + \\lambda I)^{-1}X^Ty', note: 'solve' }, opts);
    expect(s4.content).toMatch(/Step \*\*3\*\*/);

    const shown = await discord.slash(alice, 'whiteboard show', {}, opts);
    expect(shown.content).toMatch(/Ridge closed form\*\*: 3 steps/);
    const img = await decodePng(shown.files[0]!.data);
    expect(img.height).toBeGreaterThan(200);
    expect(colourShare(img, hex('#313338'))).toBeGreaterThan(0.4);
    expect(colourShare(img, hex('#dbdee1'), 10)).toBeGreaterThan(0.003);

    const exported = await discord.slash(bob, 'whiteboard export', {}, opts);
    expect(exported.ephemeral).toBe(true);
    const file = exported.files[0]!;
    expect(file.filename).toBe('ridge-closed-form.tex');
    const tex = file.data.toString('utf8');
    expect(tex).toContain('\\section*{Ridge closed form}');
    expect(tex.match(/\\begin\{equation\}/g)).toHaveLength(3);
    expect(tex.indexOf('\\nabla_w L')).toBeLessThan(tex.indexOf('w = X^Ty'));
    expect(tex.indexOf('w = X^Ty')).toBeLessThan(tex.indexOf('w^* = (X^TX'));
    expect(tex).not.toContain('\\|y - Xw\\|^2 + \\lambda'); // undone
    expect(tex).toContain('% Step 3 by bob: solve');
  });

  it('keeps boards per channel and guards clear', async () => {
    const opts = { channel: channel('light-room') };
    expect((await discord.slash(alice, 'whiteboard show', {}, opts)).text).toMatch(/no whiteboard in this channel/);
    await discord.slash(alice, 'whiteboard start', {}, opts);
    await discord.slash(alice, 'whiteboard add', { step: 'a^2+b^2=c^2' }, opts);
    const refused = await discord.slash(bob, 'whiteboard clear', {}, opts);
    expect(refused.ephemeral).toBe(true);
    expect(refused.text).toMatch(/Only the member who started this board/);
    expect((await discord.slash(alice, 'whiteboard clear', {}, opts)).content).toMatch(/cleared \(1 step removed\)/);
    expect((await discord.slash(bob, 'whiteboard start', { title: 'Next' }, opts)).content).toMatch(/Next\*\* is open/);
  });
});
