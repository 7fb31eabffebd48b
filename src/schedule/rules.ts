import { CronExpressionParser } from 'cron-parser';
import nodeCron from 'node-cron';
import { DomainError } from '../platform/errors.js';
import { isValidTimeZone } from '../guilds/rules.js';

/**
 * When a schedule fires: a daily "HH:MM" or a five-field cron expression, in an IANA time
 * zone. Stored as a cron expression; the next run is always computed in the schedule's zone,
 * so a 09:00 Europe/Berlin drop stays at 09:00 local time across daylight-saving changes.
 */

export const MAX_SCHEDULES_PER_GUILD = 10;

/** Turns the member's input into a five-field cron expression, or refuses it (`schedule.*`). */
export function parseWhen(input: string): string {
  const text = input.trim().replace(/\s+/g, ' ');
  const hhmm = /^(\d{1,2}):(\d{2})$/.exec(text);
  if (hhmm) {
    const [h, m] = [Number(hhmm[1]), Number(hhmm[2])];
    if (h > 23 || m > 59) throw new DomainError('schedule.bad-time', { text });
    return `${m} ${h} * * *`;
  }
  const fields = text.split(' ');
  if (fields.length !== 5) throw new DomainError('schedule.bad-when', { text: text.slice(0, 60) });
  const check = nodeCron.validateDetailed(text);
  if (!check.valid) {
    const first = check.errors[0];
    throw new DomainError('schedule.bad-cron', { text: text.slice(0, 60), reason: first ? (first.message ?? String(first)) : '' });
  }
  // At most one drop an hour: a busier schedule would flood the channel.
  const minutes = nodeCron.parse(text).minute;
  if (minutes.length > 1) throw new DomainError('schedule.too-often');
  return text;
}

export function checkTimeZone(zone: string): string {
  const z = zone.trim();
  if (!isValidTimeZone(z)) throw new DomainError('schedule.bad-zone', { zone: z.slice(0, 64) });
  return z;
}

/** Topic ids from the member's list ("a, b c"); refuses any the bank does not know. */
export function parseTopics(input: string | null, known: ReadonlySet<string>): string[] {
  const topics = (input ?? '').split(/[\s,]+/).filter(Boolean);
  const unknown = topics.filter((t) => !known.has(t));
  // Split on commas and spaces above, so neither is inside an id: the lists travel joined by commas.
  if (unknown.length) throw new DomainError('schedule.unknown-topics', { unknown: unknown.join(','), known: [...known].join(',') });
  return topics;
}

/** The first run strictly after `after`, in the schedule's time zone. */
export function nextRun(cron: string, timeZone: string, after: Date): Date {
  return CronExpressionParser.parse(cron, { currentDate: after, tz: timeZone }).next().toDate();
}

/** The short id a member typed (the start of a schedule's id, as /schedule list shows it), normalised. */
export function checkShortId(shortId: string): string {
  const id = shortId.trim().toLowerCase();
  if (!/^[0-9a-f-]{4,36}$/.test(id)) throw new DomainError('schedule.bad-id');
  return id;
}

/** The one schedule whose id starts with the (checked) short id. */
export function matchShortId<T extends { id: string }>(schedules: readonly T[], id: string): T {
  const hit = schedules.filter((s) => s.id.startsWith(id));
  if (hit.length > 1) throw new DomainError('schedule.ambiguous-id', {}, 'not-found');
  if (hit.length === 0) throw new DomainError('schedule.not-found', { id }, 'not-found');
  return hit[0]!;
}
