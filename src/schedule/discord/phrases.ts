import type { Phrasebook } from '../../platform/errors.js';
import { count } from '../../platform/discord/text.js';

const ids = (list: string | number | undefined) => String(list ?? '').split(',').filter(Boolean);

/** The words for /schedule's refusals. */
export const schedulePhrases: Phrasebook = {
  'schedule.bad-time': (p) => `"${p.text}" is not a time of day; use 24-hour HH:MM, e.g. \`09:00\` or \`18:30\`.`,
  'schedule.bad-when': (p) => `"${p.text}" is neither a time (HH:MM) nor a cron expression with five fields (minute hour day month weekday), e.g. \`0 9 * * 1-5\`.`,
  'schedule.bad-cron': (p) => `"${p.text}" is not a valid cron expression${p.reason ? ` (${String(p.reason).replace(/\.$/, '')})` : ''}; for example, \`0 9 * * 1-5\` is 09:00 on weekdays.`,
  'schedule.too-often': () => 'A schedule can fire at most once an hour (one minute value), so use several schedules for several times a day.',
  'schedule.bad-zone': (p) => `"${p.zone}" is not a time zone I know; use an IANA name such as \`Europe/Berlin\` or \`America/New_York\`.`,
  'schedule.unknown-topics': (p) => {
    const unknown = ids(p.unknown);
    return `I have no topic${unknown.length > 1 ? 's' : ''} called ${unknown.map((t) => `\`${t.slice(0, 40)}\``).join(' or ')}; the topics are ${ids(p.known).join(', ')}.`;
  },
  'schedule.limit': (p) => `A server can have at most ${count(Number(p.max), 'schedule')}; remove one first.`,
  'schedule.bad-id': () => 'Pick the schedule from the list offered as you type, or give the id `/schedule list` shows.',
  'schedule.ambiguous-id': () => 'That id matches several schedules; give more characters.',
  'schedule.not-found': (p) => `There is no schedule \`${p.id}\` in this server; see \`/schedule list\`.`,
};
