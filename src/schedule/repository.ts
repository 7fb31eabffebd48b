import type { PrismaClient } from '../generated/prisma/client.js';
import { UserError } from '../platform/errors.js';
import { nextRun } from './timing.js';

export const MAX_SCHEDULES_PER_GUILD = 10;

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

export interface ScheduleView extends ScheduleInput {
  id: string;
  paused: boolean;
  nextRunAt: Date;
}

/** Schedules of a server; the scheduler reads them through DropEngine. */
export class ScheduleRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async create(input: ScheduleInput, now: Date): Promise<ScheduleView> {
    const count = await this.prisma.schedule.count({ where: { guildId: input.guildId } });
    if (count >= MAX_SCHEDULES_PER_GUILD) throw new UserError(`A server can have at most ${MAX_SCHEDULES_PER_GUILD} schedules. Remove one first.`, 'limit');
    return (await this.prisma.schedule.create({ data: { ...input, nextRunAt: nextRun(input.cron, input.timeZone, now) } })) as ScheduleView;
  }

  list(guildId: string): Promise<ScheduleView[]> {
    return this.prisma.schedule.findMany({ where: { guildId }, orderBy: { createdAt: 'asc' } }) as Promise<ScheduleView[]>;
  }

  /** Finds a schedule of this server by the short id shown in /schedule list. */
  async find(guildId: string, shortId: string): Promise<ScheduleView> {
    const id = shortId.trim().toLowerCase();
    if (!/^[0-9a-f-]{4,36}$/.test(id)) throw new UserError('Give the schedule id shown by `/schedule list` (e.g. `3f2a9c1b`).');
    const all = await this.list(guildId);
    const hit = all.filter((s) => s.id.startsWith(id));
    if (hit.length !== 1) throw new UserError(hit.length ? 'That id matches several schedules; give more characters.' : `No schedule \`${id}\` in this server. See \`/schedule list\`.`, 'not-found');
    return hit[0]!;
  }

  async setPaused(guildId: string, shortId: string, paused: boolean, now: Date): Promise<ScheduleView> {
    const s = await this.find(guildId, shortId);
    // Resuming starts from the next slot: no burst of missed drops.
    return (await this.prisma.schedule.update({ where: { id: s.id }, data: { paused, ...(paused ? {} : { nextRunAt: nextRun(s.cron, s.timeZone, now) }) } })) as ScheduleView;
  }

  async remove(guildId: string, shortId: string): Promise<ScheduleView> {
    const s = await this.find(guildId, shortId);
    await this.prisma.schedule.delete({ where: { id: s.id } });
    return s;
  }
}
