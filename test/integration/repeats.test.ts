/**
 * Choice with history, against real PostgreSQL: a brand-new member's first /chain opens at L4,
 * and /chain, duels and sprints avoid prompts the member (or the players) answered in the last
 * 7 days unless the pool is exhausted. Answers go through the real services, as members give them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnswerStore } from '../../src/answers/store.js';
import { loadBank } from '../../src/bank/load.js';
import type { DuelService } from '../../src/duel/service.js';
import { Leaderboards } from '../../src/leaderboard/service.js';
import { LeaderboardStore } from '../../src/leaderboard/store.js';
import { MasteryService } from '../../src/mastery/service.js';
import { MasteryStore } from '../../src/mastery/store.js';
import { historyWindow } from '../../src/drop/rules.js';
import { DropStore } from '../../src/drop/store.js';
import { PracticeService } from '../../src/practice/service.js';
import { PracticeStore } from '../../src/practice/store.js';
import type { Session } from '../../src/practice/types.js';
import { SprintService } from '../../src/sprint/service.js';
import { SprintStore } from '../../src/sprint/store.js';
import { migratedDatabase, type MigratedDatabase } from '../support/app-db.js';
import { duelService } from '../support/duels.js';

const DAY = 86_400_000;
const bank = loadBank();
let db: MigratedDatabase;
let answers: AnswerStore;
let practice: PracticeService;
let duels: DuelService;
let sprints: SprintService;
let now = new Date('2026-06-10T10:00:00.000Z');
const clock = () => now;
const tick = (ms = 2_000) => (now = new Date(now.getTime() + ms));
const where = (userId: string) => ({ userId, guildId: 'g', channelId: 'practice-room' });

beforeAll(async () => {
  db = await migratedDatabase('repeats');
  answers = new AnswerStore(db.prisma, bank, clock);
  const mastery = new MasteryService(db, new MasteryStore(db.prisma), bank, new Leaderboards(new LeaderboardStore(db.prisma)), clock);
  practice = new PracticeService(new PracticeStore(db.prisma), bank, answers, mastery, clock);
  duels = duelService(db, { bank, answers, clock });
  sprints = new SprintService(db, new SprintStore(db.prisma), bank, answers, clock);
});
afterAll(async () => db?.drop());

/** Answers the steps of a chain session (the first option, or the right one), as a member clicking through. */
async function playThrough(session: Session, opts: { right?: boolean; steps?: number } = {}): Promise<void> {
  let s = session;
  for (let i = 0; i < Math.min(s.queue.length, opts.steps ?? Infinity); i++) {
    tick();
    const option = opts.right ? (await practice.step(s, i)).options.find((o) => o.correct)!.id : 0;
    await practice.answerChoice(s, i, option);
    tick();
    s = (await practice.next(s, i)).session;
  }
}

const chainOf = (s: Session) => bank.promptById.get(s.queue[0]!)!.chainId;
const rootLevel = (s: Session) => bank.promptById.get(s.queue[0]!)!.level;

describe('newcomers start at L4', () => {
  it('a member with no answers gets an L4 root on their first /chain, every time, whatever the filter', async () => {
    // 11 of the bank's 80 chains open at L5: before this rule, about one newcomer in seven got one.
    expect(bank.chains.filter((c) => c.prompts[0]!.level === 'L5').length).toBeGreaterThan(5);
    for (let i = 0; i < 40; i++) {
      const s = await practice.startChain(where(`newcomer-${i}`), i % 2 ? {} : { level: 'L6' });
      expect(rootLevel(s), `newcomer-${i}`).toBe('L4');
    }
    // In a topic with both kinds of roots, always the L4 one.
    for (let i = 0; i < 10; i++) expect(chainOf(await practice.startChain(where(`topic-newcomer-${i}`), { topic: 'distillation' }))).toBe('distill-kd-basics');
  });
  // (No topic and level of the real bank leave only L5 roots; the unit tests cover that fallback.)
});

describe('/chain avoids chains answered in the last 7 days', () => {
  it('offers the other chain of a topic after one was answered, then falls back when both were', async () => {
    const ann = where('ann');
    const first = await practice.startChain(ann, { topic: 'distillation' });
    expect(chainOf(first)).toBe('distill-kd-basics'); // a newcomer: the L4 root
    await playThrough(first);
    // Ann is no newcomer now, and distill-kd-basics was answered today: the other chain, every time.
    for (let i = 0; i < 8; i++) expect(chainOf(await practice.startChain(ann, { topic: 'distillation' }))).toBe('distill-practice');
    await playThrough(await practice.startChain(ann, { topic: 'distillation' }));
    // Both answered in the last 7 days: the pool is exhausted, so one of them all the same.
    expect(['distill-kd-basics', 'distill-practice']).toContain(chainOf(await practice.startChain(ann, { topic: 'distillation' })));
  });

  it('a chain left half-way today comes after one finished 10 days ago, though it is weaker', async () => {
    const kim = where('kim');
    const today = now;
    now = new Date(today.getTime() - 10 * DAY);
    const old = await practice.startChain(kim, { topic: 'distillation' });
    await playThrough(old, { right: true });
    now = today;
    const fresh = await practice.startChain(kim, { topic: 'distillation' });
    expect(chainOf(fresh)).not.toBe(chainOf(old));
    await playThrough(fresh, { right: true, steps: 1 });
    // The chain answered today is the weaker one (one prompt of four recalled, the others
    // unseen) but was answered today; the one finished 10 days ago comes first.
    for (let i = 0; i < 5; i++) expect(chainOf(await practice.startChain(kim, { topic: 'distillation' }))).toBe(chainOf(old));
  });

  it('forgets after 7 days: what was answered 8 days ago is no repeat', async () => {
    const since = new Date(now.getTime() - 7 * DAY);
    expect((await answers.promptsSeenBy(['ann'], since)).has('distill-t-squared')).toBe(true);
    expect((await answers.promptsSeenBy(['ann'], new Date(now.getTime() + 1))).size).toBe(0);
    expect(await answers.hasAnsweredPrompts('ann')).toBe(true);
    expect(await answers.hasAnsweredPrompts('nobody')).toBe(false);
  });
});

describe('duels avoid what either duelist answered in the last 7 days', () => {
  const base = { guildId: 'g', channelId: 'arena', topic: 'distillation', level: 'L6', seconds: 30 };
  // distillation's L6 prompts: distill-t-squared (in distill-kd-basics), distill-feature and
  // distill-deployment-pipeline (in distill-practice).
  const l6 = bank.prompts.filter((p) => p.topic === 'distillation' && p.level === 'L6').map((p) => p.id);
  const others = l6.filter((id) => id !== 'distill-t-squared');

  it('never asks the L6 question the challenger just did in /chain (the case of issue 13)', async () => {
    const chain = await practice.startChain(where('cat'), { topic: 'distillation' });
    expect(chainOf(chain)).toBe('distill-kd-basics');
    await playThrough(chain);
    for (let i = 0; i < 5; i++) {
      const duel = await duels.challenge({ ...base, challengerId: 'cat', opponent: { id: 'gil', bot: false }, rounds: 2 });
      expect(new Set(duel.questions), `try ${i}`).toEqual(new Set(others));
      await duels.decline(duel.id, 'gil');
    }
  });

  it("the opponent's history counts the same", async () => {
    await playThrough(await practice.startChain(where('dan'), { topic: 'distillation' }));
    for (let i = 0; i < 5; i++) {
      const duel = await duels.challenge({ ...base, challengerId: 'gil', opponent: { id: 'dan', bot: false }, rounds: 2 });
      expect(new Set(duel.questions), `try ${i}`).toEqual(new Set(others));
      await duels.decline(duel.id, 'dan');
    }
  });

  it('falls back to seen prompts when the pool is exhausted, the seen one last', async () => {
    // eve saw distill-t-squared; frank saw nothing: a 3-round L6 duel needs all three prompts.
    await playThrough(await practice.startChain(where('eve'), { topic: 'distillation' }));
    for (let i = 0; i < 5; i++) {
      const duel = await duels.challenge({ ...base, challengerId: 'eve', opponent: { id: 'frank', bot: false }, rounds: 3 });
      expect(new Set(duel.questions)).toEqual(new Set(l6));
      expect(duel.questions[2]).toBe('distill-t-squared');
      await duels.decline(duel.id, 'frank');
    }
  });
});

describe('sprints avoid what their players answered in the last 7 days', () => {
  const kdBasics = bank.chainById.get('distill-kd-basics')!.prompts.map((p) => p.id);
  const practiceChain = bank.chainById.get('distill-practice')!.prompts.map((p) => p.id);

  it("avoids the starter's prompts when it opens, and the players' when it starts", async () => {
    // gus did distill-kd-basics (a newcomer's chain); the topic has 8 prompts, 4 in each chain.
    await playThrough(await practice.startChain(where('gus'), { topic: 'distillation' }));
    const alone = await sprints.open({ guildId: 'g', channelId: 'sprint-a', starterId: 'gus', starterName: 'Gus', topic: 'distillation', rounds: 4, seconds: 20 });
    expect(new Set(alone.questions)).toEqual(new Set(practiceChain));
    await sprints.start(alone.id, 'gus');
    expect(new Set((await sprints.get(alone.id)).questions)).toEqual(new Set(practiceChain));
    // ivy (no history) opens; gus joins in the lobby: the questions are drawn again at the
    // start, for both of them, so gus's four are left out.
    for (const channelId of ['sprint-b', 'sprint-c', 'sprint-d']) {
      const lobby = await sprints.open({ guildId: 'g', channelId, starterId: 'ivy', starterName: 'Ivy', topic: 'distillation', rounds: 4, seconds: 20 });
      await sprints.join(lobby.id, 'gus', 'Gus');
      const round = await sprints.start(lobby.id, null);
      expect(round?.round).toBe(0);
      const started = await sprints.get(lobby.id);
      expect(started.status).toBe('active');
      expect(new Set(started.questions), channelId).toEqual(new Set(practiceChain));
      expect(started.questions.some((q) => kdBasics.includes(q))).toBe(false);
    }
  });
});

describe('what a channel saw (drops, and sprints before anyone joins)', () => {
  it("reads the prompts answered in a channel in the last 7 days, in any mode, for the drop's choice", async () => {
    const room = { userId: 'lea', guildId: 'g', channelId: 'study-hall' };
    const s = await practice.startChain(room, { topic: 'quantisation' });
    await playThrough(s);
    const history = await new DropStore(db.prisma).channelHistory('study-hall', historyWindow(now));
    expect([...history.seenPrompts].sort()).toEqual([...s.queue].sort());
    const counted = await answers.promptsSeenInChannel({ guildId: 'g', channelId: 'study-hall' }, new Date(now.getTime() - 7 * DAY));
    expect([...counted.keys()].sort()).toEqual([...s.queue].sort());
    expect([...counted.values()].every((n) => n === 1)).toBe(true);
    // Eight days later none of it counts.
    const later = historyWindow(new Date(now.getTime() + 8 * DAY));
    expect((await new DropStore(db.prisma).channelHistory('study-hall', later)).seenPrompts.size).toBe(0);
  });
});
