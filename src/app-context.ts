import type { Bank } from './bank/load.js';
import type { Config } from './config.js';
import type { Database } from './db/client.js';
import type { GuildRepository } from './guilds/repository.js';
import type { Logger } from './log.js';
import type { AnswerStore, MasteryQueries } from './mastery/index.js';
import type { PracticeService } from './practice/service.js';
import type { Renderer } from './render/index.js';
import type { DropAnswers } from './drop/answers.js';
import type { DropEngine } from './drop/engine.js';
import type { ScheduleRepository } from './schedule/repository.js';
import type { DuelDriver } from './duel/discord.js';
import type { DuelService } from './duel/service.js';
import type { SprintDriver } from './sprint/discord.js';
import type { SprintService } from './sprint/service.js';
import type { Leaderboards } from './leaderboard/queries.js';
import type { WhiteboardService } from './whiteboard/service.js';

/** A source of "now"; injected so tests can move time. */
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

/** Everything a command handler may use. Built once in src/app.ts and passed down. */
export interface AppContext {
  config: Config;
  log: Logger;
  db: Database;
  bank: Bank;
  clock: Clock;
  guilds: GuildRepository;
  renderer: Renderer;
  whiteboards: WhiteboardService;
  answers: AnswerStore;
  mastery: MasteryQueries;
  practice: PracticeService;
  schedules: ScheduleRepository;
  drops: { engine: DropEngine; answers: DropAnswers };
  duels: DuelService;
  duelDriver: DuelDriver;
  sprints: SprintService;
  sprintDriver: SprintDriver;
  leaderboards: Leaderboards;
  /** The commands this process serves (for /help). */
  commands: readonly { name: string; summary: string; audience: 'members' | 'admins' }[];
}
