/**
 * Which guilds this process serves. Discord routes a guild to shard (guild_id >> 22) % count;
 * scheduled work (drops, duel and sprint timers) is claimed only by the process owning the
 * guild, so every process can run the scheduler safely.
 */
export interface ShardScope {
  ids: number[];
  count: number;
}

/** This process's shards, from the variables discord.js's ShardingManager gives its children. */
export function currentShardScope(env: NodeJS.ProcessEnv = process.env): ShardScope {
  if (env.SHARDING_MANAGER !== 'true') return { ids: [0], count: 1 };
  // discord.js passes one shard id per process ("0"), or a JSON list.
  const parsed = JSON.parse(env.SHARDS ?? '[0]') as number | number[];
  const ids = Array.isArray(parsed) ? parsed : [parsed];
  return { ids, count: Number(env.SHARD_COUNT ?? ids.length) };
}

export function shardOfGuild(guildId: string, count: number): number {
  if (count <= 1 || !/^\d+$/.test(guildId)) return 0;
  return Number((BigInt(guildId) >> 22n) % BigInt(count));
}

export function ownsGuild(scope: ShardScope, guildId: string): boolean {
  return scope.count <= 1 || scope.ids.includes(shardOfGuild(guildId, scope.count));
}
