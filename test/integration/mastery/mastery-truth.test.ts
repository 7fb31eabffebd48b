/**
 * /mastery tells the truth (issue 13, point 5), on real PostgreSQL with the real bank: minutes
 * after getting 2 of 5 XGBoost questions wrong, XGBoost reads clearly below a topic answered
 * all right and below what it read before the failures; untried topics are not listed but
 * counted; drills count in their topic.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnswerStore } from '../../../src/answers/store.js';
import { ratingFor, type AnswerEvent, type Verdict } from '../../../src/answers/rules.js';
import { loadBank } from '../../../src/bank/load.js';
import { Leaderboards } from '../../../src/leaderboard/service.js';
import { LeaderboardStore } from '../../../src/leaderboard/store.js';
import { masteryView } from '../../../src/mastery/discord/views.js';
import { retrievability } from '../../../src/mastery/rules.js';
import { MasteryService } from '../../../src/mastery/service.js';
import { MasteryStore } from '../../../src/mastery/store.js';
import { migratedDatabase, type MigratedDatabase } from '../../support/app-db.js';

const MIN = 60_000;
const bank = loadBank();
let db: MigratedDatabase;
let clock = new Date('2026-03-20T12:00:00.000Z');
let answers: AnswerStore;
let mastery: MasteryService;
let masteryStore: MasteryStore;

beforeAll(async () => {
  db = await migratedDatabase('mastery_truth');
  answers = new AnswerStore(db.prisma, bank, () => clock);
  masteryStore = new MasteryStore(db.prisma);
  mastery = new MasteryService(db, masteryStore, bank, new Leaderboards(new LeaderboardStore(db.prisma)), () => clock);
});
afterAll(async () => db?.drop());

/** A multiple-choice /chain answer as the practice service records it: rated from its verdict and speed. */
function chainAnswer(userId: string, promptId: string, verdict: Verdict, guildId: string | null = 'g1'): Promise<unknown> {
  const responseMs = 25_000;
  const event: AnswerEvent = {
    event: { id: randomUUID(), step: 0 },
    userId,
    guildId,
    promptId,
    mode: 'chain',
    given: 'x',
    verdict,
    score: verdict === 'correct' ? 1 : 0,
    points: 0,
    responseMs,
    rating: ratingFor(verdict, responseMs),
    at: clock,
  };
  return answers.record(event);
}
function drillAnswer(userId: string, kind: string, verdict: Verdict): Promise<unknown> {
  return answers.record({ event: { id: randomUUID(), step: 0 }, userId, guildId: 'g1', drill: { kind, seed: 7 }, mode: 'drill', given: '1', verdict, score: verdict === 'correct' ? 1 : 0, points: 0, at: clock });
}

const prompts = (topic: string) => bank.topicById.get(topic)!.chains.flatMap((c) => c.prompts.map((p) => p.id));
const topicOf = async (userId: string, topic: string) => (await mastery.topicMastery(userId, clock)).find((t) => t.topic === topic)!;

describe('/mastery after failures', () => {
  it('drops XGBoost clearly after 2 of 5 wrong, below a topic answered all right and below its own score before the failures', async () => {
    const xgb = prompts('xgboost').slice(0, 5);
    const ens = prompts('ensembles').slice(0, 5);
    clock = new Date('2026-03-20T11:30:00.000Z');
    for (const id of xgb.slice(0, 3)) await chainAnswer('u1', id, 'correct');
    for (const id of ens) await chainAnswer('u1', id, 'correct');
    clock = new Date(clock.getTime() + 10 * MIN);
    const before = await topicOf('u1', 'xgboost');
    clock = new Date(clock.getTime() + 10 * MIN);
    for (const id of xgb.slice(3)) await chainAnswer('u1', id, 'wrong');
    clock = new Date(clock.getTime() + 5 * MIN); // minutes after the failures

    const after = await topicOf('u1', 'xgboost');
    const allRight = await topicOf('u1', 'ensembles');
    expect(after).toMatchObject({ seen: 5, lastWrong: 2, started: true });
    expect(allRight).toMatchObject({ seen: 5, lastWrong: 0 });
    // The old measure (recall now) read ~100 % for both: it cannot tell them apart.
    const cards = await masteryStore.masteryCards('u1');
    const xgbCards = cards.filter((c) => xgb.includes(c.promptId));
    expect(Math.min(...xgbCards.map((c) => retrievability(c, clock)))).toBeGreaterThan(0.99);
    // The new one does, clearly: 3 of 5 known, each ~80 % a week ahead.
    expect(allRight.mastery).toBeGreaterThan(0.75);
    expect(after.mastery).toBeLessThan(allRight.mastery - 0.25);
    expect(after.mastery).toBeLessThan(before.mastery - 0.25);
    expect(after.mastery).toBeCloseTo((3 / 5) * allRight.mastery, 2);
    expect(before.mastery).toBeCloseTo(allRight.mastery, 2);

    // Answering a failed question right again brings the topic back up.
    await chainAnswer('u1', xgb[3]!, 'correct');
    clock = new Date(clock.getTime() + MIN);
    expect((await topicOf('u1', 'xgboost')).mastery).toBeGreaterThan(after.mastery + 0.05);
  });

  it('counts drills in their topic, lists only started topics and counts the others', async () => {
    clock = new Date('2026-03-21T09:00:00.000Z');
    await chainAnswer('u2', prompts('xgboost')[0]!, 'correct');
    await drillAnswer('u2', 'xgb-split-gain', 'correct');
    await drillAnswer('u2', 'xgb-split-gain', 'wrong');
    // A topic started by drills only.
    for (const v of ['correct', 'correct', 'wrong', 'correct', 'correct', 'correct', 'wrong'] as const) await drillAnswer('u2', 'auc-ties', v);
    clock = new Date(clock.getTime() + MIN);
    const topics = await mastery.topicMastery('u2', clock);
    const xgb = topics.find((t) => t.topic === 'xgboost')!;
    const roc = topics.find((t) => t.topic === 'roc-auc')!;
    expect(xgb).toMatchObject({ seen: 1, drills: 2, drillKinds: 1, started: true });
    // One question (~80 % a week ahead) and one drill kind at 1/2: their mean.
    const [card] = (await masteryStore.masteryCards('u2')).filter((c) => c.promptId === prompts('xgboost')[0]);
    expect(xgb.mastery).toBeCloseTo((retrievability(card!, new Date(clock.getTime() + 7 * 86_400_000)) + 0.5) / 2, 6);
    // Only the last 5 answers of a kind count, newest first: wrong, correct, correct, correct, wrong → 3/5.
    expect(roc).toMatchObject({ seen: 0, drills: 5, drillKinds: 1, started: true });
    expect(roc.mastery).toBeCloseTo(3 / 5, 6);
    expect(topics.filter((t) => t.started).map((t) => t.topic).sort()).toEqual(['roc-auc', 'xgboost']);

    const view = masteryView({ topics, due: 0, streak: 1, accuracy: null }, { name: 'Your', self: true, topicTitle: null, timeZone: 'UTC' });
    expect(view.spec.topics.map((t) => t.name)).toEqual(topics.filter((t) => t.started).map((t) => t.title));
    expect(view.spec.topics.every((t) => t.mastery > 0)).toBe(true);
    expect(view.spec.notStarted).toBe(bank.topics.length - 2);
    expect(view.spec.topics.find((t) => t.name === xgb.title)?.detail).toBe(`1 of ${xgb.seen + xgb.unseen} questions · 2 drills`);
    expect(view.text).toMatch(new RegExp(`^Your mastery: 2 topics started, ${bank.topics.length - 2} not started · 1 question seen · 7 drills counted`));
  });

  it('for someone else, counts only what they did in this server', async () => {
    clock = new Date('2026-03-22T09:00:00.000Z');
    const [a, b] = prompts('xgboost');
    await chainAnswer('u3', a!, 'correct', 'g-here');
    await chainAnswer('u3', b!, 'wrong', 'g-elsewhere');
    clock = new Date(clock.getTime() + MIN);
    const here = (await mastery.topicMastery('u3', clock, { guildId: 'g-here' })).find((t) => t.topic === 'xgboost')!;
    const everywhere = await topicOf('u3', 'xgboost');
    expect(here).toMatchObject({ seen: 1, lastWrong: 0 });
    expect(everywhere).toMatchObject({ seen: 2, lastWrong: 1 });
    expect(here.mastery).toBeGreaterThan(everywhere.mastery);
  });
});
