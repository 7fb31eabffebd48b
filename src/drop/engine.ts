import { randomUUID } from 'node:crypto';
import type { Bank, Chain, Prompt } from '../bank/load.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { Logger } from '../platform/log.js';
import { chooseChain, type ChannelHistory } from './choose.js';
import { nextRun } from '../schedule/timing.js';
import { UserError } from '../platform/errors.js';
import { shardCondition } from '../platform/db/shard-sql.js';
import type { ShardScope } from '../platform/shard-scope.js';

/** Defaults for when a schedule leaves the cadence open. */
export const DROP_DEFAULTS = {
  revealEveryMinutes: 60,
  /** Drops missed by up to this long (bot down) are posted late with a note; older ones are skipped. */
  graceMs: 2 * 60 * 60 * 1000,
  /** A process working on a drop holds it this long; after a crash another process takes over. */
  leaseMs: 30_000,
};

export interface DropRow {
  id: string;
  scheduleId: string | null;
  slotAt: Date;
  guildId: string;
  channelId: string;
  chainId: string;
  roleId: string | null;
  revealEveryMinutes: number | null;
  revealAfterAnswers: number | null;
  late: boolean;
  status: string;
  posted: number;
  nextStepAt: Date;
  threadId: string | null;
}

/** What posting a step needs from Discord; implemented in ./discord-publisher.ts. */
export interface DropPublisher {
  /**
   * Posts step `step` of the drop (0 = root in the channel and opens the thread; 1..n-1 =
   * follow-ups in the thread; n = summary). Must be safe to call again for the same step after
   * a crash: it first looks for the message it may already have posted (by marker).
   */
  postStep(drop: DropRow, chain: Chain, step: number, recovering: boolean): Promise<{ messageId: string; threadId?: string }>;
}

/**
 * The scheduler's engine. The database decides what is due, so any number of processes can
 * run it: schedule slots are claimed with a unique (schedule_id, slot_at) key, drops are
 * worked on under a lease taken with FOR UPDATE SKIP LOCKED, and every step is written as
 * "posting" before it is posted and "posted" after, so a crash in between is completed (the
 * publisher finds the message it already posted) rather than lost or doubled.
 */
export class DropEngine {
  private readonly owner = randomUUID();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly bank: Bank,
    private readonly publisher: DropPublisher,
    private readonly clock: () => Date,
    private readonly log: Logger,
    private readonly options: { graceMs?: number; leaseMs?: number; random?: () => number; shard?: ShardScope } = {},
  ) {}

  /** Only guilds of this process's shards (see discord/shards.ts). */
  private get shardSql() {
    return shardCondition(this.options.shard ?? { ids: [0], count: 1 });
  }

  private get graceMs() {
    return this.options.graceMs ?? DROP_DEFAULTS.graceMs;
  }

  /** One pass: claim due slots, then post every due step. Returns counts for logs and tests. */
  async tick(limit = 200): Promise<{ claimed: number; skipped: number; steps: number }> {
    const { claimed, skipped } = await this.claimDueSlots(limit);
    let steps = 0;
    for (;;) {
      const drops = await this.leaseDueDrops(limit);
      if (drops.length === 0) break;
      const results = await Promise.allSettled(drops.map((d) => this.advance(d)));
      for (const r of results) {
        if (r.status === 'fulfilled') steps += r.value;
        else this.log.error({ err: r.reason }, 'drop step failed; will retry after the lease');
      }
      if (drops.length < limit) break;
    }
    return { claimed, skipped, steps };
  }

  /** Turns due schedule slots into drops (or skipped slots), and moves each schedule to its next slot. */
  async claimDueSlots(limit: number): Promise<{ claimed: number; skipped: number }> {
    const now = this.clock();
    let claimed = 0;
    let skipped = 0;
    await this.prisma.$transaction(async (tx) => {
      const due = await tx.$queryRaw<
        { id: string; guild_id: string; channel_id: string; cron: string; time_zone: string; topics: string[]; level: string | null; role_id: string | null; reveal_every_minutes: number | null; reveal_after_answers: number | null; next_run_at: Date }[]
      >`SELECT id, guild_id, channel_id, cron, time_zone, topics, level, role_id, reveal_every_minutes, reveal_after_answers, next_run_at
        FROM schedules WHERE NOT paused AND next_run_at <= ${now} AND ${this.shardSql} ORDER BY next_run_at LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
      for (const s of due) {
        const slot = s.next_run_at;
        const following = nextRun(s.cron, s.time_zone, now.getTime() > slot.getTime() ? now : slot);
        await tx.schedule.update({ where: { id: s.id }, data: { nextRunAt: following } });
        const lateBy = now.getTime() - slot.getTime();
        if (lateBy > this.graceMs) {
          skipped++;
          this.log.warn({ scheduleId: s.id, slotAt: slot, lateByMs: lateBy }, 'drop skipped: missed by more than the grace period');
          continue;
        }
        const chain = chooseChain(this.bank, { topics: s.topics, level: s.level }, await this.history(tx as unknown as PrismaClient, s.channel_id, now), now, this.options.random ?? Math.random);
        if (!chain) {
          this.log.warn({ scheduleId: s.id }, 'no chain matches the schedule; slot skipped');
          skipped++;
          continue;
        }
        const inserted = await tx.$executeRaw`
          INSERT INTO drops (id, schedule_id, slot_at, guild_id, channel_id, chain_id, role_id, reveal_every_minutes, reveal_after_answers, late, status, posted, next_step_at)
          VALUES (${randomUUID()}::uuid, ${s.id}::uuid, ${slot}, ${s.guild_id}, ${s.channel_id}, ${chain.id}, ${s.role_id}, ${s.reveal_every_minutes}, ${s.reveal_after_answers},
                  ${lateBy > 60_000}, 'active', 0, ${now})
          ON CONFLICT (schedule_id, slot_at) DO NOTHING`;
        claimed += inserted;
      }
    });
    return { claimed, skipped };
  }

  /** A drop posted now, outside any schedule (/drop). One unfinished /drop per channel at a time. */
  async dropNow(where: { guildId: string; channelId: string }, filter: { topics: string[]; level: string | null }): Promise<DropRow | null> {
    const now = this.clock();
    const running = await this.prisma.drop.findFirst({ where: { channelId: where.channelId, scheduleId: null, status: 'active' } });
    if (running) {
      throw new UserError('A drop started with /drop is still running in this channel. Let it finish (its follow-ups are in its thread) before posting another.', 'conflict');
    }
    const chain = chooseChain(this.bank, filter, await this.history(this.prisma, where.channelId, now), now, this.options.random ?? Math.random);
    if (!chain) return null;
    return (await this.prisma.drop.create({
      data: { guildId: where.guildId, channelId: where.channelId, chainId: chain.id, slotAt: now, nextStepAt: now, status: 'active' },
    })) as DropRow;
  }

  private async history(db: PrismaClient, channelId: string, now: Date): Promise<ChannelHistory> {
    const since = new Date(now.getTime() - 60 * 24 * 60 * 60 * 1000);
    const recent = await db.drop.findMany({ where: { channelId, createdAt: { gte: since } }, orderBy: { createdAt: 'desc' }, select: { chainId: true, createdAt: true }, take: 500 });
    const accuracy = await db.$queryRaw<{ topic: string; correct: bigint; total: bigint }[]>`
      SELECT topic, count(*) FILTER (WHERE verdict = 'correct') AS correct, count(*) AS total
      FROM answers
      WHERE topic IS NOT NULL AND user_id IN (
        SELECT DISTINCT user_id FROM answers WHERE channel_id = ${channelId} AND answered_at >= ${new Date(now.getTime() - 30 * 86_400_000)})
      GROUP BY topic`;
    return {
      recent: recent.map((r) => ({ chainId: r.chainId, topic: this.bank.chainById.get(r.chainId)?.topic ?? '', at: r.createdAt })),
      topicAccuracy: new Map(accuracy.map((a) => [a.topic, { correct: Number(a.correct), total: Number(a.total) }])),
    };
  }

  /** Posts the next step of one drop now (used by /drop), under the same lease as the ticker. */
  async postNow(dropId: string): Promise<boolean> {
    const now = this.clock();
    const until = new Date(now.getTime() + (this.options.leaseMs ?? DROP_DEFAULTS.leaseMs));
    const leased = await this.prisma.$queryRaw<DropRow[]>`
      UPDATE drops SET lease_until = ${until}
      WHERE id = ${dropId}::uuid AND status = 'active' AND next_step_at <= ${now} AND (lease_until IS NULL OR lease_until < ${now})
      RETURNING id, schedule_id AS "scheduleId", slot_at AS "slotAt", guild_id AS "guildId", channel_id AS "channelId", chain_id AS "chainId",
                role_id AS "roleId", reveal_every_minutes AS "revealEveryMinutes", reveal_after_answers AS "revealAfterAnswers", late, status, posted,
                next_step_at AS "nextStepAt", thread_id AS "threadId"`;
    if (!leased[0]) return false;
    await this.advance(leased[0]);
    return true;
  }

  /** Takes a lease on drops whose next step is due and that no live process holds. */
  private async leaseDueDrops(limit: number): Promise<DropRow[]> {
    const now = this.clock();
    const until = new Date(now.getTime() + (this.options.leaseMs ?? DROP_DEFAULTS.leaseMs));
    return this.prisma.$queryRaw<DropRow[]>`
      UPDATE drops SET lease_until = ${until}
      WHERE id IN (
        SELECT id FROM drops
        WHERE status = 'active' AND next_step_at <= ${now} AND (lease_until IS NULL OR lease_until < ${now}) AND ${this.shardSql}
        ORDER BY next_step_at LIMIT ${limit}
        FOR UPDATE SKIP LOCKED)
      RETURNING id, schedule_id AS "scheduleId", slot_at AS "slotAt", guild_id AS "guildId", channel_id AS "channelId", chain_id AS "chainId",
                role_id AS "roleId", reveal_every_minutes AS "revealEveryMinutes", reveal_after_answers AS "revealAfterAnswers", late, status, posted,
                next_step_at AS "nextStepAt", thread_id AS "threadId"`;
  }

  /** Posts the drop's next step (the publisher makes a repeated attempt find its earlier message). */
  private async advance(drop: DropRow): Promise<number> {
    const chain = this.bank.chainById.get(drop.chainId);
    if (!chain) {
      await this.prisma.drop.update({ where: { id: drop.id }, data: { status: 'done', leaseUntil: null } });
      this.log.warn({ dropId: drop.id, chainId: drop.chainId }, 'chain no longer in the bank; drop ended');
      return 0;
    }
    const step = drop.posted; // 0..n-1 questions, n = summary
    // Intent first: if this row already existed, an earlier attempt may have posted the message.
    const { count } = await this.prisma.dropStep.createMany({ data: [{ dropId: drop.id, step }], skipDuplicates: true });
    const result = await this.publisher.postStep(drop, chain, step, count === 0);
    const now = this.clock();
    const last = step >= chain.prompts.length;
    const every = (drop.revealEveryMinutes ?? (drop.revealAfterAnswers ? null : DROP_DEFAULTS.revealEveryMinutes)) ?? null;
    // With only "after K answers", a step still closes after a day so the chain always ends.
    const next = new Date(now.getTime() + (every ?? 24 * 60) * 60_000);
    await this.prisma.$transaction([
      this.prisma.dropStep.update({ where: { dropId_step: { dropId: drop.id, step } }, data: { status: 'posted', messageId: result.messageId, postedAt: now } }),
      this.prisma.drop.update({
        where: { id: drop.id },
        data: {
          posted: step + 1,
          status: last ? 'done' : 'active',
          nextStepAt: next,
          leaseUntil: null,
          ...(result.threadId ? { threadId: result.threadId } : {}),
        },
      }),
    ]);
    this.log.info({ dropId: drop.id, chainId: chain.id, step, summary: last }, last ? 'drop summary posted' : 'drop step posted');
    return 1;
  }

  /** Called after each answer: when enough members have answered the live step, reveal now. */
  async maybeRevealEarly(dropId: string, step: number): Promise<void> {
    await this.prisma.$executeRaw`
      UPDATE drops d SET next_step_at = ${this.clock()}
      WHERE d.id = ${dropId}::uuid AND d.status = 'active' AND d.posted = ${step + 1} AND d.reveal_after_answers IS NOT NULL
        AND d.next_step_at > ${this.clock()}
        AND (SELECT count(*) FROM answers a WHERE a.mode = 'drop' AND a.event_id = d.id AND a.event_step = ${step}::int4) >= d.reveal_after_answers`;
  }
}

export function promptOfStep(chain: Chain, step: number): Prompt | undefined {
  return chain.prompts[step];
}
