// Entry point of `npm start`: configuration, then the app, then signal handling.
import 'dotenv/config';
import { commands } from '../commands/index.js';
import { fileURLToPath } from 'node:url';
import { startApp, type RunningApp } from './app/start.js';
import { runShardManager } from './platform/discord/shards.js';
import { BankError } from './bank/load.js';
import { ConfigError, loadConfig, type Config } from './platform/config.js';
import { MigrationError } from './platform/db/migrate.js';
import { createLogger } from './platform/log.js';

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
}
const config = readConfig();

const log = createLogger(config.LOG_LEVEL);
process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled promise rejection'));
process.on('uncaughtException', (err) => log.fatal({ err }, 'uncaught exception'));

// SHARDS=auto|N: this process only manages one child process per shard (each runs this file).
if (config.SHARDS && process.env.SHARDING_MANAGER !== 'true') {
  try {
    const stopShards = await runShardManager(fileURLToPath(import.meta.url), config, log);
    const stop = (signal: NodeJS.Signals) => {
      log.info({ signal }, 'stopping every shard');
      setTimeout(() => process.exit(1), 9_500).unref();
      void stopShards().then(() => process.exit(0));
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  } catch (err) {
    log.fatal({ err }, 'could not start the shards');
    console.error((err as Error).message);
    process.exit(1);
  }
} else {
  await runSingle();
}

async function runSingle(): Promise<void> {
// Signals are handled from the first moment: one arriving during start-up stops the app as
// soon as it is up (or gives up after 10 s), never killing it half-way through a migration.
let running: RunningApp | undefined;
let stopping = false;
const shutdown = (signal: NodeJS.Signals) => {
  if (stopping) return;
  stopping = true;
  const hardStop = setTimeout(() => {
    log.error({ signal }, 'shutdown took longer than 10 s; exiting anyway');
    process.exit(1);
  }, 9_500);
  hardStop.unref();
  if (!running) {
    log.info({ signal }, 'signal received during start-up; stopping once started');
    return;
  }
  running
    .stop(signal)
    .then(() => process.exit(0))
    .catch((err) => {
      log.error({ err }, 'shutdown failed');
      process.exit(1);
    });
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

try {
  const { CLOCK_OFFSET_MS: offset, CLOCK_SPEED: speed } = config;
  let clock: (() => Date) | undefined;
  if (offset !== 0 || speed !== 1) {
    const origin = config.CLOCK_ANCHOR_MS ?? Date.now();
    clock = () => new Date(origin + offset + (Date.now() - origin) * speed);
    log.warn({ offsetMs: offset, speed }, 'the clock is shifted (CLOCK_OFFSET_MS / CLOCK_SPEED)');
  }
  running = await startApp({ config, log, commands, ...(clock ? { clock } : {}) });
  if (stopping) {
    await running.stop('signal during start-up');
    process.exit(0);
  }
} catch (err) {
  if (err instanceof BankError || err instanceof MigrationError) {
    log.fatal({ problems: err instanceof BankError ? err.problems : undefined }, err.message);
    console.error(err.message);
  } else {
    log.fatal({ err }, 'could not start');
  }
  process.exit(1);
}
}
