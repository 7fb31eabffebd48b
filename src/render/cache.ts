/**
 * The caches of rendered images and laid-out formulas (lru-cache, bounded by entry count and
 * total bytes), keyed by a SHA-256 of the job (stable key order; typed arrays hashed by their
 * bytes).
 */
import { createHash, type Hash } from 'node:crypto';
import { LRUCache } from 'lru-cache';

/**
 * An LRU bounded by entry count and by total size (`sizeOf`, e.g. PNG bytes): the least
 * recently used entries go first, and a value larger than the whole budget is not kept.
 */
export function boundedCache<V extends {}>(maxEntries: number, maxBytes: number, sizeOf: (v: V) => number): LRUCache<string, V> {
  // lru-cache wants a positive integer size.
  return new LRUCache<string, V>({ max: maxEntries, maxSize: maxBytes, sizeCalculation: (v) => Math.max(1, Math.ceil(sizeOf(v))) });
}

function feed(h: Hash, v: unknown): void {
  if (v === undefined) {
    h.update('u');
  } else if (v === null || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') {
    h.update(`${typeof v}:${JSON.stringify(v)}|`);
  } else if (ArrayBuffer.isView(v)) {
    h.update(`${v.constructor.name}:${v.byteLength}|`);
    h.update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
  } else if (Array.isArray(v)) {
    h.update(`[${v.length}|`);
    for (const x of v) feed(h, x);
    h.update(']');
  } else if (typeof v === 'object') {
    const keys = Object.keys(v as object)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort();
    h.update(`{${keys.length}|`);
    for (const k of keys) {
      h.update(`${JSON.stringify(k)}:`);
      feed(h, (v as Record<string, unknown>)[k]);
    }
    h.update('}');
  } else {
    h.update(`?${typeof v}|`);
  }
}

/** Stable content hash of a job: equal jobs (whatever their key order) get equal keys. */
export function hashKey(value: unknown): string {
  const h = createHash('sha256');
  feed(h, value);
  return h.digest('base64url');
}
