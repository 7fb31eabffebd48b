/**
 * When a render worker may be terminated. `worker.terminate()` stops JavaScript safely, but a
 * worker stopped inside canvas's native code (cairo, pango, librsvg) can abort the whole
 * process: node-addon-api's napi_throw fails in a terminating thread and Node exits with
 * "FATAL ERROR: Error::ThrowAsJavaScriptException" (seen once in ~5,000 fuzzed renders).
 *
 * So the worker says, in a shared Int32, whether it is somewhere safe to stop: idle, or in
 * pure JavaScript such as MathJax's typesetting (where runaway formulas spend their time).
 * The pool terminates a worker only after moving that word from SAFE to KILLING; a worker
 * about to leave a safe section finds KILLING and waits to be stopped instead of entering
 * native code. Everything not marked safe is unsafe (bounded work: pixel sizes are checked
 * before rasterising).
 *
 * A worker that stays in native code is never terminated while the bot runs: it is left to
 * finish (reported as stuck after 10 s) while a replacement serves; only shutdown forces it.
 */
export const UNSAFE = 0;
export const SAFE = 1;
export const KILLING = 2;

let word: Int32Array | null = null;

/** Worker side: the shared word the pool gave this worker (none outside a pool: no-ops). */
export function useInterruptWord(shared: SharedArrayBuffer | undefined): void {
  word = shared ? new Int32Array(shared) : null;
}

/** Worker side: marks the worker stoppable (idle, or entering pure JavaScript). */
export function enterSafe(): void {
  if (word) Atomics.compareExchange(word, 0, UNSAFE, SAFE);
}

/** Worker side: leaves a safe section; if the pool is stopping this worker, waits for it. */
export function leaveSafe(): void {
  if (!word) return;
  if (Atomics.compareExchange(word, 0, SAFE, UNSAFE) === KILLING) {
    // Short timed waits: termination is delivered between them.
    for (;;) Atomics.wait(word, 0, KILLING, 50);
  }
}

/** Worker side: runs pure-JavaScript work during which the worker may be stopped. */
export function interruptible<T>(fn: () => T): T {
  enterSafe();
  try {
    return fn();
  } finally {
    leaveSafe();
  }
}

/** Pool side: a new word for a worker (starts UNSAFE until the worker is up and idle). */
export function newInterruptWord(): SharedArrayBuffer {
  return new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
}

export interface StopOptions {
  /**
   * Terminate anyway after this long in native code. Only for shutting down (the process is
   * exiting, an abort costs at most its exit code); otherwise left unset: a worker stuck in a
   * native call is left to finish rather than risk aborting the whole bot.
   */
  forceAfterMs?: number;
  /** Called once when the worker has been in native code this long (default 10 s). */
  onStuck?: (ms: number) => void;
  stuckAfterMs?: number;
}

/**
 * Pool side: terminates the worker as soon as it is somewhere safe to stop, checking every
 * few ms (see StopOptions for a worker that stays in native code). Resolves when the worker
 * has exited, saying whether it had to be forced.
 */
export function terminateWhenSafe(worker: { terminate(): Promise<number> }, shared: SharedArrayBuffer, options: StopOptions = {}): Promise<{ forced: boolean; waitedMs: number }> {
  const w = new Int32Array(shared);
  const started = performance.now();
  const stuckAfterMs = options.stuckAfterMs ?? 10_000;
  let reportedStuck = false;
  return new Promise((resolve) => {
    const attempt = () => {
      const waitedMs = performance.now() - started;
      const claimed = Atomics.compareExchange(w, 0, SAFE, KILLING) === SAFE || Atomics.load(w, 0) === KILLING;
      const forced = !claimed && options.forceAfterMs !== undefined && waitedMs > options.forceAfterMs;
      if (claimed || forced) {
        const done = () => resolve({ forced, waitedMs });
        worker.terminate().then(done, done);
        return;
      }
      if (!reportedStuck && waitedMs > stuckAfterMs) {
        reportedStuck = true;
        options.onStuck?.(waitedMs);
      }
      setTimeout(attempt, 5);
    };
    attempt();
  });
}
