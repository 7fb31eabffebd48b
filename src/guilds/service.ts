import type { Logger } from '../platform/log.js';
import type { ThemeName } from '../render/theme.js';
import type { GuildSettingsView, GuildStore } from './store.js';

/** Servers the bot is in and their settings (theme, time zone). */
export class GuildService {
  constructor(
    private readonly store: GuildStore,
    private readonly log: Logger,
  ) {}

  joined(id: string, name: string): Promise<void> {
    return this.store.upsertGuild(id, name);
  }

  left(id: string, at: Date): Promise<void> {
    return this.store.markLeft(id, at);
  }

  settings(guildId: string): Promise<GuildSettingsView> {
    return this.store.settings(guildId);
  }

  updateSettings(guildId: string, guildName: string, patch: Partial<GuildSettingsView>): Promise<GuildSettingsView> {
    return this.store.updateSettings(guildId, guildName, patch);
  }

  /** The server's image theme; dark when unknown or when the database cannot be asked (rendering should not depend on it). */
  async theme(guildId: string | null): Promise<ThemeName> {
    if (!guildId) return 'dark';
    try {
      return (await this.store.settings(guildId)).theme;
    } catch (err) {
      this.log.warn({ err, guildId }, 'could not read the theme; using dark');
      return 'dark';
    }
  }
}
