import { describe, expect, it } from 'vitest';
import { leaderboardDiscord } from '../../../src/leaderboard/discord/routes.js';
import { isStreakAlive, liveStreakDays, streakAliveFrom, streakDetail, totalsEntry, MIN_ACCURACY_ANSWERS } from '../../../src/leaderboard/rules.js';

describe('streaks', () => {
  it('are alive while their last day is today or yesterday (or later, after a zone change), and count 0 after', () => {
    const today = '2026-03-01';
    expect(streakAliveFrom(today)).toBe('2026-02-28');
    expect(['2026-03-02', '2026-03-01', '2026-02-28', '2026-02-27'].map((lastDay) => isStreakAlive({ current: 5, lastDay }, today))).toEqual([true, true, true, false]);
    expect(liveStreakDays({ current: 5, lastDay: '2026-02-28' }, today)).toBe(5);
    expect(liveStreakDays({ current: 5, lastDay: '2026-02-27' }, today)).toBe(0);
    expect(liveStreakDays(null, today)).toBe(0);
    expect([streakDetail('2026-03-01', today), streakDetail('2026-02-28', today)]).toEqual(['today', 'yesterday']);
  });
});

describe('totals entries', () => {
  it('rank members with points on points, and on accuracy only with enough answers', () => {
    expect(totalsEntry('points', 'u', { points: 30, answers: 1, correct: 1 })).toEqual({ userId: 'u', value: 30, detail: '1 answer' });
    expect(totalsEntry('points', 'u', { points: 0, answers: 12, correct: 0 })).toBeNull();
    expect(totalsEntry('accuracy', 'u', { points: 0, answers: 12, correct: 0 })).toEqual({ userId: 'u', value: 0, detail: '0/12' });
    expect(MIN_ACCURACY_ANSWERS).toBe(10);
    expect(totalsEntry('accuracy', 'u', { points: 0, answers: MIN_ACCURACY_ANSWERS - 1, correct: 5 })).toBeNull();
    expect(totalsEntry('accuracy', 'u', { points: 0, answers: 40, correct: 36 })).toEqual({ userId: 'u', value: 0.9, detail: '36/40' });
  });
});

describe('phrases', () => {
  it('words the unknown time zone as before', () => {
    const { routes, phrases } = leaderboardDiscord();
    expect(routes).toEqual([]);
    expect(phrases!['leaderboard.unknown-time-zone']!({ zone: 'Mars/Olympus' })).toBe('Unknown time zone "Mars/Olympus".');
  });
});
