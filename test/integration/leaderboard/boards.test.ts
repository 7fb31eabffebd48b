import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIN_ACCURACY_ANSWERS } from '../../../src/leaderboard/rules.js';
import { AnswerStore } from '../../../src/answers/store.js';
import { migratedDatabase, type MigratedDatabase } from '../../support/app-db.js';
import { testBank } from '../mastery/bank-fixture.js';
import { answer, dualReader, guildInZone, leaderboards, table } from './support.js';

let db: MigratedDatabase;
let read: ReturnType<typeof dualReader>;

const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';
/** Wednesday 2026-06-10, 12:00 in Berlin (CEST, UTC+2), 06:00 in New York (EDT, UTC-4). */
const now = new Date('2026-06-10T10:00:00.000Z');

const G = 'g-berlin';
const ACC = 'g-acc'; // no settings: UTC
const STREAK = 'g-ny';

beforeAll(async () => {
  db = await migratedDatabase('leaderboard_boards');
  read = dualReader(db.prisma);
  const p = db.prisma;
  await guildInZone(p, G, BERLIN);
  await guildInZone(p, STREAK, NEW_YORK);

  // Points, Berlin. In time order, as answers arrive.
  await answer(p, G, 'c01', '2026-05-20T12:00:00Z', 10_000); // May: all time only
  await answer(p, G, 'zz-caller', '2026-06-01T10:00:00Z', 3_000); // this month, last week
  await answer(p, G, 'b01', '2026-06-07T21:30:00Z', 5_000); // Sunday 23:30 Berlin: last week
  await answer(p, G, 'a01', '2026-06-07T22:30:00Z', 900); // Monday 00:30 Berlin (Sunday 22:30 UTC): this week
  await answer(p, G, 'a02', '2026-06-08T08:00:00Z', 400);
  for (const [i, id] of ['a04', 'a05', 'a06', 'a07', 'a08', 'a09', 'a10'].entries()) await answer(p, G, id, '2026-06-09T12:00:00Z', 700 - 100 * i);
  await answer(p, G, 'a11', '2026-06-09T12:00:00Z', 100); // ties a10 for 10th place
  await answer(p, G, 'a12', '2026-06-09T13:00:00Z', 0, { correct: 0 }); // answered, no points
  await answer(p, G, 'a02', '2026-06-09T08:00:00Z', 400);
  await answer(p, G, 'zz-caller', '2026-06-10T08:00:00Z', 50);
  await answer(p, G, 'a03', '2026-06-10T09:00:00Z', 800); // ties a02
  await answer(p, 'g-other', 'a01', '2026-06-09T12:00:00Z', 20_000); // another server

  // Accuracy, UTC.
  await answer(p, ACC, 'p7', '2026-05-15T12:00:00Z', 10, { n: 30 }); // May: 30/30
  await answer(p, ACC, 'p6', '2026-06-03T12:00:00Z', 10, { n: 20 }); // last week: 20/20
  await answer(p, ACC, 'p1', '2026-06-09T10:00:00Z', 10, { n: 20, correct: 18 });
  await answer(p, ACC, 'p2', '2026-06-09T10:00:00Z', 10, { n: 40, correct: 36 });
  await answer(p, ACC, 'p3', '2026-06-09T10:00:00Z', 10, { n: MIN_ACCURACY_ANSWERS - 1 });
  await answer(p, ACC, 'p4', '2026-06-09T10:00:00Z', 10, { n: 25, correct: 20 });
  await answer(p, ACC, 'p5', '2026-06-09T10:00:00Z', 10, { n: 30, correct: 15 });
  await answer(p, ACC, 'p6', '2026-06-09T11:00:00Z', 0, { n: 1, correct: 0 }); // this week: 0/1

  // Streaks, New York: one answer at noon on each listed local day.
  const noonNY = (day: number) => `2026-06-${String(day).padStart(2, '0')}T16:00:00Z`;
  const days = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
  const plan: [string, number[]][] = [
    ['s1', days(5, 10)],
    ['s2', days(1, 9)],
    ['s3', days(1, 8)], // last active 2 days ago: broken
    ['s6', days(5, 10)],
    ['s7', days(5, 10)],
    ...Array.from({ length: 10 }, (_, i): [string, number[]] => [`t${String(i + 1).padStart(2, '0')}`, [9, 10]]),
    ['c1', [10]],
  ];
  const events = plan.flatMap(([user, ds]) => ds.map((d) => ({ user, at: noonNY(d) })));
  // s4: 2026-06-09T02:00Z is June 8 in New York, 2026-06-10T03:00Z is June 9: two days, alive (yesterday).
  events.push({ user: 's4', at: '2026-06-09T02:00:00Z' }, { user: 's4', at: '2026-06-10T03:00:00Z' });
  // s5: June 7 and June 9 in New York (June 8 and 9 in UTC): a run of 1.
  events.push({ user: 's5', at: '2026-06-08T02:00:00Z' }, { user: 's5', at: '2026-06-09T16:00:00Z' });
  events.sort((a, b) => a.at.localeCompare(b.at));
  for (const e of events) await answer(p, STREAK, e.user, e.at, 10);
});
afterAll(async () => db?.drop());

describe('points', () => {
  it('this week: from Monday 00:00 in the server zone; ties share a rank; the caller outside the top ten', async () => {
    const r = await read(G, 'points', 'week', 'zz-caller', now, BERLIN);
    expect(table(r)).toEqual([
      [1, 'a01', 900],
      [2, 'a02', 800],
      [2, 'a03', 800],
      [4, 'a04', 700],
      [5, 'a05', 600],
      [6, 'a06', 500],
      [7, 'a07', 400],
      [8, 'a08', 300],
      [9, 'a09', 200],
      [10, 'a10', 100], // a11 has 100 too: same rank, listed after a10 by id, so not shown
    ]);
    expect(r.rows[1]!.detail).toBe('2 answers');
    expect(r.rows[0]!.detail).toBe('1 answer');
    expect(r.caller).toEqual({ rank: 12, value: 50, detail: '1 answer' });
    expect(r.periodStart).toEqual(new Date('2026-06-07T22:00:00Z')); // Monday 00:00 Berlin
    expect(r.minAnswers).toBeUndefined();
    expect(r.board).toBe('points');
    expect(r.period).toBe('week');
  });

  it('a member tied at the cut-off, one with zero points (not ranked), one with nothing this week, a stranger', async () => {
    expect((await read(G, 'points', 'week', 'a11', now, BERLIN)).caller).toEqual({ rank: 10, value: 100, detail: '1 answer' });
    expect((await read(G, 'points', 'week', 'a12', now, BERLIN)).caller).toBeNull(); // answered, no points: not ranked
    expect((await read(G, 'points', 'week', 'b01', now, BERLIN)).caller).toBeNull(); // Sunday 23:30 Berlin is last week
    expect((await read(G, 'points', 'week', 'c01', now, BERLIN)).caller).toBeNull();
    expect((await read(G, 'points', 'week', 'nobody', now, BERLIN)).caller).toBeNull();
  });

  it('the caller inside the top ten sees the same row in both places', async () => {
    const r = await read(G, 'points', 'week', 'a03', now, BERLIN);
    expect(r.caller).toEqual({ rank: 2, value: 800, detail: '1 answer' });
    expect(r.rows.find((x) => x.userId === 'a03')).toEqual({ rank: 2, userId: 'a03', value: 800, detail: '1 answer' });
  });

  it('this month: from the 1st, so Sunday night counts', async () => {
    const r = await read(G, 'points', 'month', 'zz-caller', now, BERLIN);
    expect(table(r)).toEqual([
      [1, 'b01', 5000],
      [2, 'zz-caller', 3050],
      [3, 'a01', 900],
      [4, 'a02', 800],
      [4, 'a03', 800],
      [6, 'a04', 700],
      [7, 'a05', 600],
      [8, 'a06', 500],
      [9, 'a07', 400],
      [10, 'a08', 300],
    ]);
    expect(r.caller).toEqual({ rank: 2, value: 3050, detail: '2 answers' });
    expect(r.periodStart).toEqual(new Date('2026-05-31T22:00:00Z'));
  });

  it('all time: everything in this server (nothing from another)', async () => {
    const r = await read(G, 'points', 'all', 'a01', now, BERLIN);
    expect(table(r).slice(0, 4)).toEqual([
      [1, 'c01', 10000],
      [2, 'b01', 5000],
      [3, 'zz-caller', 3050],
      [4, 'a01', 900],
    ]);
    expect(r.caller).toEqual({ rank: 4, value: 900, detail: '1 answer' });
    expect(r.periodStart).toBeNull();
  });

  it('the week boundary moves with the server zone: Monday 00:30 Berlin is still Sunday in UTC', async () => {
    // Seen at Monday 00:45 Berlin (Sunday 22:45 UTC) the Berlin week has begun: b01's Sunday night is not in it.
    // (A board counts from the start of the period on; it has no end.)
    const mondayNight = new Date('2026-06-07T22:45:00Z');
    const r = await read(G, 'points', 'week', 'b01', mondayNight, BERLIN);
    expect(table(r)[0]).toEqual([1, 'a01', 900]);
    expect(r.caller).toBeNull();
    expect(r.periodStart).toEqual(new Date('2026-06-07T22:00:00Z'));
    // At Sunday 23:50 Berlin, the week that started on June 1 is still on.
    const sunday = await read(G, 'points', 'week', 'b01', new Date('2026-06-07T21:50:00Z'), BERLIN);
    expect(sunday.caller).toEqual({ rank: 1, value: 5000, detail: '1 answer' });
    expect(sunday.periodStart).toEqual(new Date('2026-05-31T22:00:00Z'));
  });
});

describe('accuracy', () => {
  it(`ranks only members with at least ${MIN_ACCURACY_ANSWERS} answers in the period, and says so`, async () => {
    const r = await read(ACC, 'accuracy', 'week', 'p5', now, 'UTC');
    expect(r.minAnswers).toBe(MIN_ACCURACY_ANSWERS);
    expect(r.rows.map((x) => [x.rank, x.userId, x.value, x.detail])).toEqual([
      [1, 'p1', 0.9, '18/20'], // equal rates: same rank, by id
      [1, 'p2', 0.9, '36/40'],
      [3, 'p4', 0.8, '20/25'],
      [4, 'p5', 0.5, '15/30'],
    ]);
    expect(r.caller).toEqual({ rank: 4, value: 0.5, detail: '15/30' });
    const p3 = await read(ACC, 'accuracy', 'week', 'p3', now, 'UTC'); // one answer short
    expect(p3.caller).toBeNull();
    expect(p3.callerAnswers).toBe(MIN_ACCURACY_ANSWERS - 1);
    const p6 = await read(ACC, 'accuracy', 'week', 'p6', now, 'UTC'); // 1 answer this week
    expect(p6.caller).toBeNull();
    expect(p6.callerAnswers).toBe(1);
    expect(r.callerAnswers).toBe(30);
  });

  it('ranks a member with 12 answers in the week, every mode counted, even with no points', async () => {
    // The issue's member: 10+ answers, practice among them, and the board said "Nobody yet".
    const g = 'g-acc-12';
    const modes = ['chain', 'review', 'drill', 'chain', 'review', 'drop', 'duel', 'sprint', 'chain', 'review', 'drill', 'chain'];
    for (const [i, mode] of modes.entries()) {
      await db.prisma.$executeRaw`
        INSERT INTO answers (event_key, event_id, event_step, user_id, guild_id, mode, given, verdict, score, points, answered_at)
        VALUES (${`acc12:${i}`}, gen_random_uuid(), 0, 'learner', ${g}, ${mode}::"AnswerMode", 'x', ${i < 9 ? 'correct' : 'wrong'}::"Verdict", 1, ${i < 9 ? 100 : 0}::int4, '2026-06-09T10:00:00Z'::timestamptz)`;
    }
    await answer(db.prisma, g, 'wrong-only', '2026-06-09T11:00:00Z', 0, { n: 12, correct: 0 });
    const r = await read(g, 'accuracy', 'week', 'learner', now, 'UTC');
    expect(r.rows.map((x) => [x.rank, x.userId, x.value, x.detail])).toEqual([
      [1, 'learner', 0.75, '9/12'],
      [2, 'wrong-only', 0, '0/12'], // accuracy counts answers, not points
    ]);
    expect(r.caller).toEqual({ rank: 1, value: 0.75, detail: '9/12' });
    // The points boards of the same week and month rank only the member with points.
    for (const period of ['week', 'month'] as const) {
      const points = await read(g, 'points', period, 'wrong-only', now, 'UTC');
      expect(table(points)).toEqual([[1, 'learner', 900]]);
      expect(points.caller).toBeNull();
    }
  });

  it('month and all time count the earlier answers', async () => {
    const month = await read(ACC, 'accuracy', 'month', 'p6', now, 'UTC');
    expect(month.rows.map((x) => x.userId)).toEqual(['p6', 'p1', 'p2', 'p4', 'p5']);
    expect(month.caller).toEqual({ rank: 1, value: 20 / 21, detail: '20/21' });
    const all = await read(ACC, 'accuracy', 'all', 'p2', now, 'UTC');
    expect(table(all)).toEqual([
      [1, 'p7', 1],
      [2, 'p6', 20 / 21],
      [3, 'p1', 0.9],
      [3, 'p2', 0.9],
      [5, 'p4', 0.8],
      [6, 'p5', 0.5],
    ]);
    expect(all.caller).toEqual({ rank: 3, value: 0.9, detail: '36/40' });
  });

  it('an empty board', async () => {
    const r = await read('g-empty', 'accuracy', 'week', 'p1', now, 'UTC');
    expect(r.rows).toEqual([]);
    expect(r.caller).toBeNull();
    expect(r.minAnswers).toBe(MIN_ACCURACY_ANSWERS);
  });
});

describe('streak', () => {
  it('live streaks only (last active today or yesterday, server zone), longest first; period does not apply', async () => {
    const r = await read(STREAK, 'streak', 'week', 'c1', now, NEW_YORK);
    expect(r.rows.map((x) => [x.rank, x.userId, x.value, x.detail])).toEqual([
      [1, 's2', 9, 'yesterday'],
      [2, 's1', 6, 'today'],
      [2, 's6', 6, 'today'],
      [2, 's7', 6, 'today'],
      [5, 's4', 2, 'yesterday'], // June 8 and 9 in New York (June 9 and 10 in UTC)
      [5, 't01', 2, 'today'],
      [5, 't02', 2, 'today'],
      [5, 't03', 2, 'today'],
      [5, 't04', 2, 'today'],
      [5, 't05', 2, 'today'],
    ]);
    expect(r.caller).toEqual({ rank: 16, value: 1, detail: 'today' });
    expect(r.periodStart).toBeNull();
    for (const period of ['month', 'all'] as const) expect((await read(STREAK, 'streak', period, 'c1', now, NEW_YORK)).rows).toEqual(r.rows);
  });

  it('a broken streak is not ranked; a run of one after a gap is; ties outside the top ten share the rank', async () => {
    expect((await read(STREAK, 'streak', 'all', 's3', now, NEW_YORK)).caller).toBeNull();
    expect((await read(STREAK, 'streak', 'all', 's5', now, NEW_YORK)).caller).toEqual({ rank: 16, value: 1, detail: 'yesterday' });
    expect((await read(STREAK, 'streak', 'all', 't10', now, NEW_YORK)).caller).toEqual({ rank: 5, value: 2, detail: 'today' });
  });

  it('a day later (01:00 in New York) yesterday-only streaks have broken', async () => {
    const r = await read(STREAK, 'streak', 'all', 's2', new Date('2026-06-11T05:00:00Z'), NEW_YORK);
    expect(r.caller).toBeNull();
    expect(r.rows.map((x) => x.userId)).toEqual(['s1', 's6', 's7', 't01', 't02', 't03', 't04', 't05', 't06', 't07']);
    expect(r.rows[0]!.detail).toBe('yesterday');
  });
});

describe('elo', () => {
  it('current ratings whatever the period; ties; the caller outside the top ten; no rating, no rank', async () => {
    const ratings = [1500, 1490, 1490, 1480, 1470, 1460, 1450, 1440, 1430, 1420, 1420, 1410].map((elo, i) => ({
      guildId: G,
      userId: `r${String(i + 1).padStart(2, '0')}`,
      elo,
      games: i + 1,
    }));
    await db.prisma.rating.createMany({ data: [...ratings, { guildId: G, userId: 'zz-caller', elo: 1100.5, games: 3 }, { guildId: 'g-other', userId: 'r99', elo: 3000 }] });
    const week = await read(G, 'elo', 'week', 'zz-caller', now, BERLIN);
    expect(table(week)).toEqual([
      [1, 'r01', 1500],
      [2, 'r02', 1490],
      [2, 'r03', 1490],
      [4, 'r04', 1480],
      [5, 'r05', 1470],
      [6, 'r06', 1460],
      [7, 'r07', 1450],
      [8, 'r08', 1440],
      [9, 'r09', 1430],
      [10, 'r10', 1420],
    ]);
    expect(week.rows[0]!.detail).toBe('1 game');
    expect(week.caller).toEqual({ rank: 13, value: 1100.5, detail: '3 games' });
    expect(week.periodStart).toBeNull();
    expect((await read(G, 'elo', 'all', 'zz-caller', now, BERLIN)).rows).toEqual(week.rows);
    expect((await read(G, 'elo', 'month', 'r11', now, BERLIN)).caller).toEqual({ rank: 10, value: 1420, detail: '11 games' });
    expect((await read(G, 'elo', 'week', 'a01', now, BERLIN)).caller).toBeNull();
  });
});

describe('answers recorded through the answer store', () => {
  it('count on the boards like any other', async () => {
    const store = new AnswerStore(db.prisma, testBank(), () => now);
    const replayed = { id: randomUUID(), step: 0 };
    await store.record({ event: replayed, userId: 'rec', guildId: G, promptId: 'a1-root', mode: 'sprint', given: 'right', verdict: 'correct', score: 1, points: 1_700 });
    await store.record({ event: replayed, userId: 'rec', guildId: G, promptId: 'a1-root', mode: 'sprint', given: 'right', verdict: 'correct', score: 1, points: 1_700 }); // replay: once
    await store.record({ event: { id: randomUUID(), step: 0 }, userId: 'rec', guildId: G, drill: { kind: 'auc', seed: 3 }, mode: 'drill', given: '0.5', verdict: 'wrong', score: 0, points: 0 });
    const boards = leaderboards(db.prisma);
    const r = await boards.board(G, { period: 'week', board: 'points' }, 'rec', now, BERLIN);
    expect(r.source).toBe('live'); // a small board: read live, default options
    expect(r.rows[0]).toEqual({ rank: 1, userId: 'rec', value: 1700, detail: '2 answers' });
    expect(r.caller).toEqual({ rank: 1, value: 1700, detail: '2 answers' });
    const s = await boards.board(G, { period: 'week', board: 'streak' }, 'rec', now, BERLIN);
    expect(s.caller).toEqual({ rank: 2, value: 1, detail: 'today' }); // a02 answered on Monday and Tuesday: 2 days
  });
});

describe('input', () => {
  it('refuses an unknown time zone, board or period', async () => {
    const boards = leaderboards(db.prisma);
    await expect(boards.board(G, { period: 'week', board: 'points' }, 'x', now, 'Mars/Olympus')).rejects.toMatchObject({
      code: 'leaderboard.unknown-time-zone',
      params: { zone: 'Mars/Olympus' },
    });
    await expect(boards.board(G, { period: 'year' as never, board: 'points' }, 'x', now, 'UTC')).rejects.toThrow(TypeError);
    await expect(boards.board(G, { period: 'week', board: 'karma' as never }, 'x', now, 'UTC')).rejects.toThrow(TypeError);
  });
});
