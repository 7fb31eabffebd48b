/**
 * The drop feature's data: schedule slots claimed, drops and their steps, leases, and the
 * drop's answers read back. The only place the feature's SQL lives.
 *
 * Exactly once, with any number of processes: a schedule slot is claimed with a unique
 * (schedule_id, slot_at) key; a drop is worked on under a lease taken with FOR UPDATE SKIP
 * LOCKED; a step is written as "posting" before it is posted and "posted" after.
 */
import { randomUUID } from 'node:crypto';
import { Prisma, type PrismaClient } from '../generated/prisma/client.js';
import type { Tx } from '../platform/db/client.js';
import { shardCondition } from '../platform/db/shard-sql.js';
import type { ShardScope } from '../platform/shard-scope.js';
import type { Drop, DropAnswerRow, DueSchedule } from './types.js';

const DROP_COLUMNS = Prisma.sql`id, schedule_id AS "scheduleId", slot_at AS "slotAt", guild_id AS "guildId", channel_id AS "channelId", chain_id AS "chainId",
  role_id AS "roleId", reveal_every_minutes AS "revealEveryMinutes", reveal_after_answers AS "revealAfterAnswers", late, status, posted,
  next_step_at AS "nextStepAt", thread_id AS "threadId"`;

/** A drop as Prisma's model returns it, without the columns the domain does not use. */
function dropOf(row: Drop & { leaseUntil?: unknown; createdAt?: unknown }): Drop {
  const { leaseUntil: _lease, createdAt: _created, ...drop } = row;
  return drop;
}

export interface NewScheduledDrop {
  schedule: DueSchedule;
  chainId: string;
  late: boolean;
  at: Date;
}

export interface ChannelHistoryRows {
  /** Chains posted in the channel since `postedSince`, newest first. */
  recent: { chainId: string; at: Date }[];
  /** Per topic: correct / total answers by the members who answered in the channel since `activeSince`. */
  topicAccuracy: Map<string, { correct: number; total: number }>;
  /** Prompts answered in the channel since `seenSince`, in any mode (a sprint, a /chain run there). */
  seenPrompts: Set<string>;
}

export class DropStore {
  constructor(private readonly prisma: PrismaClient) {}

  // ---- schedule slots --------------------------------------------------------------------

  /** Locks the due, unpaused schedules of these shards that no other process holds. */
  async dueSchedules(tx: Tx, now: Date, limit: number, shard: ShardScope): Promise<DueSchedule[]> {
    return tx.$queryRaw<DueSchedule[]>`
      SELECT id, guild_id AS "guildId", channel_id AS "channelId", cron, time_zone AS "timeZone", topics, level, role_id AS "roleId",
             reveal_every_minutes AS "revealEveryMinutes", reveal_after_answers AS "revealAfterAnswers", next_run_at AS "slotAt"
      FROM schedules WHERE NOT paused AND next_run_at <= ${now} AND ${shardCondition(shard)} ORDER BY next_run_at LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
  }

  async moveSchedule(tx: Tx, scheduleId: string, nextRunAt: Date): Promise<void> {
    await tx.schedule.update({ where: { id: scheduleId }, data: { nextRunAt } });
  }

  /** The drop of a schedule slot; false when that slot already has one. */
  async insertScheduledDrop(tx: Tx, d: NewScheduledDrop): Promise<boolean> {
    const s = d.schedule;
    const inserted = await tx.$executeRaw`
      INSERT INTO drops (id, schedule_id, slot_at, guild_id, channel_id, chain_id, role_id, reveal_every_minutes, reveal_after_answers, late, status, posted, next_step_at)
      VALUES (${randomUUID()}::uuid, ${s.id}::uuid, ${s.slotAt}, ${s.guildId}, ${s.channelId}, ${d.chainId}, ${s.roleId}, ${s.revealEveryMinutes}, ${s.revealAfterAnswers},
              ${d.late}, 'active', 0, ${d.at})
      ON CONFLICT (schedule_id, slot_at) DO NOTHING`;
    return inserted > 0;
  }

  // ---- drops outside schedules -----------------------------------------------------------

  /** True while a drop started outside any schedule is unfinished in this channel. */
  async hasUnscheduledRunning(channelId: string): Promise<boolean> {
    return (await this.prisma.drop.findFirst({ where: { channelId, scheduleId: null, status: 'active' }, select: { id: true } })) !== null;
  }

  async createUnscheduled(d: { guildId: string; channelId: string; chainId: string; at: Date }): Promise<Drop> {
    const row = await this.prisma.drop.create({ data: { guildId: d.guildId, channelId: d.channelId, chainId: d.chainId, slotAt: d.at, nextStepAt: d.at, status: 'active' } });
    return dropOf(row);
  }

  /** What the chain choice weighs: the channel's recent chains and its active members' accuracy per topic. */
  async channelHistory(channelId: string, since: { postedSince: Date; activeSince: Date; seenSince: Date }, db: Tx = this.prisma): Promise<ChannelHistoryRows> {
    const recent = await db.drop.findMany({
      where: { channelId, createdAt: { gte: since.postedSince } },
      orderBy: { createdAt: 'desc' },
      select: { chainId: true, createdAt: true },
      take: 500,
    });
    const accuracy = await db.$queryRaw<{ topic: string; correct: bigint; total: bigint }[]>`
      SELECT topic, count(*) FILTER (WHERE verdict = 'correct') AS correct, count(*) AS total
      FROM answers
      WHERE topic IS NOT NULL AND user_id IN (
        SELECT DISTINCT user_id FROM answers WHERE channel_id = ${channelId} AND answered_at >= ${since.activeSince})
      GROUP BY topic`;
    const seen = await db.answer.findMany({
      where: { channelId, answeredAt: { gte: since.seenSince }, promptId: { not: null } },
      select: { promptId: true },
      distinct: ['promptId'],
    });
    return {
      recent: recent.map((r) => ({ chainId: r.chainId, at: r.createdAt })),
      topicAccuracy: new Map(accuracy.map((a) => [a.topic, { correct: Number(a.correct), total: Number(a.total) }])),
      seenPrompts: new Set(seen.map((r) => r.promptId!)),
    };
  }

  // ---- leases and steps ------------------------------------------------------------------

  /** Takes a lease until `until` on drops of these shards whose next step is due and that no live process holds. */
  async leaseDue(now: Date, until: Date, limit: number, shard: ShardScope): Promise<Drop[]> {
    return this.prisma.$queryRaw<Drop[]>`
      UPDATE drops SET lease_until = ${until}
      WHERE id IN (
        SELECT id FROM drops
        WHERE status = 'active' AND next_step_at <= ${now} AND (lease_until IS NULL OR lease_until < ${now}) AND ${shardCondition(shard)}
        ORDER BY next_step_at LIMIT ${limit}
        FOR UPDATE SKIP LOCKED)
      RETURNING ${DROP_COLUMNS}`;
  }

  /** The same lease on one drop; null when it is not due or another process holds it. */
  async leaseOne(dropId: string, now: Date, until: Date): Promise<Drop | null> {
    const [drop] = await this.prisma.$queryRaw<Drop[]>`
      UPDATE drops SET lease_until = ${until}
      WHERE id = ${dropId}::uuid AND status = 'active' AND next_step_at <= ${now} AND (lease_until IS NULL OR lease_until < ${now})
      RETURNING ${DROP_COLUMNS}`;
    return drop ?? null;
  }

  /** Ends a drop that cannot go on (its chain left the bank). */
  async end(dropId: string): Promise<void> {
    await this.prisma.drop.update({ where: { id: dropId }, data: { status: 'done', leaseUntil: null } });
  }

  /** Writes the intent to post a step ("posting"); false when it was already written, i.e. an earlier attempt may have posted it. */
  async intendStep(dropId: string, step: number): Promise<boolean> {
    const { count } = await this.prisma.dropStep.createMany({ data: [{ dropId, step }], skipDuplicates: true });
    return count > 0;
  }

  async markStepPosted(tx: Tx, dropId: string, step: number, messageId: string, at: Date): Promise<void> {
    await tx.dropStep.update({ where: { dropId_step: { dropId, step } }, data: { status: 'posted', messageId, postedAt: at } });
  }

  /** Moves the drop past a posted step and releases its lease. */
  async advance(tx: Tx, dropId: string, next: { posted: number; status: string; nextStepAt: Date; threadId?: string }): Promise<void> {
    await tx.drop.update({
      where: { id: dropId },
      data: { posted: next.posted, status: next.status, nextStepAt: next.nextStepAt, leaseUntil: null, ...(next.threadId ? { threadId: next.threadId } : {}) },
    });
  }

  /** Makes the drop's next step due now, if `step` is still its live step and its reveal is still ahead. */
  async revealNow(dropId: string, step: number, now: Date): Promise<boolean> {
    const changed = await this.prisma.$executeRaw`
      UPDATE drops SET next_step_at = ${now}
      WHERE id = ${dropId}::uuid AND status = 'active' AND posted = ${step + 1} AND next_step_at > ${now}`;
    return changed > 0;
  }

  // ---- reads for answers -----------------------------------------------------------------

  async find(dropId: string): Promise<Drop | null> {
    const row = await this.prisma.drop.findUnique({ where: { id: dropId } });
    return row ? dropOf(row) : null;
  }

  /** When a step was posted; null while it is not (yet). */
  async stepPostedAt(dropId: string, step: number): Promise<Date | null> {
    const row = await this.prisma.dropStep.findUnique({ where: { dropId_step: { dropId, step } }, select: { postedAt: true } });
    return row?.postedAt ?? null;
  }

  /** The message a posted step landed in; null while it is not (yet) recorded. */
  async stepMessageId(dropId: string, step: number): Promise<string | null> {
    const row = await this.prisma.dropStep.findUnique({ where: { dropId_step: { dropId, step } }, select: { messageId: true } });
    return row?.messageId ?? null;
  }

  async stepAnswerCount(dropId: string, step: number): Promise<number> {
    const [row] = await this.prisma.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM answers WHERE mode = 'drop' AND event_id = ${dropId}::uuid AND event_step = ${step}::int4`;
    return Number(row?.n ?? 0);
  }

  /** How many members gave each answer text to a step. */
  async stepTallies(dropId: string, step: number): Promise<{ given: string; n: number }[]> {
    const rows = await this.prisma.$queryRaw<{ given: string; n: bigint }[]>`
      SELECT given, count(*) AS n FROM answers WHERE mode = 'drop' AND event_id = ${dropId}::uuid AND event_step = ${step}::int4 GROUP BY given`;
    return rows.map((r) => ({ given: r.given, n: Number(r.n) }));
  }

  /** One member's answers to the drop, by step. */
  async memberAnswers(dropId: string, userId: string): Promise<{ step: number; given: string; verdict: 'correct' | 'partial' | 'wrong'; points: number }[]> {
    return this.prisma.$queryRaw`
      SELECT event_step AS step, given, verdict, points
      FROM answers WHERE mode = 'drop' AND event_id = ${dropId}::uuid AND user_id = ${userId} ORDER BY event_step`;
  }

  /** Every answer to the drop, as the summary needs it. */
  async answersOf(dropId: string): Promise<DropAnswerRow[]> {
    return this.prisma.$queryRaw<DropAnswerRow[]>`
      SELECT user_id AS "userId", event_step AS step, verdict = 'correct' AS correct, response_ms AS "responseMs", points
      FROM answers WHERE mode = 'drop' AND event_id = ${dropId}::uuid`;
  }
}
