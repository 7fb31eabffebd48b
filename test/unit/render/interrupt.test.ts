import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { newInterruptWord, terminateWhenSafe } from '../../../src/render/interrupt.js';

/** Starts the fixture worker (TypeScript, through tsx's hooks as the render pool does). */
function start(nativeMs: number, stuck = false) {
  const req = createRequire(import.meta.url);
  const pkgPath = req.resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  const api = pathToFileURL(path.join(path.dirname(pkgPath), pkg.exports['./esm/api']!.import.default)).href;
  const target = new URL('./fixtures/interrupt-worker.ts', import.meta.url).href;
  const interrupt = newInterruptWord();
  const worker = new Worker(`import(${JSON.stringify(api)}).then((t) => { t.register(); return import(${JSON.stringify(target)}); });`, {
    eval: true,
    workerData: { interrupt, nativeMs, stuck },
  });
  const messages: string[] = [];
  const started = new Promise<void>((resolve) =>
    worker.on('message', (m: string) => {
      messages.push(m);
      if (m === 'started') resolve();
    }),
  );
  return { worker, interrupt, messages, started };
}

describe('stopping a render worker only where it is safe', () => {
  it('waits for the worker to leave "native" work, then stops its runaway JavaScript', async () => {
    const w = start(400);
    await w.started;
    const t0 = performance.now();
    await terminateWhenSafe(w.worker, w.interrupt);
    expect(w.messages).toEqual(['started', 'left-native']);
    expect(performance.now() - t0).toBeGreaterThan(250);
  }, 20_000);

  it('at shutdown, stops a worker stuck in "native" work after the grace period anyway', async () => {
    const w = start(0, true);
    await w.started;
    const t0 = performance.now();
    const result = await terminateWhenSafe(w.worker, w.interrupt, { forceAfterMs: 300 });
    expect(result.forced).toBe(true);
    expect(w.messages).toEqual(['started']);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(300);
  }, 20_000);

  it('without a forced deadline, reports a worker long in "native" work as stuck but waits for it', async () => {
    const w = start(1_500);
    await w.started;
    const t0 = performance.now();
    const stuck: number[] = [];
    const result = await terminateWhenSafe(w.worker, w.interrupt, { stuckAfterMs: 300, onStuck: (ms) => stuck.push(ms) });
    expect(w.messages).toEqual(['started', 'left-native']);
    expect(result.forced).toBe(false);
    expect(performance.now() - t0).toBeGreaterThan(1_300);
    expect(stuck).toHaveLength(1);
    expect(stuck[0]).toBeGreaterThanOrEqual(300);
  }, 20_000);
});
