import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient, type Prisma } from '../../generated/prisma/client.js';
import type { Logger } from '../log.js';

export type Db = PrismaClient;

/** An open transaction: services pass it to the store methods that must share it. */
export type Tx = Prisma.TransactionClient;

/** How a service runs its use case in one transaction without knowing the client. */
export interface Transactor {
  transaction<T>(fn: (tx: Tx) => Promise<T>, limits?: { maxWait?: number; timeout?: number }): Promise<T>;
}

export interface Database extends Transactor {
  prisma: PrismaClient;
  pool: pg.Pool;
  /** Resolves true when a trivial query succeeds within the timeout. */
  ping(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Prisma Client over the `pg` driver adapter (no native engine needed). We own the pool so
 * that an idle connection killed by a database restart is logged instead of crashing the
 * process (pg emits 'error' on the pool), and new queries simply reconnect once it is back.
 */
export function connectDatabase(url: string, opts: { poolSize: number; log: Logger }): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolSize,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  pool.on('error', (err) => opts.log.warn({ err: { message: err.message, code: (err as { code?: string }).code } }, 'idle database connection lost'));
  const prisma = new PrismaClient({
    adapter: new PrismaPg(pool),
    // Prisma's defaults (2 s to get a connection, 5 s per interactive transaction) turned a
    // busy moment (every connection in use, a transaction queued on a row lock) into errors.
    transactionOptions: { maxWait: 5_000, timeout: 15_000 },
  });
  return {
    prisma,
    pool,
    transaction: (fn, limits) => prisma.$transaction(fn, limits),
    async ping(timeoutMs = 2_000) {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          pool.query('SELECT 1'),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
          }),
        ]);
        return true;
      } catch {
        return false;
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      await prisma.$disconnect().catch(() => {});
      await pool.end().catch(() => {});
    },
  };
}

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '08000',
  '08001',
  '08003',
  '08006',
  'P1001',
  'P1002',
  'P1017',
  'P2024',
  'P2028', // transaction API error: could not start in time, or expired (rolled back either way)
]);

/** True when an error means "the database cannot be reached right now", as opposed to a bug. */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 5) return false;
  const e = err as { code?: unknown; errorCode?: unknown; message?: unknown; cause?: unknown; name?: unknown };
  for (const code of [e.code, e.errorCode]) if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
  if (e.name === 'PrismaClientInitializationError') return true;
  if (typeof e.message === 'string' && /(Connection terminated|connect ECONNREFUSED|Can't reach database|timeout exceeded when trying to connect|server closed the connection|terminating connection|the database system is (starting up|shutting down))/i.test(e.message)) {
    return true;
  }
  return isDatabaseUnavailable(e.cause, depth + 1);
}

/**
 * True for a unique-constraint violation, however Prisma reports it: P2002 from model queries,
 * or P2010 (raw query failed) with the driver adapter's cause (SQLSTATE 23505).
 */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: unknown; meta?: { driverAdapterError?: { cause?: { kind?: unknown; code?: unknown; originalCode?: unknown } } } } | null;
  if (e?.code === 'P2002') return true;
  const cause = e?.meta?.driverAdapterError?.cause;
  return cause?.kind === 'UniqueConstraintViolation' || cause?.code === '23505' || cause?.originalCode === '23505';
}

/**
 * A transaction-scoped advisory lock on (space, key), held until the transaction ends: makes a
 * "check, then create" atomic where no unique index can express the rule.
 */
export async function lockKey(tx: Prisma.TransactionClient, space: number, key: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${space}::int4, hashtext(${key}))`;
}
