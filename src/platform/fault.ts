/**
 * Test-only crash points for the kill -9 tests (test/faults/). With BACKPROP_FAULT=<name> in
 * the environment the process SIGKILLs itself when it reaches `crashPoint(<name>)`, so a test
 * can stop it at an exact step. Without the variable (production) every call is a no-op.
 *
 * Points: `duel-after-finish` — a duel's result has just been committed, nothing posted yet.
 */
const armed = process.env.BACKPROP_FAULT;

export function crashPoint(name: string): void {
  if (armed === name) process.kill(process.pid, 'SIGKILL');
}
