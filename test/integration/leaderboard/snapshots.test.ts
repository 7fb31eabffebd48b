import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { addDays, localDate, periodStartDay } from '../../../src/leaderboard/period.js';
import { compareEntries, MIN_ACCURACY_ANSWERS, TOP, type BoardKind, type Entry, type Period } from '../../../src/leaderboard/rules.js';
import type { BoardResult } from '../../../src/leaderboard/service.js';
import { PrivacyStore } from '../../../src/privacy/store.js';
import { mulberry32 } from '../../../src/drills/random.js';
import { migratedDatabase, type MigratedDatabase } from '../../support/app-db.js';
import { duelService } from '../../support/duels.js';
import { answer, dualReader, guildInZone, leaderboards, table } from './support.js';

let db: MigratedDatabase;
const now = new Date('2026-06-10T10:00:00.000Z');

beforeAll(async () => {
  db = await migratedDatabase('leaderboard_snapshots');
});
afterAll(async () => db?.drop());

describe('snapshots', () => {
  it("the caller's own numbers are live; the others' are as old as the snapshot, then refreshed in the background", async () => {
    const g = 'g-fresh';
    const p = db.prisma;
    let t = 0;
    const boards = leaderboards(p, { liveBelowRows: 0, snapshotMaxAgeMs: 1_000, snapshotMaxStaleMs: 5_000, monotonicMs: () => t });
    const week = (caller: string) => boards.board(g, { period: 'week', board: 'points' }, caller, now, 'UTC');
    await answer(p, g, 'u1', '2026-06-09T10:00:00Z', 100);
    await answer(p, g, 'u2', '2026-06-09T10:00:00Z', 200);
    await answer(p, g, 'u3', '2026-06-09T10:00:00Z', 300);

    const first = await week('u1');
    expect(first.source).toBe('snapshot');
    expect(table(first)).toEqual([
      [1, 'u3', 300],
      [2, 'u2', 200],
      [3, 'u1', 100],
    ]);
    expect(boards.stats.snapshotBuilds).toBe(1);

    await answer(p, g, 'u1', '2026-06-10T09:00:00Z', 500);
    await answer(p, g, 'u2', '2026-06-10T09:00:00Z', 1_000);
    // u1 sees their 600 at once; u2's 1,200 is not in the snapshot yet.
    const u1 = await week('u1');
    expect(table(u1)).toEqual([
      [1, 'u1', 600],
      [2, 'u3', 300],
      [3, 'u2', 200],
    ]);
    expect(u1.caller).toEqual({ rank: 1, value: 600, detail: '2 answers' });
    expect(u1.asOf).toEqual(first.asOf);
    // ...and u2 sees their own 1,200 (and u1's old 100).
    const u2 = await week('u2');
    expect(u2.caller).toEqual({ rank: 1, value: 1200, detail: '2 answers' });
    expect(table(u2)).toEqual([
      [1, 'u2', 1200],
      [2, 'u3', 300],
      [3, 'u1', 100],
    ]);
    expect(boards.stats.snapshotBuilds).toBe(1);

    // Older than snapshotMaxAgeMs: the old snapshot is served, a new one built in the background.
    t = 1_500;
    const stale = await week('u3');
    expect(table(stale)).toEqual([
      [1, 'u3', 300],
      [2, 'u2', 200],
      [3, 'u1', 100],
    ]);
    await vi.waitFor(() => expect(boards.stats.snapshotBuilds).toBe(2));
    expect(table(await week('u3'))).toEqual([
      [1, 'u2', 1200],
      [2, 'u1', 600],
      [3, 'u3', 300],
    ]);

    // Older than snapshotMaxStaleMs: the call waits for the new snapshot.
    await answer(p, g, 'u3', '2026-06-10T09:30:00Z', 5_000);
    t = 10_000;
    const waited = await week('u1');
    expect(table(waited)[0]).toEqual([1, 'u3', 5300]);
    expect(boards.stats.snapshotBuilds).toBe(3);
  });

  it('concurrent first calls share one build', async () => {
    const g = 'g-single-flight';
    await answer(db.prisma, g, 'v1', '2026-06-09T10:00:00Z', 10);
    const boards = leaderboards(db.prisma, { liveBelowRows: 0 });
    const results = await Promise.all(Array.from({ length: 5 }, () => boards.board(g, { period: 'month', board: 'accuracy' }, 'v1', now, 'UTC')));
    expect(boards.stats.snapshotBuilds).toBe(1);
    // Points and accuracy of one period come from the same snapshot.
    await boards.board(g, { period: 'month', board: 'points' }, 'v1', now, 'UTC');
    expect(boards.stats.snapshotBuilds).toBe(1);
    expect(results.every((r) => r.caller === null && r.minAnswers === MIN_ACCURACY_ANSWERS)).toBe(true);
  });

  it('small boards are read live on every call (defaults), and re-checked as they grow', async () => {
    const g = 'g-small';
    let t = 0;
    const boards = leaderboards(db.prisma, { liveBelowRows: 3, snapshotMaxAgeMs: 1_000, monotonicMs: () => t });
    await answer(db.prisma, g, 'w1', '2026-06-09T10:00:00Z', 10);
    const a = await boards.board(g, { period: 'all', board: 'points' }, 'w1', now, 'UTC');
    expect(a.source).toBe('live');
    await answer(db.prisma, g, 'w2', '2026-06-09T10:00:00Z', 20);
    const b = await boards.board(g, { period: 'all', board: 'points' }, 'w1', now, 'UTC');
    expect(b.source).toBe('live');
    expect(table(b)).toEqual([
      [1, 'w2', 20],
      [2, 'w1', 10],
    ]);
    await answer(db.prisma, g, 'w3', '2026-06-09T10:00:00Z', 30);
    t = 6 * 60_000; // past snapshotMaxStaleMs: re-checked now, 3 rows: snapshot from now on
    const c = await boards.board(g, { period: 'all', board: 'points' }, 'w1', now, 'UTC');
    expect(c.source).toBe('snapshot');
    expect(c.caller).toEqual({ rank: 3, value: 10, detail: '1 answer' });
  });

  it('elo from a snapshot: the caller sees their new rating after a duel at once', async () => {
    const g = 'g-elo-snap';
    const boards = leaderboards(db.prisma, { liveBelowRows: 0 });
    await duelService(db).applyResult({ guildId: g, aId: 'x1', bId: 'x2', scoreA: 1 }, now);
    const before = await boards.board(g, { period: 'all', board: 'elo' }, 'x2', now, 'UTC');
    expect(before.caller).toEqual({ rank: 2, value: 1184, detail: '1 game' });
    await duelService(db).applyResult({ guildId: g, aId: 'x2', bId: 'x3', scoreA: 1 }, now);
    const after = await boards.board(g, { period: 'all', board: 'elo' }, 'x2', now, 'UTC');
    expect(after.source).toBe('snapshot');
    // x2: 1184 + 16.7 = 1200.7, behind x1 (1216); x3 (new, 1183.3) is not in the snapshot yet.
    expect(after.caller).toEqual({ rank: 2, value: 1200.7, detail: '2 games' });
    expect(table(after)).toEqual([
      [1, 'x1', 1216],
      [2, 'x2', 1200.7],
    ]);
  });

  it('a forgotten member drops out of their own view at once, and of the others’ at the next snapshot (or clear())', async () => {
    const g = 'g-forget';
    await answer(db.prisma, g, 'f1', '2026-06-09T10:00:00Z', 10);
    await answer(db.prisma, g, 'f2', '2026-06-09T10:00:00Z', 20);
    const boards = leaderboards(db.prisma, { liveBelowRows: 0 });
    await boards.board(g, { period: 'week', board: 'points' }, 'f1', now, 'UTC');
    await new PrivacyStore(db.prisma).forget('f2');
    expect((await boards.board(g, { period: 'week', board: 'points' }, 'f2', now, 'UTC')).caller).toBeNull();
    expect(table(await boards.board(g, { period: 'week', board: 'points' }, 'f1', now, 'UTC'))).toEqual([
      [1, 'f2', 20],
      [2, 'f1', 10],
    ]);
    boards.clear();
    expect(table(await boards.board(g, { period: 'week', board: 'points' }, 'f1', now, 'UTC'))).toEqual([[1, 'f1', 10]]);
  });

  it('keeps at most maxSnapshots, dropping the least recently used', async () => {
    const g = 'g-lru';
    await answer(db.prisma, g, 'l1', '2026-06-09T10:00:00Z', 10);
    const boards = leaderboards(db.prisma, { liveBelowRows: 0, maxSnapshots: 2 });
    const read = (period: Period) => boards.board(g, { period, board: 'points' }, 'l1', now, 'UTC');
    await read('week');
    await read('month');
    await read('week');
    expect(boards.stats.snapshotBuilds).toBe(2);
    await read('all'); // evicts month
    await read('week');
    expect(boards.stats.snapshotBuilds).toBe(3);
    await read('month');
    expect(boards.stats.snapshotBuilds).toBe(4);
  });
});

/* ---------------------------------------------------------------------------------------- */


interface Ev {
  user: string;
  at: Date;
  points: number;
  correct: boolean;
}

/** The boards by their definitions, from the raw answers (days from Intl, not from PostgreSQL). */
function oracle(events: Ev[], ratings: Map<string, { elo: number; games: number }>, board: BoardKind, period: Period, caller: string, nowAt: Date, tz: string) {
  const entries: Entry[] = [];
  if (board === 'points' || board === 'accuracy') {
    const start = periodStartDay(period, nowAt, tz);
    const sums = new Map<string, { p: number; n: number; c: number }>();
    for (const e of events) {
      if (start !== null && localDate(e.at, tz) < start) continue;
      const s = sums.get(e.user) ?? { p: 0, n: 0, c: 0 };
      s.p += e.points;
      s.n += 1;
      s.c += e.correct ? 1 : 0;
      sums.set(e.user, s);
    }
    for (const [user, s] of sums) {
      // No board ranks a member with 0 points.
      if (board === 'points') {
        if (s.p > 0) entries.push({ userId: user, value: s.p, detail: `${s.n} answer${s.n === 1 ? '' : 's'}` });
      }
      else if (s.n >= MIN_ACCURACY_ANSWERS) entries.push({ userId: user, value: s.c / s.n, detail: `${s.c}/${s.n}` });
    }
  } else if (board === 'streak') {
    const today = localDate(nowAt, tz);
    const days = new Map<string, Set<string>>();
    for (const e of events) {
      const set = days.get(e.user) ?? new Set<string>();
      set.add(localDate(e.at, tz));
      days.set(e.user, set);
    }
    for (const [user, set] of days) {
      const last = [...set].sort().at(-1)!;
      if (last < addDays(today, -1)) continue;
      let n = 1;
      while (set.has(addDays(last, -n))) n++;
      entries.push({ userId: user, value: n, detail: last >= today ? 'today' : 'yesterday' });
    }
  } else {
    for (const [user, r] of ratings) entries.push({ userId: user, value: r.elo, detail: `${r.games} game${r.games === 1 ? '' : 's'}` });
  }
  entries.sort(compareEntries);
  const rankOf = (v: number) => 1 + entries.filter((e) => e.value > v).length;
  const me = entries.find((e) => e.userId === caller);
  return {
    rows: entries.slice(0, TOP).map((e) => ({ rank: rankOf(e.value), userId: e.userId, value: e.value, detail: e.detail })),
    caller: me ? { rank: rankOf(me.value), value: me.value, detail: me.detail } : null,
  };
}

describe('against the definitions (random server, Tokyo time)', () => {
  it('every board, period and caller agrees with a recomputation from the raw answers', async () => {
    const g = 'g-random';
    const tz = 'Asia/Tokyo';
    const p = db.prisma;
    await guildInZone(p, g, tz);
    const rnd = mulberry32(20260610);
    const users = Array.from({ length: 40 }, (_, i) => `m${String(i).padStart(2, '0')}`);
    const events: Ev[] = [];
    for (let i = 0; i < 1_200; i++) {
      // Skewed activity, over the 60 days before now; a few members answer every day of the last 12.
      const user = users[Math.floor(rnd() ** 2 * users.length)]!;
      const at = new Date(now.getTime() - Math.floor(rnd() * 60 * 86_400_000));
      const correct = rnd() < 0.6;
      events.push({ user, at, points: correct ? [100, 100 + Math.floor(rnd() * 51), 125][i % 3]! : 0, correct });
    }
    for (const [k, user] of ['m05', 'm17', 'm33'].entries()) {
      for (let d = 0; d < 12 - k * 4; d++) events.push({ user, at: new Date(now.getTime() - d * 86_400_000 - 3_600_000), points: 10, correct: true });
    }
    // A member who answers but never right: on the accuracy board, never on a points board.
    for (let d = 0; d < 14; d++) events.push({ user: 'z0', at: new Date(now.getTime() - d * 43_200_000 - 60_000), points: 0, correct: false });
    events.sort((a, b) => a.at.getTime() - b.at.getTime());
    // Insert in time order (the trigger's streak assumes it), in batches of one statement each.
    for (const e of events) await answer(p, g, e.user, e.at.toISOString(), e.points, { correct: e.correct ? 1 : 0 });
    const ratings = new Map<string, { elo: number; games: number }>();
    for (const u of users.slice(0, 25)) ratings.set(u, { elo: Math.round((1000 + rnd() * 400) / 5) * 5, games: 1 + Math.floor(rnd() * 9) });
    await p.rating.createMany({ data: [...ratings].map(([userId, r]) => ({ guildId: g, userId, ...r })) });

    const read = dualReader(p);
    const callers = ['m00', 'm05', 'm17', 'm33', 'm39', 'z0', 'nobody', users[Math.floor(rnd() * users.length)]!];
    let compared = 0;
    for (const nowAt of [now, new Date('2026-06-07T15:30:00Z') /* Monday 00:30 in Tokyo */]) {
      for (const board of ['points', 'accuracy', 'streak', 'elo'] as const) {
        for (const period of ['week', 'month', 'all'] as const) {
          for (const caller of callers) {
            // A board counts from the start of the period on (it has no end), so the earlier
            // `nowAt` sees the later answers too: what matters there is where the week starts.
            const got: BoardResult = await read(g, board, period, caller, nowAt, tz);
            expect({ rows: got.rows, caller: got.caller }).toEqual(oracle(events, ratings, board, period, caller, nowAt, tz));
            compared++;
          }
        }
      }
    }
    expect(compared).toBe(2 * 4 * 3 * callers.length);
  });
});
