import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GuildStore } from '../../src/guilds/store.js';
import { migratedDatabase, type MigratedDatabase } from '../support/app-db.js';

let db: MigratedDatabase;
let guilds: GuildStore;

beforeAll(async () => {
  db = await migratedDatabase('guilds');
  guilds = new GuildStore(db.prisma);
});
afterAll(async () => db?.drop());

describe('guild settings', () => {
  // At start-up the bot records every guild it is in while admins may already be using
  // /settings: both create the guild row. Prisma's upsert reads then inserts, so the slower of
  // two racing creators failed on the primary key and the admin saw "something went wrong".
  it('saves settings while the same new guild is being recorded at start-up, and neither fails', async () => {
    for (let i = 0; i < 30; i++) {
      const id = `9${String(i).padStart(17, '0')}`;
      const results = await Promise.allSettled([
        guilds.upsertGuild(id, `Guild ${i}`),
        guilds.updateSettings(id, `Guild ${i}`, { theme: 'light', timeZone: 'Europe/Berlin' }),
        guilds.updateSettings(id, `Guild ${i}`, { theme: 'light' }),
        guilds.upsertGuild(id, `Guild ${i} renamed`),
      ]);
      expect(results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
      expect(await guilds.settings(id)).toEqual({ theme: 'light', timeZone: 'Europe/Berlin' });
    }
    expect(await db.prisma.guild.count()).toBe(30);
  });

  it('changes only what the patch names and keeps the rest', async () => {
    const id = '800000000000000001';
    await guilds.updateSettings(id, 'G', { timeZone: 'Asia/Tokyo' });
    expect(await guilds.settings(id)).toEqual({ theme: 'dark', timeZone: 'Asia/Tokyo' });
    await guilds.updateSettings(id, 'G', { theme: 'light' });
    expect(await guilds.settings(id)).toEqual({ theme: 'light', timeZone: 'Asia/Tokyo' });
    await guilds.upsertGuild(id, 'G renamed');
    expect((await db.prisma.guild.findUniqueOrThrow({ where: { id } })).name).toBe('G renamed');
  });
});
