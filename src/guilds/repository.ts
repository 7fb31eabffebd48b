import type { PrismaClient } from '../generated/prisma/client.js';
import type { Theme } from '../generated/prisma/enums.js';

export interface GuildSettingsView {
  theme: Theme;
  timeZone: string;
}

export const DEFAULT_SETTINGS: GuildSettingsView = { theme: 'dark', timeZone: 'UTC' };

/** Servers and their settings. The rest of the code asks by name instead of writing queries. */
export class GuildRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async upsertGuild(id: string, name: string): Promise<void> {
    await this.prisma.guild.upsert({
      where: { id },
      create: { id, name },
      update: { name, leftAt: null },
    });
  }

  async markLeft(id: string, at: Date): Promise<void> {
    await this.prisma.guild.updateMany({ where: { id }, data: { leftAt: at } });
  }

  async settings(guildId: string): Promise<GuildSettingsView> {
    const row = await this.prisma.guildSettings.findUnique({ where: { guildId } });
    return row ? { theme: row.theme, timeZone: row.timeZone } : { ...DEFAULT_SETTINGS };
  }

  async updateSettings(guildId: string, guildName: string, patch: Partial<GuildSettingsView>): Promise<GuildSettingsView> {
    return this.prisma.$transaction(async (tx) => {
      await tx.guild.upsert({ where: { id: guildId }, create: { id: guildId, name: guildName }, update: {} });
      const row = await tx.guildSettings.upsert({
        where: { guildId },
        create: { guildId, ...DEFAULT_SETTINGS, ...patch },
        update: patch,
      });
      return { theme: row.theme, timeZone: row.timeZone };
    });
  }
}

/** True when the runtime knows the IANA zone (e.g. "Europe/Berlin"). */
export function isValidTimeZone(zone: string): boolean {
  if (!zone || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
