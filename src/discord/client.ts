import { Client, GatewayIntentBits, Options, Partials } from 'discord.js';
import type { Config } from '../config.js';

/**
 * The discord.js client. Only the Guilds intent: slash commands, buttons and modals need no
 * privileged intents. Mentions are off by default everywhere (a message pings someone only
 * when its code says so explicitly), so user text can never ping @everyone or roles.
 */
export function createDiscordClient(config: Pick<Config, 'DISCORD_API_URL'>): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds],
    partials: [Partials.Channel],
    allowedMentions: { parse: [], repliedUser: false },
    makeCache: Options.cacheWithLimits({ ...Options.DefaultMakeCacheSettings, MessageManager: 50 }),
    ...(config.DISCORD_API_URL ? { rest: { api: config.DISCORD_API_URL } } : {}),
  });
}
