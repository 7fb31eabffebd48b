import type { AppContext } from '../app-context.js';
import type { ThemeName } from '../render/theme.js';

/** The server's image theme; dark when unknown or when the database cannot be asked (rendering should not depend on it). */
export async function themeFor(app: AppContext, guildId: string | null): Promise<ThemeName> {
  if (!guildId) return 'dark';
  try {
    return (await app.guilds.settings(guildId)).theme;
  } catch (err) {
    app.log.warn({ err, guildId }, 'could not read the theme; using dark');
    return 'dark';
  }
}
