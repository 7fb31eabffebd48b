import { Events, type Client, type Interaction } from 'discord.js';
import type { Logger } from '../log.js';

export interface GatewayHandlers {
  interaction(interaction: Interaction): void;
  /** A guild the bot is in: at start-up for every one, and when it joins one. */
  guildJoined(id: string, name: string): Promise<void>;
  guildLeft(id: string): Promise<void>;
}

/** What the process learns from the gateway: interactions, guilds joined and left, and its health. */
export function listen(client: Client, handlers: GatewayHandlers, log: Logger): void {
  const joined = (id: string, name: string) => handlers.guildJoined(id, name).catch((err) => log.warn({ err, guildId: id }, 'could not record guild'));
  client.on(Events.InteractionCreate, (interaction) => handlers.interaction(interaction));
  client.on(Events.GuildCreate, (guild) => void joined(guild.id, guild.name));
  client.on(Events.GuildDelete, (guild) => {
    handlers.guildLeft(guild.id).catch((err) => log.warn({ err, guildId: guild.id }, 'could not record guild leave'));
  });
  client.on(Events.ClientReady, (c) => {
    for (const guild of c.guilds.cache.values()) void joined(guild.id, guild.name);
  });
  client.on(Events.Error, (err) => log.error({ err }, 'discord client error'));
  client.on(Events.Warn, (message) => log.warn({ message }, 'discord client warning'));
  client.on(Events.ShardDisconnect, (event, shardId) => log.warn({ code: event.code, shardId }, 'gateway disconnected'));
  client.on(Events.ShardResume, (shardId, replayed) => log.info({ shardId, replayed }, 'gateway resumed'));
}

/** Logs in and resolves once the gateway says ready, with what it said. */
export async function logIn(client: Client, token: string): Promise<{ user: string; guilds: number }> {
  const ready = new Promise<{ user: string; guilds: number }>((resolve) => {
    client.once(Events.ClientReady, (c) => resolve({ user: c.user.tag, guilds: c.guilds.cache.size }));
  });
  await client.login(token);
  return ready;
}

/** The gateway's state for /healthz. */
export const gatewayHealth = (client: Client) => ({ ready: client.isReady(), status: String(client.ws.status), ping: client.ws.ping });
