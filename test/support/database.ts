/**
 * A fresh, empty database for one test file: a new database on the PostgreSQL server
 * (TEST_DATABASE_URL, else DATABASE_URL, else 127.0.0.1:5432), never the developer's own;
 * or, when no server answers, an in-memory embedded PostgreSQL (PGlite) on a loopback port.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startEmbeddedDatabase } from '../../src/platform/db/embedded.js';

export interface TestDatabase {
  url: string;
  embedded: boolean;
  drop(): Promise<void>;
}

export function adminUrl(): string {
  return process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
}

let serverAvailable: boolean | undefined;
export async function serverReachable(): Promise<boolean> {
  if (process.env.BACKPROP_TEST_EMBEDDED === '1') return false;
  if (serverAvailable !== undefined) return serverAvailable;
  const client = new pg.Client({ connectionString: adminUrl(), connectionTimeoutMillis: 2_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.end();
    serverAvailable = true;
  } catch {
    serverAvailable = false;
  }
  return serverAvailable;
}

export async function createTestDatabase(label = 'test'): Promise<TestDatabase> {
  if (!(await serverReachable())) {
    const embedded = await startEmbeddedDatabase({ dataDir: null, maxConnections: 30 });
    return { url: embedded.url, embedded: true, drop: embedded.stop };
  }
  const name = `bp_${label.replace(/[^a-z0-9_]/gi, '_').toLowerCase().slice(0, 30)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    embedded: false,
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => {});
      await c.end();
    },
  };
}
