import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmptyCard, fsrs, generatorParameters, Rating, State, type Card as FsrsCard, type Grade } from 'ts-fsrs';
import { normalizeSeed } from '../../src/drills/random.js';
import { DomainError } from '../../src/platform/errors.js';
import { AnswerStore } from '../../src/answers/store.js';
import { GIVEN_MAX_CHARS, type AnswerEvent } from '../../src/answers/rules.js';
import { migratedDatabase, type MigratedDatabase } from '../support/app-db.js';
import { testBank } from './mastery/bank-fixture.js';
import { serverReachable } from '../support/database.js';

const sharedServer = await serverReachable();

const MIN = 60_000;
const DAY = 86_400_000;
let db: MigratedDatabase;
let store: AnswerStore;
let now = new Date('2026-03-01T12:00:00.000Z');
const bank = testBank();
// An independent scheduler with the same parameters: the expected results are ts-fsrs's own.
const reference = fsrs(generatorParameters({ enable_fuzz: false }));

beforeAll(async () => {
  db = await migratedDatabase('mastery_store');
  store = new AnswerStore(db.prisma, bank, () => now);
});
afterAll(async () => db?.drop());

let keys = 0;
function event(userId: string, patch: Partial<AnswerEvent> = {}): AnswerEvent {
  return {
    event: { id: randomUUID(), step: 0 },
    userId,
    guildId: 'g1',
    channelId: 'c1',
    promptId: 'a1-root',
    mode: 'chain',
    given: 'right',
    verdict: 'correct',
    score: 1,
    points: 10,
    responseMs: 4_000,
    rating: Rating.Good,
    ...patch,
  };
}
const card = (userId: string, promptId: string) => db.prisma.card.findUnique({ where: { userId_promptId: { userId, promptId } } });
const answerCount = (userId: string) => db.prisma.answer.count({ where: { userId } });

describe('idempotency', () => {
  it('stores an event recorded twice in a row once, and reviews the card once', async () => {
    const e = event('u-seq');
    const first = await store.record(e);
    const second = await store.record(e);
    expect(first.stored).toBe(true);
    expect(typeof first.answerId).toBe('bigint');
    expect(second).toEqual({ stored: false, answerId: null });
    expect(await answerCount('u-seq')).toBe(1);
    expect((await card('u-seq', 'a1-root'))?.reps).toBe(1);
  });

  it('keys a shared event by member: each member answers a drop step once, found by its event columns', async () => {
    const drop = { id: randomUUID(), step: 3 };
    for (const userId of ['u-ev-a', 'u-ev-b', 'u-ev-a']) await store.record(event(userId, { mode: 'drop', event: drop }));
    const rows = await db.prisma.answer.findMany({ where: { eventId: drop.id, eventStep: 3 }, select: { userId: true, eventKey: true }, orderBy: { userId: 'asc' } });
    expect(rows).toEqual([
      { userId: 'u-ev-a', eventKey: `drop:${drop.id}:3:u-ev-a` },
      { userId: 'u-ev-b', eventKey: `drop:${drop.id}:3:u-ev-b` },
    ]);
  });

  it('stores 10 concurrent deliveries of one event once (unique index), card updated once', async () => {
    const e = event('u-conc', { mode: 'drop', event: { id: randomUUID(), step: 0 } });
    const results = await Promise.all(Array.from({ length: 10 }, () => store.record({ ...e })));
    expect(results.filter((r) => r.stored)).toHaveLength(1);
    expect(results.filter((r) => !r.stored).every((r) => r.answerId === null && r.card === undefined)).toBe(true);
    expect(await answerCount('u-conc')).toBe(1);
    const c = await card('u-conc', 'a1-root');
    expect(c?.reps).toBe(1);
    expect(c?.state).toBe(State.Learning);
  });

  it('applies concurrent different answers to one card one after the other (no lost update)', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => store.record(event('u-race'))));
    expect(results.every((r) => r.stored)).toBe(true);
    expect(await answerCount('u-race')).toBe(8);
    expect((await card('u-race', 'a1-root'))?.reps).toBe(8);
  });

  /** Runs `record` while another transaction has reviewed the card (bumped reps) and holds its row lock. */
  async function againstConcurrentReviewer(userId: string, promptId: string, record: () => Promise<unknown>) {
    const other = new pg.Client({ connectionString: db.url });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query('UPDATE cards SET reps = reps + 1 WHERE user_id = $1 AND prompt_id = $2', [userId, promptId]);
      const pending = record();
      // Commit only once the store's write waits for the row lock (it read the card before the bump).
      for (let i = 0; i < 400; i++) {
        const { rows } = await other.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
        if (rows[0].n > 0) break;
        await new Promise((r) => setTimeout(r, 25));
      }
      await other.query('COMMIT');
      return await pending;
    } finally {
      await other.end();
    }
  }

  // Needs two PostgreSQL sessions; the embedded database serves every connection from one.
  it.skipIf(!sharedServer)('falls back to the locking path when another review changes the card between read and write', async () => {
    await store.record(event('u-lost', { at: new Date('2026-03-01T00:00:00.000Z') }));
    const before = store.stats.contended;
    const result = await againstConcurrentReviewer('u-lost', 'a1-root', () => store.record(event('u-lost', { at: new Date('2026-03-02T00:00:00.000Z') })));
    expect(result).toMatchObject({ stored: true });
    expect(store.stats.contended).toBe(before + 1);
    expect(await answerCount('u-lost')).toBe(2);
    expect((await card('u-lost', 'a1-root'))?.reps).toBe(3); // 1, the other reviewer's bump, then ours
  });

  // Needs two PostgreSQL sessions; the embedded database serves every connection from one.
  it.skipIf(!sharedServer)('applies the concept rule on the locking path too', async () => {
    const t0 = new Date('2026-03-01T00:00:00.000Z');
    await store.record(event('u-lost2', { at: t0, promptId: 'a1-root', rating: Rating.Easy }));
    await store.record(event('u-lost2', { at: t0, promptId: 'a1-f1', rating: Rating.Good }));
    const at = new Date(t0.getTime() + 60 * MIN);
    const before = store.stats.contended;
    await againstConcurrentReviewer('u-lost2', 'a1-f1', () => store.record(event('u-lost2', { at, promptId: 'a1-f1', verdict: 'wrong', score: 0, rating: Rating.Again })));
    expect(store.stats.contended).toBe(before + 1);
    expect((await card('u-lost2', 'a1-root'))?.due.toISOString()).toBe(at.toISOString());
    expect((await card('u-lost2', 'a1-f1'))?.reps).toBe(3);
  });

  it('stores an unrated drill answer once, keeping an unsigned seed and no rating', async () => {
    const e = event('u-drill', { promptId: undefined, drill: { kind: 'auc', seed: 4_000_000_000 }, mode: 'drill', rating: Rating.Good });
    expect((await store.record(e)).stored).toBe(true);
    expect((await store.record(e)).stored).toBe(false);
    const rows = await db.prisma.answer.findMany({ where: { userId: 'u-drill' } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ drillKind: 'auc', promptId: null, topic: null, rating: null, mode: 'drill' });
    expect(normalizeSeed(rows[0]!.drillSeed!)).toBe(4_000_000_000);
    expect(await db.prisma.card.count({ where: { userId: 'u-drill' } })).toBe(0);
  });

  it('stores an unrated prompt answer without creating a card', async () => {
    const r = await store.record(event('u-unrated', { rating: null, mode: 'sprint', points: 1500 }));
    expect(r.stored).toBe(true);
    expect(r.card).toBeUndefined();
    expect(await card('u-unrated', 'a1-root')).toBeNull();
    expect((await db.prisma.answer.findFirstOrThrow({ where: { userId: 'u-unrated' } })).topic).toBe('alpha');
  });
});

describe('FSRS scheduling (ts-fsrs, no fuzz)', () => {
  it('Good on a new card schedules it in the future, as ts-fsrs does', async () => {
    const at = new Date('2026-03-02T09:00:00.000Z');
    const r = await store.record(event('u-good', { at }));
    const expected = reference.next(createEmptyCard(at), at, Rating.Good).card;
    expect(r.card?.due.getTime()).toBe(expected.due.getTime());
    expect(r.card?.due.getTime()).toBeGreaterThan(at.getTime());
    expect(r.card?.state).toBe(State.Learning);
    const row = await card('u-good', 'a1-root');
    expect(row).toMatchObject({ stability: expected.stability, difficulty: expected.difficulty, reps: 1, lapses: 0, state: State.Learning, topic: 'alpha' });
    expect(row?.lastReview?.getTime()).toBe(at.getTime());
  });

  it('Again keeps a card due within minutes', async () => {
    const at = new Date('2026-03-02T09:00:00.000Z');
    const r = await store.record(event('u-again', { at, verdict: 'wrong', score: 0, rating: Rating.Again }));
    expect(r.card!.due.getTime() - at.getTime()).toBeLessThanOrEqual(10 * MIN);
    expect(r.card!.due.getTime()).toBe(reference.next(createEmptyCard(at), at, Rating.Again).card.due.getTime());
  });

  it('follows ts-fsrs over a sequence of reviews on different days', async () => {
    const grades: Grade[] = [Rating.Good, Rating.Good, Rating.Hard, Rating.Again, Rating.Good, Rating.Easy];
    let ref: FsrsCard = createEmptyCard(new Date('2026-04-01T08:00:00.000Z'));
    let at = new Date('2026-04-01T08:00:00.000Z');
    for (const g of grades) {
      ref = reference.next(ref, at, g).card;
      const r = await store.record(event('u-seqfsrs', { at, rating: g }));
      expect(r.card).toEqual({ due: ref.due, state: ref.state });
      at = new Date(Math.max(ref.due.getTime(), at.getTime() + DAY));
    }
    const row = await card('u-seqfsrs', 'a1-root');
    expect(row).toMatchObject({ reps: ref.reps, lapses: ref.lapses, state: ref.state, scheduledDays: ref.scheduled_days });
    expect(row!.stability).toBeCloseTo(ref.stability, 10);
    expect(row!.due.getTime()).toBeGreaterThan(at.getTime() - DAY);
  });

  it('uses the injected clock when the event has no time', async () => {
    now = new Date('2026-05-05T05:05:05.000Z');
    await store.record(event('u-clock', { at: undefined }));
    expect((await db.prisma.answer.findFirstOrThrow({ where: { userId: 'u-clock' } })).answeredAt.toISOString()).toBe('2026-05-05T05:05:05.000Z');
    expect((await card('u-clock', 'a1-root'))?.lastReview?.toISOString()).toBe('2026-05-05T05:05:05.000Z');
  });

  it('schedules a late, out-of-order answer from the last review instead of failing', async () => {
    const at = new Date('2026-06-10T10:00:00.000Z');
    await store.record(event('u-late', { at }));
    const r = await store.record(event('u-late', { at: new Date(at.getTime() - DAY) }));
    expect(r.stored).toBe(true);
    expect((await card('u-late', 'a1-root'))?.reps).toBe(2);
  });
});

describe('concept rule', () => {
  const t0 = new Date('2026-07-01T10:00:00.000Z');
  async function learnRoot(userId: string): Promise<Date> {
    await store.record(event(userId, { at: t0, promptId: 'a1-root', rating: Rating.Easy }));
    const due = (await card(userId, 'a1-root'))!.due;
    expect(due.getTime()).toBeGreaterThan(t0.getTime() + DAY);
    return due;
  }

  it('a follow-up rated Again brings the chain root due now', async () => {
    await learnRoot('u-concept');
    const at = new Date(t0.getTime() + 2 * 60 * MIN);
    await store.record(event('u-concept', { at, promptId: 'a1-f2', verdict: 'wrong', score: 0, rating: Rating.Again }));
    expect((await card('u-concept', 'a1-root'))?.due.toISOString()).toBe(at.toISOString());
    // Only the due date moves: the root's memory state is the one its own reviews gave it.
    expect((await card('u-concept', 'a1-root'))?.reps).toBe(1);
  });

  it('leaves the root alone for other ratings, other chains, and a root already due earlier', async () => {
    const due = await learnRoot('u-concept2');
    const at = new Date(t0.getTime() + 60 * MIN);
    await store.record(event('u-concept2', { at, promptId: 'a1-f1', verdict: 'partial', score: 0.5, rating: Rating.Hard }));
    await store.record(event('u-concept2', { at, promptId: 'a2-f1', verdict: 'wrong', score: 0, rating: Rating.Again }));
    expect((await card('u-concept2', 'a1-root'))?.due.getTime()).toBe(due.getTime());
    // Due earlier than the failure: kept (min(due, now)).
    const later = new Date(due.getTime() + DAY);
    await store.record(event('u-concept2', { at: later, promptId: 'a1-f1', verdict: 'wrong', score: 0, rating: Rating.Again }));
    expect((await card('u-concept2', 'a1-root'))?.due.getTime()).toBe(due.getTime());
  });

  it('creates no root card when the member never answered the root', async () => {
    await store.record(event('u-concept3', { promptId: 'b1-f1', verdict: 'wrong', score: 0, rating: Rating.Again }));
    expect(await card('u-concept3', 'b1-root')).toBeNull();
  });

  it('does not apply twice for a replayed follow-up event', async () => {
    await learnRoot('u-concept4');
    const e = event('u-concept4', { at: new Date(t0.getTime() + MIN), promptId: 'a1-f1', verdict: 'wrong', score: 0, rating: Rating.Again });
    await store.record(e);
    // Review the root again so it is not due, then replay the failure: nothing may change.
    await store.record(event('u-concept4', { at: new Date(t0.getTime() + 2 * MIN), promptId: 'a1-root', rating: Rating.Easy }));
    const before = await card('u-concept4', 'a1-root');
    expect((await store.record(e)).stored).toBe(false);
    expect(await card('u-concept4', 'a1-root')).toEqual(before);
  });
});

describe('input', () => {
  it('caps what was given at 2,000 characters and drops NUL', async () => {
    await store.record(event('u-long', { given: `a\u0000b${'é'.repeat(3_000)}` }));
    const row = await db.prisma.answer.findFirstOrThrow({ where: { userId: 'u-long' } });
    expect(Array.from(row.given)).toHaveLength(GIVEN_MAX_CHARS);
    expect(row.given.startsWith('abé')).toBe(true);
  });

  it('keeps a response time from a session left open for weeks within its column', async () => {
    expect((await store.record(event('u-slow', { responseMs: 40 * DAY, rating: null }))).stored).toBe(true);
    expect((await db.prisma.answer.findFirstOrThrow({ where: { userId: 'u-slow' } })).responseMs).toBe(2_147_483_647);
  });

  it('refuses a prompt the bank no longer has with a user-facing error, storing nothing', async () => {
    await expect(store.record(event('u-gone', { promptId: 'removed-prompt' }))).rejects.toMatchObject(new DomainError('answers.prompt-gone', {}, 'not-found'));
    expect(await answerCount('u-gone')).toBe(0);
  });

  it('rejects malformed events', async () => {
    await expect(store.record(event('u-bad', { score: 1.5 }))).rejects.toThrow(/score/);
    await expect(store.record(event('u-bad', { rating: 5 as Grade }))).rejects.toThrow(/rating/);
    await expect(store.record(event('u-bad', { drill: { kind: 'auc', seed: 1 } }))).rejects.toThrow(/exactly one/);
    await expect(store.record(event('u-bad', { event: { id: 'drop-1', step: 0 } }))).rejects.toThrow(/event\.id/);
    await expect(store.record(event('u-bad', { event: { id: randomUUID(), step: -1 } }))).rejects.toThrow(/event\.step/);
    expect(await answerCount('u-bad')).toBe(0);
  });
});
