import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eloDelta, INITIAL_ELO, ratingChanges, type DuelResultInput } from '../../../src/duel/rules.js';
import type { DuelService } from '../../../src/duel/service.js';
import type { DuelResult } from '../../../src/duel/types.js';
import { migratedDatabase, type MigratedDatabase } from '../../support/app-db.js';
import { duelService } from '../../support/duels.js';
import { leaderboards } from './support.js';

let db: MigratedDatabase;
const now = new Date('2026-06-10T10:00:00.000Z');

/** The rating step of a duel's result, on its own (DuelService.finish runs it in the result's transaction). */
let applyDuelResult: (input: DuelResultInput, now: Date) => Promise<DuelResult>;
let duels: DuelService;

beforeAll(async () => {
  db = await migratedDatabase('lb_elo');
  duels = duelService(db, { clock: () => now });
  applyDuelResult = (input, at) => duels.applyResult(input, at);
});

/** A duel whose last round has closed (status scoring), with one answer each worth these points. */
async function scoredDuel(guildId: string, challengerId: string, opponentId: string, points: [number, number]): Promise<string> {
  const duel = await db.prisma.duel.create({
    data: { guildId, channelId: 'c', challengerId, opponentId, status: 'scoring', questions: ['q'], secondsPerRound: 20, challengeExpiresAt: now },
  });
  await db.prisma.duelAnswer.createMany({
    data: [challengerId, opponentId].map((userId, i) => ({ duelId: duel.id, round: 0, userId, optionId: 0, correct: points[i]! > 0, responseMs: 1000, points: points[i]!, answeredAt: now })),
  });
  return duel.id;
}
afterAll(async () => db?.drop());

const rating = (guildId: string, userId: string) => db.prisma.rating.findUnique({ where: { guildId_userId: { guildId, userId } } });

describe('a duel result moves the ratings (DuelService.applyResult)', () => {
  it('creates both rows at 1200 on a first duel, moves them zero-sum and counts the game', async () => {
    const r = await applyDuelResult({ guildId: 'g1', aId: 'ann', bId: 'ben', scoreA: 1 }, now);
    expect(r).toEqual({ a: { before: 1200, after: 1216, delta: 16 }, b: { before: 1200, after: 1184, delta: -16 } });
    expect(await rating('g1', 'ann')).toMatchObject({ elo: 1216, games: 1, updatedAt: now });
    expect(await rating('g1', 'ben')).toMatchObject({ elo: 1184, games: 1, updatedAt: now });
  });

  it('reads the current ratings, whichever player is A, and matches the Elo rules', async () => {
    const later = new Date(now.getTime() + 60_000);
    // ben (1184) beats ann (1216), ben as A this time.
    const r = await applyDuelResult({ guildId: 'g1', aId: 'ben', bId: 'ann', scoreA: 1 }, later);
    const expected = ratingChanges(1184, 1216, eloDelta(1184, 1216, 1));
    expect(r.a).toEqual({ before: 1184, after: expected.a.after, delta: 17.5 });
    expect(r.b).toEqual({ before: 1216, after: expected.b.after, delta: -17.5 });
    expect(await rating('g1', 'ben')).toMatchObject({ elo: 1201.5, games: 2, updatedAt: later });
    expect(await rating('g1', 'ann')).toMatchObject({ elo: 1198.5, games: 2, updatedAt: later });
  });

  it('a tie between equals changes no rating but counts the game; an existing player meets a new one', async () => {
    const r = await applyDuelResult({ guildId: 'g1', aId: 'cat', bId: 'dan', scoreA: 0.5 }, now);
    expect(r).toEqual({ a: { before: 1200, after: 1200, delta: 0 }, b: { before: 1200, after: 1200, delta: 0 } });
    expect(await rating('g1', 'cat')).toMatchObject({ elo: 1200, games: 1 });
    const r2 = await applyDuelResult({ guildId: 'g1', aId: 'ann', bId: 'eve', scoreA: 0 }, now);
    expect(r2.b.before).toBe(INITIAL_ELO);
    expect(r2.a.before).toBe(1198.5);
    expect(r2.a.delta + r2.b.delta).toBe(0);
  });

  it('keeps servers apart', async () => {
    await applyDuelResult({ guildId: 'g2', aId: 'ann', bId: 'ben', scoreA: 0 }, now);
    expect(await rating('g2', 'ann')).toMatchObject({ elo: 1184, games: 1 });
    expect(await rating('g1', 'ann')).toMatchObject({ games: 3 });
  });

  it('refuses a duel against oneself and bad input, changing nothing', async () => {
    const before = await db.prisma.rating.count();
    await expect(applyDuelResult({ guildId: 'g1', aId: 'ann', bId: 'ann', scoreA: 1 }, now)).rejects.toThrow(TypeError);
    await expect(applyDuelResult({ guildId: 'g1', aId: 'x1', bId: 'x2', scoreA: 2 }, now)).rejects.toThrow(TypeError);
    await expect(applyDuelResult({ guildId: '', aId: 'x1', bId: 'x2', scoreA: 1 }, now)).rejects.toThrow(TypeError);
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
    const results = await Promise.all(duels.map((d) => applyDuelResult({ guildId, ...d }, now)));
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

describe("a duel's result and its Elo commit together (DuelService.finish)", () => {
  it('decides once: status, winner, both ratings and the change recorded on the duel; a second finish changes nothing', async () => {
    const id = await scoredDuel('g-finish', 'fa', 'fb', [1500, 0]);
    const [first, second] = await Promise.all([duels.finish(id), duels.finish(id)]);
    const outcome = first ?? second;
    expect([first, second].filter(Boolean)).toHaveLength(1);
    expect(outcome).toMatchObject({ scoreA: 1, elo: { a: { before: 1200, after: 1216, delta: 16 }, b: { before: 1200, after: 1184, delta: -16 } } });
    const duel = await db.prisma.duel.findUniqueOrThrow({ where: { id } });
    expect(duel).toMatchObject({ status: 'finished', winnerId: 'fa', eloChange: 16, challengerEloBefore: 1200, opponentEloBefore: 1200, resultPostedAt: null });
    expect(await rating('g-finish', 'fa')).toMatchObject({ elo: 1216, games: 1 });
    expect(await rating('g-finish', 'fb')).toMatchObject({ elo: 1184, games: 1 });
    expect(await duels.finish(id)).toBeNull();
    // The card can be drawn again from what was stored, after the ratings moved on.
    await applyDuelResult({ guildId: 'g-finish', aId: 'fa', bId: 'fb', scoreA: 0 }, now);
    expect((await duels.outcome(await duels.get(id))).elo).toEqual(outcome!.elo);
    // Its posting is claimed once.
    expect(await Promise.all([duels.claimResult(id), duels.claimResult(id)])).toEqual(expect.arrayContaining([true, false]));
    expect((await duels.unposted()).map((d) => d.id)).not.toContain(id);
  });

  it('a result whose rating step fails leaves the duel scoring, with no rating touched', async () => {
    // A duel against oneself cannot be rated (the rating step throws inside the transaction).
    const id = await scoredDuel('g-finish', 'solo', 'solo-b', [1500, 0]);
    await db.prisma.duelAnswer.deleteMany({ where: { duelId: id, userId: 'solo-b' } });
    await db.prisma.duel.update({ where: { id }, data: { opponentId: 'solo' } });
    await expect(duels.finish(id)).rejects.toThrow(TypeError);
    expect(await db.prisma.duel.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'scoring', winnerId: null, eloChange: null });
    expect(await db.prisma.rating.count({ where: { userId: 'solo' } })).toBe(0);
  });

  it('nobody answered: abandoned, no rating moves, no change recorded', async () => {
    const duel = await db.prisma.duel.create({
      data: { guildId: 'g-finish', channelId: 'c', challengerId: 'na', opponentId: 'nb', status: 'scoring', questions: ['q'], secondsPerRound: 20, challengeExpiresAt: now },
    });
    await db.prisma.duelAnswer.createMany({ data: ['na', 'nb'].map((userId) => ({ duelId: duel.id, round: 0, userId, optionId: null, correct: false, points: 0, answeredAt: now })) });
    expect(await duels.finish(duel.id)).toMatchObject({ scoreA: null, elo: null });
    expect(await db.prisma.duel.findUniqueOrThrow({ where: { id: duel.id } })).toMatchObject({ status: 'abandoned', winnerId: null, eloChange: null });
    expect(await db.prisma.rating.count({ where: { userId: { in: ['na', 'nb'] } } })).toBe(0);
    expect((await duels.unposted()).map((d) => d.id)).toContain(duel.id);
  });
});
