/**
 * The services: every feature's use cases, built once over one database. Nothing here knows
 * Discord; the Discord adapters are built after this, from it (see start.ts).
 */
import type { Bank } from '../bank/load.js';
import { DropService } from '../drop/service.js';
import { DropStore } from '../drop/store.js';
import type { DropPublisher } from '../drop/types.js';
import { DuelService } from '../duel/service.js';
import { DuelStore } from '../duel/store.js';
import { GuildService } from '../guilds/service.js';
import { GuildStore } from '../guilds/store.js';
import { Leaderboards } from '../leaderboard/service.js';
import { LeaderboardStore } from '../leaderboard/store.js';
import { AnswerStore } from '../answers/store.js';
import { MasteryService } from '../mastery/service.js';
import { MasteryStore } from '../mastery/store.js';
import type { Clock } from '../platform/clock.js';
import type { Database } from '../platform/db/client.js';
import type { ShardScope } from '../platform/shard-scope.js';
import type { Logger } from '../platform/log.js';
import { PracticeService } from '../practice/service.js';
import { PracticeStore } from '../practice/store.js';
import { PrivacyService } from '../privacy/service.js';
import { PrivacyStore } from '../privacy/store.js';
import type { Renderer } from '../render/index.js';
import { texValidator } from '../render/validate.js';
import { ScheduleService } from '../schedule/service.js';
import { ScheduleStore } from '../schedule/store.js';
import { SprintService } from '../sprint/service.js';
import { SprintStore } from '../sprint/store.js';
import { WhiteboardService } from '../whiteboard/service.js';
import { WhiteboardStore } from '../whiteboard/store.js';

export interface Services {
  bank: Bank;
  clock: Clock;
  renderer: Renderer;
  guilds: GuildService;
  answers: AnswerStore;
  mastery: MasteryService;
  practice: PracticeService;
  whiteboards: WhiteboardService;
  schedules: ScheduleService;
  drops: DropService;
  duels: DuelService;
  sprints: SprintService;
  leaderboards: Leaderboards;
  privacy: PrivacyService;
}

export interface ServiceDeps {
  db: Database;
  bank: Bank;
  clock: Clock;
  log: Logger;
  renderer: Renderer;
  shard: ShardScope;
}

/** The ports services post through, implemented by the Discord adapters. */
export interface ServicePorts {
  /** Drops post their steps as they become due; the service hands the publisher everything a step shows. */
  dropPublisher(services: { guilds: GuildService; renderer: Renderer }): DropPublisher;
}

export function buildServices({ db, bank, clock, log, renderer, shard }: ServiceDeps, ports: ServicePorts): Services {
  const prisma = db.prisma;
  const guilds = new GuildService(new GuildStore(prisma), log);
  const answers = new AnswerStore(prisma, bank, clock);
  const leaderboards = new Leaderboards(new LeaderboardStore(prisma));
  // Streaks are the leaderboards' (one definition): /mastery reads them there.
  const mastery = new MasteryService(db, new MasteryStore(prisma), bank, leaderboards, clock);
  return {
    bank,
    clock,
    renderer,
    guilds,
    answers,
    mastery,
    practice: new PracticeService(new PracticeStore(prisma), bank, answers, mastery, clock),
    whiteboards: new WhiteboardService(new WhiteboardStore(prisma), db, texValidator(renderer)),
    schedules: new ScheduleService(new ScheduleStore(prisma), db, guilds, bank.topics.map((t) => t.id)),
    drops: new DropService({ db, store: new DropStore(prisma), bank, answers, publisher: ports.dropPublisher({ guilds, renderer }), clock, log }, { shard }),
    duels: new DuelService(db, new DuelStore(prisma, shard), bank, answers, clock),
    sprints: new SprintService(db, new SprintStore(prisma), bank, answers, clock, shard),
    leaderboards,
    // Cached rankings must not show a forgotten member any more.
    privacy: new PrivacyService(new PrivacyStore(prisma), () => leaderboards.clear()),
  };
}
