import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBank } from '../../src/bank/load.js';
import type { DuelService } from '../../src/duel/service.js';
import { DomainError } from '../../src/platform/errors.js';
import { AnswerStore, type RecordOptions } from '../../src/answers/store.js';
import { type AnswerEvent } from '../../src/answers/rules.js';
import { SprintService } from '../../src/sprint/service.js';
import { SprintStore } from '../../src/sprint/store.js';
import { migratedDatabase, type MigratedDatabase } from '../support/app-db.js';
import { duelService, refusal } from '../support/duels.js';
import { roundMessage as duelRoundCard, roundTexts } from '../../src/duel/discord/views.js';
import { questionTexts, roundMessage as sprintRoundCard } from '../../src/sprint/discord/views.js';
import { readable } from '../../src/render/readable.js';

const bank = loadBank();
let db: MigratedDatabase;
let duels: DuelService;
let sprints: SprintService;
/** An answer store whose next write fails, as when the database goes away mid-answer. */
class FailingOnce extends AnswerStore {
  failNext = false;
  private trip() {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('connection lost (simulated)');
    }
  }
  override async record(event: AnswerEvent, options?: RecordOptions) {
    this.trip();
    return super.record(event, options);
  }
}
let store: FailingOnce;
let now = new Date('2026-06-11T10:00:00.000Z');
/** Texts made readable without drawing their formulas (as the publishers do, minus the images). */
function plain(texts: string[]) {
  let n = 1;
  return { texts: texts.map((t) => { const r = readable(t, { firstFormula: n }); n += r.formulas.length; return r.text; }), images: [], files: [] };
}

beforeAll(async () => {
  db = await migratedDatabase('duel_races');
  store = new FailingOnce(db.prisma, bank, () => now);
  duels = duelService(db, { bank, answers: store, clock: () => now });
  sprints = new SprintService(db, new SprintStore(db.prisma), bank, store, () => now);
});
afterAll(async () => db?.drop());

describe('duel and sprint answers', () => {
  // A click that arrives as the timer closes the round used to deadlock in PostgreSQL: the
  // answer's insert held its key and waited for the duel row, the close held the row and waited
  // for the key. The player saw "something went wrong" (CI, 2026-11-27).
  it('a late click racing the timer that closes the round is either stored or refused as over, never an error', async () => {
    const rounds = 20;
    const duel = await duels.challenge({ guildId: 'g', channelId: 'c', challengerId: 'ann', opponent: { id: 'bob', bot: false }, topic: null, level: null, rounds, seconds: 5 });
    await duels.accept(duel.id, 'bob');
    const outcomes: string[] = [];
    for (let round = 0; round < rounds; round++) {
      await duels.answer(duel.id, round, 'ann', 0);
      now = new Date(now.getTime() + 6_000); // past the deadline: bob's click is late
      const [click, close] = await Promise.allSettled([duels.answer(duel.id, round, 'bob', 0), duels.closeRound(duel.id, round)]);
      expect(close.status).toBe('fulfilled');
      expect(close.status === 'fulfilled' && close.value?.duel.round).toBe(round === rounds - 1 ? round : round + 1);
      if (click.status === 'rejected') {
        expect(click.reason).toBeInstanceOf(DomainError);
        expect(await refusal(Promise.reject(click.reason))).toBe('This round is over.');
        outcomes.push('over');
      } else {
        expect(click.value).toMatchObject({ stored: true, late: true, points: 0 });
        outcomes.push('late');
      }
    }
    // Every round has exactly one row per player; bob's is a late answer (option 0) or the blank.
    const rows = await db.prisma.duelAnswer.findMany({ where: { duelId: duel.id, userId: 'bob' }, orderBy: { round: 'asc' } });
    expect(rows.map((r) => r.round)).toEqual(Array.from({ length: rounds }, (_, i) => i));
    expect(rows.every((r) => r.points === 0)).toBe(true);
    expect(rows.map((r) => (r.optionId === null ? 'over' : 'late'))).toEqual(outcomes);
    // Each stored late answer is in the answer store too, once.
    const stored = await db.prisma.answer.count({ where: { userId: 'bob', mode: 'duel' } });
    expect(stored).toBe(outcomes.filter((o) => o === 'late').length);
  });

  it('an answer checked while the round was open but written after the close is refused as over, and stores nothing', async () => {
    const duel = await duels.challenge({ guildId: 'g', channelId: 'c4', challengerId: 'fay', opponent: { id: 'gus', bot: false }, topic: null, level: null, rounds: 2, seconds: 5 });
    await duels.accept(duel.id, 'gus');
    const stale = await duels.get(duel.id); // what the answer read before the close
    now = new Date(now.getTime() + 6_000);
    await duels.closeRound(duel.id, 0); // blanks for both, round 1 starts
    const racing = Object.assign(Object.create(Object.getPrototypeOf(duels)) as DuelService, duels, { get: async () => stale });
    expect(await refusal(racing.answer(duel.id, 0, 'gus', 0))).toBe('This round is over.');
    expect(await db.prisma.answer.count({ where: { userId: 'gus' } })).toBe(0);
    const rows = await db.prisma.duelAnswer.findMany({ where: { duelId: duel.id, round: 0, userId: 'gus' } });
    expect(rows.map((r) => r.optionId)).toEqual([null]);
  });

  // The duel or sprint keeps its own row of each answer and the answer store another; when the
  // second write failed, the retry used to find the first, answer "already answered" and the
  // answer never reached mastery or the leaderboards.
  it('a duel answer whose answer-store write fails is not half stored: the retry stores it in both', async () => {
    const duel = await duels.challenge({ guildId: 'g', channelId: 'c2', challengerId: 'cat', opponent: { id: 'dan', bot: false }, topic: null, level: null, rounds: 1, seconds: 20 });
    await duels.accept(duel.id, 'dan');
    store.failNext = true;
    await expect(duels.answer(duel.id, 0, 'cat', 0)).rejects.toThrow(/connection lost/);
    expect(await db.prisma.duelAnswer.count({ where: { duelId: duel.id } })).toBe(0);
    const retry = await duels.answer(duel.id, 0, 'cat', 0);
    expect(retry.stored).toBe(true);
    expect(await db.prisma.duelAnswer.count({ where: { duelId: duel.id, userId: 'cat' } })).toBe(1);
    expect(await db.prisma.answer.count({ where: { userId: 'cat', mode: 'duel' } })).toBe(1);
    expect(await db.prisma.card.count({ where: { userId: 'cat' } })).toBe(1);
  });

  it('a sprint answer whose answer-store write fails is not half stored: the retry stores it in both', async () => {
    const sprint = await sprints.open({ guildId: 'g', channelId: 'c3', starterId: 'eve', starterName: 'Eve', topic: null, rounds: 1, seconds: 20 });
    await sprints.start(sprint.id, 'eve');
    store.failNext = true;
    await expect(sprints.answer(sprint.id, 0, 'eve', 1)).rejects.toThrow(/connection lost/);
    expect(await db.prisma.sprintAnswer.count({ where: { sprintId: sprint.id } })).toBe(0);
    expect((await sprints.answer(sprint.id, 0, 'eve', 1)).stored).toBe(true);
    expect(await db.prisma.sprintAnswer.count({ where: { sprintId: sprint.id } })).toBe(1);
    expect(await db.prisma.answer.count({ where: { userId: 'eve', mode: 'sprint' } })).toBe(1);
  });

  // A round can be closed by several callers at once (the last answer, the timer's sweep, a
  // second process), and its message edited by whoever closed it and by the poster that stored
  // the message id late: every edit must show the same closed card.
  it('a duel round closed three times at once is closed once, and its closed card is the same whoever draws it, whenever', async () => {
    const duel = await duels.challenge({ guildId: 'g', channelId: 'c5', challengerId: 'hal', opponent: { id: 'ivy', bot: false }, topic: null, level: null, rounds: 2, seconds: 5 });
    await duels.accept(duel.id, 'ivy');
    await duels.answer(duel.id, 0, 'hal', 0);
    await duels.answer(duel.id, 0, 'ivy', 1);
    const closes = await Promise.all([duels.closeRound(duel.id, 0), duels.closeRound(duel.id, 0), duels.closeRound(duel.id, 0)]);
    expect(closes.filter(Boolean)).toHaveLength(1);
    const card = async () => {
      const d = await duels.get(duel.id);
      const closed = (await duels.closedRound(d, 0))!;
      return JSON.stringify(duelRoundCard(d, 0, closed.question, plain(roundTexts(d, 0, closed.question)), closed).components);
    };
    const first = await card();
    expect(first).toContain('"disabled":true');
    expect(await card()).toBe(first);
    await duels.answer(duel.id, 1, 'hal', 1);
    await duels.answer(duel.id, 1, 'ivy', 0);
    await duels.closeRound(duel.id, 1);
    await duels.finish(duel.id);
    expect(await card()).toBe(first);
  });

  it('a sprint question closed three times at once is closed once, and its closed card is the same whoever draws it, whenever', async () => {
    const sprint = await sprints.open({ guildId: 'g', channelId: 'c6', starterId: 'jo', starterName: 'Jo', topic: null, rounds: 2, seconds: 20 });
    await db.prisma.$executeRaw`INSERT INTO sprint_players (sprint_id, user_id, name) VALUES (${sprint.id}::uuid, 'kim', 'Kim')`;
    await sprints.start(sprint.id, 'jo');
    await sprints.answer(sprint.id, 0, 'jo', 0);
    await sprints.answer(sprint.id, 0, 'kim', 1);
    const closes = await Promise.all([sprints.closeRound(sprint.id, 0), sprints.closeRound(sprint.id, 0), sprints.closeRound(sprint.id, 0)]);
    expect(closes.filter(Boolean)).toHaveLength(1);
    const card = async () => {
      const closed = (await sprints.closedRound(await sprints.get(sprint.id), 0))!;
      return JSON.stringify(sprintRoundCard(closed.recap, plain(questionTexts(closed.recap)), closed).components);
    };
    const first = await card();
    expect(first).toContain('2 answers');
    await sprints.answer(sprint.id, 1, 'kim', 0);
    await sprints.closeRound(sprint.id, 1);
    expect(await card()).toBe(first);
    expect(await sprints.closedRound(await sprints.get(sprint.id), 2)).toBeNull();
  });

  // "Already in a duel" and "a sprint is already running" were checked, then created: two
  // requests at the same moment both passed the check.
  it('of five challenges sent to one member at the same moment, exactly one gets through', async () => {
    const results = await Promise.allSettled(
      ['c1', 'c2', 'c3', 'c4', 'c5'].map((challengerId) =>
        duels.challenge({ guildId: 'race', channelId: 'c', challengerId, opponent: { id: 'popular', bot: false }, topic: null, level: null, rounds: 1, seconds: 20 }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((x): x is PromiseRejectedResult => x.status === 'rejected')) expect(await refusal(Promise.reject(r.reason))).toBe('<@popular> is already in a duel here; finish it (or let the challenge expire) first.');
    expect(await db.prisma.duel.count({ where: { guildId: 'race' } })).toBe(1);
  });

  it('of five sprints opened in one channel at the same moment, exactly one opens', async () => {
    const results = await Promise.allSettled(
      ['s1', 's2', 's3', 's4', 's5'].map((starterId) => sprints.open({ guildId: 'g', channelId: 'race-channel', starterId, starterName: starterId, topic: null, rounds: 1, seconds: 20 })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await db.prisma.sprint.count({ where: { channelId: 'race-channel' } })).toBe(1);
  });
});
