/**
 * A small LRU for rendered images, bounded by entry count and total bytes, keyed by a
 * SHA-256 of the job (stable key order; typed arrays hashed by their bytes).
 */
import { createHash, type Hash } from 'node:crypto';

export class LruCache<V> {
  private readonly map = new Map<string, { value: V; bytes: number }>();
  private totalBytes = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes: number,
    private readonly sizeOf: (v: V) => number,
  ) {}

  get(key: string): V | undefined {
    const hit = this.map.get(key);
    if (!hit) return undefined;
    // Re-insert: Map iteration order is insertion order, so the first key is the oldest.
    this.map.delete(key);
    this.map.set(key, hit);
    return hit.value;
  }

  set(key: string, value: V): void {
    const bytes = this.sizeOf(value);
    const old = this.map.get(key);
    if (old) {
      this.totalBytes -= old.bytes;
      this.map.delete(key);
    }
    if (bytes > this.maxBytes || this.maxEntries <= 0) return;
    this.map.set(key, { value, bytes });
    this.totalBytes += bytes;
    while (this.map.size > this.maxEntries || this.totalBytes > this.maxBytes) {
      const oldest = this.map.keys().next();
      if (oldest.done) break;
      this.totalBytes -= this.map.get(oldest.value)!.bytes;
      this.map.delete(oldest.value);
    }
  }

  clear(): void {
    this.map.clear();
    this.totalBytes = 0;
  }

  get size(): number {
    return this.map.size;
  }

  get bytes(): number {
    return this.totalBytes;
  }
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
