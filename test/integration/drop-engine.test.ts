import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBank } from '../../src/bank/load.js';
import { AnswerStore } from '../../src/answers/store.js';
import { DropService, type DropServiceOptions } from '../../src/drop/service.js';
import { DropStore } from '../../src/drop/store.js';
import type { DropPublisher, StepPost } from '../../src/drop/types.js';
import { createLogger } from '../../src/platform/log.js';
import { GuildService } from '../../src/guilds/service.js';
import { GuildStore } from '../../src/guilds/store.js';
import { ScheduleService } from '../../src/schedule/service.js';
import { ScheduleStore } from '../../src/schedule/store.js';
import { migratedDatabase, type MigratedDatabase } from '../support/app-db.js';
import { serverReachable } from '../support/database.js';

const sharedServer = await serverReachable();

const bank = loadBank();
const log = createLogger('silent');
let db: MigratedDatabase;

/** Records what would reach Discord; can be told to crash right after "posting" a step. */
class RecordingPublisher implements DropPublisher {
  posted: { dropId: string; step: number }[] = [];
  /** When each posted step said it would close (its countdown). */
  closesAt = new Map<string, Date>();
  crashAfterPostOnce = false;
  async postStep({ drop, step, recovering, closesAt }: StepPost) {
    this.closesAt.set(`${drop.id}:${step}`, closesAt);
    // Like the Discord publisher: a retried step finds the message it already posted.
    const earlier = recovering ? this.posted.find((p) => p.dropId === drop.id && p.step === step) : undefined;
    if (!earlier) this.posted.push({ dropId: drop.id, step });
    await new Promise((r) => setTimeout(r, 5));
    if (this.crashAfterPostOnce) {
      this.crashAfterPostOnce = false;
      throw new Error('process killed after posting');
    }
    return { messageId: `${drop.id}:${step}`, ...(step === 0 ? { threadId: `thread-${drop.id}` } : {}) };
  }
}

/** One "process": the drop service over the shared database, posting through `publisher`. */
const engine = (publisher: DropPublisher, clock: () => Date, options: DropServiceOptions = {}) =>
  new DropService({ db, store: new DropStore(db.prisma), bank, answers: new AnswerStore(db.prisma, bank, clock), publisher, clock, log }, options);

beforeAll(async () => {
  db = await migratedDatabase('drop_engine');
});
afterAll(async () => db?.drop());

const schedules = () => new ScheduleService(new ScheduleStore(db.prisma), db, new GuildService(new GuildStore(db.prisma), log), bank.topics.map((t) => t.id));
const schedule = (repo: ScheduleService, guildId: string, cron: string, timeZone: string, now: Date, extra: Partial<Parameters<ScheduleService['create']>[0]> = {}) =>
  repo.create({ guildId, channelId: `${guildId}-c`, cron, timeZone, topics: [], level: null, roleId: null, revealEveryMinutes: 5, revealAfterAnswers: null, createdBy: 'u', ...extra }, guildId, now);

describe('the drop engine', () => {
  // Concurrency needs two PostgreSQL sessions; the embedded database serves every connection from one.
  it.skipIf(!sharedServer)('posts every drop and every step exactly once with two processes ticking at once', async () => {
    let now = new Date('2026-05-04T06:59:00Z');
    const clock = () => now;
    const repo = schedules();
    for (let i = 0; i < 20; i++) await schedule(repo, `g${i}`, '0 9 * * *', 'Europe/Berlin', now);
    const pub = new RecordingPublisher();
    const a = engine(pub, clock, { random: () => 0 });
    const b = engine(pub, clock, { random: () => 0 });
    // Tick both "processes" concurrently every bot minute for 40 minutes.
    for (let minute = 0; minute < 40; minute++) {
      now = new Date(now.getTime() + 60_000);
      await Promise.all([a.tick(), b.tick(), a.tick()]);
    }
    const drops = await db.prisma.drop.findMany({ where: { guildId: { startsWith: 'g' } } });
    expect(drops).toHaveLength(20);
    // 07:00 UTC is 09:00 in Berlin in May (CEST).
    expect(new Set(drops.map((d) => d.slotAt.toISOString()))).toEqual(new Set(['2026-05-04T07:00:00.000Z']));
    for (const d of drops) {
      const steps = bank.chainById.get(d.chainId)!.prompts.length + 1;
      expect(d.status).toBe('done');
      expect(pub.posted.filter((p) => p.dropId === d.id).map((p) => p.step)).toEqual(Array.from({ length: steps }, (_, i) => i));
    }
    // Each schedule moved to the next day's 09:00 local.
    const next = await db.prisma.schedule.findMany({ where: { guildId: { startsWith: 'g' } } });
    expect(new Set(next.map((s) => s.nextRunAt.toISOString()))).toEqual(new Set(['2026-05-05T07:00:00.000Z']));
  });

  it('completes a step after a crash between posting and recording it, without a second post', async () => {
    let now = new Date('2026-05-10T08:59:30Z');
    const clock = () => now;
    const repo = schedules();
    await schedule(repo, 'crash', '0 9 * * *', 'UTC', now);
    const pub = new RecordingPublisher();
    const first = engine(pub, clock, { leaseMs: 30_000 });
    now = new Date('2026-05-10T09:00:00Z');
    pub.crashAfterPostOnce = true;
    await first.tick();
    const drop = await db.prisma.drop.findFirstOrThrow({ where: { guildId: 'crash' } });
    expect(drop.posted).toBe(0); // posted to "Discord" but not recorded
    expect(pub.posted).toHaveLength(1);
    // A restarted process after the lease: finds the earlier post instead of posting again.
    const restarted = engine(pub, clock, { leaseMs: 30_000 });
    now = new Date('2026-05-10T09:00:40Z');
    await restarted.tick();
    const after = await db.prisma.drop.findFirstOrThrow({ where: { id: drop.id } });
    expect(after.posted).toBe(1);
    expect(after.threadId).toBe(`thread-${drop.id}`);
    expect(pub.posted.filter((p) => p.dropId === drop.id)).toEqual([{ dropId: drop.id, step: 0 }]);
  });

  it('closes a step when its countdown says: answers until then count, later ones are refused', async () => {
    let now = new Date('2026-07-01T08:59:00Z');
    const clock = () => now;
    const repo = schedules();
    await schedule(repo, 'closing', '0 9 * * *', 'UTC', now);
    const pub = new RecordingPublisher();
    const drops = engine(pub, clock);
    now = new Date('2026-07-01T09:00:00Z');
    await drops.tick();
    const drop = await db.prisma.drop.findFirstOrThrow({ where: { guildId: 'closing' } });
    // The countdown on the root is the time the drop's next step is due (reveal every 5 minutes).
    expect(pub.closesAt.get(`${drop.id}:0`)?.toISOString()).toBe('2026-07-01T09:05:00.000Z');
    expect(drop.nextStepAt.toISOString()).toBe('2026-07-01T09:05:00.000Z');
    const who = (userId: string) => ({ userId, guildId: 'closing', channelId: drop.channelId });
    now = new Date('2026-07-01T09:04:59Z');
    expect((await drops.answerChoice(drop.id, 0, 0, who('early'))).stored).toBe(true);
    now = new Date('2026-07-01T09:05:00Z'); // closed, although the reveal is not posted yet
    await expect(drops.answerChoice(drop.id, 0, 0, who('late'))).rejects.toMatchObject({ code: 'drop.closed' });
    await expect(drops.stepContext(drop.id, 0)).rejects.toMatchObject({ code: 'drop.closed' });
    expect(await db.prisma.answer.count({ where: { eventId: drop.id } })).toBe(1);
    // "Your answer": the member's own answers, with the options as everyone saw them.
    const mine = await drops.memberAnswers(drop.id, 'early');
    expect(mine.steps[0]!.answer).toMatchObject({ verdict: 'correct', given: mine.steps[0]!.options.find((o) => o.id === 0)!.text });
    expect(mine.steps[0]!.answer!.points).toBeGreaterThanOrEqual(100) // live: the level base, with (almost) no speed bonus left;
    expect(mine.steps.slice(1).every((s) => s.answer === null)).toBe(true);
    expect((await drops.memberAnswers(drop.id, 'late')).steps.every((s) => s.answer === null)).toBe(true);
  });

  it('posts a drop missed during downtime late within the grace period, and skips older ones', async () => {
    let now = new Date('2026-06-01T08:00:00Z');
    const clock = () => now;
    const repo = schedules();
    await schedule(repo, 'late', '0 9 * * *', 'UTC', now);
    await schedule(repo, 'gone', '0 5 * * *', 'UTC', new Date('2026-06-01T04:00:00Z'));
    const drops = engine(new RecordingPublisher(), clock);
    now = new Date('2026-06-01T10:30:00Z'); // the bot was down from 08:00 to 10:30
    const r = await drops.tick();
    expect(r.skipped).toBeGreaterThanOrEqual(1);
    const late = await db.prisma.drop.findFirstOrThrow({ where: { guildId: 'late' } });
    expect(late.late).toBe(true);
    expect(late.slotAt.toISOString()).toBe('2026-06-01T09:00:00.000Z');
    expect(await db.prisma.drop.count({ where: { guildId: 'gone' } })).toBe(0);
    const gone = await db.prisma.schedule.findFirstOrThrow({ where: { guildId: 'gone' } });
    expect(gone.nextRunAt.toISOString()).toBe('2026-06-02T05:00:00.000Z');
  });

  it('keeps a 09:00 Europe/Berlin drop at 09:00 local across the spring daylight-saving change', async () => {
    let now = new Date('2026-03-27T12:00:00Z');
    const clock = () => now;
    const repo = schedules();
    await schedule(repo, 'dst', '0 9 * * *', 'Europe/Berlin', now);
    const drops = engine(new RecordingPublisher(), clock);
    for (const t of ['2026-03-28T08:00:00Z', '2026-03-29T07:00:00Z', '2026-03-30T07:00:00Z']) {
      now = new Date(t);
      await drops.tick();
    }
    const slots = (await db.prisma.drop.findMany({ where: { guildId: 'dst' }, orderBy: { slotAt: 'asc' } })).map((d) => d.slotAt.toISOString());
    expect(slots).toEqual(['2026-03-28T08:00:00.000Z', '2026-03-29T07:00:00.000Z', '2026-03-30T07:00:00.000Z']);
  });
});
