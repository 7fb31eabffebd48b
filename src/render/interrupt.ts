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

/**
 * Pool side: terminates the worker as soon as it is somewhere safe to stop, checking every
 * few ms; after `graceMs` in native code it is terminated anyway (a hung native call).
 * Resolves when the worker has exited.
 */
export function terminateWhenSafe(worker: { terminate(): Promise<number> }, shared: SharedArrayBuffer, graceMs = 10_000): Promise<void> {
  const w = new Int32Array(shared);
  const started = performance.now();
  return new Promise((resolve) => {
    const attempt = () => {
      const claimed = Atomics.compareExchange(w, 0, SAFE, KILLING) === SAFE || Atomics.load(w, 0) === KILLING;
      if (claimed || performance.now() - started > graceMs) {
        worker.terminate().then(
          () => resolve(),
          () => resolve(),
        );
        return;
      }
      setTimeout(attempt, 5);
    };
    attempt();
  });
}
