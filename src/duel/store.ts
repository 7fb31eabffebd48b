/**
 * Duels, their answers and the Elo ratings in PostgreSQL: the only place their SQL lives. Every
 * transition is a conditional UPDATE on the duel row (status, round), so a double click, a
 * timer and a restarted process can race and exactly one of them moves the duel on; answers
 * have a (duel, round, user) primary key so each counts once.
 */
import { Prisma, type PrismaClient } from '../generated/prisma/client.js';
import { lockKey, type Tx } from '../platform/db/client.js';
import { shardCondition } from '../platform/db/shard-sql.js';
import { ownsGuild, type ShardScope } from '../platform/shard-scope.js';
import { INITIAL_ELO } from './rules.js';
import { DUEL_STATUSES, type Duel, type DuelStatus, type ExpiredChallenge, type RoundAnswer } from './types.js';

/** Advisory lock space (lockKey) for "is this member free to duel". */
const DUEL_LOCK_SPACE = 0x64756c; // "dul"

/** The columns of a duel, named as Duel names them (for raw queries). */
const DUEL_COLUMNS = Prisma.sql`id::text AS id, guild_id AS "guildId", channel_id AS "channelId", challenger_id AS "challengerId", opponent_id AS "opponentId",
  topic, level, status, questions, seconds_per_round AS "secondsPerRound", round, round_started_at AS "roundStartedAt", round_deadline AS "roundDeadline",
  challenge_expires_at AS "challengeExpiresAt", message_id AS "messageId", winner_id AS "winnerId", elo_change AS "eloChange",
  challenger_elo_before AS "challengerEloBefore", opponent_elo_before AS "opponentEloBefore"`;

type DuelRecord = Omit<Duel, 'status'> & { status: string };

function statusOf(s: string): DuelStatus {
  const status = DUEL_STATUSES.find((x) => x === s);
  if (!status) throw new Error(`duels: unknown status "${s}"`);
  return status;
}

/** A duel row (from Prisma or from DUEL_COLUMNS) as a Duel. */
function toDuel(r: DuelRecord): Duel {
  return {
    id: r.id,
    guildId: r.guildId,
    channelId: r.channelId,
    challengerId: r.challengerId,
    opponentId: r.opponentId,
    topic: r.topic,
    level: r.level,
    status: statusOf(r.status),
    questions: r.questions,
    secondsPerRound: r.secondsPerRound,
    round: r.round,
    roundStartedAt: r.roundStartedAt,
    roundDeadline: r.roundDeadline,
    challengeExpiresAt: r.challengeExpiresAt,
    messageId: r.messageId,
    winnerId: r.winnerId,
    eloChange: r.eloChange,
    challengerEloBefore: r.challengerEloBefore,
    opponentEloBefore: r.opponentEloBefore,
  };
}

/** What a challenge creates; the rest of a Duel starts at its defaults. */
export type NewDuel = Pick<Duel, 'guildId' | 'channelId' | 'challengerId' | 'opponentId' | 'topic' | 'level' | 'questions' | 'secondsPerRound' | 'challengeExpiresAt'>;

/** One graded answer as the duel keeps it. */
export interface DuelAnswerRow {
  duelId: string;
  round: number;
  userId: string;
  optionId: number | null;
  given: string | null;
  correct: boolean;
  responseMs: number;
  points: number;
  at: Date;
}

export interface DecidedResult {
  status: 'finished' | 'abandoned';
  winnerId: string | null;
  finishedAt: Date;
  eloChange: number | null;
  challengerEloBefore: number | null;
  opponentEloBefore: number | null;
}

export class DuelStore {
  constructor(
    private readonly prisma: PrismaClient,
    /** The guilds whose timers this process runs (expiries, deadlines, results to post). */
    private readonly shard: ShardScope = { ids: [0], count: 1 },
  ) {}

  async find(id: string): Promise<Duel | null> {
    const row = await this.prisma.duel.findUnique({ where: { id } });
    return row ? toDuel(row) : null;
  }

  /** Locks "is this member free to duel" for each member, in id order (held until the transaction ends). */
  async lockMembers(tx: Tx, guildId: string, userIds: readonly string[]): Promise<void> {
    for (const id of [...userIds].sort()) await lockKey(tx, DUEL_LOCK_SPACE, `${guildId}:${id}`);
  }

  /** A duel one of these members is in (active, or pending and not expired), if any. */
  async findBusy(tx: Tx, guildId: string, userIds: readonly string[], now: Date): Promise<{ challengerId: string; opponentId: string } | null> {
    const ids = [...userIds];
    return tx.duel.findFirst({
      where: {
        guildId,
        OR: [{ status: 'active' }, { status: 'pending', challengeExpiresAt: { gt: now } }],
        AND: [{ OR: [{ challengerId: { in: ids } }, { opponentId: { in: ids } }] }],
      },
      select: { challengerId: true, opponentId: true },
    });
  }

  async create(tx: Tx, d: NewDuel): Promise<Duel> {
    return toDuel(await tx.duel.create({ data: d }));
  }

  async setMessage(id: string, messageId: string): Promise<void> {
    await this.prisma.duel.update({ where: { id }, data: { messageId } });
  }

  /** Records the public message of a round (the one its closing edits). */
  async setRoundMessage(id: string, round: number, messageId: string): Promise<void> {
    await this.prisma.$executeRaw`UPDATE duels SET round_messages = round_messages || jsonb_build_object(${String(round)}::text, ${messageId}::text) WHERE id = ${id}::uuid`;
  }

  /** The public message of a round, when it was recorded. */
  async roundMessage(id: string, round: number): Promise<string | null> {
    const rows = await this.prisma.$queryRaw<{ messageId: string | null }[]>`SELECT round_messages->>${String(round)}::text AS "messageId" FROM duels WHERE id = ${id}::uuid`;
    return rows[0]?.messageId ?? null;
  }

  /** pending (and not expired) → active at round 0. False when it was not open any more. */
  async start(id: string, now: Date, deadline: Date): Promise<boolean> {
    const { count } = await this.prisma.duel.updateMany({
      where: { id, status: 'pending', challengeExpiresAt: { gt: now } },
      data: { status: 'active', round: 0, roundStartedAt: now, roundDeadline: deadline },
    });
    return count > 0;
  }

  /** pending → declined. False when it was not pending any more. */
  async decline(id: string, now: Date): Promise<boolean> {
    const { count } = await this.prisma.duel.updateMany({ where: { id, status: 'pending' }, data: { status: 'declined', finishedAt: now } });
    return count > 0;
  }

  /** This process's pending challenges past their expiry → expired. */
  async expireChallenges(now: Date): Promise<ExpiredChallenge[]> {
    return this.prisma.$queryRaw<ExpiredChallenge[]>`
      UPDATE duels SET status = 'expired', finished_at = ${now}
      WHERE status = 'pending' AND challenge_expires_at <= ${now} AND ${shardCondition(this.shard)}
      RETURNING id::text AS id, channel_id AS "channelId", challenger_id AS "challengerId", opponent_id AS "opponentId", message_id AS "messageId"`;
  }

  /**
   * The duel's own row of an answer, as the answer store's `alongside` statement: inserted from
   * the answer's CTE `ins`, so both rows commit together or neither does.
   */
  answerAlongside(a: DuelAnswerRow): Prisma.Sql {
    return Prisma.sql`INSERT INTO duel_answers (duel_id, round, user_id, option_id, given, correct, response_ms, points, answered_at)
      SELECT ${a.duelId}::uuid, ${a.round}::int4, ${a.userId}, ${a.optionId}::int4, ${a.given}::text, ${a.correct}, ${Math.round(a.responseMs)}::int4, ${a.points}::int4, ${a.at}::timestamptz FROM ins`;
  }

  async answersIn(duelId: string, round: number): Promise<number> {
    return this.prisma.duelAnswer.count({ where: { duelId, round } });
  }

  /**
   * Locks the duel row against other closers and finishers. FOR NO KEY UPDATE does not block an
   * answer's foreign-key check (KEY SHARE), so an answer and a close never wait on each other
   * in a cycle.
   */
  async lock(tx: Tx, id: string): Promise<Duel | null> {
    const rows = await tx.$queryRaw<DuelRecord[]>`SELECT ${DUEL_COLUMNS} FROM duels WHERE id = ${id}::uuid FOR NO KEY UPDATE`;
    return rows[0] ? toDuel(rows[0]) : null;
  }

  /** Scores 0 for whoever has no answer in the round (the primary key keeps an existing one). */
  async blankAnswers(tx: Tx, duelId: string, round: number, userIds: readonly string[], now: Date): Promise<void> {
    for (const userId of userIds) {
      await tx.$executeRaw`INSERT INTO duel_answers (duel_id, round, user_id, option_id, correct, response_ms, points, answered_at)
        VALUES (${duelId}::uuid, ${round}, ${userId}, NULL, false, NULL, 0, ${now}) ON CONFLICT DO NOTHING`;
    }
  }

  async toScoring(tx: Tx, id: string): Promise<Duel> {
    return toDuel(await tx.duel.update({ where: { id }, data: { status: 'scoring', roundDeadline: null } }));
  }

  async nextRound(tx: Tx, id: string, round: number, now: Date, deadline: Date): Promise<Duel> {
    return toDuel(await tx.duel.update({ where: { id }, data: { round, roundStartedAt: now, roundDeadline: deadline } }));
  }

  /** Every answer row of the duel (blanks included), by round then player. */
  async answers(duelId: string, tx: Tx = this.prisma): Promise<RoundAnswer[]> {
    const rows = await tx.duelAnswer.findMany({ where: { duelId }, orderBy: [{ round: 'asc' }, { userId: 'asc' }] });
    return rows.map((r) => ({ round: r.round, userId: r.userId, correct: r.correct, points: r.points, answered: r.optionId !== null || r.given !== null, optionId: r.optionId, given: r.given }));
  }

  /**
   * The two players' ratings in the guild, created at INITIAL_ELO when missing and locked
   * (SELECT ... FOR UPDATE) in user-id order ("C" collation), whoever is A: concurrent duels
   * sharing a player queue on that row instead of deadlocking, and each reads the rating the
   * previous one wrote.
   */
  async lockRatings(tx: Tx, guildId: string, userIds: readonly [string, string], now: Date): Promise<Map<string, number>> {
    const [first, second] = [...userIds].sort();
    await tx.$executeRaw`
      INSERT INTO ratings (guild_id, user_id, elo, games, updated_at)
      VALUES (${guildId}, ${first}, ${INITIAL_ELO}::float8, 0, ${now}::timestamptz),
             (${guildId}, ${second}, ${INITIAL_ELO}::float8, 0, ${now}::timestamptz)
      ON CONFLICT (guild_id, user_id) DO NOTHING`;
    // LockRows runs above the sort, so the rows are locked in this order.
    const rows = await tx.$queryRaw<{ userId: string; elo: number }[]>`
      SELECT user_id AS "userId", elo FROM ratings
      WHERE guild_id = ${guildId} AND user_id IN (${first}, ${second})
      ORDER BY user_id COLLATE "C"
      FOR UPDATE`;
    return new Map(rows.map((r) => [r.userId, r.elo]));
  }

  /** New ratings for locked rows; each counts one more game. */
  async saveRatings(tx: Tx, guildId: string, ratings: readonly { userId: string; elo: number }[], now: Date): Promise<void> {
    const values = Prisma.join(ratings.map((r) => Prisma.sql`(${r.userId}, ${r.elo}::float8)`));
    await tx.$executeRaw`
      UPDATE ratings r SET elo = v.elo, games = r.games + 1, updated_at = ${now}::timestamptz
      FROM (VALUES ${values}) AS v (user_id, elo)
      WHERE r.guild_id = ${guildId} AND r.user_id = v.user_id`;
  }

  async saveResult(tx: Tx, id: string, r: DecidedResult): Promise<Duel> {
    return toDuel(await tx.duel.update({ where: { id }, data: r }));
  }

  /** Takes the posting of a decided result: true for exactly one caller, once. */
  async claimResultPost(id: string, now: Date): Promise<boolean> {
    const { count } = await this.prisma.duel.updateMany({ where: { id, status: { in: ['finished', 'abandoned'] }, resultPostedAt: null }, data: { resultPostedAt: now } });
    return count > 0;
  }

  /** This process's duels in these statuses (optionally: round deadline passed, result not posted). */
  async withStatus(statuses: readonly DuelStatus[], extra: { deadlineBy?: Date; resultUnposted?: boolean } = {}): Promise<Duel[]> {
    const rows = await this.prisma.duel.findMany({
      where: {
        status: { in: [...statuses] },
        ...(extra.deadlineBy ? { roundDeadline: { lte: extra.deadlineBy } } : {}),
        ...(extra.resultUnposted ? { resultPostedAt: null } : {}),
      },
    });
    return rows.filter((d) => ownsGuild(this.shard, d.guildId)).map(toDuel);
  }
}
