import type { GuildService } from '../guilds/service.js';
import { lockKey, type Transactor } from '../platform/db/client.js';
import { DomainError } from '../platform/errors.js';
import { MAX_SCHEDULES_PER_GUILD, checkShortId, checkTimeZone, matchShortId, nextRun, parseTopics, parseWhen } from './rules.js';
import type { Schedule, ScheduleInput, ScheduleStore } from './store.js';

/** Advisory lock space (lockKey) for "at most MAX_SCHEDULES_PER_GUILD per server". */
const SCHEDULE_LOCK_SPACE = 0x736368; // "sch"

/** /schedule set's options as the member gave them. */
export interface ScheduleRequest {
  guildId: string;
  channelId: string;
  /** "HH:MM" or a cron expression. */
  when: string;
  /** An IANA zone, or null for the server's setting. */
  timeZone: string | null;
  /** Topic ids separated by commas or spaces, or null for all. */
  topics: string | null;
  level: string | null;
  roleId: string | null;
  revealEveryMinutes: number | null;
  revealAfterAnswers: number | null;
  createdBy: string;
}

/** The /schedule use cases: a server's drop schedules (the drop engine runs them). */
export class ScheduleService {
  private readonly topics: ReadonlySet<string>;

  constructor(
    private readonly store: ScheduleStore,
    private readonly db: Transactor,
    private readonly guilds: GuildService,
    /** The bank's topic ids, in the order a refusal lists them. */
    topicIds: readonly string[],
  ) {
    this.topics = new Set(topicIds);
  }

  /** Checks the options and turns them into a schedule to create; throws `schedule.*` DomainErrors. */
  async plan(request: ScheduleRequest): Promise<ScheduleInput> {
    const { when, timeZone: zone, topics: topicList, ...rest } = request;
    const cron = parseWhen(when);
    const timeZone = zone ? checkTimeZone(zone) : (await this.guilds.settings(request.guildId)).timeZone;
    const topics = parseTopics(topicList, this.topics);
    return { ...rest, cron, timeZone, topics };
  }

  /** Records the server and creates the schedule, first run at its next slot after `now`; at most MAX_SCHEDULES_PER_GUILD per server. */
  async create(input: ScheduleInput, guildName: string, now: Date): Promise<Schedule> {
    await this.guilds.joined(input.guildId, guildName);
    return this.db.transaction(async (tx) => {
      // Two admins adding the tenth schedule at once: the second waits and counts the first.
      await lockKey(tx, SCHEDULE_LOCK_SPACE, input.guildId);
      if ((await this.store.count(tx, input.guildId)) >= MAX_SCHEDULES_PER_GUILD) throw new DomainError('schedule.limit', { max: MAX_SCHEDULES_PER_GUILD }, 'limit');
      return this.store.create(tx, input, nextRun(input.cron, input.timeZone, now));
    });
  }

  list(guildId: string): Promise<Schedule[]> {
    return this.store.list(guildId);
  }

  async pause(guildId: string, shortId: string): Promise<Schedule> {
    const s = await this.find(guildId, shortId);
    return this.store.setPaused(s.id, true);
  }

  /** Resuming starts from the next slot after `now`: no burst of missed drops. */
  async resume(guildId: string, shortId: string, now: Date): Promise<Schedule> {
    const s = await this.find(guildId, shortId);
    return this.store.setPaused(s.id, false, nextRun(s.cron, s.timeZone, now));
  }

  async remove(guildId: string, shortId: string): Promise<Schedule> {
    const s = await this.find(guildId, shortId);
    await this.store.remove(s.id);
    return s;
  }

  /** A schedule of this server by the short id shown in /schedule list. */
  private async find(guildId: string, shortId: string): Promise<Schedule> {
    const id = checkShortId(shortId);
    return matchShortId(await this.store.list(guildId), id);
  }
}
