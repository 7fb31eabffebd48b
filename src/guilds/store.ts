import type { PrismaClient } from '../generated/prisma/client.js';
import type { Theme } from '../generated/prisma/enums.js';

export interface GuildSettingsView {
  theme: Theme;
  timeZone: string;
}

export const DEFAULT_SETTINGS: GuildSettingsView = { theme: 'dark', timeZone: 'UTC' };

/** Servers and their settings: the only place their SQL lives. */
export class GuildStore {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Records a guild (or its new name). Written as INSERT ... ON CONFLICT, not Prisma's upsert:
   * here Prisma reads and then inserts, so two creators racing (start-up recording every guild
   * while an admin runs /settings) failed on the primary key.
   */
  async upsertGuild(id: string, name: string): Promise<void> {
    await this.prisma.$executeRaw`
      INSERT INTO guilds (id, name) VALUES (${id}, ${name})
      ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, left_at = NULL`;
  }

  async markLeft(id: string, at: Date): Promise<void> {
    await this.prisma.guild.updateMany({ where: { id }, data: { leftAt: at } });
  }

  async settings(guildId: string): Promise<GuildSettingsView> {
    const row = await this.prisma.guildSettings.findUnique({ where: { guildId } });
    return row ? { theme: row.theme, timeZone: row.timeZone } : { ...DEFAULT_SETTINGS };
  }

  /** Creates the guild's settings or changes the fields the patch names, atomically (see upsertGuild). */
  async updateSettings(guildId: string, guildName: string, patch: Partial<GuildSettingsView>): Promise<GuildSettingsView> {
    const theme = patch.theme ?? null;
    const timeZone = patch.timeZone ?? null;
    return this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`INSERT INTO guilds (id, name) VALUES (${guildId}, ${guildName}) ON CONFLICT (id) DO NOTHING`;
      const [row] = await tx.$queryRaw<GuildSettingsView[]>`
        INSERT INTO guild_settings (guild_id, theme, time_zone, updated_at)
        VALUES (${guildId}, COALESCE(${theme}::"Theme", ${DEFAULT_SETTINGS.theme}::"Theme"), COALESCE(${timeZone}::text, ${DEFAULT_SETTINGS.timeZone}), now())
        ON CONFLICT (guild_id) DO UPDATE SET
          theme = COALESCE(${theme}::"Theme", guild_settings.theme),
          time_zone = COALESCE(${timeZone}::text, guild_settings.time_zone),
          updated_at = now()
        RETURNING theme, time_zone AS "timeZone"`;
      return { theme: row!.theme, timeZone: row!.timeZone };
    });
  }
}
