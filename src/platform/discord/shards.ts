import { REST, Routes, ShardingManager } from 'discord.js';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';



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
