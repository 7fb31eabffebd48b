import { clip, count } from '../../platform/discord/text.js';
import type { Schedule } from '../store.js';

/** A human description: "every day at 09:00 (Europe/Berlin)" or the cron expression. */
export function describeWhen(cron: string, timeZone: string): string {
  const m = /^(\d{1,2}) (\d{1,2}) \* \* \*$/.exec(cron);
  if (m) return `every day at ${m[2]!.padStart(2, '0')}:${m[1]!.padStart(2, '0')} (${timeZone})`;
  return `\`${cron}\` (${timeZone})`;
}

/** One schedule as /schedule shows it: short id, channel, when, what, cadence, next run. */
export function scheduleLine(s: Schedule): string {
  const followUps = [s.revealEveryMinutes ? `every ${s.revealEveryMinutes} min` : '', s.revealAfterAnswers ? `after ${count(s.revealAfterAnswers, 'answer')}` : ''].filter(Boolean).join(' or ') || 'every 60 min';
  return `\`${s.id.slice(0, 8)}\` <#${s.channelId}> ${describeWhen(s.cron, s.timeZone)}${s.topics.length ? ` · topics ${s.topics.join(', ')}` : ''}${s.level ? ` · ${s.level}` : ''}${s.roleId ? ` · pings <@&${s.roleId}>` : ''} · follow-ups ${followUps}${s.paused ? ' · **paused**' : ` · next <t:${Math.floor(s.nextRunAt.getTime() / 1000)}:R>`}`;
}

export const scheduleReplies = {
  created: (s: Schedule) => `Scheduled. ${scheduleLine(s)}`,
  list: (all: readonly Schedule[]) => (all.length ? all.map(scheduleLine).join('\n') : 'No schedules yet. Add one with `/schedule set`.'),
  paused: (s: Schedule) => `Paused. ${scheduleLine(s)}`,
  resumed: (s: Schedule) => `Resumed. ${scheduleLine(s)}`,
  removed: (s: Schedule) => `Removed schedule \`${shortId(s)}\` (<#${s.channelId}> ${describeWhen(s.cron, s.timeZone)}).`,
} as const;

/** The short id /schedule shows and accepts. */
export const shortId = (s: Schedule) => s.id.slice(0, 8);

/** When, in plain words for an autocomplete choice (which shows no markdown): "daily 09:00 Europe/Berlin". */
function whenPlain(cron: string, timeZone: string): string {
  const m = /^(\d{1,2}) (\d{1,2}) \* \* \*$/.exec(cron);
  return m ? `daily ${m[2]!.padStart(2, '0')}:${m[1]!.padStart(2, '0')} ${timeZone}` : `cron ${cron} ${timeZone}`;
}

/**
 * A schedule as an autocomplete choice for the `id` option: where, when and what, so an admin
 * picks it by what it does instead of copying its id (the value).
 */
export function scheduleChoice(s: Schedule, channelName: string | null): { name: string; value: string } {
  const what = [s.topics.length ? s.topics.join(', ') : 'all topics', s.level].filter(Boolean).join(' ');
  const name = [`#${channelName ?? 'deleted channel'}`, whenPlain(s.cron, s.timeZone), what, s.paused ? 'paused' : ''].filter(Boolean).join(' · ');
  return { name: clip(`${name} (${shortId(s)})`, 100), value: shortId(s) };
}
