/**
 * A small pool of render workers. MathJax and Skia are synchronous: run on the main thread,
 * one expansion bomb would freeze the bot. Here each job gets a time limit; a worker that
 * overruns is terminated and replaced at once, wherever it is (in MathJax's JavaScript or in
 * Skia's native code: @napi-rs/canvas returns from a native call into a terminating thread
 * without aborting the process, which test/faults/render-stops.test.ts checks 200 times),
 * and `resourceLimits` caps its heap.
 */
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { RenderError, type SerializedRenderError } from './errors.js';
// Fonts are registered once per process, here on the main thread before any worker starts
// (Skia's font collection is shared by all threads). This also keeps Skia's native library
// loaded on the main thread, so it is never unloaded with the last worker.
import { registerFonts } from './fonts.js';
import type { JobMeta, JobResult, RenderJob } from './jobs.js';

export interface WorkerRequest {
  id: number;
  job: RenderJob;
}

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'result'; id: number; png: ArrayBuffer; width: number; height: number; meta?: JobMeta }
  | { type: 'error'; id: number; error: SerializedRenderError };

export type PoolEvent =
  | { type: 'worker-ready'; workerId: number; startMs: number }
  | { type: 'timeout'; workerId: number; job: RenderJob['kind']; ms: number }
  | { type: 'worker-crashed'; workerId: number; error: string }
  | { type: 'worker-start-failed'; workerId: number; error: string }
  /** No job for `idleTimeoutMs`: the workers were stopped (the next job starts them again). */
  | { type: 'workers-idle-stopped'; workers: number };

export interface PoolOptions {
  /** Worker threads (default 2). */
  size?: number;
  /** Per-job time limit in ms, counted from when a worker picks the job up (default 3000). */
  timeoutMs?: number;
  /** Jobs allowed to wait for a free worker before new ones are refused as 'busy' (default 200). */
  maxQueue?: number;
  /** Old-generation heap cap per worker in MB (default 384). */
  maxOldGenerationSizeMb?: number;
  /**
   * Young-generation size per worker in MB (default 4: measured against 16, formulas and
   * whiteboards render as fast and two warm workers take 30 MB less RSS).
   */
  maxYoungGenerationSizeMb?: number;
  /**
   * Stop every worker after this long without a job, to give their memory back (default
   * 120 s; 0 keeps them forever). The next job starts them again (about a second).
   */
  idleTimeoutMs?: number;
  /** Start all the workers now instead of one with the first job (default false). */
  prestart?: boolean;
  /** Observability hook (e.g. log timeouts and crashes). */
  onEvent?: (event: PoolEvent) => void;
}

export interface PoolStats {
  size: number;
  ready: number;
  busy: number;
  queued: number;
  completed: number;
  timeouts: number;
  crashes: number;
}

interface Task {
  id: number;
  job: RenderJob;
  resolve: (r: JobResult) => void;
  reject: (e: RenderError) => void;
  timer?: NodeJS.Timeout;
  startedAt?: number;
}

interface Slot {
  id: number;
  worker: Worker;
  ready: boolean;
  retired: boolean;
  task: Task | null;
  spawnedAt: number;
  lastError?: Error;
}

const MAX_START_FAILURES = 3;

/**
 * How to start the worker. Compiled to dist/, this module is .js and so is worker.js.
 * Under tsx (the bot's `tsx src/main.ts`, vitest) it is .ts, and the worker must load tsx
 * itself. `execArgv: ['--import', 'tsx']` does not do that on Node 20 (the worker's entry
 * still fails with "Unknown file extension .ts"), so a one-line bootstrap registers tsx's
 * ESM hooks in the worker and then imports worker.ts.
 */
function workerEntry(): { source: URL | string; eval: boolean } {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return { source: new URL('./worker.js', here), eval: false };
  let tsxApi = 'tsx/esm/api';
  try {
    // An absolute URL (the ESM build: the CJS one cannot load its own ESM half this way)
    // works whatever the process's working directory is.
    const pkgPath = createRequire(here).resolve('tsx/package.json');
    const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { exports?: Record<string, { import?: { default?: string } }> };
    const rel = pkg.exports?.['./esm/api']?.import?.default;
    if (rel) tsxApi = pathToFileURL(path.join(path.dirname(pkgPath), rel)).href;
  } catch {
    // Fall back to resolving from the working directory.
  }
  const target = new URL('./worker.ts', here).href;
  const code = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(target)}); });`;
  return { source: code, eval: true };
}

function timeoutMessage(job: RenderJob): string {
  return job.kind === 'tex' ? 'This formula took too long to render' : 'This image took too long to render';
}

export class RenderPool {
  private readonly size: number;
  private readonly timeoutMs: number;
  private readonly maxQueue: number;
  private readonly maxOldMb: number;
  private readonly maxYoungMb: number;
  private readonly onEvent: (event: PoolEvent) => void;
  private readonly idleTimeoutMs: number;
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextTaskId = 1;
  private nextWorkerId = 1;
  private closed = false;
  private startFailures = 0;
  private counters = { completed: 0, timeouts: 0, crashes: 0 };

  constructor(options: PoolOptions = {}) {
    this.size = Math.max(1, Math.floor(options.size ?? 2));
    this.timeoutMs = Math.max(1, options.timeoutMs ?? 3000);
    this.maxQueue = Math.max(0, options.maxQueue ?? 200);
    this.maxOldMb = options.maxOldGenerationSizeMb ?? 384;
    this.maxYoungMb = options.maxYoungGenerationSizeMb ?? 4;
    this.onEvent = options.onEvent ?? (() => {});
    this.idleTimeoutMs = Math.max(0, options.idleTimeoutMs ?? 120_000);
    registerFonts();
    if (options.prestart) this.fill();
  }

  /** Starts workers until there are `size` of them (after start-up failures, tries afresh). */
  private fill(): void {
    if (this.slots.length >= this.size) return;
    this.startFailures = 0;
    while (this.slots.length < this.size) this.spawn();
  }

  /**
   * Starts one more worker when a queued job would otherwise wait for a busy one, up to
   * `size`: a quiet bot runs one worker (each costs 25-45 MB), a burst gets them all.
   */
  private grow(): void {
    if (this.closed || this.slots.length >= this.size) return;
    if (this.slots.length === 0) this.startFailures = 0;
    const starting = this.slots.filter((s) => !s.ready).length;
    if (this.queue.length > starting) this.spawn();
  }

  /** Run a job on the next free worker. Rejects with RenderError. */
  run(job: RenderJob): Promise<JobResult> {
    if (this.closed) return Promise.reject(new RenderError('closed', 'The renderer has been shut down'));
    if (this.queue.length >= this.maxQueue) {
      return Promise.reject(new RenderError('busy', 'The renderer is busy; try again in a moment'));
    }
    // Workers start with the first job (one; more while jobs wait), after an idle stop, and
    // after repeated start-up failures left none.
    clearTimeout(this.idleTimer);
    return new Promise<JobResult>((resolve, reject) => {
      this.queue.push({ id: this.nextTaskId++, job, resolve, reject });
      this.pump();
      this.grow();
    });
  }

  /** Starts all `size` workers if needed and resolves once every one has loaded (to measure or pre-warm). */
  async whenReady(): Promise<void> {
    this.fill();
    while (!this.closed && this.slots.some((s) => !s.ready)) {
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  stats(): PoolStats {
    return {
      size: this.size,
      ready: this.slots.filter((s) => s.ready).length,
      busy: this.slots.filter((s) => s.task !== null).length,
      queued: this.queue.length,
      ...this.counters,
    };
  }

  /** Terminate all workers; pending and queued jobs reject with kind 'closed'. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.idleTimer);
    const err = new RenderError('closed', 'The renderer has been shut down');
    for (const task of this.queue.splice(0)) task.reject(err);
    const exits: Promise<void>[] = [];
    for (const slot of this.slots.splice(0)) {
      slot.retired = true;
      const task = slot.task;
      if (task) this.finish(slot, task, () => task.reject(err));
      exits.push(slot.worker.terminate().then(() => {}));
    }
    await Promise.allSettled(exits);
  }

  private spawn(): void {
    if (this.closed) return;
    const entry = workerEntry();
    const worker = new Worker(entry.source, {
      eval: entry.eval,
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: this.maxOldMb, maxYoungGenerationSizeMb: this.maxYoungMb },
      stdout: false,
      stderr: false,
    });
    const slot: Slot = { id: this.nextWorkerId++, worker, ready: false, retired: false, task: null, spawnedAt: performance.now() };
    this.slots.push(slot);
    worker.on('message', (msg: WorkerReply) => this.onMessage(slot, msg));
    worker.on('error', (err) => {
      slot.lastError = err;
    });
    worker.on('exit', (code) => this.onExit(slot, code));
  }

  private onMessage(slot: Slot, msg: WorkerReply): void {
    if (slot.retired) return;
    if (msg.type === 'ready') {
      slot.ready = true;
      this.startFailures = 0;
      this.onEvent({ type: 'worker-ready', workerId: slot.id, startMs: performance.now() - slot.spawnedAt });
      this.pump();
      return;
    }
    const task = slot.task;
    if (!task || task.id !== msg.id) return;
    if (msg.type === 'result') {
      const png = Buffer.from(msg.png);
      this.finish(slot, task, () =>
        task.resolve({ png, width: msg.width, height: msg.height, ...(msg.meta ? { meta: msg.meta } : {}) }),
      );
    } else {
      this.finish(slot, task, () => task.reject(RenderError.fromJSON(msg.error)));
    }
    this.counters.completed++;
    this.pump();
  }

  private finish(slot: Slot, task: Task, settle: () => void): void {
    if (task.timer) clearTimeout(task.timer);
    if (slot.task === task) slot.task = null;
    settle();
  }

  private onExit(slot: Slot, code: number): void {
    if (slot.retired) return;
    this.retire(slot);
    const reason = slot.lastError?.message ?? `exit code ${code}`;
    if (!slot.ready) {
      this.startFailures++;
      this.onEvent({ type: 'worker-start-failed', workerId: slot.id, error: reason });
      if (this.startFailures >= MAX_START_FAILURES) {
        // Do not spin: fail what is waiting; the next run() tries to start workers again.
        const err = new RenderError('internal', 'The renderer could not start', reason);
        for (const task of this.queue.splice(0)) task.reject(err);
        return;
      }
    } else {
      this.counters.crashes++;
      this.onEvent({ type: 'worker-crashed', workerId: slot.id, error: reason });
    }
    const task = slot.task;
    if (task) {
      const outOfMemory = (slot.lastError as { code?: string } | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY';
      const err = new RenderError(
        'worker-crashed',
        outOfMemory ? 'This render needed too much memory' : 'The renderer stopped unexpectedly while drawing this image',
        reason,
      );
      this.finish(slot, task, () => task.reject(err));
    }
    this.spawn();
    this.pump();
  }

  private retire(slot: Slot): void {
    slot.retired = true;
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
  }

  private onTimeout(slot: Slot, task: Task): void {
    if (slot.task !== task || slot.retired) return;
    this.counters.timeouts++;
    this.onEvent({ type: 'timeout', workerId: slot.id, job: task.job.kind, ms: performance.now() - (task.startedAt ?? 0) });
    this.retire(slot);
    this.finish(slot, task, () => task.reject(new RenderError('timeout', timeoutMessage(task.job))));
    void slot.worker.terminate();
    this.spawn();
    this.pump();
  }

  /** With nothing queued or running, stop the workers after `idleTimeoutMs`. */
  private armIdleStop(): void {
    clearTimeout(this.idleTimer);
    if (this.idleTimeoutMs === 0 || this.closed || this.queue.length > 0 || this.slots.some((s) => s.task)) return;
    this.idleTimer = setTimeout(() => {
      if (this.closed || this.queue.length > 0 || this.slots.some((s) => s.task) || this.slots.length === 0) return;
      const stopping = this.slots.splice(0);
      for (const slot of stopping) {
        slot.retired = true;
        void slot.worker.terminate();
      }
      this.onEvent({ type: 'workers-idle-stopped', workers: stopping.length });
    }, this.idleTimeoutMs);
    this.idleTimer.unref();
  }

  private pump(): void {
    if (this.closed) return;
    this.armIdleStop();
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (!slot.ready || slot.task || slot.retired) continue;
      const task = this.queue.shift()!;
      slot.task = task;
      task.startedAt = performance.now();
      task.timer = setTimeout(() => this.onTimeout(slot, task), this.timeoutMs);
      const request: WorkerRequest = { id: task.id, job: task.job };
      try {
        slot.worker.postMessage(request);
      } catch (err) {
        this.finish(slot, task, () =>
          task.reject(new RenderError('invalid-input', 'This input cannot be sent to the renderer', err instanceof Error ? err.message : String(err))),
        );
      }
    }
  }
}
