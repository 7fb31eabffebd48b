import type { Schedule } from '../store.js';

/** A human description: "every day at 09:00 (Europe/Berlin)" or the cron expression. */
export function describeWhen(cron: string, timeZone: string): string {
  const m = /^(\d{1,2}) (\d{1,2}) \* \* \*$/.exec(cron);
  if (m) return `every day at ${m[2]!.padStart(2, '0')}:${m[1]!.padStart(2, '0')} (${timeZone})`;
  return `\`${cron}\` (${timeZone})`;
}

/** One schedule as /schedule shows it: short id, channel, when, what, cadence, next run. */
export function scheduleLine(s: Schedule): string {
  const followUps = [s.revealEveryMinutes ? `every ${s.revealEveryMinutes} min` : '', s.revealAfterAnswers ? `after ${s.revealAfterAnswers} answers` : ''].filter(Boolean).join(' or ') || 'every 60 min';
  return `\`${s.id.slice(0, 8)}\` <#${s.channelId}> ${describeWhen(s.cron, s.timeZone)}${s.topics.length ? ` · topics ${s.topics.join(', ')}` : ''}${s.level ? ` · ${s.level}` : ''}${s.roleId ? ` · pings <@&${s.roleId}>` : ''} · follow-ups ${followUps}${s.paused ? ' · **paused**' : ` · next <t:${Math.floor(s.nextRunAt.getTime() / 1000)}:R>`}`;
}

export const scheduleReplies = {
  created: (s: Schedule) => `Scheduled. ${scheduleLine(s)}`,
  list: (all: readonly Schedule[]) => (all.length ? all.map(scheduleLine).join('\n') : 'No schedules yet. Add one with `/schedule set`.'),
  paused: (s: Schedule) => `Paused. ${scheduleLine(s)}`,
  resumed: (s: Schedule) => `Resumed. ${scheduleLine(s)}`,
  removed: (s: Schedule) => `Removed schedule \`${s.id.slice(0, 8)}\`.`,
} as const;
