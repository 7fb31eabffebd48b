import type { ForgetResult } from '../store.js';

export const FORGET_WARNING =
  'This deletes every answer, spaced-repetition card, practice session, leaderboard entry and Elo rating Backprop stores about you, in every server, and removes your name from whiteboard steps, duels, sprints and drop schedules (they stay for the others). It cannot be undone. Continue?';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** What /forget-me did, in the member's words: every count it touched. */
export function forgetSummary(r: ForgetResult): string {
  return [
    '🗑️ Done. Deleted:',
    `- ${plural(r.answers, 'answer')}`,
    `- ${plural(r.cards, 'spaced-repetition card')}`,
    `- ${plural(r.sessions, 'practice session')}`,
    `- leaderboards: ${plural(r.dailyScores, 'day')} of points, ${plural(r.streaks, 'streak')}, ${plural(r.ratings, 'Elo rating')}`,
    `- ${plural(r.duelAnswers + r.sprintAnswers, 'duel or sprint answer')} and ${plural(r.sprintPlayers, 'sprint registration')}`,
    `Kept for the others, no longer naming you: ${plural(r.whiteboardStepsAnonymised, 'whiteboard step')} (now by "former member"), ${plural(r.whiteboardsAnonymised, 'board')} you started, ${plural(r.duelsAnonymised, 'duel')}, ${plural(r.sprintsAnonymised, 'sprint')} you started, ${plural(r.schedulesAnonymised, 'drop schedule')} you created.`,
  ].join('\n');
}
