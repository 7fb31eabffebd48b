/**
 * The streak agreement test: one streak definition. Answers recorded day by day (with a gap,
 * and answers late in the evening that are already the next day in UTC) in a server on New
 * York time; at each checkpoint /mastery's streak (MasteryService.streak, as the command asks
 * it) equals the leaderboard streak board's value for the same member and server, and in a
 * DM it is the longest of the member's servers' board values.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GuildStore } from '../../../src/guilds/store.js';
import { Leaderboards } from '../../../src/leaderboard/service.js';
import { LeaderboardStore } from '../../../src/leaderboard/store.js';
import { AnswerStore } from '../../../src/answers/store.js';
import { MasteryService } from '../../../src/mastery/service.js';
import { MasteryStore } from '../../../src/mastery/store.js';
import { migratedDatabase, type MigratedDatabase } from '../../support/app-db.js';
import { testBank } from './bank-fixture.js';

let db: MigratedDatabase;
const NY = 'g-new-york';
const UTC = 'g-utc';

beforeAll(async () => {
  db = await migratedDatabase('streak_agreement');
  await db.prisma.guild.create({ data: { id: NY, name: NY, settings: { create: { timeZone: 'America/New_York' } } } });
  await db.prisma.guild.create({ data: { id: UTC, name: UTC } }); // no settings: UTC
});
afterAll(async () => db?.drop());

/** 12:00 and 23:59 in New York (EDT, UTC-4) on June `day`, as instants. */
const noonNY = (day: number) => new Date(Date.UTC(2026, 5, day, 16, 0));
const lateNY = (day: number) => new Date(Date.UTC(2026, 5, day + 1, 3, 59));

describe('one streak definition', () => {
  it('/mastery and the streak board agree on every day, in the server’s zone, across a gap; a DM shows the longest', async () => {
    const bank = testBank();
    const leaderboards = new Leaderboards(new LeaderboardStore(db.prisma));
    const mastery = new MasteryService(db, new MasteryStore(db.prisma), bank, leaderboards, () => new Date());
    const guilds = new GuildStore(db.prisma);
    const answers = new AnswerStore(db.prisma, bank);
    const me = 'member';
    // Answers, in New York days: the 1st (noon), the 2nd (23:30, already the 3rd in UTC), the
    // 3rd (10:00), none on the 4th, the 5th (16:00), the 6th (22:00, the 7th in UTC). In the
    // UTC server: the 3rd to the 6th, every day. Another member keeps the board busy.
    const events: { at: Date; user: string; guildId: string }[] = [
      { at: new Date('2026-06-01T16:00:00Z'), user: me, guildId: NY },
      { at: new Date('2026-06-03T03:30:00Z'), user: me, guildId: NY },
      { at: new Date('2026-06-03T14:00:00Z'), user: me, guildId: NY },
      { at: new Date('2026-06-05T20:00:00Z'), user: me, guildId: NY },
      { at: new Date('2026-06-07T02:00:00Z'), user: me, guildId: NY },
      ...[3, 4, 5, 6].map((d) => ({ at: new Date(Date.UTC(2026, 5, d, 9)), user: me, guildId: UTC })),
      ...[1, 2, 3, 4, 5, 6, 7].map((d) => ({ at: new Date(Date.UTC(2026, 5, d, 18)), user: 'other', guildId: NY })),
    ].sort((a, b) => a.at.getTime() - b.at.getTime());

    /** What the streak board says of `user` in `guildId` at `now` (as /leaderboard asks it: the server's zone from its settings). */
    const boardStreak = async (guildId: string, user: string, now: Date) => {
      const { timeZone } = await guilds.settings(guildId);
      const r = await leaderboards.board(guildId, { board: 'streak', period: 'all' }, user, now, timeZone);
      return r.caller?.value ?? 0;
    };

    const checkpoints = [1, 2, 3, 4, 5, 6, 7, 8].flatMap((d) => [noonNY(d), lateNY(d)]);
    const seen: { ny: number; utc: number; dm: number }[] = [];
    let next = 0;
    for (const now of checkpoints) {
      for (; next < events.length && events[next]!.at.getTime() <= now.getTime(); next++) {
        const e = events[next]!;
        await answers.record({ event: { id: randomUUID(), step: 0 }, userId: e.user, guildId: e.guildId, drill: { kind: 'auc', seed: next }, mode: 'drill', given: '1', verdict: 'correct', score: 1, points: 10, at: e.at });
      }
      const ny = await mastery.streak(me, now, NY);
      const utc = await mastery.streak(me, now, UTC);
      const dm = await mastery.streak(me, now, null);
      expect(ny, `${now.toISOString()} in New York`).toBe(await boardStreak(NY, me, now));
      expect(utc, `${now.toISOString()} in UTC`).toBe(await boardStreak(UTC, me, now));
      expect(dm, `${now.toISOString()} in a DM`).toBe(Math.max(await boardStreak(NY, me, now), await boardStreak(UTC, me, now)));
      expect(await mastery.streak('other', now, NY)).toBe(await boardStreak(NY, 'other', now));
      seen.push({ ny, utc, dm });
    }
    // And what they agree on is the definition: [noon, 23:59] of June 1..8 in New York.
    expect(seen.map((s) => s.ny)).toEqual([1, 1, 1, 2, 3, 3, 3, 3, 0, 1, 1, 2, 2, 2, 0, 0]);
    // UTC days: the 3rd..6th at 09:00 UTC. 23:59 in New York is already the next day in UTC.
    expect(seen.map((s) => s.utc)).toEqual([0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 4, 0, 0, 0]);
    expect(seen.map((s) => s.dm)).toEqual([1, 1, 1, 2, 3, 3, 3, 3, 3, 3, 4, 4, 4, 2, 0, 0]);
  });
});
