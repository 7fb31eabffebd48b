import { ShardingManager } from 'discord.js';
import { Prisma } from '../generated/prisma/client.js';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';

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

/**
 * `SHARDS=auto|N`: runs discord.js's ShardingManager, one process per shard, each the whole app
 * (same entry point) sharing PostgreSQL. Returns a stop function for signals.
 */
export async function runShardManager(entry: string, config: Config, log: Logger): Promise<() => Promise<void>> {
  if (!config.DATABASE_URL) throw new Error('SHARDS needs DATABASE_URL: the embedded database serves one process only');
  const totalShards = config.SHARDS === 'auto' ? 'auto' : Number(config.SHARDS);
  if (totalShards !== 'auto' && !(Number.isInteger(totalShards) && totalShards >= 1)) throw new Error('SHARDS must be "auto" or a number of shards of at least 1');
  const manager = new ShardingManager(entry, {
    token: config.DISCORD_TOKEN,
    totalShards,
    mode: 'process',
    respawn: true,
    execArgv: process.execArgv,
  });
  manager.on('shardCreate', (shard) => {
    log.info({ shardId: shard.id, totalShards: manager.totalShards }, 'shard launched');
    shard.on('death', () => log.warn({ shardId: shard.id }, 'shard process exited; respawning'));
  });
  await manager.spawn({ timeout: 120_000 });
  log.info({ shards: manager.shards.size }, 'all shards ready');
  return async () => {
    manager.respawn = false;
    await Promise.all(
      [...manager.shards.values()].map(
        (shard) =>
          new Promise<void>((resolve) => {
            const child = shard.process;
            if (!child || child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
  };
}

/** SQL condition "this row's guild belongs to this process" (always true unsharded). */
export function shardCondition(scope: ShardScope): Prisma.Sql {
  if (scope.count <= 1) return Prisma.sql`TRUE`;
  return Prisma.sql`(guild_id ~ '^[0-9]+$' AND ((guild_id::numeric::bigint >> 22) % ${scope.count}) = ANY(${scope.ids}::int[]))`;
}
