import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rating } from 'ts-fsrs';
import { AnswerStore } from '../../../src/mastery/answer-store.js';
import { FORMER_MEMBER, forgetUser } from '../../../src/mastery/forget.js';
import { migratedDatabase, type MigratedDatabase } from '../../support/app-db.js';
import { testBank } from './bank-fixture.js';

let db: MigratedDatabase;
const alice = 'alice-1';
const bob = 'bob-2';
const now = new Date('2026-02-01T10:00:00.000Z');

beforeAll(async () => {
  db = await migratedDatabase('mastery_forget');
  const store = new AnswerStore(db.prisma, testBank(), () => now);
  let k = 0;
  for (const userId of [alice, bob]) {
    await db.prisma.user.create({ data: { id: userId, username: userId } });
    for (const promptId of ['a1-root', 'a1-f1', 'b1-root']) {
      await store.record({ eventKey: `f:${++k}`, userId, guildId: 'g', promptId, mode: 'chain', given: 'x', verdict: 'correct', score: 1, points: 1, rating: Rating.Good });
    }
    await store.record({ eventKey: `f:${++k}`, userId, drill: { kind: 'auc', seed: 1 }, mode: 'drill', given: '0.5', verdict: 'wrong', score: 0, points: 0 });
    await db.prisma.practiceSession.create({
      data: { userId, kind: 'chain', queue: ['a1-root', 'a1-f1'], seed: 1, askedAt: now, expiresAt: new Date(now.getTime() + 3_600_000) },
    });
  }
  const board = await db.prisma.whiteboard.create({ data: { guildId: 'g', channelId: 'ch1', title: 'T', startedBy: alice } });
  const board2 = await db.prisma.whiteboard.create({ data: { guildId: 'g', channelId: 'ch2', title: 'U', startedBy: bob } });
  await db.prisma.whiteboardStep.createMany({
    data: [
      { boardId: board.id, position: 1, tex: 'a', authorId: alice, authorName: 'alice' },
      { boardId: board.id, position: 2, tex: 'b', authorId: bob, authorName: 'bob' },
      { boardId: board.id, position: 3, tex: 'c', authorId: alice, authorName: 'alice' },
      { boardId: board2.id, position: 1, tex: 'd', authorId: alice, authorName: 'alice' },
    ],
  });
});
afterAll(async () => db?.drop());

async function counts(userId: string) {
  const p = db.prisma;
  return {
    answers: await p.answer.count({ where: { userId } }),
    cards: await p.card.count({ where: { userId } }),
    sessions: await p.practiceSession.count({ where: { userId } }),
    steps: await p.whiteboardStep.count({ where: { authorId: userId } }),
    boards: await p.whiteboard.count({ where: { startedBy: userId } }),
    users: await p.user.count({ where: { id: userId } }),
  };
}

describe('forgetUser', () => {
  it('deletes the caller’s rows, anonymises their whiteboard work, and leaves others untouched', async () => {
    const bobBefore = await counts(bob);
    expect(await counts(alice)).toEqual({ answers: 4, cards: 3, sessions: 1, steps: 3, boards: 1, users: 1 });
    const totalSteps = await db.prisma.whiteboardStep.count();

    expect(await forgetUser(db.prisma, alice)).toEqual({
      answers: 4,
      cards: 3,
      sessions: 1,
      whiteboardStepsAnonymised: 3,
      whiteboardsAnonymised: 1,
      users: 1,
    });

    expect(await counts(alice)).toEqual({ answers: 0, cards: 0, sessions: 0, steps: 0, boards: 0, users: 0 });
    expect(await counts(bob)).toEqual(bobBefore);
    // The boards and every step stay, for the others; alice's steps no longer name her.
    expect(await db.prisma.whiteboardStep.count()).toBe(totalSteps);
    expect(await db.prisma.whiteboardStep.count({ where: { authorId: null, authorName: FORMER_MEMBER } })).toBe(3);
    expect(await db.prisma.whiteboardStep.count({ where: { authorName: 'alice' } })).toBe(0);
    expect(await db.prisma.whiteboard.count()).toBe(2);
    expect(await db.prisma.whiteboard.count({ where: { startedBy: null } })).toBe(1);
  });

  it('is idempotent: a second request finds nothing', async () => {
    expect(await forgetUser(db.prisma, alice)).toEqual({
      answers: 0,
      cards: 0,
      sessions: 0,
      whiteboardStepsAnonymised: 0,
      whiteboardsAnonymised: 0,
      users: 0,
    });
  });
});
