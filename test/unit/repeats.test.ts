/**
 * Repeat avoidance, pure: every mode draws prompts the member (or the players, or the channel)
 * did not answer in the last 7 days while the pool has any, and falls back to seen ones only
 * when it is exhausted. The shared rule (answers/rules) and each mode's use of it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REPEAT_WINDOW_DAYS, freshest, pickFresh, repeatWindowStart } from '../../src/answers/rules.js';
import { loadBank } from '../../src/bank/load.js';
import { chooseChain as chooseDropChain } from '../../src/drop/rules.js';
import { pickQuestions as pickDuelQuestions } from '../../src/duel/rules.js';
import { chooseChain, chooseDrillKind, NEWCOMER_LEVEL, type ChainChoice } from '../../src/practice/rules.js';
import { pickQuestions as pickSprintQuestions, sprintStaleness } from '../../src/sprint/rules.js';

const bank = loadBank();
const now = new Date('2026-06-11T10:00:00.000Z');
/** A deterministic random source from fast-check's: `k` → 0..k-1. */
const picker = (draws: number[]) => {
  let i = 0;
  return (k: number) => (draws.length ? Math.abs(draws[i++ % draws.length]!) % k : 0);
};

describe('the shared rule (pickFresh, freshest)', () => {
  const pools = fc.uniqueArray(fc.integer({ min: 0, max: 500 }), { minLength: 1, maxLength: 60 });

  it('never returns a seen item while an unseen one is left in the pool', () => {
    fc.assert(
      fc.property(pools, fc.func(fc.boolean()), fc.nat(70), fc.array(fc.nat(), { maxLength: 80 }), (pool, seenOf, n, draws) => {
        const seen = new Set(pool.filter((x) => seenOf(x)));
        const chosen = pickFresh(pool, n, (x) => (seen.has(x) ? 1 : 0), picker(draws));
        const unseen = pool.filter((x) => !seen.has(x));
        // Distinct items of the pool, as many as asked (or the whole pool).
        expect(new Set(chosen).size).toBe(chosen.length);
        expect(chosen.length).toBe(Math.min(n, pool.length));
        chosen.forEach((x) => expect(pool).toContain(x));
        // Unseen ones first: all of them are used before any seen one.
        const firstSeen = chosen.findIndex((x) => seen.has(x));
        if (firstSeen >= 0) expect(firstSeen).toBe(unseen.length);
        expect(chosen.filter((x) => !seen.has(x)).length).toBe(Math.min(n, unseen.length));
      }),
    );
  });

  it('orders by staleness: a prompt two players saw comes after one only one of them saw', () => {
    fc.assert(
      fc.property(pools, fc.func(fc.integer({ min: 0, max: 3 })), fc.array(fc.nat(), { maxLength: 80 }), (pool, staleOf, draws) => {
        const chosen = pickFresh(pool, pool.length, staleOf, picker(draws));
        const stale = chosen.map((x) => staleOf(x));
        expect(stale).toEqual([...stale].sort((a, b) => a - b));
      }),
    );
  });

  it('freshest keeps the unseen items, or every least-seen one when the pool is exhausted', () => {
    fc.assert(
      fc.property(pools, fc.func(fc.boolean()), (pool, seenOf) => {
        const kept = freshest(pool, (x) => (seenOf(x) ? 1 : 0));
        const unseen = pool.filter((x) => !seenOf(x));
        expect(kept).toEqual(unseen.length > 0 ? unseen : pool);
      }),
    );
    expect(freshest([], () => 0)).toEqual([]);
  });

  it('the window is 7 days', () => {
    expect(REPEAT_WINDOW_DAYS).toBe(7);
    expect(repeatWindowStart(now).toISOString()).toBe('2026-06-04T10:00:00.000Z');
  });
});

describe('/chain: recent chains last, newcomers at L4', () => {
  const choice = (chainId: string, over: Partial<ChainChoice> = {}): ChainChoice => ({ chainId, strength: 0, mastered: false, rootLevel: 'L4', ...over });

  it('never offers a chain answered in the last 7 days while another is left, whatever its strength', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ chainId: fc.string({ minLength: 1, maxLength: 4 }), strength: fc.double({ min: 0, max: 1, noNaN: true }), mastered: fc.boolean(), answeredRecently: fc.boolean(), rootLevel: fc.constantFrom('L4', 'L5', 'L6' as const) }), { selector: (c) => c.chainId, minLength: 1, maxLength: 30 }),
        fc.boolean(),
        fc.nat(),
        (candidates, newcomer, draw) => {
          const id = chooseChain(candidates, (k) => draw % k, { newcomer });
          const picked = candidates.find((c) => c.chainId === id)!;
          if (candidates.some((c) => !c.answeredRecently)) expect(picked.answeredRecently).toBe(false);
          // A newcomer gets an L4 root when one is left after the recency rule and the mastered rule.
          const pool = candidates.filter((c) => !c.answeredRecently).length ? candidates.filter((c) => !c.answeredRecently) : candidates;
          const open = pool.filter((c) => !c.mastered).length ? pool.filter((c) => !c.mastered) : pool;
          if (newcomer && open.some((c) => c.rootLevel === NEWCOMER_LEVEL)) expect(picked.rootLevel).toBe('L4');
        },
      ),
    );
  });

  it('falls back to recent chains when every candidate was answered recently (the weakest of them)', () => {
    const all = [choice('a', { answeredRecently: true, strength: 0.6 }), choice('b', { answeredRecently: true, strength: 0.2 })];
    expect(chooseChain(all, () => 0)).toBe('b');
  });

  it('puts a newcomer on an L4 root, where the filter leaves one; a regular member on the weakest chain', () => {
    const candidates = [choice('l5', { rootLevel: 'L5', strength: 0 }), choice('l4', { rootLevel: 'L4', strength: 0.1 })];
    expect(chooseChain(candidates, () => 0, { newcomer: true })).toBe('l4');
    expect(chooseChain(candidates, () => 0, { newcomer: false })).toBe('l5');
    // No L4 root in reach (e.g. a filter that keeps only L5 roots): the weakest, as for anyone.
    expect(chooseChain([choice('x', { rootLevel: 'L5' })], () => 0, { newcomer: true })).toBe('x');
  });

  it('/drill with no kind: one not drilled in the last 7 days', () => {
    const kinds = ['a', 'b', 'c'];
    for (let k = 0; k < 3; k++) expect(chooseDrillKind(kinds, new Set(['a', 'c']), () => k % 1)).toBe('b');
    expect(kinds).toContain(chooseDrillKind(kinds, new Set(kinds), () => 2));
  });
});

describe('duels: neither duelist gets a prompt they answered in the last 7 days', () => {
  const pool = bank.prompts.filter((p) => p.topic === 'xgboost');

  it('draws unseen prompts first, then the ones one duelist saw, then the ones both saw', () => {
    fc.assert(
      // checkChallenge refuses a duel with more question rounds than the pool holds.
      fc.property(fc.func(fc.integer({ min: 0, max: 2 })), fc.integer({ min: 1, max: pool.length }), fc.constantFrom('questions', 'mixed' as const), fc.array(fc.nat(), { maxLength: 60 }), (seenOf, rounds, format, draws) => {
        const seen = new Map(pool.map((p) => [p.id, seenOf(p.id)] as const).filter(([, n]) => n > 0));
        const refs = pickDuelQuestions(rounds, pool, format, picker(draws), seen);
        const prompts = refs.filter((r) => !r.startsWith('drill:'));
        expect(new Set(prompts).size).toBe(prompts.length);
        const stale = prompts.map((id) => seen.get(id) ?? 0);
        const unseenLeft = pool.filter((p) => !seen.has(p.id)).length;
        // As many unseen prompts as the duel can use, before any seen one.
        expect(stale.filter((s) => s === 0).length).toBe(Math.min(prompts.length, unseenLeft));
        expect(stale).toEqual([...stale].sort((a, b) => a - b));
      }),
    );
  });
});

describe('sprints: the players first, then the channel', () => {
  it('a prompt a player saw counts more than one the channel saw, which counts more than a fresh one', () => {
    const stale = sprintStaleness(new Map([['p', 1], ['pp', 2]]), new Map([['c', 3], ['p', 1]]));
    expect([stale('fresh'), stale('c'), stale('p'), stale('pp')]).toEqual([0, 1, 3, 4]);
    const pool = ['pp', 'p', 'c', 'fresh'];
    expect(pickSprintQuestions(pool, 4, () => 0, stale)).toEqual(['fresh', 'c', 'p', 'pp']);
    expect(pickSprintQuestions(pool, 2, () => 0, stale)).toEqual(['fresh', 'c']);
  });
});

describe('drops: chains with prompts the channel answered in the last 7 days come last', () => {
  it('skips a chain the channel answered elsewhere (a sprint, a /chain run there) while another is left', () => {
    const topic = bank.topicById.get('distillation')!;
    const [first, ...rest] = topic.chains;
    const seenPrompts = new Set(rest.flatMap((c) => c.prompts.map((p) => p.id)));
    for (let r = 0; r < 10; r++) {
      const chosen = chooseDropChain(bank, { topics: ['distillation'], level: null }, { recent: [], topicAccuracy: new Map(), seenPrompts }, now, () => r / 10);
      expect(chosen!.id).toBe(first!.id);
    }
    // Every chain seen: one of them all the same (the pool is exhausted).
    const all = new Set(topic.chains.flatMap((c) => c.prompts.map((p) => p.id)));
    expect(topic.chains.map((c) => c.id)).toContain(chooseDropChain(bank, { topics: ['distillation'], level: null }, { recent: [], topicAccuracy: new Map(), seenPrompts: all }, now, () => 0.5)!.id);
  });
});
