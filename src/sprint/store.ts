/**
 * Sprints, their players and their answers: the only place their SQL lives. The lobby, each
 * round and the end are transitions guarded by conditional UPDATEs on the sprint row, so the
 * Start button, the lobby timer and a second process cannot start or close anything twice.
 */
import { Prisma, type PrismaClient, type Sprint as SprintRow } from '../generated/prisma/client.js';
import type { RecordOptions } from '../answers/store.js';
import { lockKey, type Tx } from '../platform/db/client.js';
import { SPRINT_STATUSES, type Sprint, type SprintChange, type SprintStatus, type Standing } from './types.js';

/** Advisory lock space (lockKey) for "one sprint per channel". */
const SPRINT_LOCK_SPACE = 0x737072; // "spr"

export interface NewSprint {
  guildId: string;
  channelId: string;
  starterId: string;
  starterName: string;
  topic: string | null;
  questions: string[];
  secondsPerRound: number;
  deadline: Date;
}

/** A player's first click in a round, as the sprint keeps it beside the answer store's row. */
export interface SprintAnswerRow {
  sprintId: string;
  round: number;
  userId: string;
  optionId: number;
  correct: boolean;
  responseMs: number;
  points: number;
  at: Date;
}

function statusOf(status: string): SprintStatus {
  const known = SPRINT_STATUSES.find((s) => s === status);
  if (!known) throw new Error(`sprint with unknown status "${status}"`);
  return known;
}

/** The row without what the domain does not use (the unused lease, `created_at`, the round messages read on their own), its status checked. */
function toSprint({ leaseUntil: _lease, createdAt: _created, roundMessages: _messages, status, ...row }: SprintRow): Sprint {
  return { ...row, status: statusOf(status) };
}

export class SprintStore {
  constructor(private readonly prisma: PrismaClient) {}

  async get(id: string): Promise<Sprint | null> {
    const row = await this.prisma.sprint.findUnique({ where: { id } });
    return row ? toSprint(row) : null;
  }

  /** Holds "one sprint per channel" until the transaction ends (no unique index can say it). */
  async lockChannel(tx: Tx, channelId: string): Promise<void> {
    await lockKey(tx, SPRINT_LOCK_SPACE, channelId);
  }

  async hasRunning(tx: Tx, channelId: string): Promise<boolean> {
    return (await tx.sprint.findFirst({ where: { channelId, status: { in: ['lobby', 'active'] } }, select: { id: true } })) !== null;
  }

  /** A new sprint in its lobby, with its starter as the first player. */
  async create(tx: Tx, s: NewSprint): Promise<Sprint> {
    const { starterName, ...sprint } = s;
    return toSprint(await tx.sprint.create({ data: { ...sprint, players: { create: { userId: s.starterId, name: starterName } } } }));
  }

  async setMessage(id: string, messageId: string): Promise<void> {
    await this.prisma.sprint.update({ where: { id }, data: { messageId } });
  }

  /** Records the public message of a round (the one its closing edits). */
  async setRoundMessage(id: string, round: number, messageId: string): Promise<void> {
    await this.prisma.$executeRaw`UPDATE sprints SET round_messages = round_messages || jsonb_build_object(${String(round)}::text, ${messageId}::text) WHERE id = ${id}::uuid`;
  }

  /** The public message of a round, when it was recorded. */
  async roundMessage(id: string, round: number): Promise<string | null> {
    const rows = await this.prisma.$queryRaw<{ messageId: string | null }[]>`SELECT round_messages->>${String(round)}::text AS "messageId" FROM sprints WHERE id = ${id}::uuid`;
    return rows[0]?.messageId ?? null;
  }

  async playerCount(id: string): Promise<number> {
    return this.prisma.sprintPlayer.count({ where: { sprintId: id } });
  }

  /** Adds a player; false when they had already joined. */
  async addPlayer(id: string, userId: string, name: string, at: Date): Promise<boolean> {
    const inserted = await this.prisma.$executeRaw`INSERT INTO sprint_players (sprint_id, user_id, name, joined_at) VALUES (${id}::uuid, ${userId}, ${name.slice(0, 100)}, ${at}) ON CONFLICT DO NOTHING`;
    return inserted > 0;
  }

  async isPlayer(id: string, userId: string): Promise<boolean> {
    return (await this.prisma.sprintPlayer.findUnique({ where: { sprintId_userId: { sprintId: id, userId } }, select: { userId: true } })) !== null;
  }

  /** Lobby → round 0, with the questions chosen for its players; false when the sprint had already left its lobby. */
  async start(id: string, change: SprintChange, questions?: string[]): Promise<boolean> {
    const { count } = await this.prisma.sprint.updateMany({ where: { id, status: 'lobby' }, data: { ...change, ...(questions ? { questions } : {}) } });
    return count > 0;
  }

  /** The ids of the sprint's players. */
  async playerIds(id: string): Promise<string[]> {
    const rows = await this.prisma.sprintPlayer.findMany({ where: { sprintId: id }, select: { userId: true } });
    return rows.map((r) => r.userId);
  }

  /** Closes round `round`; false when it was already closed. */
  async closeRound(id: string, round: number, change: SprintChange): Promise<boolean> {
    const { count } = await this.prisma.sprint.updateMany({ where: { id, status: 'active', round }, data: change });
    return count > 0;
  }

  /** How many players picked each option (by option id) in a round. */
  async distribution(id: string, round: number): Promise<Map<number, number>> {
    const rows = await this.prisma.sprintAnswer.groupBy({ by: ['optionId'], where: { sprintId: id, round }, _count: true });
    return new Map(rows.map((r) => [r.optionId, r._count]));
  }

  /**
   * Every player's points and right answers so far, or up to round `throughRound` included
   * (players who answered nothing have zeros).
   */
  async totals(id: string, throughRound?: number): Promise<Standing[]> {
    const upTo = throughRound ?? 2 ** 31 - 1;
    const rows = await this.prisma.$queryRaw<{ user_id: string; name: string; points: bigint; correct: bigint }[]>`
      SELECT p.user_id, p.name, COALESCE(sum(a.points), 0) AS points, count(a.*) FILTER (WHERE a.correct) AS correct
      FROM sprint_players p LEFT JOIN sprint_answers a ON a.sprint_id = p.sprint_id AND a.user_id = p.user_id AND a.round <= ${upTo}::int4
      WHERE p.sprint_id = ${id}::uuid GROUP BY p.user_id, p.name`;
    return rows.map((r) => ({ userId: r.user_id, name: r.name, points: Number(r.points), correct: Number(r.correct) }));
  }

  async roundProgress(id: string, round: number): Promise<{ players: number; answered: number }> {
    const [players, answered] = await Promise.all([this.playerCount(id), this.prisma.sprintAnswer.count({ where: { sprintId: id, round } })]);
    return { players, answered };
  }

  /** Lobbies and rounds whose deadline has passed. */
  async due(now: Date): Promise<Sprint[]> {
    const rows = await this.prisma.sprint.findMany({ where: { status: { in: ['lobby', 'active'] }, deadline: { lte: now } } });
    return rows.map(toSprint);
  }

  /**
   * The sprint's own row of an answer, for the answer store to write in the same statement as
   * its answer (both or neither); a second click in the round adds nothing.
   */
  answerRow(a: SprintAnswerRow): RecordOptions {
    return {
      alongside: Prisma.sql`INSERT INTO sprint_answers (sprint_id, round, user_id, option_id, correct, response_ms, points, answered_at)
          SELECT ${a.sprintId}::uuid, ${a.round}::int4, ${a.userId}, ${a.optionId}::int4, ${a.correct}, ${Math.round(a.responseMs)}::int4, ${a.points}::int4, ${a.at}::timestamptz FROM ins
          ON CONFLICT DO NOTHING`,
    };
  }
}
