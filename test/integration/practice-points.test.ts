/**
 * Practice earns points by the economy (src/quiz/points.ts), on real PostgreSQL: the level's
 * base for a right answer, and nothing for answering the same question again within 24 hours
 * (the farming rule), whatever the session.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnswerStore } from '../../src/answers/store.js';
import { loadBank } from '../../src/bank/load.js';
import { Leaderboards } from '../../src/leaderboard/service.js';
import { LeaderboardStore } from '../../src/leaderboard/store.js';
import { MasteryService } from '../../src/mastery/service.js';
import { MasteryStore } from '../../src/mastery/store.js';
import { PracticeService } from '../../src/practice/service.js';
import { PracticeStore } from '../../src/practice/store.js';
import { basePoints } from '../../src/quiz/points.js';
import { migratedDatabase, type MigratedDatabase } from '../support/app-db.js';

const HOUR = 3_600_000;
const bank = loadBank();
let db: MigratedDatabase;
let clock = new Date('2026-04-01T09:00:00.000Z');
let practice: PracticeService;
let store: PracticeStore;

beforeAll(async () => {
  db = await migratedDatabase('practice_points');
  const answers = new AnswerStore(db.prisma, bank, () => clock);
  const mastery = new MasteryService(db, new MasteryStore(db.prisma), bank, new Leaderboards(new LeaderboardStore(db.prisma)), () => clock);
  store = new PracticeStore(db.prisma);
  practice = new PracticeService(store, bank, answers, mastery, () => clock);
});
afterAll(async () => db?.drop());

async function pointsOf(userId: string): Promise<number[]> {
  const rows = await db.prisma.answer.findMany({ where: { userId }, orderBy: { id: 'asc' }, select: { points: true } });
  return rows.map((r) => r.points);
}

describe('practice points', () => {
  it('pays the level base for a right answer, 0 for the same question again within 24 hours, and again after', async () => {
    const userId = 'farmer';
    const [l4, l6] = [bank.prompts.find((p) => p.level === 'L4')!, bank.prompts.find((p) => p.level === 'L6')!];
    /** A /chain or /review session over `queue`, as the service creates it, answered right at step 0. */
    const answerRight = async (kind: 'chain' | 'review', queue: string[]) => {
      const s = await store.create({ userId, guildId: 'g', channelId: 'c', kind, queue, seed: 1, askedAt: clock, expiresAt: new Date(clock.getTime() + HOUR) });
      const right = (await practice.step(s, 0)).options.find((o) => o.correct)!;
      await practice.answerChoice(s, 0, right.id);
      await practice.answerChoice(s, 0, right.id); // a double click: stored once
    };
    await answerRight('chain', [l4.id]);
    await answerRight('chain', [l6.id]);
    expect(await pointsOf(userId)).toEqual([100, 150]);
    // Two hours later, the same question in /review: a repeat, no points (it still counts for memory).
    clock = new Date(clock.getTime() + 2 * HOUR);
    await answerRight('review', [l4.id]);
    expect(await pointsOf(userId)).toEqual([100, 150, 0]);
    // A day after that, it scores again.
    clock = new Date(clock.getTime() + 25 * HOUR);
    await answerRight('chain', [l4.id]);
    expect(await pointsOf(userId)).toEqual([100, 150, 0, 100]);
    expect(basePoints('L4')).toBe(100);
  });

  it('pays a right drill the drill base, a wrong one nothing', async () => {
    const where = { userId: 'driller', guildId: 'g', channelId: 'c' };
    const s = await practice.startDrill(where, 'xgb-split-gain');
    const { drill } = await practice.answerDrill(s, 'not yet');
    await practice.answerDrill(s, drill.answerText);
    const t = await practice.startDrill(where, 'xgb-split-gain');
    await practice.answerDrill(t, String(Number(practice.drillOf(t).answerText) + 1000));
    expect(await pointsOf('driller')).toEqual([basePoints(null), 0]);
  });
});
