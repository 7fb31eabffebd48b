import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareEntries, countAboveSorted, rankRows, standingsWithLiveCaller, TOP, type Entry, type Ranking } from '../../../src/leaderboard/rules.js';

/** A Ranking over a plain list (the snapshot implementation's contract, naively). */
function listRanking(entries: Entry[]): Ranking {
  const sorted = [...entries].sort(compareEntries);
  const desc = Float64Array.from(sorted.map((e) => e.value));
  return {
    size: sorted.length,
    entryAt: (i) => sorted[i]!,
    valueOf: (id) => sorted.find((e) => e.userId === id)?.value ?? null,
    countAbove: (v) => countAboveSorted(desc, v),
  };
}

/** The definition: competition ranking of everyone, top ten by value then id, the caller's rank. */
function naive(entries: Entry[], callerId: string) {
  const sorted = [...entries].sort(compareEntries);
  const rankOf = (v: number) => 1 + sorted.filter((e) => e.value > v).length;
  const me = sorted.find((e) => e.userId === callerId);
  return {
    rows: sorted.slice(0, TOP).map((e) => ({ rank: rankOf(e.value), userId: e.userId, value: e.value })),
    caller: me ? { rank: rankOf(me.value), value: me.value } : null,
  };
}

describe('rankRows', () => {
  it('gives equal values the same rank and skips after them (1224)', () => {
    const rows = rankRows([
      { userId: 'a', value: 9 },
      { userId: 'b', value: 7 },
      { userId: 'c', value: 7 },
      { userId: 'd', value: 5 },
    ]);
    expect(rows.map((r) => r.rank)).toEqual([1, 2, 2, 4]);
  });
});

describe('compareEntries', () => {
  it('orders by value descending, then user id', () => {
    const list: Entry[] = [
      { userId: 'b', value: 1 },
      { userId: 'a', value: 1 },
      { userId: 'c', value: 2 },
      { userId: '10', value: 1 },
    ];
    expect(list.sort(compareEntries).map((e) => e.userId)).toEqual(['c', '10', 'a', 'b']);
  });
});

describe('countAboveSorted', () => {
  it('counts strictly greater values', () => {
    const d = Float64Array.from([9, 7, 7, 5, 1]);
    expect([10, 9, 8, 7, 6, 5, 0].map((v) => countAboveSorted(d, v))).toEqual([0, 0, 1, 1, 3, 3, 5]);
    expect(countAboveSorted(new Float64Array(), 3)).toBe(0);
  });
});

describe('standingsWithLiveCaller', () => {
  const entries = Array.from({ length: 14 }, (_, i): Entry => ({ userId: `u${String(i).padStart(2, '0')}`, value: 100 - 10 * Math.floor(i / 2) }));

  it('with an unchanged caller, is the snapshot itself', () => {
    const r = listRanking(entries);
    for (const e of entries) expect(standingsWithLiveCaller(r, e.userId, e)).toEqual(naive(entries, e.userId));
    expect(standingsWithLiveCaller(r, 'nobody', null)).toEqual(naive(entries, 'nobody'));
  });

  it('moves the caller to their live value, in and out of the top ten, leaving the others as they were', () => {
    const r = listRanking(entries);
    // u13 (value 40, rank 13) now has 95: second place, alone.
    const up = standingsWithLiveCaller(r, 'u13', { userId: 'u13', value: 95 });
    expect(up.caller).toEqual({ rank: 3, value: 95 });
    expect(up.rows.slice(0, 4).map((x) => [x.rank, x.userId])).toEqual([
      [1, 'u00'],
      [1, 'u01'],
      [3, 'u13'],
      [4, 'u02'],
    ]);
    expect(up.rows).toHaveLength(TOP);
    // u00 (first) dropped to 0: everyone else moves up one.
    const down = standingsWithLiveCaller(r, 'u00', { userId: 'u00', value: 0 });
    expect(down.caller).toEqual({ rank: 14, value: 0 });
    expect(down.rows[0]).toEqual({ rank: 1, userId: 'u01', value: 100 });
    // Someone not in the snapshot yet.
    const fresh = standingsWithLiveCaller(r, 'new', { userId: 'new', value: 90, detail: '1 answer' });
    expect(fresh.caller).toEqual({ rank: 3, value: 90, detail: '1 answer' });
    expect(fresh.rows.find((x) => x.userId === 'new')).toEqual({ rank: 3, userId: 'new', value: 90, detail: '1 answer' });
    // Someone no longer ranked.
    expect(standingsWithLiveCaller(r, 'u03', null)).toEqual(naive(entries.filter((e) => e.userId !== 'u03'), 'u03'));
  });

  it('equals recomputing from scratch with the caller replaced (property)', () => {
    const entry = fc.record({ userId: fc.constantFrom(...Array.from({ length: 30 }, (_, i) => `m${i}`)), value: fc.integer({ min: -5, max: 20 }) });
    fc.assert(
      fc.property(fc.uniqueArray(entry, { selector: (e) => e.userId, maxLength: 30 }), fc.constantFrom('m0', 'm7', 'm29', 'zz'), fc.option(fc.integer({ min: -5, max: 20 })), (list, callerId, live) => {
        const liveEntry = live === null ? null : { userId: callerId, value: live };
        const replaced = [...list.filter((e) => e.userId !== callerId), ...(liveEntry ? [liveEntry] : [])];
        expect(standingsWithLiveCaller(listRanking(list), callerId, liveEntry)).toEqual(naive(replaced, callerId));
      }),
      { numRuns: 500 },
    );
  });
});
