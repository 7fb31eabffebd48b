import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createRenderer, type PooledRenderer } from '../../../src/render/renderer.js';
import { RenderError } from '../../../src/render/errors.js';
import { themes } from '../../../src/render/theme.js';
import type { PoolEvent } from '../../../src/render/pool.js';
import { countColor, decodePng } from './pixels.js';

/** Valid TeX, under the length cap, that keeps MathJax busy for seconds (mhchem is slow). */
const SLOW_TEX = `\\ce{${'H2O + '.repeat(330)}}`;

async function rejection(p: Promise<unknown>): Promise<RenderError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(RenderError);
    return err as RenderError;
  }
  throw new Error('expected a rejection');
}

describe('worker pool renderer', () => {
  let renderer: PooledRenderer;
  const events: PoolEvent[] = [];

  beforeAll(async () => {
    renderer = createRenderer({ size: 2, timeoutMs: 600, onEvent: (e) => events.push(e) });
    await renderer.whenReady();
  }, 60_000);

  afterAll(async () => {
    await renderer.close();
  });

  it('renders a formula off the main thread (real pixels)', async () => {
    const img = await renderer.tex('\\hat y = \\sigma(w^\\top x + b)', { theme: 'dark' });
    const px = await decodePng(img.png);
    expect(px.width).toBe(img.width);
    expect(countColor(px, themes.dark.background)).toBeGreaterThan(1000);
    expect(countColor(px, themes.dark.text, 3)).toBeGreaterThan(200);
  });

  it('cache: an identical render returns the identical buffer, fast', async () => {
    const first = await renderer.tex('e^{i\\pi} + 1 = 0', { theme: 'light', caption: 'Euler' });
    const t0 = performance.now();
    const second = await renderer.tex('e^{i\\pi} + 1 = 0', { theme: 'light', caption: 'Euler' });
    expect(performance.now() - t0).toBeLessThan(5);
    expect(second.png).toBe(first.png);
    const other = await renderer.tex('e^{i\\pi} + 1 = 0', { theme: 'dark', caption: 'Euler' });
    expect(other.png).not.toBe(first.png);
    // Concurrent identical requests share one render.
    const [a, b] = await Promise.all([renderer.tex('a_1', { theme: 'dark' }), renderer.tex('a_1', { theme: 'dark' })]);
    expect(a.png).toBe(b.png);
  });

  it("MathJax's own message crosses the worker boundary", async () => {
    const e = await rejection(renderer.tex('\\def\\a{\\a\\a}\\a', { theme: 'dark' }));
    expect(e.kind).toBe('tex');
    expect(e.message).toBe('Undefined control sequence \\def');
    expect((await rejection(renderer.tex('\\frac{1}{2', { theme: 'dark' }))).message).toBe('Missing close brace');
  });

  it('a 100,000-character input is refused fast, without a worker round trip', async () => {
    const t0 = performance.now();
    const e = await rejection(renderer.tex('x'.repeat(100_000), { theme: 'dark' }));
    expect(performance.now() - t0).toBeLessThan(20);
    expect(e.kind).toBe('invalid-input');
  });

  it('\\rule{100000em}{100000em} is refused by the size check', async () => {
    const e = await rejection(renderer.tex('\\rule{100000em}{100000em}', { theme: 'dark' }));
    expect(e.kind).toBe('too-large');
  });

  it('timeout: the slow job rejects, its worker is replaced, the pool serves the next job', async () => {
    // Its own pool with a tight limit: how long SLOW_TEX takes depends on the machine (0.3-2.5 s
    // here), so a limit below that makes the timeout certain; warm jobs take ~10-20 ms.
    const own: PoolEvent[] = [];
    const r = createRenderer({ size: 2, timeoutMs: 150, onEvent: (e) => own.push(e) });
    try {
      await r.whenReady();
      await Promise.all([r.tex('a+b', { theme: 'dark' }), r.tex('c+d', { theme: 'light' })]); // warm both workers
      const before = r.stats();
      const t0 = performance.now();
      const e = await rejection(r.tex(SLOW_TEX, { theme: 'dark' }));
      expect(e.kind).toBe('timeout');
      expect(e.message).toBe('This formula took too long to render');
      expect(performance.now() - t0).toBeLessThan(3000);
      expect(r.stats().timeouts).toBe(before.timeouts + 1);
      expect(own.some((ev) => ev.type === 'timeout')).toBe(true);
      // The next job is served (by the surviving worker or the replacement).
      const next = await r.tex('x^2 + y^2 = z^2', { theme: 'dark' });
      expect(next.width).toBeGreaterThan(100);
      // The replacement comes up and the pool is back to full size.
      await r.whenReady();
      expect(r.stats().ready).toBe(2);
      // Two slow jobs at once (both workers stuck) still time out and recover.
      const both = await Promise.allSettled([r.tex(SLOW_TEX, { theme: 'light' }), r.tex(`${SLOW_TEX} `, { theme: 'dark', caption: 'b' })]);
      expect(both.map((x) => x.status)).toEqual(['rejected', 'rejected']);
      await r.whenReady();
      await Promise.all([r.tex('e+f', { theme: 'dark' }), r.tex('g+h', { theme: 'light' })]);
      const after = await r.tex('\\alpha', { theme: 'light' });
      expect(after.height).toBeGreaterThan(10);
    } finally {
      await r.close();
    }
  }, 60_000);

  it('ROC+PR for known data through the pool, with metrics', async () => {
    const labels = [0, 0, 1, 1];
    const scores = [0.1, 0.4, 0.35, 0.8];
    const img = await renderer.rocPr(labels, scores, { theme: 'dark', threshold: 0.4 });
    expect(img.metrics.auc).toBeCloseTo(0.75, 12);
    expect(img.metrics.averagePrecision).toBeCloseTo(0.8333333333, 9);
    expect(img.metrics.operatingPoint).toMatchObject({ tp: 1, fp: 1, tn: 1, fn: 1 });
    const px = await decodePng(img.png);
    expect(countColor(px, themes.dark.accent, 3)).toBeGreaterThan(300);
  });

  it('validates specs and data on the main thread with field names', async () => {
    expect((await rejection(renderer.rocPr([1, 2], [0.1, 0.2], { theme: 'dark' }))).message).toBe('labels[1] must be 0, 1, true or false (got 2)');
    expect((await rejection(renderer.tex('x', { theme: 'blue' as 'dark' }))).message).toMatch(/theme/);
    const e = await rejection(renderer.leaderboard({ title: 'x', rows: [{ rank: 1, name: 5 as unknown as string, value: 1 }] }, { theme: 'dark' }));
    expect(e.kind).toBe('invalid-input');
    expect(e.message).toMatch(/^Invalid leaderboard\.rows\.0\.name: must be text/);
  });

  it('leaderboard with emoji and CJK names through the pool', async () => {
    const img = await renderer.leaderboard(
      {
        title: '🏆 Leaderboard',
        rows: [
          { rank: 1, name: '李小龍', value: 10 },
          { rank: 2, name: '👩‍👩‍👧‍👦 family', value: 9 },
          { rank: 3, name: 'مرحبا', value: 8 },
        ],
        caller: { rank: 99, name: 'é̃̈ combining', value: 1 },
      },
      { theme: 'light' },
    );
    expect(img.width).toBe(1200);
  });
});

describe('renderer lifecycle', () => {
  it('a process that renders, times out a job and closes exits normally (no segfault on worker exit)', () => {
    const fixture = fileURLToPath(new URL('./fixtures/render-and-exit.ts', import.meta.url));
    const run = spawnSync(process.execPath, ['--import', 'tsx', fixture], { encoding: 'utf8', timeout: 60_000 });
    expect(run.signal).toBeNull();
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('This formula took too long to render');
    expect(run.stdout).toContain('closed cleanly');
  }, 60_000);

  it('close() rejects pending and later jobs with kind "closed"', async () => {
    const r = createRenderer({ size: 1 });
    const pending = rejection(r.tex('x', { theme: 'dark' }));
    await r.close();
    expect((await pending).kind).toBe('closed');
    expect((await rejection(r.tex('y', { theme: 'dark' }))).kind).toBe('closed');
  }, 30_000);

  it('the heap cap stops a runaway render: it rejects as worker-crashed and the pool recovers', async () => {
    const r = createRenderer({ size: 1, maxOldGenerationSizeMb: 24, timeoutMs: 20_000 });
    const heavy = { title: 'x', steps: Array.from({ length: 40 }, () => ({ tex: `\\ce{${'H2O + '.repeat(300)}}`, author: 'a' })) };
    const e = await rejection(r.whiteboard(heavy, { theme: 'dark' }));
    expect(e.kind).toBe('worker-crashed');
    expect(e.message).toBe('This render needed too much memory');
    expect((await r.tex('a+b', { theme: 'dark' })).width).toBeGreaterThan(10);
    expect(r.stats().crashes).toBe(1);
    await r.close();
  }, 60_000);

  it('workers that cannot start fail queued jobs instead of respawning forever', async () => {
    const events: PoolEvent[] = [];
    const r = createRenderer({ size: 1, maxOldGenerationSizeMb: 4, onEvent: (ev) => events.push(ev) });
    const e = await rejection(r.tex('x', { theme: 'dark' }));
    expect(e.kind).toBe('internal');
    expect(e.message).toBe('The renderer could not start');
    expect(events.filter((ev) => ev.type === 'worker-start-failed')).toHaveLength(3);
    await r.close();
  }, 60_000);

  it('starts one worker with the first job and a second only while jobs wait, stops them after the idle time, starts again for the next job', async () => {
    const events: PoolEvent[] = [];
    const r = createRenderer({ size: 2, idleTimeoutMs: 1_000, onEvent: (ev) => events.push(ev) });
    try {
      expect(r.stats().ready + r.stats().busy).toBe(0);
      expect((await r.tex('a', { theme: 'dark' })).width).toBeGreaterThan(10);
      expect((await r.tex('a + 1', { theme: 'dark' })).width).toBeGreaterThan(10);
      // One job at a time: one worker is enough.
      expect(events.filter((e) => e.type === 'worker-ready')).toHaveLength(1);
      // Jobs that would wait for it start the second (it may load after they are done).
      await Promise.all(['c', 'd', 'e', 'f'].map((t) => r.tex(t, { theme: 'dark' })));
      await vi.waitFor(() => expect(events.filter((e) => e.type === 'worker-ready')).toHaveLength(2), { timeout: 10_000 });
      expect(r.stats().ready).toBe(2);
      await new Promise((res) => setTimeout(res, 2_000));
      expect(events.filter((e) => e.type === 'workers-idle-stopped')).toEqual([{ type: 'workers-idle-stopped', workers: 2 }]);
      expect(r.stats().ready).toBe(0);
      const again = await r.tex('b', { theme: 'light' });
      expect((await decodePng(again.png)).width).toBe(again.width);
      expect(r.stats().crashes).toBe(0);
    } finally {
      await r.close();
    }
  }, 60_000);

  it('a full queue is refused as busy', async () => {
    const r = createRenderer({ size: 1, maxQueue: 1 });
    const jobs = [r.tex('a', { theme: 'dark' }), r.tex('b', { theme: 'dark' })];
    expect((await rejection(r.tex('c', { theme: 'dark' }))).kind).toBe('busy');
    await Promise.allSettled(jobs);
    await r.close();
  }, 30_000);
});
