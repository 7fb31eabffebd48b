/**
 * Property tests run with a fixed seed in CI (CI=true), so a red build is about the change
 * that was pushed, not about a lucky draw; locally every run draws a new seed and explores
 * new cases. FC_SEED=<number> replays a failure (fast-check prints the seed), FC_SEED=random
 * explores in CI too. Whatever a random run finds becomes an example-based regression test.
 */
import fc from 'fast-check';

const wanted = process.env.FC_SEED ?? (process.env.CI ? '20261127' : 'random');
if (wanted !== 'random') {
  const seed = Number(wanted);
  if (!Number.isInteger(seed)) throw new Error(`FC_SEED must be a whole number or "random", not ${JSON.stringify(wanted)}`);
  fc.configureGlobal({ seed });
}
