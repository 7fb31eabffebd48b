// `npm run db:migrate`: applies pending migrations to DATABASE_URL (or the embedded database).
import 'dotenv/config';
import { createLogger } from '../log.js';
import { startEmbeddedDatabase } from './embedded.js';
import { migrate } from './migrate.js';

const log = createLogger(process.env.LOG_LEVEL ?? 'info');
let url = process.env.DATABASE_URL;
let stop = async () => {};
if (!url) {
  const embedded = await startEmbeddedDatabase({ dataDir: process.env.DATA_DIR ?? './data' });
  url = embedded.url;
  stop = embedded.stop;
  log.info({ dataDir: embedded.dataDir }, 'DATABASE_URL is not set: using the embedded PostgreSQL (PGlite) under the data directory');
}
try {
  const result = await migrate(url, { log });
  log.info(result, result.applied.length ? 'migrations applied' : 'database is up to date');
} catch (err) {
  log.error({ err }, 'migration failed');
  process.exitCode = 1;
} finally {
  await stop();
}
