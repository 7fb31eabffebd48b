import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCustomId, encodeCustomId } from '../../src/platform/discord/custom-id.js';

describe('custom ids', () => {
  it('round-trips route and parts', () => {
    const id = encodeCustomId('chain-answer', 'abc123', 2, 'xgb-leaf-weight');
    expect(id).toBe('bp1:chain-answer:abc123:2:xgb-leaf-weight');
    expect(decodeCustomId(id)).toEqual({ route: 'chain-answer', parts: ['abc123', '2', 'xgb-leaf-weight'] });
  });

  it('refuses ids that would not fit or carry separators', () => {
    expect(() => encodeCustomId('r', 'x'.repeat(120))).toThrow(/100/);
    expect(() => encodeCustomId('r', 'a:b')).toThrow();
  });

  it('rejects forged, truncated and foreign ids without throwing', () => {
    expect(decodeCustomId('bp0:route:1')).toBeNull();
    expect(decodeCustomId('bp1:')).toBeNull();
    expect(decodeCustomId('bp1')).toBeNull();
    expect(decodeCustomId('')).toBeNull();
    expect(decodeCustomId('bp1:ro ute')).toBeNull();
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => {
        const r = decodeCustomId(s);
        if (r) expect(encodeCustomId(r.route, ...r.parts)).toBe(s);
      }),
    );
  });
});
