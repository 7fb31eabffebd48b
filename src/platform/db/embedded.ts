import { mkdirSync, openSync, closeSync, readFileSync, writeFileSync, unlinkSync, existsSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import type { Logger } from '../log.js';

/**
 * PostgreSQL compiled to WebAssembly (PGlite), served on a loopback port over the ordinary
 * wire protocol, so the application connects to it exactly as it would to a real server.
 * Used when DATABASE_URL is unset, for zero-setup self-hosting and tests on machines
 * without a PostgreSQL server. One process at a time may own a data directory.
 */
export interface EmbeddedDatabase {
  url: string;
  dataDir: string | null;
  stop(): Promise<void>;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function takeLock(dir: string): () => void {
  const lockFile = path.join(dir, 'backprop.pid');
  if (existsSync(lockFile)) {
    const pid = Number(readFileSync(lockFile, 'utf8'));
    if (pid && pid !== process.pid && isAlive(pid)) {
      throw new Error(`the embedded database in ${dir} is already used by process ${pid}; set DATABASE_URL to share a PostgreSQL server between processes`);
    }
    unlinkSync(lockFile);
  }
  const fd = openSync(lockFile, 'wx');
  writeFileSync(fd, String(process.pid));
  closeSync(fd);
  return () => {
    try {
      unlinkSync(lockFile);
    } catch {
      /* already gone */
    }
  };
}

/** Starts an embedded PostgreSQL. `dataDir: null` keeps everything in memory (tests). */
export async function startEmbeddedDatabase(opts: { dataDir: string | null; maxConnections?: number; log?: Logger }): Promise<EmbeddedDatabase> {
  let release = () => {};
  let dataDir: string | null = null;
  if (opts.dataDir) {
    dataDir = path.resolve(opts.dataDir);
    mkdirSync(dataDir, { recursive: true });
    release = takeLock(dataDir);
  }
  try {
    const db = await PGlite.create(dataDir ? path.join(dataDir, 'pglite') : undefined);
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: opts.maxConnections ?? 20 });
    await server.start();
    const address = (server as unknown as { server: { address(): { port: number } } }).server.address();
    const url = `postgresql://postgres@127.0.0.1:${address.port}/postgres`;
    return {
      url,
      dataDir,
      async stop() {
        await server.stop().catch(() => {});
        await db.close().catch(() => {});
        release();
      },
    };
  } catch (err) {
    release();
    throw err;
  }
}
