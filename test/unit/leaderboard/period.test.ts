import { describe, expect, it } from 'vitest';
import { addDays, isoWeekday, localDate, periodStartDay, startOfDay } from '../../../src/leaderboard/period.js';

describe('localDate', () => {
  it('is the calendar date in the zone', () => {
    // Sunday 2026-06-07 23:30 in Berlin (CEST, UTC+2) and Monday 00:30 there.
    expect(localDate(new Date('2026-06-07T21:30:00Z'), 'Europe/Berlin')).toBe('2026-06-07');
    expect(localDate(new Date('2026-06-07T22:30:00Z'), 'Europe/Berlin')).toBe('2026-06-08');
    expect(localDate(new Date('2026-06-07T22:30:00Z'), 'UTC')).toBe('2026-06-07');
    expect(localDate(new Date('2026-06-10T03:00:00Z'), 'America/New_York')).toBe('2026-06-09');
    expect(localDate(new Date('2026-06-10T11:00:00Z'), 'Pacific/Kiritimati')).toBe('2026-06-11'); // UTC+14
  });

  it('refuses an unknown zone', () => {
    expect(() => localDate(new Date(), 'Mars/Olympus')).toThrow(RangeError);
  });
});

describe('calendar helpers', () => {
  it('adds days across months, years and leap days', () => {
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });

  it('numbers ISO weekdays from Monday', () => {
    expect(isoWeekday('2026-06-08')).toBe(1);
    expect(isoWeekday('2026-06-07')).toBe(7);
    expect(isoWeekday('2026-06-10')).toBe(3);
  });
});

describe('periodStartDay', () => {
  const wed = new Date('2026-06-10T10:00:00Z');
  it('week: the Monday of the local week; month: the 1st; all: none', () => {
    expect(periodStartDay('week', wed, 'Europe/Berlin')).toBe('2026-06-08');
    expect(periodStartDay('month', wed, 'Europe/Berlin')).toBe('2026-06-01');
    expect(periodStartDay('all', wed, 'Europe/Berlin')).toBeNull();
  });

  it('a Monday starts its own week; a Sunday belongs to the week before', () => {
    expect(periodStartDay('week', new Date('2026-06-07T22:30:00Z'), 'Europe/Berlin')).toBe('2026-06-08'); // Monday 00:30 Berlin
    expect(periodStartDay('week', new Date('2026-06-07T21:30:00Z'), 'Europe/Berlin')).toBe('2026-06-01'); // Sunday 23:30 Berlin
    expect(periodStartDay('week', new Date('2026-06-07T22:30:00Z'), 'UTC')).toBe('2026-06-01'); // still Sunday in UTC
  });

  it('the month follows the zone too', () => {
    expect(periodStartDay('month', new Date('2026-06-30T23:00:00Z'), 'Europe/Berlin')).toBe('2026-07-01');
    expect(periodStartDay('month', new Date('2026-06-30T23:00:00Z'), 'UTC')).toBe('2026-06-01');
    expect(periodStartDay('week', new Date('2027-01-01T12:00:00Z'), 'UTC')).toBe('2026-12-28'); // across a year
  });
});

describe('startOfDay', () => {
  it('is local midnight as an instant', () => {
    expect(startOfDay('2026-06-08', 'Europe/Berlin').toISOString()).toBe('2026-06-07T22:00:00.000Z');
    expect(startOfDay('2026-01-05', 'Europe/Berlin').toISOString()).toBe('2026-01-04T23:00:00.000Z');
    expect(startOfDay('2026-06-08', 'UTC').toISOString()).toBe('2026-06-08T00:00:00.000Z');
    expect(startOfDay('2026-06-08', 'America/New_York').toISOString()).toBe('2026-06-08T04:00:00.000Z');
    expect(startOfDay('2026-06-08', 'Asia/Kolkata').toISOString()).toBe('2026-06-07T18:30:00.000Z');
  });

  it('handles the days of a DST change', () => {
    expect(startOfDay('2026-03-29', 'Europe/Berlin').toISOString()).toBe('2026-03-28T23:00:00.000Z'); // clocks go forward at 02:00
    expect(startOfDay('2026-10-25', 'Europe/Berlin').toISOString()).toBe('2026-10-24T22:00:00.000Z'); // and back
    // Santiago skips midnight: on 2026-09-06 clocks go from 00:00 to 01:00 (UTC-4 -> UTC-3).
    const s = startOfDay('2026-09-06', 'America/Santiago');
    expect(localDate(s, 'America/Santiago')).toBe('2026-09-06');
    expect(localDate(new Date(s.getTime() - 1), 'America/Santiago')).toBe('2026-09-05');
  });
});
