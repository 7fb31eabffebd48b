/**
 * Practice sessions and the practice's reads of its answers: the only place their SQL lives.
 * A session's answers are the answer store's rows with `event_id` = the session's id, one per
 * `event_step`.
 */
import type { PracticeSession as SessionRow, PrismaClient } from '../generated/prisma/client.js';
import type { Verdict } from '../answers/rules.js';
import { SESSION_KINDS, type Session, type SessionKind, type StepChange, type StoredAnswer, type Where } from './types.js';

export interface NewSession extends Where {
  kind: SessionKind;
  queue: string[];
  seed: number;
  askedAt: Date;
  expiresAt: Date;
}

function kindOf(kind: string): SessionKind {
  const known = SESSION_KINDS.find((k) => k === kind);
  if (!known) throw new Error(`practice session of unknown kind "${kind}"`);
  return known;
}

/** The row without what the domain does not use (`created_at`), its kind checked. */
function toSession({ createdAt: _created, kind, ...row }: SessionRow): Session {
  return { ...row, kind: kindOf(kind) };
}

export class PracticeStore {
  constructor(private readonly prisma: PrismaClient) {}

  async create(s: NewSession): Promise<Session> {
    return toSession(await this.prisma.practiceSession.create({ data: s }));
  }

  async find(id: string): Promise<Session | null> {
    const row = await this.prisma.practiceSession.findUnique({ where: { id } });
    return row ? toSession(row) : null;
  }

  /** The answer given at one step of a session, if any (the answer store keeps one per step). */
  async answerAt(sessionId: string, step: number): Promise<StoredAnswer | null> {
    return this.prisma.answer.findFirst({
      where: { eventId: sessionId, eventStep: step },
      select: { given: true, verdict: true, score: true, rating: true, responseMs: true },
    });
  }

  /** The verdicts of every answer of a session. */
  async verdicts(sessionId: string): Promise<Verdict[]> {
    const rows = await this.prisma.answer.findMany({ where: { eventId: sessionId }, select: { verdict: true } });
    return rows.map((r) => r.verdict);
  }

  /** Moves the session on from step `from`; nothing happens when it has already moved (a second click). */
  async moveOn(sessionId: string, from: number, change: StepChange): Promise<void> {
    await this.prisma.practiceSession.updateMany({ where: { id: sessionId, position: from }, data: change });
  }

  /**
   * Whether the member answered the prompt (in any mode) at or after `since`: the points
   * economy's repeat rule (index answers(user_id, prompt_id)).
   */
  async answeredSince(userId: string, promptId: string, since: Date): Promise<boolean> {
    const rows = await this.prisma.$queryRaw<{ one: number }[]>`
      SELECT 1 AS one FROM answers WHERE user_id = ${userId} AND prompt_id = ${promptId} AND answered_at >= ${since}::timestamptz LIMIT 1`;
    return rows.length > 0;
  }

  async end(sessionId: string, at: Date): Promise<void> {
    await this.prisma.practiceSession.updateMany({ where: { id: sessionId, endedAt: null }, data: { endedAt: at } });
  }
}
