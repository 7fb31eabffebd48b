/**
 * Render workers can always be stopped. Under node-canvas a worker terminated inside native
 * code could abort the whole bot (SIGABRT in Image::SetSource), so workers were only stopped
 * "where safe". On Skia they are terminated wherever they are: this test makes the real bot
 * stop a worker in the middle of rasterising 200 times and checks that the bot is alive,
 * still renders, and exits cleanly afterwards.
 *
 * The job: `\rule{Nem}{Nem}`, a formula MathJax lays out in a few ms and Skia then spends
 * 100-400 ms drawing and PNG-encoding (native code). With a 40 ms render limit, every stop
 * lands after MathJax has finished and before the image is done: inside Skia. The test
 * measures that split on this machine first rather than assuming it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { FakeDiscord, type InteractionHandle } from '../support/fake-discord.js';
import { BotProcess, botEnv } from '../support/bot-process.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { BASE_EM_PX, renderTex, texToBox, warmUpTex } from '../../src/render/tex.js';

const STOPS = 200;
const LIMIT_MS = 40;
/** Rule sizes in em: 2,800 to 3,830 px a side at the bot's scale (all different: no cache hits). */
const sizes = Array.from({ length: STOPS }, (_, i) => 70 + ((i * 37) % 26) + (i % 9) / 10);
const rule = (em: number) => `\\rule{${em.toFixed(1)}em}{${em.toFixed(1)}em}`;

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
  it('the job spends its time in Skia, not in MathJax (so a 40 ms limit stops it while rasterising)', () => {
    warmUpTex();
    for (const em of [Math.min(...sizes), Math.min(...sizes), Math.max(...sizes)]) {
      const t0 = performance.now();
      const box = texToBox(rule(em), { display: true, color: '#ffffff' });
      const layoutMs = performance.now() - t0;
      const t1 = performance.now();
      const img = renderTex(rule(em), { theme: 'dark' });
      const totalMs = performance.now() - t1;
      expect(box.widthEm * BASE_EM_PX * 2).toBeGreaterThan(1000);
      expect(img.width).toBeGreaterThan(1000);
      expect(layoutMs, `MathJax ${layoutMs.toFixed(1)} ms`).toBeLessThan(LIMIT_MS / 2);
      // Twice the limit, warm (the smallest job is measured twice): no job can finish in time.
      expect(totalMs - layoutMs, `Skia ${(totalMs - layoutMs).toFixed(1)} ms`).toBeGreaterThan(LIMIT_MS * 2);
    }
  }, 60_000);

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
    const timeouts = bot.logs.filter((l) => (l as { event?: { type?: string } }).event?.type === 'timeout');
    expect(timeouts.length).toBe(STOPS);
    expect(bot.logs.filter((l) => (l as { event?: { type?: string } }).event?.type === 'worker-crashed')).toEqual([]);

    // Alive and well: a small formula renders (well within the limit) and /help answers.
    expect(bot.exitCode).toBeNull();
    const ok = await discord.slash(alice, 'tex', { formula: 'e^{i\\pi}+1=0' }, { timeoutMs: 30_000 });
    expect(ok.message?.attachments?.length ?? 0).toBeGreaterThan(0);
    expect((await discord.slash(alice, 'help')).text).toContain('follow-up chains');

    expect(await bot.stop()).toBe(0);
    expect(bot.signal).toBeNull();
    expect(bot.stderr.join('')).not.toMatch(/FATAL|Aborted|Segmentation/);
  }, 600_000);
});
