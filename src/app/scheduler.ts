import nodeCron from 'node-cron';
import type { Logger } from '../platform/log.js';

/** One periodic job: does what is due and says how much it did (0 = nothing, not logged). */
export interface TickJob {
  name: string;
  run(): Promise<number | Record<string, number>>;
}

export interface Scheduler {
  stop(): Promise<void>;
}

const total = (r: number | Record<string, number>) => (typeof r === 'number' ? r : Object.values(r).reduce((a, b) => a + b, 0));

/**
 * The scheduler: every `tickSeconds`, runs each job in turn. The database decides what is due
 * (claims, leases, conditional updates), so every process may tick. A tick still running when
 * the next is due is not overlapped; a failing job is logged and retried next tick without
 * stopping the jobs after it.
 */
export function startScheduler({ tickSeconds, jobs, log }: { tickSeconds: number; jobs: readonly TickJob[]; log: Logger }): Scheduler {
  let ticking = false;
  const task = nodeCron.schedule(`*/${tickSeconds} * * * * *`, async () => {
    if (ticking) return;
    ticking = true;
    try {
      const done: Record<string, number> = {};
      let any = false;
      for (const job of jobs) {
        try {
          const r = await job.run();
          Object.assign(done, typeof r === 'number' ? { [job.name]: r } : r);
          any ||= total(r) > 0;
        } catch (err) {
          log.warn({ err, job: job.name }, 'scheduler job failed; retrying next tick');
        }
      }
      if (any) log.info(done, 'scheduler tick');
    } finally {
      ticking = false;
    }
  });
  return {
    async stop() {
      await task.stop();
    },
  };
}
