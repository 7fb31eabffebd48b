import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from '../log.js';
import { projectPath } from '../paths.js';

/**
 * Applies prisma/migrations the way `prisma migrate deploy` does, without Prisma's native
 * engine (which cannot be downloaded offline). Same history table, same checksums, same
 * advisory lock: a database migrated here is "up to date" for Prisma's own CLI, and vice versa.
 */

export const MIGRATIONS_DIR = projectPath('prisma', 'migrations');
const PRISMA_ADVISORY_LOCK = 72707369;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export class MigrationError extends Error {
  constructor(
    readonly code: 'P3005' | 'P3009' | 'P3018',
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'MigrationError';
  }
}

export function readMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

const HISTORY_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export interface MigrateResult {
  applied: string[];
  alreadyApplied: number;
}

/** Applies every pending migration. Safe to call from several processes at once. */
export async function migrate(connectionString: string, opts: { dir?: string; log?: Logger } = {}): Promise<MigrateResult> {
  const migrations = readMigrations(opts.dir);
  const client = new pg.Client({ connectionString });
  client.on('error', () => {}); // a dropped connection surfaces as a failed query below
  await client.connect();
  try {
    // Session-level lock, the same key Prisma uses: a second process waits here until the first is done.
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_ADVISORY_LOCK]);
    try {
      const { rows: exists } = await client.query<{ present: boolean }>(
        `SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS present`,
      );
      if (!exists[0]?.present) {
        const { rows } = await client.query<{ n: string }>(
          `SELECT count(*) AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = current_schema() AND c.relkind IN ('r','p','v','m','S')`,
        );
        if (Number(rows[0]?.n ?? 0) > 0) {
          throw new MigrationError('P3005', 'the database schema is not empty and has no migration history; baseline it first');
        }
        await client.query(HISTORY_TABLE);
      }
      const { rows: history } = await client.query<{ migration_name: string; finished_at: Date | null; rolled_back_at: Date | null }>(
        'SELECT migration_name, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at',
      );
      const failed = history.find((h) => h.finished_at === null && h.rolled_back_at === null);
      if (failed) {
        throw new MigrationError('P3009', `migration ${failed.migration_name} failed earlier; fix it and mark it rolled back before deploying`);
      }
      const done = new Set(history.filter((h) => h.rolled_back_at === null).map((h) => h.migration_name));
      const applied: string[] = [];
      for (const m of migrations) {
        if (done.has(m.name)) continue;
        const id = randomUUID();
        await client.query('INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, now())', [
          id,
          m.checksum,
          m.name,
        ]);
        try {
          // One simple-protocol query: PostgreSQL runs a multi-statement string as one implicit transaction.
          await client.query(m.sql);
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          await client.query('UPDATE "_prisma_migrations" SET logs = $2 WHERE id = $1', [id, message]).catch(() => {});
          throw new MigrationError('P3018', `migration ${m.name} failed: ${message}`);
        }
        await client.query('UPDATE "_prisma_migrations" SET applied_steps_count = 1, finished_at = now() WHERE id = $1', [id]);
        opts.log?.info({ migration: m.name }, 'applied migration');
        applied.push(m.name);
      }
      return { applied, alreadyApplied: migrations.length - applied.length };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_ADVISORY_LOCK]).catch(() => {});
    }
  } finally {
    await client.end().catch(() => {});
  }
}
