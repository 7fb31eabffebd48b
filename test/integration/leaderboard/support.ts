/** Helpers shared by the leaderboard integration tests. */
import { expect } from 'vitest';
import type { PrismaClient } from '../../../src/generated/prisma/client.js';
import type { BoardKind, Period } from '../../../src/leaderboard/rules.js';
import { Leaderboards, type BoardResult, type LeaderboardOptions } from '../../../src/leaderboard/service.js';
import { LeaderboardStore } from '../../../src/leaderboard/store.js';

let seq = 0;

/**
 * `n` answers by `userId` in `guildId` at `at`, straight into `answers` (the trigger keeps
 * daily_scores and streaks): `correct` of them right, each worth `points`.
 */
export async function answer(prisma: PrismaClient, guildId: string, userId: string, at: string, points: number, opts: { n?: number; correct?: number } = {}) {
  const n = opts.n ?? 1;
  const correct = opts.correct ?? n;
  const key = `t:${++seq}:${userId}`;
  await prisma.$executeRaw`
    INSERT INTO answers (event_key, event_id, event_step, user_id, guild_id, channel_id, mode, given, verdict, score, points, answered_at)
    SELECT ${key} || ':' || g, gen_random_uuid(), 0, ${userId}, ${guildId}, 'ch', 'drop', 'x',
           (CASE WHEN g <= ${correct}::int4 THEN 'correct' ELSE 'wrong' END)::"Verdict", CASE WHEN g <= ${correct}::int4 THEN 1 ELSE 0 END, ${points}::int4,
           ${at}::timestamptz
    FROM generate_series(1, ${n}::int4) g`;
}

export async function guildInZone(prisma: PrismaClient, guildId: string, timeZone: string) {
  await prisma.guild.create({ data: { id: guildId, name: guildId, settings: { create: { timeZone } } } });
}

/** The leaderboards over `prisma`, as the bot builds them. */
export function leaderboards(prisma: PrismaClient, opts: LeaderboardOptions = {}): Leaderboards {
  return new Leaderboards(new LeaderboardStore(prisma), opts);
}

/** What a board says, without when it was read. */
export function essence(r: BoardResult) {
  const { asOf: _asOf, source: _source, ...rest } = r;
  return rest;
}

/**
 * Reads a board both live and from a snapshot (every board snapshotted, however small) and
 * checks they agree; returns the live result.
 */
export function dualReader(prisma: PrismaClient) {
  const live = leaderboards(prisma, { snapshotMaxAgeMs: 0 });
  const snap = leaderboards(prisma, { liveBelowRows: 0, snapshotMaxAgeMs: 3_600_000 });
  return async (guildId: string, board: BoardKind, period: Period, callerId: string, now: Date, timeZone: string): Promise<BoardResult> => {
    const a = await live.board(guildId, { board, period }, callerId, now, timeZone);
    const b = await snap.board(guildId, { board, period }, callerId, now, timeZone);
    expect(a.source).toBe('live');
    expect(b.source).toBe(board === 'streak' ? 'live' : 'snapshot');
    expect(essence(b)).toEqual(essence(a));
    return a;
  };
}

/** [rank, userId, value] of each row. */
export const table = (r: BoardResult) => r.rows.map((x) => [x.rank, x.userId, x.value]);
