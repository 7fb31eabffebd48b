/**
 * Calendar arithmetic for leaderboards, in a server's IANA time zone. Days are ISO dates
 * ("2026-03-02"), the same values as `daily_scores.day` and `streaks.last_day`, which the
 * answers trigger computes as `(answered_at AT TIME ZONE <server zone>)::date`.
 */

export type Period = 'week' | 'month' | 'all';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-CA', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      });
    } catch {
      throw new RangeError(`Unknown time zone "${timeZone}"`);
    }
    if (formatters.size > 500) formatters.clear();
    formatters.set(timeZone, f);
  }
  return f;
}

/** Wall-clock fields of `at` in `timeZone`. */
function wallClock(at: Date, timeZone: string): { y: number; m: number; d: number; h: number; min: number; s: number } {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(at)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { y: parts.year!, m: parts.month!, d: parts.day!, h: parts.hour!, min: parts.minute!, s: parts.second! };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function isoDate(y: number, m: number, d: number): string {
  return `${y < 0 ? '-' : ''}${pad(Math.abs(y), 4)}-${pad(m)}-${pad(d)}`;
}

function parseDate(day: string): { y: number; m: number; d: number } {
  const match = /^(-?\d{4,6})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) throw new TypeError(`not an ISO date: ${day}`);
  return { y: Number(match[1]), m: Number(match[2]), d: Number(match[3]) };
}

/** The calendar date of `at` in `timeZone`, as "YYYY-MM-DD". Throws RangeError for an unknown zone. */
export function localDate(at: Date, timeZone: string): string {
  const w = wallClock(at, timeZone);
  return isoDate(w.y, w.m, w.d);
}

/** `day` plus `n` calendar days. */
export function addDays(day: string, n: number): string {
  const { y, m, d } = parseDate(day);
  const t = new Date(Date.UTC(y, m - 1, d + n));
  return isoDate(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/** ISO weekday of a date: 1 Monday .. 7 Sunday. */
export function isoWeekday(day: string): number {
  const { y, m, d } = parseDate(day);
  return ((new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7) + 1;
}

/** The first day of the period containing `now` (week: Monday; month: the 1st), or null for all time. */
export function periodStartDay(period: Period, now: Date, timeZone: string): string | null {
  if (period === 'all') return null;
  const today = localDate(now, timeZone);
  if (period === 'week') return addDays(today, 1 - isoWeekday(today));
  if (period === 'month') return `${today.slice(0, -2)}01`;
  throw new TypeError(`unknown period ${String(period)}`);
}

/** Offset of `timeZone` from UTC at instant `t`, in milliseconds (wall clock minus UTC). */
function offsetMs(t: number, timeZone: string): number {
  const w = wallClock(new Date(t), timeZone);
  return Date.UTC(w.y, w.m - 1, w.d, w.h, w.min, w.s) - Math.floor(t / 1000) * 1000;
}

/**
 * The first instant of `day` in `timeZone` (local midnight; in the rare zones whose clocks skip
 * midnight on a DST change, the first instant that belongs to the day).
 */
export function startOfDay(day: string, timeZone: string): Date {
  const { y, m, d } = parseDate(day);
  const wall = Date.UTC(y, m - 1, d);
  let t = wall - offsetMs(wall, timeZone);
  t = wall - offsetMs(t, timeZone);
  // Skipped midnight (or an offset read on the wrong side of a change): find the first instant
  // whose local date is `day`, between 3 hours before and 3 hours after the estimate.
  if (localDate(new Date(t), timeZone) !== day || localDate(new Date(t - 1), timeZone) === day) {
    let lo = t - 3 * 3_600_000;
    let hi = t + 3 * 3_600_000;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (localDate(new Date(mid), timeZone) >= day) hi = mid;
      else lo = mid;
    }
    t = hi;
  }
  return new Date(t);
}
