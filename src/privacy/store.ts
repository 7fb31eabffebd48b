/**
 * `/forget-me`: deletes everything stored about one member, in one transaction. Shared work
 * they took part in stays for the others but no longer names them: their whiteboard steps are
 * kept as "former member" and boards they started lose their starter; duels they played and
 * sprints they started stay, with FORGOTTEN_ID in place of their id; so do the drop schedules
 * they set up for their server.
 */
import type { PrismaClient } from '../generated/prisma/client.js';

export const FORMER_MEMBER = 'former member';
/** Put in place of a forgotten member's id in NOT NULL id columns of shared rows (duels, sprints, schedules). */
export const FORGOTTEN_ID = 'forgotten';

export interface ForgetResult {
  answers: number;
  cards: number;
  sessions: number;
  whiteboardStepsAnonymised: number;
  whiteboardsAnonymised: number;
  users: number;
  /** Leaderboard aggregates: rows of daily_scores, streaks and ratings (Elo), in every server. */
  dailyScores: number;
  streaks: number;
  ratings: number;
  /** Their answers in duels and sprints, and their sprint registrations. */
  duelAnswers: number;
  sprintAnswers: number;
  sprintPlayers: number;
  /** Duels they played (as challenger or opponent) now naming FORGOTTEN_ID instead (winner too, if they won). */
  duelsAnonymised: number;
  /** Sprints they started, now started by FORGOTTEN_ID. */
  sprintsAnonymised: number;
  /** Drop schedules they created (they keep running for the server), now created by FORGOTTEN_ID. */
  schedulesAnonymised: number;
}

/**
 * Deletes the member's answers, FSRS cards, practice sessions, `users` row, leaderboard
 * aggregates (daily_scores, streaks: the answers trigger only adds, so they are deleted here
 * explicitly), Elo ratings, duel and sprint answers and sprint registrations; anonymises their
 * whiteboard authorship, the duels and sprints they took part in and the schedules they created; returns how many rows each
 * step touched. Other members' ratings are left as the duels made them. Idempotent: a second
 * call finds nothing and returns zeros. A table added later that holds a user id must be added
 * here too.
 */
export class PrivacyStore {
  constructor(private readonly prisma: PrismaClient) {}

  async forget(userId: string): Promise<ForgetResult> {
    const prisma = this.prisma;
    if (!userId) throw new TypeError('forget: userId is required');
    if (userId === FORGOTTEN_ID) throw new TypeError(`forget: "${FORGOTTEN_ID}" is the placeholder of forgotten members`);
    const [answers, cards, sessions, steps, boards, users, dailyScores, streaks, ratings, duelAnswers, sprintAnswers, sprintPlayers, , asChallenger, asOpponent, sprints, schedules] =
      await prisma.$transaction([
        prisma.answer.deleteMany({ where: { userId } }),
        prisma.card.deleteMany({ where: { userId } }),
        prisma.practiceSession.deleteMany({ where: { userId } }),
        prisma.whiteboardStep.updateMany({ where: { authorId: userId }, data: { authorId: null, authorName: FORMER_MEMBER } }),
        prisma.whiteboard.updateMany({ where: { startedBy: userId }, data: { startedBy: null } }),
        prisma.user.deleteMany({ where: { id: userId } }),
        prisma.dailyScore.deleteMany({ where: { userId } }),
        prisma.streak.deleteMany({ where: { userId } }),
        prisma.rating.deleteMany({ where: { userId } }),
        prisma.duelAnswer.deleteMany({ where: { userId } }),
        prisma.sprintAnswer.deleteMany({ where: { userId } }),
        prisma.sprintPlayer.deleteMany({ where: { userId } }),
        // Winner first: a duel they won is one they played, counted by the two updates after.
        prisma.duel.updateMany({ where: { winnerId: userId }, data: { winnerId: FORGOTTEN_ID } }),
        prisma.duel.updateMany({ where: { challengerId: userId }, data: { challengerId: FORGOTTEN_ID } }),
        prisma.duel.updateMany({ where: { opponentId: userId }, data: { opponentId: FORGOTTEN_ID } }),
        prisma.sprint.updateMany({ where: { starterId: userId }, data: { starterId: FORGOTTEN_ID } }),
        prisma.schedule.updateMany({ where: { createdBy: userId }, data: { createdBy: FORGOTTEN_ID } }),
      ]);
    return {
      answers: answers.count,
      cards: cards.count,
      sessions: sessions.count,
      whiteboardStepsAnonymised: steps.count,
      whiteboardsAnonymised: boards.count,
      users: users.count,
      dailyScores: dailyScores.count,
      streaks: streaks.count,
      ratings: ratings.count,
      duelAnswers: duelAnswers.count,
      sprintAnswers: sprintAnswers.count,
      sprintPlayers: sprintPlayers.count,
      duelsAnonymised: asChallenger.count + asOpponent.count,
      sprintsAnonymised: sprints.count,
      schedulesAnonymised: schedules.count,
    };
  }
}
