/**
 * Points for a timed answer to a shared question (a drop step, a duel or sprint round). Pure;
 * no mode imports another's module for it.
 */

/** Speed-round score: 1000 + a bonus that falls from 999 to 0 over the window; 0 when wrong. */
export function speedPoints(correct: boolean, responseMs: number, windowMs: number): number {
  if (!correct) return 0;
  const t = Math.min(Math.max(responseMs, 0), windowMs);
  return 1000 + Math.round(999 * (1 - t / windowMs));
}
