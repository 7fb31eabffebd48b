/**
 * Worker-thread entry: loads MathJax and Skia once (fonts are registered process-wide by the
 * pool before it starts workers), then runs render jobs one at a time. A job that runs too
 * long is stopped by the pool terminating this thread, wherever it is (pool.ts).
 */
import { parentPort } from 'node:worker_threads';
import { RenderError } from './errors.js';
import { runJob } from './jobs.js';
import { warmUpTex } from './tex.js';
import type { WorkerReply, WorkerRequest } from './pool.js';

const port = parentPort;
if (!port) throw new Error('render worker must run in a worker thread');

warmUpTex();

port.on('message', (msg: WorkerRequest) => {
  let reply: WorkerReply;
  let transfer: ArrayBuffer[] = [];
  try {
    const result = runJob(msg.job);
    const buf = result.png;
    // Transfer the PNG's memory instead of copying it, when the Buffer owns all of it.
    const own =
      buf.byteOffset === 0 && buf.buffer.byteLength === buf.byteLength && buf.buffer instanceof ArrayBuffer
        ? buf.buffer
        : (new Uint8Array(buf).buffer as ArrayBuffer);
    transfer = [own];
    reply = { type: 'result', id: msg.id, png: own, width: result.width, height: result.height, ...(result.meta ? { meta: result.meta } : {}) };
  } catch (err) {
    const e =
      err instanceof RenderError
        ? err
        : new RenderError('internal', 'Something went wrong while drawing this image', err instanceof Error ? (err.stack ?? err.message) : String(err));
    reply = { type: 'error', id: msg.id, error: e.toJSON() };
  }
  port.postMessage(reply, transfer);
});

port.postMessage({ type: 'ready' } satisfies WorkerReply);
