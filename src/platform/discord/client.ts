import { Client, GatewayIntentBits, Options, Partials, REST, type RESTOptions } from 'discord.js';
import { Agent } from 'undici';
import type { Config } from '../config.js';

/**
 * The discord.js client. Only the Guilds intent: slash commands, buttons and modals need no
 * privileged intents. Mentions are off by default everywhere (a message pings someone only
 * when its code says so explicitly), so user text can never ping @everyone or roles.
 */
/** The bot's gateway and REST client (the composition root holds it without importing discord.js). */
export type DiscordClient = Client;

export function createDiscordClient(config: Pick<Config, 'DISCORD_API_URL'>): Client {
  const rest: Partial<RESTOptions> = config.DISCORD_API_URL ? { api: config.DISCORD_API_URL } : {};
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    partials: [Partials.Channel],
    allowedMentions: { parse: [], repliedUser: false },
    makeCache: Options.cacheWithLimits({ ...Options.DefaultMakeCacheSettings, MessageManager: 50 }),
    rest,
  });
  exemptInteractionWebhooks(client, rest);
  return client;
}

/** How many requests a second the interaction REST allows itself: in effect, no global cap. */
const INTERACTION_REQUESTS_PER_SECOND = 10_000;
/**
 * Connections it keeps to Discord. Unbounded, a burst (200 duels answering at once) opened
 * hundreds of sockets and starved the process: acknowledgements of new clicks then took up to
 * 5.6 s in bench:compete (max 1.1 s before). With 8: max 1.2-1.3 s, answers p99 ~2.4 s.
 */
const INTERACTION_CONNECTIONS = 8;

/**
 * Discord: "Interaction endpoints are not bound to the bot's Global Rate Limit". discord.js
 * exempts only the interaction callback (the acknowledgement); editing a deferred reply, a
 * follow-up or deleting a reply go through the webhook routes of the interaction token, which
 * its REST counts against the bot's 50 requests/s. During a drop fan-out or a 400-player duel
 * burst, private answers then queued behind channel posts for seconds. Those requests (the
 * application's own webhook, sent without the bot token) go through a second REST instead:
 * same API, its own per-route buckets and 429 handling, no shared global budget, at most
 * INTERACTION_CONNECTIONS sockets. Channel posts keep the 50/s pacing.
 */
export function exemptInteractionWebhooks(client: Client, options: Partial<RESTOptions>): REST {
  const interactionRest = new REST({ ...options, globalRequestsPerSecond: INTERACTION_REQUESTS_PER_SECOND }).setAgent(new Agent({ connections: INTERACTION_CONNECTIONS }));
  const queue = client.rest.queueRequest.bind(client.rest);
  client.rest.queueRequest = (request) => {
    const appId = client.application?.id;
    const own = appId !== undefined && request.auth === false && request.fullRoute.startsWith(`/webhooks/${appId}/`);
    return own ? interactionRest.queueRequest(request) : queue(request);
  };
  return interactionRest;
}
