import type { PrismaClient, Schedule as ScheduleRow } from '../generated/prisma/client.js';
import type { Tx } from '../platform/db/client.js';

/** A drop schedule as /schedule set asks for it: when (cron, zone), where, what, how fast. */
export interface ScheduleInput {
  guildId: string;
  channelId: string;
  cron: string;
  timeZone: string;
  topics: string[];
  level: string | null;
  roleId: string | null;
  revealEveryMinutes: number | null;
  revealAfterAnswers: number | null;
  createdBy: string;
}

export interface Schedule extends ScheduleInput {
  id: string;
  paused: boolean;
  nextRunAt: Date;
}

const toSchedule = (r: ScheduleRow): Schedule => ({
  id: r.id,
  guildId: r.guildId,
  channelId: r.channelId,
  cron: r.cron,
  timeZone: r.timeZone,
  topics: r.topics,
  level: r.level,
  roleId: r.roleId,
  revealEveryMinutes: r.revealEveryMinutes,
  revealAfterAnswers: r.revealAfterAnswers,
  createdBy: r.createdBy,
  paused: r.paused,
  nextRunAt: r.nextRunAt,
});

/** The schedules of each server: the only place their SQL lives (the drop engine claims due slots with its own). */
export class ScheduleStore {
  constructor(private readonly prisma: PrismaClient) {}

  count(tx: Tx, guildId: string): Promise<number> {
    return tx.schedule.count({ where: { guildId } });
  }

  async create(tx: Tx, input: ScheduleInput, nextRunAt: Date): Promise<Schedule> {
    return toSchedule(await tx.schedule.create({ data: { ...input, nextRunAt } }));
  }

  /** The server's schedules, oldest first. */
  async list(guildId: string): Promise<Schedule[]> {
    return (await this.prisma.schedule.findMany({ where: { guildId }, orderBy: { createdAt: 'asc' } })).map(toSchedule);
  }

  async setPaused(id: string, paused: boolean, nextRunAt?: Date): Promise<Schedule> {
    return toSchedule(await this.prisma.schedule.update({ where: { id }, data: { paused, ...(nextRunAt ? { nextRunAt } : {}) } }));
  }

  async remove(id: string): Promise<void> {
    await this.prisma.schedule.delete({ where: { id } });
  }
}
