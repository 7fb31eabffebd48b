// Entry point of `npm start`: configuration, then the app, then signal handling.
import 'dotenv/config';
import { commands } from '../commands/index.js';
import { startApp, type RunningApp } from './app.js';
import { BankError } from './bank/load.js';
import { ConfigError, loadConfig } from './config.js';
import { MigrationError } from './db/migrate.js';
import { createLogger } from './log.js';

let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}

const log = createLogger(config.LOG_LEVEL);
process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled promise rejection'));
process.on('uncaughtException', (err) => log.fatal({ err }, 'uncaught exception'));

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
