import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rating } from 'ts-fsrs';
import { AnswerStore } from '../../../src/answers/store.js';
import { FORGOTTEN_ID, FORMER_MEMBER, PrivacyStore } from '../../../src/privacy/store.js';
import { migratedDatabase, type MigratedDatabase } from '../../support/app-db.js';
import { duelService } from '../../support/duels.js';
import { testBank } from '../mastery/bank-fixture.js';

let db: MigratedDatabase;
const alice = 'alice-1';
const bob = 'bob-2';
const carol = 'carol-3';
const now = new Date('2026-02-01T10:00:00.000Z');

beforeAll(async () => {
  db = await migratedDatabase('mastery_forget');
  const store = new AnswerStore(db.prisma, testBank(), () => now);
  let k = 0;
  for (const userId of [alice, bob]) {
    await db.prisma.user.create({ data: { id: userId, username: userId } });
    for (const promptId of ['a1-root', 'a1-f1', 'b1-root']) {
      await store.record({ event: { id: randomUUID(), step: 0 }, userId, guildId: 'g', promptId, mode: 'chain', given: 'x', verdict: 'correct', score: 1, points: 1, rating: Rating.Good });
    }
    await store.record({ event: { id: randomUUID(), step: 0 }, userId, drill: { kind: 'auc', seed: 1 }, mode: 'drill', given: '0.5', verdict: 'wrong', score: 0, points: 0 });
    await db.prisma.practiceSession.create({
      data: { userId, kind: 'chain', queue: ['a1-root', 'a1-f1'], seed: 1, askedAt: now, expiresAt: new Date(now.getTime() + 3_600_000) },
    });
  }
  // Duels: alice beat bob (alice challenged), bob and alice tied (bob challenged), bob vs carol.
  const duel = (challengerId: string, opponentId: string, winnerId: string | null) =>
    db.prisma.duel.create({
      data: { guildId: 'g', channelId: 'ch', challengerId, opponentId, status: 'finished', questions: ['a1-root'], secondsPerRound: 20, challengeExpiresAt: now, winnerId },
    });
  const duels = [await duel(alice, bob, alice), await duel(bob, alice, null), await duel(bob, carol, carol)];
  for (const [i, d] of duels.entries()) {
    for (const userId of [d.challengerId, d.opponentId]) {
      await db.prisma.duelAnswer.create({ data: { duelId: d.id, round: 0, userId, optionId: 1, correct: true, responseMs: 1000, points: 1500, answeredAt: now } });
    }
    await duelService(db).applyResult({ guildId: 'g', aId: d.challengerId, bId: d.opponentId, scoreA: d.winnerId === null ? 0.5 : d.winnerId === d.challengerId ? 1 : 0 }, new Date(now.getTime() + i));
  }
  // Sprints: one alice started and both played, one bob started that alice joined without answering.
  const sprint = (starterId: string) => db.prisma.sprint.create({ data: { guildId: 'g', channelId: 'ch', starterId, questions: ['a1-root'], secondsPerRound: 20, deadline: now } });
  const [s1, s2] = [await sprint(alice), await sprint(bob)];
  await db.prisma.sprintPlayer.createMany({
    data: [
      { sprintId: s1.id, userId: alice, name: 'alice' },
      { sprintId: s1.id, userId: bob, name: 'bob' },
      { sprintId: s2.id, userId: alice, name: 'alice' },
      { sprintId: s2.id, userId: bob, name: 'bob' },
    ],
  });
  await db.prisma.sprintAnswer.createMany({
    data: [alice, bob].map((userId) => ({ sprintId: s1.id, round: 0, userId, optionId: 1, correct: true, responseMs: 900, points: 1800, answeredAt: now })),
  });
  // Another day in another server, so that alice has two daily_scores rows and two streaks.
  await store.record({ event: { id: randomUUID(), step: 0 }, userId: alice, guildId: 'g2', drill: { kind: 'auc', seed: 2 }, mode: 'drill', given: '1', verdict: 'correct', score: 1, points: 10, at: new Date(now.getTime() + 86_400_000) });
  // A drop schedule alice set up for the server: it keeps running, without her id.
  for (const createdBy of [alice, bob]) {
    await db.prisma.schedule.create({ data: { guildId: 'g', channelId: `sch-${createdBy}`, cron: '0 9 * * *', timeZone: 'UTC', topics: [], createdBy, nextRunAt: now } });
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
    dailyScores: await p.dailyScore.count({ where: { userId } }),
    streaks: await p.streak.count({ where: { userId } }),
    ratings: await p.rating.count({ where: { userId } }),
    duelAnswers: await p.duelAnswer.count({ where: { userId } }),
    sprintAnswers: await p.sprintAnswer.count({ where: { userId } }),
    sprintPlayers: await p.sprintPlayer.count({ where: { userId } }),
    duels: await p.duel.count({ where: { OR: [{ challengerId: userId }, { opponentId: userId }, { winnerId: userId }] } }),
    sprints: await p.sprint.count({ where: { starterId: userId } }),
    schedules: await p.schedule.count({ where: { createdBy: userId } }),
  };
}

const none = { dailyScores: 0, streaks: 0, ratings: 0, duelAnswers: 0, sprintAnswers: 0, sprintPlayers: 0, duelsAnonymised: 0, sprintsAnonymised: 0, schedulesAnonymised: 0 };

describe('PrivacyStore.forget', () => {
  it('deletes the caller’s rows, anonymises their whiteboard work, and leaves others untouched', async () => {
    const bobBefore = await counts(bob);
    const bobRating = await db.prisma.rating.findUniqueOrThrow({ where: { guildId_userId: { guildId: 'g', userId: bob } } });
    expect(await counts(alice)).toEqual({
      answers: 5,
      cards: 3,
      sessions: 1,
      steps: 3,
      boards: 1,
      users: 1,
      dailyScores: 2,
      streaks: 2,
      ratings: 1,
      duelAnswers: 2,
      sprintAnswers: 1,
      sprintPlayers: 2,
      duels: 2,
      sprints: 1,
      schedules: 1,
    });
    const totalSteps = await db.prisma.whiteboardStep.count();

    expect(await new PrivacyStore(db.prisma).forget(alice)).toEqual({
      answers: 5,
      cards: 3,
      sessions: 1,
      whiteboardStepsAnonymised: 3,
      whiteboardsAnonymised: 1,
      users: 1,
      dailyScores: 2,
      streaks: 2,
      ratings: 1,
      duelAnswers: 2,
      sprintAnswers: 1,
      sprintPlayers: 2,
      duelsAnonymised: 2,
      sprintsAnonymised: 1,
      schedulesAnonymised: 1,
    });

    expect(await counts(alice)).toEqual({
      answers: 0,
      cards: 0,
      sessions: 0,
      steps: 0,
      boards: 0,
      users: 0,
      dailyScores: 0,
      streaks: 0,
      ratings: 0,
      duelAnswers: 0,
      sprintAnswers: 0,
      sprintPlayers: 0,
      duels: 0,
      sprints: 0,
      schedules: 0,
    });
    expect(await counts(bob)).toEqual(bobBefore);
    // Bob keeps his rating, his duels (now against FORGOTTEN_ID, the one alice won naming it as winner) and his sprint answers.
    expect(await db.prisma.rating.findUniqueOrThrow({ where: { guildId_userId: { guildId: 'g', userId: bob } } })).toEqual(bobRating);
    const duels = await db.prisma.duel.findMany({ orderBy: { createdAt: 'asc' } });
    expect(duels.map((d) => [d.challengerId, d.opponentId, d.winnerId])).toEqual([
      [FORGOTTEN_ID, bob, FORGOTTEN_ID],
      [bob, FORGOTTEN_ID, null],
      [bob, carol, carol],
    ]);
    expect(await db.prisma.duelAnswer.count()).toBe(4);
    expect(await db.prisma.sprint.count({ where: { starterId: FORGOTTEN_ID } })).toBe(1);
    expect(await db.prisma.sprintPlayer.count()).toBe(2);
    // Her schedule still runs for the server, created by FORGOTTEN_ID; bob's is untouched.
    expect((await db.prisma.schedule.findMany({ orderBy: { channelId: 'asc' } })).map((x) => [x.channelId, x.createdBy])).toEqual([
      ['sch-alice-1', FORGOTTEN_ID],
      ['sch-bob-2', bob],
    ]);
    // The boards and every step stay, for the others; alice's steps no longer name her.
    expect(await db.prisma.whiteboardStep.count()).toBe(totalSteps);
    expect(await db.prisma.whiteboardStep.count({ where: { authorId: null, authorName: FORMER_MEMBER } })).toBe(3);
    expect(await db.prisma.whiteboardStep.count({ where: { authorName: 'alice' } })).toBe(0);
    expect(await db.prisma.whiteboard.count()).toBe(2);
    expect(await db.prisma.whiteboard.count({ where: { startedBy: null } })).toBe(1);
  });

  it('is idempotent: a second request finds nothing', async () => {
    expect(await new PrivacyStore(db.prisma).forget(alice)).toEqual({
      answers: 0,
      cards: 0,
      sessions: 0,
      whiteboardStepsAnonymised: 0,
      whiteboardsAnonymised: 0,
      users: 0,
      ...none,
    });
  });
});
