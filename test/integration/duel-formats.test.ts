import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBank } from '../../src/bank/load.js';
import type { DuelService } from '../../src/duel/service.js';
import { AnswerStore } from '../../src/answers/store.js';
import { migratedDatabase, type MigratedDatabase } from '../support/app-db.js';
import { duelService, refusal } from '../support/duels.js';

const bank = loadBank();
let db: MigratedDatabase;
let duels: DuelService;
let now = new Date('2026-06-10T10:00:00.000Z');
const base = { guildId: 'g', channelId: 'c', opponent: { id: 'bob', bot: false }, topic: null, level: null, seconds: 60 };

beforeAll(async () => {
  db = await migratedDatabase('duel_formats');
  duels = duelService(db, { bank, answers: new AnswerStore(db.prisma, bank, () => now), clock: () => now });
});
afterAll(async () => db?.drop());

describe('duel formats', () => {
  it('mixed alternates a bank question and a drill, the question first', async () => {
    const duel = await duels.challenge({ ...base, challengerId: 'ann', rounds: 5, format: 'mixed' });
    expect([0, 1, 2, 3, 4].map((r) => duels.question(duel, r).type)).toEqual(['prompt', 'drill', 'prompt', 'drill', 'prompt']);
    await db.prisma.duel.update({ where: { id: duel.id }, data: { status: 'declined' } });
  });

  it('drills rebuild the same problem from the stored reference, without repeating a kind early', async () => {
    const duel = await duels.challenge({ ...base, challengerId: 'cat', rounds: 16, format: 'drills' });
    const drills = duel.questions.map((_, r) => duels.question(duel, r));
    const kinds = drills.map((q) => (q.type === 'drill' ? q.drill.kind : 'prompt'));
    expect(new Set(kinds).size).toBe(16);
    const again = duels.question(duel, 3);
    expect(again.type === 'drill' && drills[3]!.type === 'drill' && again.drill.answer).toBe(drills[3]!.type === 'drill' && drills[3]!.drill.answer);
    await db.prisma.duel.update({ where: { id: duel.id }, data: { status: 'declined' } });
  });

  it('refuses a topic or level with drills, and an unknown format', async () => {
    expect(await refusal(duels.challenge({ ...base, challengerId: 'dan', rounds: 2, format: 'drills', topic: 'ensembles' }))).toMatch(/no topic or level/);
    expect(await refusal(duels.challenge({ ...base, challengerId: 'dan', rounds: 2, format: 'drills', level: 'L5' }))).toMatch(/no topic or level/);
    expect(await refusal(duels.challenge({ ...base, challengerId: 'dan', rounds: 2, format: 'speed' as never }))).toMatch(/questions, drills, mixed/);
  });

  it('takes a typed answer for a drill round and refuses a letter there (and a number for a question round)', async () => {
    const duel = await duels.challenge({ ...base, challengerId: 'eve', rounds: 2, format: 'mixed' });
    const started = await duels.accept(duel.id, 'bob');
    expect(await refusal(duels.answerNumber(duel.id, 0, 'eve', '0.5'))).toMatch(/multiple choice/);
    const q0 = duels.question(started, 0);
    if (q0.type !== 'prompt') throw new Error('round 0 should be a question');
    await duels.answer(duel.id, 0, 'eve', 0);
    await duels.answer(duel.id, 0, 'bob', 0);
    now = new Date(now.getTime() + 5_000);
    const next = await duels.closeRound(duel.id, 0);
    expect(next?.duel.round).toBe(1);
    expect(await refusal(duels.answer(duel.id, 1, 'eve', 0))).toMatch(/wants a number/);
    const q1 = duels.question(next!.duel, 1);
    if (q1.type !== 'drill') throw new Error('round 1 should be a drill');
    expect(await refusal(duels.answerNumber(duel.id, 1, 'eve', 'no idea'))).toMatch(/couldn't read "no idea" as a number/);
    const right = await duels.answerNumber(duel.id, 1, 'eve', q1.drill.answerText);
    expect(right).toMatchObject({ stored: true, correct: true, late: false });
    // A drill is worth the L5 base (125) plus at most +50% for speed.
    expect(right.points).toBeGreaterThanOrEqual(125);
    expect(right.points).toBeLessThanOrEqual(188);
    expect(await duels.answerNumber(duel.id, 1, 'eve', '12345')).toMatchObject({ stored: false });
    const scores = await duels.scores(next!.duel);
    expect(scores.a).toMatchObject({ userId: 'eve', answered: 2 });

    // What the closed rounds' messages show: round 0 as soon as it closed, round 1 only once closed.
    expect(await duels.closedRound(next!.duel, 1)).toBeNull();
    const closed0 = await duels.closedRound(next!.duel, 0);
    expect(closed0?.scores.perRound.filter((r) => r.round === 0).map((r) => [r.userId, r.optionId, r.given])).toEqual([
      ['bob', 0, null],
      ['eve', 0, null],
    ]);
    await expect(duels.answerNumber(duel.id, 1, 'bob', 'no idea')).rejects.toThrow(); // unreadable: nothing stored
    await duels.answerNumber(duel.id, 1, 'bob', '3');
    now = new Date(now.getTime() + 5_000);
    const last = await duels.closeRound(duel.id, 1);
    expect(last?.finished).toBe(true);
    const closed1 = await duels.closedRound(last!.duel, 1);
    expect(closed1?.scores.perRound.filter((r) => r.round === 1).map((r) => [r.userId, r.optionId, r.given])).toEqual([
      ['bob', null, '3'],
      ['eve', null, q1.drill.answerText],
    ]);
    // Round 0's totals stay those after round 0, whatever came later.
    expect((await duels.closedRound(last!.duel, 0))?.scores).toEqual(closed0!.scores);
  });

  it('remembers each round\'s message, for its closing edit', async () => {
    const duel = await duels.challenge({ ...base, challengerId: 'fox', rounds: 3, format: 'questions' });
    expect(await duels.roundMessage(duel.id, 0)).toBeNull();
    await duels.setRoundMessage(duel.id, 0, '1000000000000000001');
    await duels.setRoundMessage(duel.id, 2, '1000000000000000003');
    expect(await duels.roundMessage(duel.id, 0)).toBe('1000000000000000001');
    expect(await duels.roundMessage(duel.id, 1)).toBeNull();
    expect(await duels.roundMessage(duel.id, 2)).toBe('1000000000000000003');
    await db.prisma.duel.update({ where: { id: duel.id }, data: { status: 'declined' } });
  });
});
