import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FSRS6_DEFAULT_DECAY, Rating, State } from 'ts-fsrs';
import { AnswerStore } from '../../../src/answers/store.js';
import { type AnswerEvent } from '../../../src/answers/rules.js';
import { Leaderboards } from '../../../src/leaderboard/service.js';
import { LeaderboardStore } from '../../../src/leaderboard/store.js';
import { MasteryService } from '../../../src/mastery/service.js';
import { MasteryStore } from '../../../src/mastery/store.js';
import { migratedDatabase, type MigratedDatabase } from '../../support/app-db.js';
import { testBank } from './bank-fixture.js';

const HOUR = 3_600_000;
const DAY = 86_400_000;
const bank = testBank();
let db: MigratedDatabase;
let store: AnswerStore;
let mastery: MasteryService;
const now = new Date('2026-03-20T12:00:00.000Z');

beforeAll(async () => {
  db = await migratedDatabase('mastery_queries');
  store = new AnswerStore(db.prisma, bank, () => now);
  mastery = new MasteryService(db, new MasteryStore(db.prisma), bank, new Leaderboards(new LeaderboardStore(db.prisma)), () => now);
});
afterAll(async () => db?.drop());

/** Retrievability by hand: FSRS-6's power forgetting curve, R(S days) = 0.9 by construction. */
function handRetrievability(days: number, stability: number): number {
  const decay = -FSRS6_DEFAULT_DECAY;
  const factor = Math.pow(0.9, 1 / decay) - 1;
  return Math.pow(1 + (factor * days) / stability, decay);
}

interface CardSpec {
  promptId: string;
  stability?: number;
  state?: number;
  reviewedDaysAgo?: number;
  due: Date;
}
async function putCards(userId: string, specs: CardSpec[]) {
  await db.prisma.card.createMany({
    data: specs.map((s) => ({
      userId,
      promptId: s.promptId,
      topic: bank.promptById.get(s.promptId)?.topic ?? 'gone',
      due: s.due,
      stability: s.stability ?? 5,
      difficulty: 5,
      elapsedDays: 0,
      scheduledDays: 0,
      learningSteps: 0,
      reps: 1,
      lapses: 0,
      state: s.state ?? State.Review,
      lastReview: s.reviewedDaysAgo === undefined ? null : new Date(now.getTime() - s.reviewedDaysAgo * DAY),
    })),
  });
}

let keys = 0;
async function answer(userId: string, at: Date, patch: Partial<AnswerEvent> = {}) {
  await store.record({
    event: { id: randomUUID(), step: 0 },
    userId,
    guildId: 'g1',
    promptId: 'a1-root',
    mode: 'chain',
    given: 'x',
    verdict: 'correct',
    score: 1,
    points: 1,
    rating: null,
    at,
    ...patch,
  });
}

describe('due cards', () => {
  it('lists due cards oldest first, honours the limit, skips prompts gone from the bank', async () => {
    await putCards('u-due', [
      { promptId: 'a1-root', due: new Date(now.getTime() - 1 * HOUR), reviewedDaysAgo: 3 },
      { promptId: 'a1-f1', due: new Date(now.getTime() - 5 * DAY), reviewedDaysAgo: 9 },
      { promptId: 'b1-root', due: new Date(now.getTime() - 2 * DAY), reviewedDaysAgo: 9 },
      { promptId: 'gone-prompt', due: new Date(now.getTime() - 9 * DAY), reviewedDaysAgo: 20 },
      { promptId: 'gone-too', due: new Date(now.getTime() + 1 * HOUR), reviewedDaysAgo: 2 },
      { promptId: 'a2-root', due: new Date(now.getTime() + 3 * HOUR), reviewedDaysAgo: 1 },
      { promptId: 'b1-f1', due: new Date(now.getTime() + 2 * DAY), reviewedDaysAgo: 1 },
    ]);
    await putCards('u-other', [{ promptId: 'a2-f1', due: new Date(now.getTime() - 30 * DAY), reviewedDaysAgo: 40 }]);
    expect((await mastery.dueCards('u-due', now, 10)).map((c) => c.promptId)).toEqual(['a1-f1', 'b1-root', 'a1-root']);
    const two = await mastery.dueCards('u-due', now, 2);
    expect(two.map((c) => c.promptId)).toEqual(['a1-f1', 'b1-root']);
    expect(two[0]).toMatchObject({ topic: 'alpha', state: State.Review });
    expect(await mastery.dueCount('u-due', now)).toBe(3);
    expect((await mastery.nextDue('u-due', now))?.toISOString()).toBe(new Date(now.getTime() + 3 * HOUR).toISOString());
  });

  it('says when nothing is due and nothing will be', async () => {
    expect(await mastery.dueCards('u-nobody', now, 5)).toEqual([]);
    expect(await mastery.dueCount('u-nobody', now)).toBe(0);
    expect(await mastery.nextDue('u-nobody', now)).toBeNull();
  });

  it('includes a card due exactly now', async () => {
    await putCards('u-edge', [{ promptId: 'a1-root', due: now, reviewedDaysAgo: 1 }]);
    expect(await mastery.dueCount('u-edge', now)).toBe(1);
    expect(await mastery.nextDue('u-edge', now)).toBeNull();
  });
});

describe('topic mastery', () => {
  it('matches hand-computed retrievability a week ahead per topic, with seen and unseen counts', async () => {
    await putCards('u-topic', [
      { promptId: 'a1-root', stability: 10, reviewedDaysAgo: 10, due: now }, // R = 0.9 exactly
      { promptId: 'a1-f1', stability: 2, reviewedDaysAgo: 7, due: now },
      { promptId: 'a2-root', stability: 30, reviewedDaysAgo: 0, due: now }, // reviewed today: 1
      { promptId: 'b1-root', stability: 3.5, reviewedDaysAgo: 20, state: State.Relearning, due: now },
      { promptId: 'gone-prompt', stability: 1, reviewedDaysAgo: 1, due: now },
    ]);
    const result = await mastery.topicMastery('u-topic', now);
    expect(result.map((t) => t.topic)).toEqual(['alpha', 'beta']);
    const [alpha, beta] = result;
    // Cards without a visible answer count by FSRS recall a week from now (rules.MASTERY_HORIZON_DAYS).
    expect(alpha).toMatchObject({ topic: 'alpha', title: 'Alpha', seen: 3, unseen: 2, lastWrong: 0, drills: 0, started: true });
    expect(alpha!.mastery).toBeCloseTo((handRetrievability(17, 10) + handRetrievability(14, 2) + handRetrievability(7, 30)) / 3, 6);
    expect(beta).toMatchObject({ seen: 1, unseen: 1, started: true });
    expect(beta!.mastery).toBeCloseTo(handRetrievability(27, 3.5), 6);
  });

  it('has nothing started for a new member', async () => {
    expect(await mastery.topicMastery('u-new', now)).toEqual([
      { topic: 'alpha', title: 'Alpha', seen: 0, unseen: 5, lastWrong: 0, drills: 0, drillKinds: 0, started: false, mastery: 0 },
      { topic: 'beta', title: 'Beta', seen: 0, unseen: 2, lastWrong: 0, drills: 0, drillKinds: 0, started: false, mastery: 0 },
    ]);
  });
});

/** A server whose days are those of `timeZone`. */
async function server(id: string, timeZone: string) {
  await db.prisma.guild.create({ data: { id, name: id, settings: { create: { timeZone } } } });
}

describe('streak (the leaderboards’ streaks, read per server)', () => {
  it('counts days in the server’s time zone: 23:30 UTC is the next day in Tokyo', async () => {
    await server('g-tokyo', 'Asia/Tokyo');
    await server('g-utc', 'UTC');
    for (const guildId of ['g-tokyo', 'g-utc']) {
      await answer('u-tz', new Date('2026-03-19T10:00:00.000Z'), { guildId });
      await answer('u-tz', new Date('2026-03-19T23:30:00.000Z'), { guildId });
    }
    const at = new Date('2026-03-20T01:00:00.000Z'); // 10:00 on the 20th in Tokyo
    // UTC: both answers on the 19th, nothing yet on the 20th: a one-day streak, still alive.
    expect(await mastery.streak('u-tz', at, 'g-utc')).toBe(1);
    // Tokyo: 19:00 on the 19th and 08:30 on the 20th: two days.
    expect(await mastery.streak('u-tz', at, 'g-tokyo')).toBe(2);
  });

  it('ends today or yesterday, and breaks on a missed day', async () => {
    const day = (n: number, hour = 12) => new Date(Date.UTC(2026, 2, 20 + n, hour));
    for (const n of [-9, -8, -4, -3, -2, -1]) await answer('u-streak', day(n));
    await answer('u-streak', day(-1, 20)); // two answers on one day count once
    expect(await mastery.streak('u-streak', now, 'g1')).toBe(4); // -4..-1, today not over yet
    await answer('u-streak', day(0, 9));
    expect(await mastery.streak('u-streak', now, 'g1')).toBe(5);
    // Two days later the day in between was missed: broken.
    expect(await mastery.streak('u-streak', day(2), 'g1')).toBe(0);
    expect(await mastery.streak('u-none', now, 'g1')).toBe(0);
  });

  it('finds day boundaries across a daylight-saving change', async () => {
    // Berlin moves to summer time on 2026-03-29. 23:15 UTC on the 28th is 00:15 on the 29th there.
    await server('g-berlin', 'Europe/Berlin');
    await server('g-la', 'America/Los_Angeles');
    for (const guildId of ['g-berlin', 'g-la', 'g1']) {
      await answer('u-dst', new Date('2026-03-27T12:00:00.000Z'), { guildId });
      await answer('u-dst', new Date('2026-03-28T23:15:00.000Z'), { guildId });
    }
    const at = new Date('2026-03-29T12:00:00.000Z');
    expect(await mastery.streak('u-dst', at, 'g-berlin')).toBe(1); // the 29th; the 28th was missed
    expect(await mastery.streak('u-dst', at, 'g1')).toBe(2); // no settings: UTC. The 27th and 28th, today not over
    expect(await mastery.streak('u-dst', at, 'g-la')).toBe(2); // the 27th (05:00) and 28th (16:15)
  });

  it('in a DM, is the longest live streak over the member’s servers, each by its own calendar; answers in DMs do not count', async () => {
    await server('g-ny', 'America/New_York');
    const day = (n: number, hour = 12) => new Date(Date.UTC(2026, 2, 20 + n, hour));
    for (const n of [-6, -5, -4, -3]) await answer('u-dm', day(n), { guildId: 'g2' }); // 4 days, last 3 days ago: broken
    for (const n of [-2, -1, 0]) await answer('u-dm', day(n, 11), { guildId: 'g-ny' }); // 07:00 in New York: 3 days, alive
    for (const n of [-1]) await answer('u-dm', day(n), { guildId: 'g1' }); // 1 day, alive
    for (const n of [-9, -8, -7, -6, -5, -4, -3, -2, -1, 0]) await answer('u-dm', day(n, 1), { guildId: null }); // a DM: no server
    expect(await mastery.streak('u-dm', now, 'g2')).toBe(0);
    expect(await mastery.streak('u-dm', now, 'g-ny')).toBe(3);
    expect(await mastery.streak('u-dm', now, 'g1')).toBe(1);
    expect(await mastery.streak('u-dm', now, null)).toBe(3);
    expect(await mastery.streak('u-nobody', now, null)).toBe(0);
  });
});

describe('accuracy', () => {
  it('is correct over total since a date; partial is not correct; null when none', async () => {
    await answer('u-acc', new Date(now.getTime() - 10 * DAY), { verdict: 'wrong', score: 0 }); // before the window
    await answer('u-acc', new Date(now.getTime() - 3 * DAY), { verdict: 'correct' });
    await answer('u-acc', new Date(now.getTime() - 2 * DAY), { verdict: 'partial', score: 0.5 });
    await answer('u-acc', new Date(now.getTime() - 1 * DAY), { verdict: 'correct' });
    await answer('u-acc', new Date(now.getTime() - 1 * DAY), { verdict: 'wrong', score: 0, promptId: undefined, drill: { kind: 'auc', seed: 7 }, mode: 'drill' });
    expect(await mastery.accuracy('u-acc', new Date(now.getTime() - 7 * DAY))).toEqual({ correct: 2, total: 4, rate: 0.5 });
    expect(await mastery.accuracy('u-acc', new Date(0))).toEqual({ correct: 2, total: 5, rate: 0.4 });
    expect(await mastery.accuracy('u-acc', now)).toBeNull();
  });
});

describe('guild-restricted views', () => {
  it('counts only what the member did in that server', async () => {
    const t = (h: number) => new Date(now.getTime() - h * HOUR);
    await answer('u-guild', t(50), { guildId: 'g1', promptId: 'a1-root', rating: Rating.Good, verdict: 'correct' });
    await answer('u-guild', t(49), { guildId: 'g2', promptId: 'b1-root', rating: Rating.Again, verdict: 'wrong', score: 0 });
    await answer('u-guild', t(2), { guildId: 'g2', promptId: 'a2-root', rating: Rating.Again, verdict: 'wrong', score: 0 });
    await answer('u-guild', t(1), { guildId: null, promptId: 'a2-f1', rating: Rating.Good, verdict: 'correct' });

    const everywhere = await mastery.topicMastery('u-guild', now);
    expect(everywhere.map((x) => x.seen)).toEqual([3, 1]);
    const inG1 = await mastery.topicMastery('u-guild', now, { guildId: 'g1' });
    expect(inG1.map((x) => [x.seen, x.unseen])).toEqual([[1, 4], [0, 2]]);
    const inG2 = await mastery.topicMastery('u-guild', now, { guildId: 'g2' });
    expect(inG2.map((x) => x.seen)).toEqual([1, 1]);

    const since = new Date(now.getTime() - 7 * DAY);
    expect(await mastery.accuracy('u-guild', since)).toEqual({ correct: 2, total: 4, rate: 0.5 });
    expect(await mastery.accuracy('u-guild', since, { guildId: 'g1' })).toEqual({ correct: 1, total: 1, rate: 1 });
    expect(await mastery.accuracy('u-guild', since, { guildId: 'g3' })).toBeNull();

    // All four cards are due by now (learning steps are minutes); g2's two are the ones answered there.
    expect(await mastery.dueCount('u-guild', now)).toBe(4);
    expect(await mastery.dueCount('u-guild', now, { guildId: 'g2' })).toBe(2);
    expect(await mastery.streak('u-guild', now, 'g1')).toBe(0); // g1 only two days ago
    expect(await mastery.streak('u-guild', now, 'g2')).toBe(1);
    expect(await mastery.streak('u-guild', now, null)).toBe(1); // the answer given in a DM is no server's
  });

  it('does not count cards of prompts gone from the bank as due, in a server’s view either', async () => {
    await putCards('u-guild', [{ promptId: 'gone-prompt', due: new Date(now.getTime() - DAY), reviewedDaysAgo: 3 }]);
    expect(await mastery.dueCount('u-guild', now)).toBe(4);
    expect(await mastery.dueCount('u-guild', now, { guildId: 'g2' })).toBe(2);
    expect((await mastery.topicMastery('u-guild', now)).map((x) => x.seen)).toEqual([3, 1]);
  });
});

describe('chain candidates', () => {
  it('puts unseen and weak chains first, mastered ones last, and filters by topic and level', async () => {
    const review = (promptId: string, stability: number, daysAgo: number): CardSpec => ({
      promptId,
      stability,
      reviewedDaysAgo: daysAgo,
      due: new Date(now.getTime() + DAY),
    });
    await putCards('u-chain', [
      // a1 mastered: every prompt in Review with R >= 0.9.
      review('a1-root', 100, 2),
      review('a1-f1', 50, 1),
      review('a1-f2', 10, 9), // R just above 0.9: still mastered
      // b1 seen but weak.
      review('b1-root', 1, 30),
    ]);
    const all = await mastery.chainCandidates('u-chain', now);
    expect(all.map((c) => [c.chainId, c.seen, c.mastered])).toEqual([
      ['a2', 0, false],
      ['b1', 1, false],
      ['a1', 3, true],
    ]);
    expect(all[0]!.strength).toBe(0);
    expect(all[1]!.strength).toBeCloseTo(handRetrievability(30, 1) / 2, 6);
    expect((await mastery.chainCandidates('u-chain', now, { topic: 'alpha' })).map((c) => c.chainId)).toEqual(['a2', 'a1']);
    expect((await mastery.chainCandidates('u-chain', now, { level: 'L6' })).map((c) => c.chainId)).toEqual(['b1', 'a1']);
    expect((await mastery.chainCandidates('u-chain', now, { topic: 'beta', level: 'L4' })).map((c) => c.chainId)).toEqual([]);
    // Twenty days on, a1-f2 has faded below 0.9: a1 is no longer mastered.
    const later = await mastery.chainCandidates('u-chain', new Date(now.getTime() + 20 * DAY));
    expect(later.find((c) => c.chainId === 'a1')?.mastered).toBe(false);
  });

  it('does not call a chain mastered while a card is still in learning', async () => {
    await putCards('u-chain2', [
      { promptId: 'a2-root', stability: 100, reviewedDaysAgo: 0, due: now },
      { promptId: 'a2-f1', stability: 100, reviewedDaysAgo: 0, due: now, state: State.Learning },
    ]);
    const a2 = (await mastery.chainCandidates('u-chain2', now)).find((c) => c.chainId === 'a2');
    expect(a2).toMatchObject({ seen: 2, mastered: false, strength: 1 });
  });
});
