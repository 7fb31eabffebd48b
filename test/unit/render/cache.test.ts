import { describe, expect, it } from 'vitest';
import { LruCache, hashKey } from '../../../src/render/cache.js';

describe('LruCache', () => {
  it('evicts the least recently used entry beyond the entry limit', () => {
    const c = new LruCache<string>(2, 1e9, () => 1);
    c.set('a', 'A');
    c.set('b', 'B');
    expect(c.get('a')).toBe('A'); // a is now most recent
    c.set('c', 'C');
    expect(c.get('b')).toBeUndefined();
    expect(c.get('a')).toBe('A');
    expect(c.get('c')).toBe('C');
    expect(c.size).toBe(2);
  });

  it('is bounded by bytes and skips values larger than the budget', () => {
    const c = new LruCache<Buffer>(100, 10, (b) => b.length);
    c.set('a', Buffer.alloc(4));
    c.set('b', Buffer.alloc(4));
    c.set('c', Buffer.alloc(4));
    expect(c.bytes).toBeLessThanOrEqual(10);
    expect(c.get('a')).toBeUndefined();
    c.set('huge', Buffer.alloc(11));
    expect(c.get('huge')).toBeUndefined();
    c.set('b', Buffer.alloc(2));
    expect(c.bytes).toBe(6);
  });
});

describe('hashKey', () => {
  it('ignores key order and undefined fields, sees typed-array contents', () => {
    expect(hashKey({ a: 1, b: 'x', c: undefined })).toBe(hashKey({ b: 'x', a: 1 }));
    expect(hashKey({ s: new Float64Array([1, 2]) })).toBe(hashKey({ s: new Float64Array([1, 2]) }));
    expect(hashKey({ s: new Float64Array([1, 2]) })).not.toBe(hashKey({ s: new Float64Array([1, 3]) }));
    expect(hashKey({ s: new Uint8Array([1]) })).not.toBe(hashKey({ s: new Int8Array([1]) }));
    expect(hashKey(['1'])).not.toBe(hashKey([1]));
    expect(hashKey({ theme: 'dark', tex: 'x' })).not.toBe(hashKey({ theme: 'light', tex: 'x' }));
  });
});
