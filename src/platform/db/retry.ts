/** Transient failures worth retrying the whole transaction for: deadlock, serialization failure. */
export function isRetryable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 5) return false;
  const e = err as { code?: unknown; cause?: unknown; meta?: { driverAdapterError?: { cause?: { originalCode?: unknown; code?: unknown } } } };
  if (e.code === '40P01' || e.code === '40001' || e.code === 'P2034') return true;
  const cause = e.meta?.driverAdapterError?.cause;
  if (cause && (cause.originalCode === '40P01' || cause.originalCode === '40001' || cause.code === '40P01' || cause.code === '40001')) return true;
  return isRetryable(e.cause, depth + 1);
}

/**
 * Runs `attempt` (a whole transaction) again when PostgreSQL reports a deadlock or a
 * serialization failure, which rolled it back: up to `times` tries in all.
 */
export async function retryTransient<T>(attempt: () => Promise<T>, times = 3): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      if (n >= times || !isRetryable(err)) throw err;
    }
  }
}
