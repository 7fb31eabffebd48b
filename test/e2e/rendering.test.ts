import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FakeDiscord, isComponentsV2, messageText, type FakeMessage, type FakeUser, type InteractionHandle } from '../support/fake-discord.js';
import { BotProcess, botEnv } from '../support/bot-process.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { colourShare, decodePng, distinctColours, hex } from '../support/png.js';
import { findRawTex } from '../support/visible-text.js';

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
const fixture = (name: string) => ({ filename: name, data: readFileSync(path.join(import.meta.dirname, '../fixtures/roc', name)) });

/**
 * Everything this interaction ever showed in the channel: every message it created (including
 * ones deleted since, and "thinking…" placeholders) that was not ephemeral. A private refusal
 * must leave this empty.
 */
const publicTraces = (h: InteractionHandle): FakeMessage[] =>
  [...discord.messages.values()].filter((m) => (m.interaction_metadata?.id === h.id || h.followUps.includes(m) || h.original === m) && (m.flags & 64) === 0);

/** A private refusal: the first and only response is ephemeral, never a public defer. */
function expectPrivateOnly(h: InteractionHandle) {
  expect(h.callbackType).toBe(4);
  expect(h.ephemeral).toBe(true);
  expect(publicTraces(h)).toEqual([]);
}

describe('/tex', () => {
  it('returns a crisp PNG of the formula in the dark theme', async () => {
    const res = await discord.slash(alice, 'tex', { formula: '\\mathcal{L} = -\\sum_i y_i \\log \\hat y_i', caption: 'cross-entropy' });
    expect(res.ephemeral).toBe(false);
    expect(res.files).toHaveLength(1);
    // A card: the image, the caption as text, and the source to copy in a code block.
    expect(isComponentsV2(res.message)).toBe(true);
    expect(messageText(res.message)).toBe('cross-entropy\n```tex\n\\mathcal{L} = -\\sum_i y_i \\log \\hat y_i\n```');
    expect(findRawTex(messageText(res.message))).toEqual([]);
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

  it('accepts pasted $…$, $$…$$, \\(…\\) and \\[…\\]: the same image as without them, no dollar signs drawn', async () => {
    const plain = await discord.slash(alice, 'tex', { formula: 'e^{i\\pi}+1=0' });
    const display = await discord.slash(alice, 'tex', { formula: '$$e^{i\\pi}+1=0$$' });
    const bracket = await discord.slash(alice, 'tex', { formula: '\\[ e^{i\\pi}+1=0 \\]' });
    expect(display.files[0]!.data.equals(plain.files[0]!.data)).toBe(true);
    expect(bracket.files[0]!.data.equals(plain.files[0]!.data)).toBe(true);
    expect(messageText(display.message)).toBe('```tex\ne^{i\\pi}+1=0\n```');
    // $…$ and \(…\) are inline maths: drawn in the smaller inline style unless asked otherwise.
    const inline = await discord.slash(alice, 'tex', { formula: '$\\frac{a}{b}$' });
    const inlineAsked = await discord.slash(alice, 'tex', { formula: '\\frac{a}{b}', inline: true });
    expect(inline.files[0]!.data.equals(inlineAsked.files[0]!.data)).toBe(true);
    expect((await decodePng(inline.files[0]!.data)).height).toBeLessThan((await decodePng((await discord.slash(alice, 'tex', { formula: '$$\\frac{a}{b}$$' })).files[0]!.data)).height);
  });

  it('answers at once, with no public "thinking…" first, once the renderer is warm', async () => {
    const res = await discord.slash(alice, 'tex', { formula: 'x^2' });
    expect(res.callbackType).toBe(4);
    expect(discord.requests.some((r) => r.path.includes(`/interactions/${res.id}/`) && (r.body as { type?: number }).type === 5)).toBe(false);
  });

  it('explains a bad formula privately with MathJax’s message, and nothing shows in the channel', async () => {
    const res = await discord.slash(alice, 'tex', { formula: '\\frac{1}{2' });
    expectPrivateOnly(res);
    expect(res.text).toMatch(/^MathJax could not read that \(`[^`]*(close brace|Missing)[^`]*`\); check the braces/i);
    expect(res.files).toHaveLength(0);
    const undefinedCs = await discord.slash(alice, 'tex', { formula: '$$\\foo{x}$$' });
    expect(undefinedCs.text).toMatch(/Undefined control sequence \\foo/);
    expectPrivateOnly(undefinedCs);
    // MathJax's message names TeX: shown as code, never as raw TeX in the sentence.
    expect(findRawTex(undefinedCs.text)).toEqual([]);
  });

  it('refuses formula bombs within 3 s while another member is served normally', async () => {
    const started = Date.now();
    const bombs = [
      discord.sendSlash(alice, 'tex', { formula: '\\def\\a{\\a\\a}\\a' }),
      discord.sendSlash(alice, 'tex', { formula: 'x+'.repeat(50_000) }, { raw: true }),
      discord.sendSlash(alice, 'tex', { formula: '\\rule{100000em}{100000em}' }),
    ];
    const help = await discord.slash(bob, 'help');
    expect(messageText(help.message)).toContain('follow-up chains');
    const answered = await Promise.all(bombs.map((b) => b.waitFor((h) => h.answered, 3_000, 'a refusal')));
    expect(Date.now() - started).toBeLessThan(3_000);
    for (const a of answered) {
      expect(a.ephemeral).toBe(true);
      expect(a.files).toHaveLength(0);
    }
    expect(answered[0]!.text).toMatch(/`Undefined control sequence \\def`/);
    expect(answered[1]!.text).toMatch(/too long/);
    expect(answered[2]!.text).toMatch(/too (large|big|wide|tall)/i);
    expect(bot.exitCode).toBeNull();
  });
});

/** A /roc answer as the channel reads it: a public Components v2 card (no content, no embed), its text. */
function rocCard(h: InteractionHandle): string {
  expect(isComponentsV2(h.message)).toBe(true);
  expect(h.ephemeral).toBe(false);
  expect(h.content).toBe('');
  expect(h.message!.embeds).toEqual([]);
  return messageText(h.message);
}

describe('/roc', () => {
  it('computes AUC and AP for known data and returns the curves', async () => {
    // Positives 0.9, 0.8, 0.4; negatives 0.7, 0.3, 0.1: 8 of 9 pairs ranked right.
    const res = await discord.slash(alice, 'roc', { labels: '1 1 1 0 0 0', scores: '0.9, 0.8, 0.4, 0.7, 0.3, 0.1' });
    const text = rocCard(res);
    expect(text).toContain('AUC = 0.8889');
    expect(text).toMatch(/AP = 0\.9167/); // (1 + 1 + 3/4) / 3
    expect(text).toMatch(/n = 6 \(3 positive, prevalence 50\.0%\)/);
    // The summary as text, the curves in the card's gallery, how AUC and AP are counted as subtext.
    const container = res.message!.components[0] as { components: { type: number; items?: { media: { url: string }; description?: string }[] }[] };
    expect(container.components.map((c) => c.type)).toEqual([10, 12, 10]);
    expect(container.components[1]!.items![0]).toMatchObject({ media: { url: 'attachment://roc-pr.png' }, description: 'ROC (AUC 0.8889) and PR (AP 0.9167) curves' });
    expect(text).toMatch(/\n-# AUC counts tied scores as half a win \(Mann-Whitney\); AP is the step-wise average precision\.$/);
    expect(res.files.map((f) => f.filename)).toEqual(['roc-pr.png']);
    const img = await decodePng(res.files[0]!.data);
    expect(img.width).toBeGreaterThan(img.height); // two panels side by side
    expect(distinctColours(img)).toBeGreaterThan(8);
  });

  it('counts ties as half (Mann-Whitney), whatever the input order', async () => {
    // Every score tied at 0.5 except one: pairs (p,n) = 2x2 = 4; p1=0.5 vs n=0.5 tie, p2=0.9 wins both.
    const a = await discord.slash(alice, 'roc', { labels: '1 0 1 0', scores: '0.5 0.5 0.9 0.5' });
    const b = await discord.slash(alice, 'roc', { labels: '0 1 0 1', scores: '0.5 0.5 0.5 0.9' });
    // wins: 0.9 beats both negatives (2), 0.5 ties both (2 x 0.5 = 1) -> 3/4
    expect(rocCard(a)).toContain('AUC = 0.7500');
    expect(rocCard(b)).toContain('AUC = 0.7500');
  });

  it('reads a CSV attachment with a header and marks the threshold', async () => {
    const csv = 'label,score\n1,0.9\n0,0.2\n1,0.65\n0,0.7\n1,0.8\n0,0.1\n';
    const res = await discord.slash(alice, 'roc', { file: { filename: 'preds.csv', data: Buffer.from(csv) }, threshold: 0.6 });
    const text = rocCard(res);
    expect(text).toMatch(/^Read 6 rows: labels from `label`, scores from `score`\.\n/);
    expect(text).toContain('AUC = 0.8889');
    expect(text).toMatch(/At threshold 0\.6: TPR 1\.000, FPR 0\.333/);
    expect(res.files).toHaveLength(1);
  });

  it('reads a ; CSV with decimal commas right: AUC 1 (it used to read 0.5000 and draw a flat curve)', async () => {
    const res = await discord.slash(alice, 'roc', { file: fixture('semicolon-decimal-comma.csv') });
    const text = rocCard(res);
    expect(text).toContain('Read 8 rows: labels from `label`, scores from `score` (semicolon-separated, decimal commas).');
    expect(text).toContain('AUC = 1.0000');
    expect(text).toMatch(/AP = 1\.0000\*\* · n = 8 \(4 positive/);
  });

  it.each([
    ['pandas-index.csv', 'Read 6 rows: labels from `y_true`, scores from `y_prob` (pandas index column skipped).'],
    ['score-label-order.csv', 'Read 6 rows: labels from `label`, scores from `score`.'],
    ['tab.tsv', 'Read 6 rows: labels from `y`, scores from `prob` (tab-separated).'],
    ['quoted.csv', 'Read 6 rows: labels from `Target`, scores from `Predicted Probability`.'],
    ['headerless.csv', 'Read 6 rows: labels from column 2, scores from column 1 (no header row; column 2 is the one holding only 0/1).'],
    ['excel-unicode-text.txt', 'Read 6 rows: labels from `label`, scores from `score` (tab-separated, decimal commas).'],
  ])('reads %s by its columns’ names, and says which it used', async (name, line) => {
    const text = rocCard(await discord.slash(alice, 'roc', { file: fixture(name) }));
    expect(text).toContain(line);
    expect(text).toContain('AUC = 0.8889');
  });

  it('asks instead of guessing when the columns are unclear, privately, and takes the member’s pick', async () => {
    const unclear = await discord.slash(alice, 'roc', { file: fixture('ambiguous-two-scores.csv') });
    expectPrivateOnly(unclear);
    expect(unclear.text).toMatch(/more than one column looks like the scores \(the columns are `label`, `score_model_a`, `score_model_b`\).*`score_column`/);
    const headerless = await discord.slash(alice, 'roc', { file: fixture('ambiguous-headerless.csv') });
    expectPrivateOnly(headerless);
    expect(headerless.text).toMatch(/both columns hold only 0s and 1s/);
    // Model b ranks 0.6 (a negative) above every positive, and 0.1 below: 2 of 4 pairs right.
    const picked = await discord.slash(alice, 'roc', { file: fixture('ambiguous-two-scores.csv'), score_column: 'score_model_b' });
    expect(rocCard(picked)).toContain('labels from `label`, scores from `score_model_b`');
    expect(rocCard(picked)).toContain('AUC = 0.5000');
    const byNumber = await discord.slash(alice, 'roc', { file: fixture('ambiguous-two-scores.csv'), score_column: '2' });
    expect(rocCard(byNumber)).toContain('scores from `score_model_a`');
    expect(rocCard(byNumber)).toContain('AUC = 0.7500');
  });

  it.each([
    ['one-class.csv', /^All 3 labels are 1, and a ROC curve needs both classes/],
    ['non-numeric-scores.csv', /^Scores must be numbers; line 3's score is `high`\.$/],
    ['empty.csv', /no data rows/],
    ['header-only.csv', /no data rows/],
  ])('refuses %s privately, before anything shows in the channel', async (name, message) => {
    const res = await discord.slash(alice, 'roc', { file: fixture(name) });
    expectPrivateOnly(res);
    expect(res.text).toMatch(message);
  });

  it.each([
    [{ labels: '1 0 1', scores: '0.5 0.2' }, /3 labels but 2 scores/],
    [{ labels: '1 0', scores: '0.5 high' }, /Scores must be numbers; score #2 is `high`/],
    [{ labels: '1 2', scores: '0.5 0.2' }, /Labels must be 0 or 1/],
    [{ labels: '1 1', scores: '0.5 0.2' }, /needs both classes/],
    [{}, /Give both `labels` and `scores`/],
  ])('explains bad text input %#', async (options, message) => {
    const res = await discord.slash(alice, 'roc', options);
    expectPrivateOnly(res);
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
  /** The board messages in a channel as members see them now (cards starting with 🧮), oldest first. */
  const boardMessages = (channelId: string) =>
    [...discord.messages.values()].filter((m) => m.channel_id === channelId && !m.deleted && (m.flags & 64) === 0 && messageText(m).startsWith('🧮'));
  const edits = (messageId: string) => discord.requests.filter((r) => r.method === 'PATCH' && r.path.endsWith(`/messages/${messageId}`)).length;

  it('keeps one live board message, edited in place as two members build a derivation: add, add, undo, show, export', async () => {
    const derivations = channel('derivations');
    const opts = { channel: derivations };
    const start = await discord.slash(alice, 'whiteboard start', { title: 'Ridge closed form' }, opts);
    expect(start.ephemeral).toBe(false);
    expect(messageText(start.message)).toMatch(/^🧮 \*\*Ridge closed form\*\* · 0 steps\nNo steps yet/);
    const board = start.message!;
    const again = await discord.slash(bob, 'whiteboard start', { title: 'Other' }, opts);
    expectPrivateOnly(again);
    expect(again.content).toMatch(/already has an open board, \*\*Ridge closed form\*\* \(0 steps\)/);

    // Three additions, one pasted with $$…$$: each member hears privately; the one board message shows all three.
    const s1 = await discord.slash(alice, 'whiteboard add', { step: 'L(w) = \\|y - Xw\\|^2 + \\lambda\\|w\\|^2', note: 'objective' }, opts);
    expect(s1.ephemeral).toBe(true);
    expect(s1.content).toMatch(/^Step \*\*1\*\* is on \*\*Ridge closed form\*\* \(\[the board\]\(https:\/\/discord\.com\/channels\/\d+\/\d+\/\d+\)\)\.$/);
    expect(s1.content).toContain(board.id);
    const s2 = await discord.slash(bob, 'whiteboard add', { step: '$$\\nabla_w L = -2X^T(y - Xw) + 2\\lambda w = 0$$' }, opts);
    expect(s2.content).toMatch(/^Step \*\*2\*\*/);
    const typo = await discord.slash(bob, 'whiteboard add', { step: 'w = (X^TX + \\lambda I)^{-1' }, opts);
    expectPrivateOnly(typo);
    expect(typo.text).toMatch(/MathJax could not read that/);
    const s3 = await discord.slash(bob, 'whiteboard add', { step: 'w = X^Ty' }, opts);
    expect(s3.content).toMatch(/^Step \*\*3\*\*/);
    for (const h of [s1, s2, s3]) expect(publicTraces(h)).toEqual([]);

    expect(boardMessages(derivations.id).map((m) => m.id)).toEqual([board.id]);
    expect(edits(board.id)).toBe(3);
    const text = messageText(board);
    expect(text).toMatch(/^🧮 \*\*Ridge closed form\*\* · 3 steps by alice, bob\n/);
    expect(text).toContain('```tex\n% 1 · alice: objective\nL(w) = \\|y - Xw\\|^2 + \\lambda\\|w\\|^2\n% 2 · bob\n\\nabla_w L = -2X^T(y - Xw) + 2\\lambda w = 0\n% 3 · bob\nw = X^Ty\n```');
    expect(text).not.toContain('$$');
    expect(findRawTex(text)).toEqual([]); // TeX only in the code block
    expect(board.attachments.map((a) => a.filename)).toEqual(['whiteboard.png']);
    const img = await decodePng(board.attachments[0]!.data);
    expect(img.height).toBeGreaterThan(200);
    expect(colourShare(img, hex('#313338'))).toBeGreaterThan(0.4);
    expect(colourShare(img, hex('#dbdee1'), 10)).toBeGreaterThan(0.003);

    // Undo (alice's own step 1) edits the board too.
    const undo = await discord.slash(alice, 'whiteboard undo', {}, opts);
    expect(undo.ephemeral).toBe(true);
    expect(undo.content).toMatch(/^Removed your last step \(\[the board\]\(.*\)\): `L\(w\) = /);
    expect(messageText(board)).toMatch(/· 2 steps by bob\n/);
    const s4 = await discord.slash(bob, 'whiteboard add', { step: 'w^* = (X^TX + \\lambda I)^{-1}X^Ty', note: 'solve' }, opts);
    expect(s4.content).toMatch(/Step \*\*3\*\*/);
    expect(messageText(board)).toMatch(/· 3 steps by bob\n/);

    // Show posts the board anew at the bottom; that message is now the live one, the old one points to it.
    const shown = await discord.slash(alice, 'whiteboard show', {}, opts);
    expect(shown.ephemeral).toBe(false);
    const fresh = shown.message!;
    expect(messageText(fresh)).toMatch(/^🧮 \*\*Ridge closed form\*\* · 3 steps by bob\n/);
    await discord.waitForMessage((m) => m.id === board.id && messageText(m).includes('continues'));
    expect(messageText(board)).toBe(`🧮 **Ridge closed form** continues in a newer message: https://discord.com/channels/${discord.guild.id}/${derivations.id}/${fresh.id}`);
    expect(board.attachments).toEqual([]);
    expect(boardMessages(derivations.id).map((m) => m.id)).toEqual([board.id, fresh.id]);
    await discord.slash(alice, 'whiteboard add', { step: 'w^* \\to X^+y' }, opts);
    expect(messageText(fresh)).toMatch(/· 4 steps by bob, alice\n/);

    // A moderator deletes the board message: the next addition posts it anew and keeps editing that one.
    fresh.deleted = true;
    await discord.slash(bob, 'whiteboard add', { step: '\\lambda \\to 0' }, opts);
    const reposted = boardMessages(derivations.id).filter((m) => m.id !== board.id);
    expect(reposted).toHaveLength(1);
    expect(messageText(reposted[0])).toMatch(/· 5 steps/);
    await discord.slash(bob, 'whiteboard undo', {}, opts);
    expect(messageText(reposted[0])).toMatch(/· 4 steps/);

    const exported = await discord.slash(bob, 'whiteboard export', {}, opts);
    expect(exported.ephemeral).toBe(true);
    expect(exported.content).toBe('**Ridge closed form** as LaTeX (4 steps).');
    const file = exported.files[0]!;
    expect(file.filename).toBe('ridge-closed-form.tex');
    const tex = file.data.toString('utf8');
    expect(tex).toContain('\\section*{Ridge closed form}');
    expect(tex.match(/\\begin\{equation\}/g)).toHaveLength(4);
    expect(tex.indexOf('\\nabla_w L')).toBeLessThan(tex.indexOf('w = X^Ty'));
    expect(tex.indexOf('w = X^Ty')).toBeLessThan(tex.indexOf('w^* = (X^TX'));
    expect(tex).not.toContain('\\|y - Xw\\|^2 + \\lambda'); // undone
    expect(tex).not.toContain('$$'); // pasted delimiters taken off
    expect(tex).toContain('% Step 3 by bob: solve');
  });

  it('keeps boards per channel and guards clear; a cleared board’s message says so', async () => {
    const room = channel('light-room');
    const opts = { channel: room };
    expect((await discord.slash(alice, 'whiteboard show', {}, opts)).text).toMatch(/no whiteboard in this channel/);
    const start = await discord.slash(alice, 'whiteboard start', {}, opts);
    await discord.slash(alice, 'whiteboard add', { step: 'a^2+b^2=c^2' }, opts);
    expect(messageText(start.message)).toMatch(/· 1 step by alice\n/);
    // Discord refuses one edit: the step is kept and confirmed (without a link), and the next change draws both.
    discord.failNext({ method: 'PATCH', path: /^\/channels\/\d+\/messages\/\d+$/, status: 403 });
    const unseen = await discord.slash(alice, 'whiteboard add', { step: 'c = \\sqrt{a^2+b^2}' }, opts);
    expect(unseen.content).toBe('Step **2** is on **Derivation**.');
    expect(messageText(start.message)).toMatch(/· 1 step by alice\n/);
    await discord.slash(bob, 'whiteboard add', { step: 'c \\le a + b' }, opts);
    expect(messageText(start.message)).toMatch(/· 3 steps by alice, bob\n/);
    const refused = await discord.slash(bob, 'whiteboard clear', {}, opts);
    expectPrivateOnly(refused);
    expect(refused.text).toMatch(/Only the member who started this board/);
    expect((await discord.slash(alice, 'whiteboard clear', {}, opts)).content).toMatch(/cleared \(3 steps removed\)/);
    expect(messageText(start.message)).toBe('🧮 **Derivation** was cleared by alice (3 steps removed) and closed.');
    expect(start.message!.attachments).toEqual([]);
    const next = await discord.slash(bob, 'whiteboard start', { title: 'Next' }, opts);
    expect(messageText(next.message)).toMatch(/^🧮 \*\*Next\*\* · 0 steps/);
  });
});
