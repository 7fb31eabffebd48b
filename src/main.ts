// Entry point of `npm start`: configuration, then the app, then signal handling.
import 'dotenv/config';
import { commands } from '../commands/index.js';
import { startApp } from './app.js';
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

try {
  const running = await startApp({ config, log, commands });
  const shutdown = (signal: NodeJS.Signals) => {
    const hardStop = setTimeout(() => {
      log.error({ signal }, 'shutdown took longer than 10 s; exiting anyway');
      process.exit(1);
    }, 9_500);
    hardStop.unref();
    running
      .stop(signal)
      .then(() => process.exit(0))
      .catch((err) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
} catch (err) {
  if (err instanceof BankError || err instanceof MigrationError) {
    log.fatal({ problems: err instanceof BankError ? err.problems : undefined }, err.message);
    console.error(err.message);
  } else {
    log.fatal({ err }, 'could not start');
  }
  process.exit(1);
}
