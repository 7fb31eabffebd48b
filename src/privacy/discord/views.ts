import { count } from '../../platform/discord/text.js';
import type { ForgetResult } from '../store.js';

export const FORGET_WARNING =
  'This deletes every answer, spaced-repetition card, practice session, leaderboard entry and Elo rating Backprop stores about you, in every server, and removes your name from whiteboard steps, duels, sprints and drop schedules (they stay for the others). It cannot be undone. Continue?';

/** What /forget-me did, in the member's words: every count it touched. */
export function forgetSummary(r: ForgetResult): string {
  return [
    '🗑️ Done. Deleted:',
    `- ${count(r.answers, 'answer')}`,
    `- ${count(r.cards, 'spaced-repetition card')}`,
    `- ${count(r.sessions, 'practice session')}`,
    `- leaderboards: ${count(r.dailyScores, 'day')} of points, ${count(r.streaks, 'streak')}, ${count(r.ratings, 'Elo rating')}`,
    `- ${count(r.duelAnswers + r.sprintAnswers, 'duel or sprint answer')} and ${count(r.sprintPlayers, 'sprint registration')}`,
    `Kept for the others, no longer naming you: ${count(r.whiteboardStepsAnonymised, 'whiteboard step')} (now by "former member"), ${count(r.whiteboardsAnonymised, 'board')} you started, ${count(r.duelsAnonymised, 'duel')}, ${count(r.sprintsAnonymised, 'sprint')} you started, ${count(r.schedulesAnonymised, 'drop schedule')} you created.`,
  ].join('\n');
}
