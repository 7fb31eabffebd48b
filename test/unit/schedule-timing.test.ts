import { describe, expect, it } from 'vitest';
import { schedulePhrases } from '../../src/schedule/discord/phrases.js';
import { describeWhen } from '../../src/schedule/discord/views.js';
import { checkShortId, checkTimeZone, matchShortId, nextRun, parseTopics, parseWhen } from '../../src/schedule/rules.js';
import { refusal } from '../support/phrases.js';

const refused = (fn: () => unknown) => refusal(schedulePhrases, fn);

describe('schedule timing', () => {
  it('reads HH:MM and cron expressions', () => {
    expect(parseWhen('09:00')).toBe('0 9 * * *');
    expect(parseWhen(' 7:05 ')).toBe('5 7 * * *');
    expect(parseWhen('30 18 * * 1-5')).toBe('30 18 * * 1-5');
    expect(describeWhen('0 9 * * *', 'Europe/Berlin')).toBe('every day at 09:00 (Europe/Berlin)');
  });

  it.each([
    ['25:00', /not a time of day/],
    ['9am', /neither a time/],
    ['61 9 * * *', /not a valid cron expression/],
    ['* * * * *', /at most once an hour/],
    ['0 9 * *', /five fields/],
  ])('refuses %s', (input, message) => {
    expect(refused(() => parseWhen(input))).toMatch(message);
  });

  it('refuses unknown time zones', () => {
    expect(checkTimeZone('Europe/Berlin')).toBe('Europe/Berlin');
    expect(refused(() => checkTimeZone('Mars/Olympus'))).toMatch(/not a time zone I know/);
  });

  it('accepts known topics and names the unknown ones with the known list', () => {
    const known = new Set(['xgboost', 'roc-auc']);
    expect(parseTopics(' xgboost, roc-auc ', known)).toEqual(['xgboost', 'roc-auc']);
    expect(parseTopics(null, known)).toEqual([]);
    expect(refused(() => parseTopics('xgboost, astrology tarot', known))).toBe('I have no topics called `astrology` or `tarot`; the topics are xgboost, roc-auc.');
  });

  it('finds a schedule by the start of its id', () => {
    const all = [{ id: '3f2a9c1b-0000' }, { id: '3f2a0000-0000' }];
    expect(matchShortId(all, checkShortId(' 3F2A9 '))).toBe(all[0]);
    expect(refused(() => matchShortId(all, checkShortId('3f2')))).toMatch(/^Pick the schedule from the list offered as you type, or give the id `\/schedule list` shows\.$/);
    expect(refused(() => matchShortId(all, checkShortId('3f2a')))).toMatch(/several schedules/);
    expect(refused(() => matchShortId(all, checkShortId('abcd')))).toBe('There is no schedule `abcd` in this server; see `/schedule list`.');
  });

  it('keeps 09:00 Europe/Berlin at 09:00 local across both daylight-saving changes', () => {
    // 2026-03-29: clocks go forward (CET+1 -> CEST+2); 2026-10-25: back.
    const local = (d: Date) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit', hour12: false }).format(d);
    let t = new Date('2026-03-27T12:00:00Z');
    const spring: string[] = [];
    for (let i = 0; i < 4; i++) {
      t = nextRun('0 9 * * *', 'Europe/Berlin', t);
      spring.push(t.toISOString());
      expect(local(t)).toBe('09:00');
    }
    expect(spring).toEqual(['2026-03-28T08:00:00.000Z', '2026-03-29T07:00:00.000Z', '2026-03-30T07:00:00.000Z', '2026-03-31T07:00:00.000Z']);
    const autumn = nextRun('0 9 * * *', 'Europe/Berlin', new Date('2026-10-25T00:00:00Z'));
    expect(autumn.toISOString()).toBe('2026-10-25T08:00:00.000Z');
    expect(local(autumn)).toBe('09:00');
  });
});
