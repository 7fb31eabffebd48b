import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveShardCount } from '../../src/platform/discord/shards.js';
import { FakeDiscord } from '../support/fake-discord.js';

let discord: FakeDiscord;
beforeAll(async () => {
  discord = await FakeDiscord.start({ shards: 3 });
});
afterAll(async () => {
  await discord?.close();
});

const base = () => ({ DISCORD_TOKEN: 'fake-token', DISCORD_API_URL: discord.apiUrl });

describe('shard count', () => {
  it('takes SHARDS=N as given and refuses zero', async () => {
    expect(await resolveShardCount({ ...base(), SHARDS: '4' })).toBe(4);
    await expect(resolveShardCount({ ...base(), SHARDS: '0' })).rejects.toThrow(/at least 1/);
  });

  it('asks the configured API (not discord.com) for the recommended count with SHARDS=auto', async () => {
    expect(await resolveShardCount({ ...base(), SHARDS: 'auto' })).toBe(3);
  });

  it('fails clearly when Discord refuses the token', async () => {
    discord.failNext({ method: 'GET', path: /^\/gateway\/bot$/, status: 401 });
    await expect(resolveShardCount({ ...base(), SHARDS: 'auto' })).rejects.toThrow(/SHARDS=auto: could not ask Discord .*HTTP 401: is DISCORD_TOKEN right/);
  });
});
