import { REST, Routes, ShardingManager } from 'discord.js';
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
 * The number of shards to run: `SHARDS=N` as given, `SHARDS=auto` as Discord recommends it
 * (GET /gateway/bot). discord.js's own "auto" always asks discord.com, ignoring
 * DISCORD_API_URL, so the bot asks through its configured REST base instead.
 */
export async function resolveShardCount(config: Pick<Config, 'SHARDS' | 'DISCORD_TOKEN' | 'DISCORD_API_URL'>): Promise<number> {
  if (config.SHARDS !== 'auto') {
    const n = Number(config.SHARDS);
    if (!Number.isInteger(n) || n < 1) throw new Error('SHARDS must be "auto" or a number of shards of at least 1');
    return n;
  }
  const rest = new REST({ ...(config.DISCORD_API_URL ? { api: config.DISCORD_API_URL } : {}), retries: 2, timeout: 15_000 }).setToken(config.DISCORD_TOKEN);
  let body: { shards?: unknown };
  try {
    body = (await rest.get(Routes.gatewayBot())) as { shards?: unknown };
  } catch (err) {
    const status = (err as { status?: number }).status;
    throw new Error(`SHARDS=auto: could not ask Discord for the recommended shard count${status ? ` (HTTP ${status}${status === 401 ? ': is DISCORD_TOKEN right?' : ''})` : ''}: ${(err as Error).message}`);
  }
  if (typeof body.shards !== 'number' || !Number.isInteger(body.shards) || body.shards < 1) {
    throw new Error(`SHARDS=auto: Discord's GET /gateway/bot gave no usable shard count (${JSON.stringify(body.shards)})`);
  }
  return body.shards;
}

/**
 * `SHARDS=auto|N`: runs discord.js's ShardingManager, one process per shard, each the whole app
 * (same entry point) sharing PostgreSQL. Returns a stop function for signals.
 */
export async function runShardManager(entry: string, config: Config, log: Logger): Promise<() => Promise<void>> {
  if (!config.DATABASE_URL) throw new Error('SHARDS needs DATABASE_URL: the embedded database serves one process only');
  const totalShards = await resolveShardCount(config);
  if (config.SHARDS === 'auto') log.info({ totalShards }, 'SHARDS=auto: shard count recommended by Discord');
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
