import { CronExpressionParser } from 'cron-parser';
import nodeCron from 'node-cron';
import { UserError } from '../platform/errors.js';
import { isValidTimeZone } from '../guilds/rules.js';

/**
 * When a schedule fires: a daily "HH:MM" or a five-field cron expression, in an IANA time
 * zone. Stored as a cron expression; the next run is always computed in the schedule's zone,
 * so a 09:00 Europe/Berlin drop stays at 09:00 local time across daylight-saving changes.
 */

/** Turns the member's input into a five-field cron expression, or explains what is wrong. */
export function parseWhen(input: string): string {
  const text = input.trim().replace(/\s+/g, ' ');
  const hhmm = /^(\d{1,2}):(\d{2})$/.exec(text);
  if (hhmm) {
    const [h, m] = [Number(hhmm[1]), Number(hhmm[2])];
    if (h > 23 || m > 59) throw new UserError(`"${text}" is not a time of day. Use 24-hour HH:MM, e.g. \`09:00\` or \`18:30\`.`);
    return `${m} ${h} * * *`;
  }
  const fields = text.split(' ');
  if (fields.length !== 5) {
    throw new UserError(`"${text.slice(0, 60)}" is neither a time (HH:MM) nor a cron expression with five fields (minute hour day month weekday), e.g. \`0 9 * * 1-5\`.`);
  }
  const check = nodeCron.validateDetailed(text);
  if (!check.valid) {
    const first = check.errors[0];
    throw new UserError(`"${text.slice(0, 60)}" is not a valid cron expression${first ? `: ${first.message ?? String(first)}` : ''}. Example: \`0 9 * * 1-5\` (09:00 on weekdays).`);
  }
  // At most one drop an hour: a busier schedule would flood the channel.
  const minutes = nodeCron.parse(text).minute;
  if (minutes.length > 1) throw new UserError('A schedule can fire at most once an hour (one minute value). Use several schedules for several times a day.');
  return text;
}

export function checkTimeZone(zone: string): string {
  const z = zone.trim();
  if (!isValidTimeZone(z)) throw new UserError(`"${z.slice(0, 64)}" is not a time zone I know. Use an IANA name such as \`Europe/Berlin\` or \`America/New_York\`.`);
  return z;
}

/** The first run strictly after `after`, in the schedule's time zone. */
export function nextRun(cron: string, timeZone: string, after: Date): Date {
  return CronExpressionParser.parse(cron, { currentDate: after, tz: timeZone }).next().toDate();
}

/** A human description: "every day at 09:00 (Europe/Berlin)" or the cron expression. */
export function describeWhen(cron: string, timeZone: string): string {
  const m = /^(\d{1,2}) (\d{1,2}) \* \* \*$/.exec(cron);
  if (m) return `every day at ${m[2]!.padStart(2, '0')}:${m[1]!.padStart(2, '0')} (${timeZone})`;
  return `\`${cron}\` (${timeZone})`;
}
