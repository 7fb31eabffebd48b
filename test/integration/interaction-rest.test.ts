/**
 * The real discord.js client from createDiscordClient against the fake Discord: editing a
 * deferred reply must not wait behind the bot's own channel posts in discord.js's global
 * 50 requests/s queue (Discord does not count interaction endpoints against that limit).
 */
import { Events, Routes, type Client } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordClient } from '../../src/platform/discord/client.js';
import { FakeDiscord } from '../support/fake-discord.js';

const POSTS = 120; // more than two seconds of discord.js's 50/s global budget
let discord: FakeDiscord;
let client: Client;

beforeAll(async () => {
  discord = await FakeDiscord.start({ commands: [{ name: 'help' }], guilds: [{ name: 'Busy', channels: Array.from({ length: POSTS / 2 }, (_, i) => `c${i}`) }] });
  client = createDiscordClient({ DISCORD_API_URL: discord.apiUrl });
  const ready = new Promise((resolve) => client.once(Events.ClientReady, resolve));
  await client.login('fake-token');
  await ready;
}, 60_000);

afterAll(async () => {
  await client?.destroy();
  await discord?.close();
});

describe('interaction webhooks and the global rate limit', () => {
  it('edits a deferred reply at once while 120 channel posts are queued behind the 50/s limit', async () => {
    const posts: Promise<unknown>[] = [];
    client.once(Events.InteractionCreate, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.deferReply();
      for (const channel of discord.guilds[0]!.channels) {
        for (const n of [1, 2]) posts.push(client.rest.post(Routes.channelMessages(channel.id), { body: { content: `post ${n}` } }));
      }
      await interaction.editReply('your answer is recorded');
    });
    const h = discord.sendSlash(discord.user('member'), 'help', {}, { guild: discord.guilds[0], channel: discord.guilds[0]!.channels[0] });
    await h.waitFor((x) => x.answered, 10_000, 'the edited reply');
    expect(h.content).toBe('your answer is recorded');
    await Promise.all(posts);

    const order = discord.requests.filter((r) => r.method === 'POST' && /^\/channels\/\d+\/messages$/.test(r.path) || (r.method === 'PATCH' && r.path.startsWith(`/webhooks/${discord.applicationId}/`)));
    const edit = order.findIndex((r) => r.method === 'PATCH');
    expect(order.filter((r) => r.method === 'POST')).toHaveLength(POSTS);
    // discord.js lets 50 requests out per one-second window: queued behind the posts, the edit
    // would go out with the second window, after at least 50 posts. It goes out with the first.
    // (Counted in arrival order, not time: on a loaded machine the fake's receipt times lag.)
    expect(edit).toBeGreaterThanOrEqual(0);
    const postsBeforeEdit = order.slice(0, edit).length;
    expect(postsBeforeEdit).toBeLessThan(50);
    // The premise: the posts really were paced (three windows; two at the very least).
    const firstPost = order.find((r) => r.method === 'POST')!;
    expect(order.at(-1)!.at - firstPost.at).toBeGreaterThanOrEqual(1000);
  }, 30_000);
});
