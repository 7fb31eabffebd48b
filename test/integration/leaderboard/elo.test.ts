import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyDuelResult, eloUpdate, INITIAL_ELO } from '../../../src/duel/elo.js';
import { migratedDatabase, type MigratedDatabase } from '../../support/app-db.js';
import { leaderboards } from './support.js';

let db: MigratedDatabase;
const now = new Date('2026-06-10T10:00:00.000Z');

beforeAll(async () => {
  db = await migratedDatabase('lb_elo');
});
afterAll(async () => db?.drop());

const rating = (guildId: string, userId: string) => db.prisma.rating.findUnique({ where: { guildId_userId: { guildId, userId } } });

describe('applyDuelResult', () => {
  it('creates both rows at 1200 on a first duel, moves them zero-sum and counts the game', async () => {
    const r = await applyDuelResult(db.prisma, { guildId: 'g1', aId: 'ann', bId: 'ben', scoreA: 1 }, now);
    expect(r).toEqual({ a: { before: 1200, after: 1216, delta: 16 }, b: { before: 1200, after: 1184, delta: -16 } });
    expect(await rating('g1', 'ann')).toMatchObject({ elo: 1216, games: 1, updatedAt: now });
    expect(await rating('g1', 'ben')).toMatchObject({ elo: 1184, games: 1, updatedAt: now });
  });

  it('reads the current ratings, whichever player is A, and matches eloUpdate', async () => {
    const later = new Date(now.getTime() + 60_000);
    // ben (1184) beats ann (1216), ben as A this time.
    const r = await applyDuelResult(db.prisma, { guildId: 'g1', aId: 'ben', bId: 'ann', scoreA: 1 }, later);
    const expected = eloUpdate(1184, 1216, 1);
    expect(r.a).toEqual({ before: 1184, after: expected.a, delta: 17.5 });
    expect(r.b).toEqual({ before: 1216, after: expected.b, delta: -17.5 });
    expect(await rating('g1', 'ben')).toMatchObject({ elo: 1201.5, games: 2, updatedAt: later });
    expect(await rating('g1', 'ann')).toMatchObject({ elo: 1198.5, games: 2, updatedAt: later });
  });

  it('a tie between equals changes no rating but counts the game; an existing player meets a new one', async () => {
    const r = await applyDuelResult(db.prisma, { guildId: 'g1', aId: 'cat', bId: 'dan', scoreA: 0.5 }, now);
    expect(r).toEqual({ a: { before: 1200, after: 1200, delta: 0 }, b: { before: 1200, after: 1200, delta: 0 } });
    expect(await rating('g1', 'cat')).toMatchObject({ elo: 1200, games: 1 });
    const r2 = await applyDuelResult(db.prisma, { guildId: 'g1', aId: 'ann', bId: 'eve', scoreA: 0 }, now);
    expect(r2.b.before).toBe(INITIAL_ELO);
    expect(r2.a.before).toBe(1198.5);
    expect(r2.a.delta + r2.b.delta).toBe(0);
  });

  it('keeps servers apart', async () => {
    await applyDuelResult(db.prisma, { guildId: 'g2', aId: 'ann', bId: 'ben', scoreA: 0 }, now);
    expect(await rating('g2', 'ann')).toMatchObject({ elo: 1184, games: 1 });
    expect(await rating('g1', 'ann')).toMatchObject({ games: 3 });
  });

  it('refuses a duel against oneself and bad input, changing nothing', async () => {
    const before = await db.prisma.rating.count();
    await expect(applyDuelResult(db.prisma, { guildId: 'g1', aId: 'ann', bId: 'ann', scoreA: 1 }, now)).rejects.toThrow(TypeError);
    await expect(applyDuelResult(db.prisma, { guildId: 'g1', aId: 'x1', bId: 'x2', scoreA: 2 }, now)).rejects.toThrow(TypeError);
    await expect(applyDuelResult(db.prisma, { guildId: '', aId: 'x1', bId: 'x2', scoreA: 1 }, now)).rejects.toThrow(TypeError);
    expect(await db.prisma.rating.count()).toBe(before);
  });

  it('concurrent duels sharing players neither deadlock nor lose an update', async () => {
    const guildId = 'g-concurrent';
    // Five players, three of them new; 60 duels at once over every pair, in both orders (A/B).
    await db.prisma.rating.createMany({ data: [{ guildId, userId: 'p1', elo: 1300, games: 5 }, { guildId, userId: 'p2', elo: 1100, games: 5 }] });
    const players = ['p1', 'p2', 'p3', 'p4', 'p5'];
    const duels: { aId: string; bId: string; scoreA: number }[] = [];
    for (let i = 0; i < 60; i++) {
      const a = players[i % 5]!;
      const b = players[(i * 3 + 1 + Math.floor(i / 5)) % 5]!;
      if (a === b) continue;
      duels.push({ aId: a, bId: b, scoreA: [1, 0, 0.5][i % 3]! });
    }
    const results = await Promise.all(duels.map((d) => applyDuelResult(db.prisma, { guildId, ...d }, now)));
    const rows = await db.prisma.rating.findMany({ where: { guildId } });
    const byId = new Map(rows.map((r) => [r.userId, r]));
    // Zero-sum overall: the total is what it was (1300 + 1100 + 3 x 1200).
    expect(rows.reduce((s, r) => s + r.elo, 0)).toBeCloseTo(1300 + 1100 + 3 * 1200, 6);
    for (const p of players) {
      const played = duels.filter((d) => d.aId === p || d.bId === p).length;
      const start = p === 'p1' ? 1300 : p === 'p2' ? 1100 : 1200;
      expect(byId.get(p)!.games).toBe(played + (p === 'p1' || p === 'p2' ? 5 : 0));
      // No lost update: the changes each duel reported add up to the final rating.
      const changes = results.flatMap((r, i) => (duels[i]!.aId === p ? [r.a] : duels[i]!.bId === p ? [r.b] : []));
      expect(changes.reduce((s, c) => s + (c.after - c.before), 0)).toBeCloseTo(byId.get(p)!.elo - start, 6);
      // ...and they chain: every "before" is the "after" of another duel of theirs, or the start.
      const afters = new Set([start, ...changes.map((c) => c.after)]);
      for (const c of changes) expect(afters.has(c.before)).toBe(true);
    }
  });

  it('shows up on the elo board (period ignored)', async () => {
    const boards = leaderboards(db.prisma, { snapshotMaxAgeMs: 0 });
    const week = await boards.board('g1', { period: 'week', board: 'elo' }, 'ann', now, 'UTC');
    const all = await boards.board('g1', { period: 'all', board: 'elo' }, 'ann', now, 'UTC');
    expect(week.rows).toEqual(all.rows);
    expect(week.periodStart).toBeNull();
    expect(week.rows.map((r) => [r.rank, r.userId, r.value, r.detail])).toEqual([
      [1, 'eve', 1215.9, '1 game'],
      [2, 'ben', 1201.5, '2 games'],
      [3, 'cat', 1200, '1 game'],
      [3, 'dan', 1200, '1 game'],
      [5, 'ann', 1182.6, '3 games'],
    ]);
    expect(week.caller).toEqual({ rank: 5, value: 1182.6, detail: '3 games' });
  });
});
