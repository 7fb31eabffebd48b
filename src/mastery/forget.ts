/**
 * `/forget-me`: deletes everything stored about one member, in one transaction. Shared work
 * they took part in stays for the others but no longer names them: their whiteboard steps are
 * kept as "former member" and boards they started lose their starter.
 */
import type { PrismaClient } from '../generated/prisma/client.js';

export const FORMER_MEMBER = 'former member';

export interface ForgetResult {
  answers: number;
  cards: number;
  sessions: number;
  whiteboardStepsAnonymised: number;
  whiteboardsAnonymised: number;
  users: number;
}

/**
 * Deletes the member's answers, FSRS cards, practice sessions and `users` row, and anonymises
 * their whiteboard authorship; returns how many rows each step touched. Idempotent: a second
 * call finds nothing and returns zeros. A table added later that holds a user id must be added
 * here too.
 */
export async function forgetUser(prisma: PrismaClient, userId: string): Promise<ForgetResult> {
  if (!userId) throw new TypeError('forgetUser: userId is required');
  const [answers, cards, sessions, steps, boards, users] = await prisma.$transaction([
    prisma.answer.deleteMany({ where: { userId } }),
    prisma.card.deleteMany({ where: { userId } }),
    prisma.practiceSession.deleteMany({ where: { userId } }),
    prisma.whiteboardStep.updateMany({ where: { authorId: userId }, data: { authorId: null, authorName: FORMER_MEMBER } }),
    prisma.whiteboard.updateMany({ where: { startedBy: userId }, data: { startedBy: null } }),
    prisma.user.deleteMany({ where: { id: userId } }),
  ]);
  return {
    answers: answers.count,
    cards: cards.count,
    sessions: sessions.count,
    whiteboardStepsAnonymised: steps.count,
    whiteboardsAnonymised: boards.count,
    users: users.count,
  };
}
