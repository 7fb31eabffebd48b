import { describe, expect, it } from 'vitest';
import { boundedCache, hashKey } from '../../../src/render/cache.js';

describe('boundedCache', () => {
  it('evicts the least recently used entry beyond the entry limit', () => {
    const c = boundedCache<string>(2, 1e9, () => 1);
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
    const c = boundedCache<Buffer>(100, 10, (b) => b.length);
    c.set('a', Buffer.alloc(4));
    c.set('b', Buffer.alloc(4));
    c.set('c', Buffer.alloc(4));
    expect(c.calculatedSize).toBeLessThanOrEqual(10);
    expect(c.get('a')).toBeUndefined();
    c.set('huge', Buffer.alloc(11));
    expect(c.get('huge')).toBeUndefined();
    c.set('b', Buffer.alloc(2));
    expect(c.calculatedSize).toBe(6);
    // Replaced by a value over the budget: the old one goes too, so no stale image is served.
    c.set('b', Buffer.alloc(11));
    expect(c.get('b')).toBeUndefined();
    expect(c.calculatedSize).toBe(4);
  });

  it('counts a value of size 0 as 1, so an empty value still takes a place', () => {
    const c = boundedCache<string>(10, 2, (s) => s.length);
    c.set('a', '');
    c.set('b', '');
    c.set('c', '');
    expect(c.size).toBe(2);
    expect(c.get('a')).toBeUndefined();
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
