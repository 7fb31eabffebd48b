/**
 * Render workers can always be stopped. Under node-canvas a worker terminated inside native
 * code could abort the whole bot (SIGABRT in Image::SetSource), so workers were only stopped
 * "where safe". On Skia they are terminated wherever they are: this test makes the real bot
 * stop a worker in the middle of rasterising 200 times and checks that the bot is alive,
 * still renders, and exits cleanly afterwards.
 *
 * The job: `\rule{Nem}{Nem}`, a formula MathJax lays out in a few ms and Skia then spends
 * 50-500 ms drawing and PNG-encoding (native code): 3,600-4,000 px a side, near the size
 * limit, because a render worker draws a 2,800 px rule in as little as 28 ms. With a 20 ms
 * render limit, every stop lands after MathJax has finished and before the image is done:
 * inside Skia. The test measures that split on this machine first, in a real render worker,
 * rather than assuming it.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { commands } from '../../commands/index.js';
import { FakeDiscord, messageText, type InteractionHandle } from '../support/fake-discord.js';
import { BotProcess, botEnv } from '../support/bot-process.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createRenderer } from '../../src/render/index.js';
import { BASE_EM_PX, texToBox, warmUpTex } from '../../src/render/tex.js';

const STOPS = 200;
const LIMIT_MS = 20;
/** Rule sizes in em: 3,656 to 3,976 px a side at the bot's scale (all different: no cache hits). */
const sizes = Array.from({ length: STOPS }, (_, i) => 90 + ((i * 37) % STOPS) * 0.04);
const rule = (em: number) => `\\rule{${em.toFixed(2)}em}{${em.toFixed(2)}em}`;

let discord: FakeDiscord;
let db: TestDatabase;
let bot: BotProcess;

beforeAll(async () => {
  discord = await FakeDiscord.start({ commands: commands.map((c) => c.data.toJSON()) as never, guilds: [{ name: 'Stops', channels: ['general'] }] });
  db = await createTestDatabase('render_stops');
  bot = BotProcess.start(botEnv(discord.apiUrl, db.url, { RENDER_TIMEOUT_MS: String(LIMIT_MS), LOG_LEVEL: 'warn' }));
}, 120_000);

afterAll(async () => {
  await bot?.stop();
  await discord?.close();
  await db?.drop();
});

describe('render workers stopped in the middle of rasterising', () => {
  it(`the job spends its time in Skia, not in MathJax (so a ${LIMIT_MS} ms limit stops it while rasterising)`, async () => {
    warmUpTex();
    // MathJax's first \rule compiles its code path (16 ms seen here); the bot's jobs come warm.
    texToBox(rule(50), { display: true, color: '#ffffff' });
    const smallest = [...sizes].sort((a, b) => a - b).slice(0, 6);
    const layoutMs: number[] = [];
    for (const em of smallest) {
      const t0 = performance.now();
      const box = texToBox(rule(em), { display: true, color: '#ffffff' });
      layoutMs.push(performance.now() - t0);
      expect(box.widthEm * BASE_EM_PX * 2).toBeGreaterThanOrEqual(3600);
    }
    // Typically (the median: one hiccup of a loaded machine is not the job's cost).
    const typical = [...layoutMs].sort((a, b) => a - b)[3]!;
    expect(typical, `MathJax ${layoutMs.map((ms) => ms.toFixed(1)).join(', ')} ms`).toBeLessThan(LIMIT_MS / 2);
    // The whole job in a render worker as the bot runs it, warm, at its fastest: more than
    // twice the limit, so no job can finish in time.
    const renderer = createRenderer({ size: 1, timeoutMs: 30_000, cacheEntries: 0 });
    try {
      await renderer.tex('x', { theme: 'dark' });
      const jobMs: number[] = [];
      for (const em of smallest) {
        const t0 = performance.now();
        const img = await renderer.tex(rule(em), { theme: 'dark' });
        jobMs.push(performance.now() - t0);
        expect(img.width).toBeGreaterThan(3600);
      }
      const fastest = Math.min(...jobMs.slice(1));
      expect(fastest, `jobs ${jobMs.map((ms) => ms.toFixed(0)).join(', ')} ms`).toBeGreaterThan(LIMIT_MS * 2);
    } finally {
      await renderer.close();
    }
  }, 120_000);

  it(`stops ${STOPS} renders, and the bot lives on, renders and shuts down cleanly`, async () => {
    // LOG_LEVEL=warn hides the 'ready' line: wait until the fake sees the bot's gateway.
    await discord.waitForBot(60_000);
    const alice = discord.user('alice');
    const replies: string[] = [];
    // Four at a time: both workers busy, more waiting, replacements starting while others stop.
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < STOPS) {
          const em = sizes[next++]!;
          const h: InteractionHandle = await discord.slash(alice, 'tex', { formula: rule(em) }, { timeoutMs: 60_000 });
          replies.push(h.text ?? '');
        }
      }),
    );
    expect(replies).toHaveLength(STOPS);
    expect(new Set(sizes.map(rule)).size).toBe(STOPS);
    expect(replies.filter((t) => !/took too long to render/.test(t))).toEqual([]);
    // The log line is written before the reply, but reaches this process through a pipe
    // while the reply comes over HTTP: wait for the last ones.
    const timeouts = () => bot.logs.filter((l) => (l as { event?: { type?: string } }).event?.type === 'timeout').length;
    await vi.waitFor(() => expect(timeouts()).toBe(STOPS), { timeout: 10_000 });
    expect(bot.logs.filter((l) => (l as { event?: { type?: string } }).event?.type === 'worker-crashed')).toEqual([]);

    // Alive and well: a small formula renders (well within the limit) and /help answers.
    expect(bot.exitCode).toBeNull();
    // (Up to three tries: a freshly replaced worker's first small formula is near the 20 ms limit.)
    let drawn = 0;
    for (let attempt = 0; attempt < 3 && drawn === 0; attempt++) {
      const ok = await discord.slash(alice, 'tex', { formula: `e^{i\\pi}+${attempt + 1}=${attempt}` }, { timeoutMs: 30_000 });
      drawn = ok.message?.attachments?.length ?? 0;
    }
    expect(drawn).toBeGreaterThan(0);
    expect(messageText((await discord.slash(alice, 'help')).message)).toContain('follow-up chains');

    expect(await bot.stop()).toBe(0);
    expect(bot.signal).toBeNull();
    expect(bot.stderr.join('')).not.toMatch(/FATAL|Aborted|Segmentation/);
  }, 600_000);
});
