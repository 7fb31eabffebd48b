import { randomInt } from 'node:crypto';
import type { Bank, Prompt } from '../bank/load.js';
import { DomainError } from '../platform/errors.js';
import type { Transactor } from '../platform/db/client.js';
import type { AnswerStore } from '../answers/store.js';
import { RESPONSE_TIMES, repeatWindowStart } from '../answers/rules.js';
import { gradeChoice, type ChoiceOption } from '../quiz/grade.js';
import { speedPoints } from '../quiz/points.js';
import { ownsGuild, type ShardScope } from '../platform/shard-scope.js';
import {
  checkInTime,
  checkJoinable,
  checkRoundOpen,
  checkSettings,
  checkSprintId,
  checkStarter,
  closeChange,
  everyoneAnswered,
  isRoundClosed,
  lobbyDeadline,
  pickQuestions,
  rankStandings,
  responseMs,
  roundWindowMs,
  sprintOptions,
  sprintStaleness,
  startChange,
} from './rules.js';
import type { SprintStore } from './store.js';
import type { Sprint, Standing } from './types.js';

/** A round to post: its question and the options in the order everyone sees. */
export interface SprintRound {
  sprint: Sprint;
  round: number;
  prompt: Prompt;
  options: ChoiceOption[];
}

/** A closed round: its answer and how many picked each option, the standings, and what comes next. */
export interface ClosedRound {
  recap: SprintRound & { distribution: Map<number, number> };
  standings: Standing[];
  /** The next round to post; null when the sprint is over. */
  next: SprintRound | null;
}

/**
 * Channel-wide speed rounds: the lobby, the rounds and the end, each a guarded transition (see
 * SprintStore); every participant's first click per round is the one that counts (primary key
 * on sprint, round, user).
 */
export class SprintService {
  constructor(
    private readonly db: Transactor,
    private readonly store: SprintStore,
    private readonly bank: Bank,
    private readonly answers: AnswerStore,
    private readonly clock: () => Date,
    private readonly shard: ShardScope = { ids: [0], count: 1 },
  ) {}

  async get(id: string): Promise<Sprint> {
    checkSprintId(id);
    const s = await this.store.get(id);
    if (!s) throw new DomainError('sprint.gone', {}, 'not-found');
    return s;
  }

  /** Round `round` of the sprint (its current one by default). */
  round(s: Sprint, round = s.round): SprintRound {
    const prompt = this.bank.promptById.get(s.questions[round] ?? '');
    if (!prompt) throw new DomainError('sprint.question-gone', {}, 'not-found');
    return { sprint: s, round, prompt, options: sprintOptions(prompt, s.id, round) };
  }

  async open(input: { guildId: string; channelId: string; starterId: string; starterName: string; topic: string | null; rounds: number; seconds: number }): Promise<Sprint> {
    if (input.topic && !this.bank.topicById.has(input.topic)) throw new DomainError('sprint.unknown-topic', { topic: input.topic });
    checkSettings(input);
    const now = this.clock();
    // Drawn again for the players who joined when the sprint starts; until then the starter is the one known player.
    const questions = pickQuestions(this.pool(input.topic), input.rounds, randomInt, await this.staleness(input, [input.starterId], now));
    // One sprint per channel: checked and created under a lock on the channel, so two /sprint
    // sent at the same moment cannot both open a lobby.
    return this.db.transaction(async (tx) => {
      await this.store.lockChannel(tx, input.channelId);
      if (await this.store.hasRunning(tx, input.channelId)) throw new DomainError('sprint.running', {}, 'conflict');
      return this.store.create(tx, {
        guildId: input.guildId,
        channelId: input.channelId,
        starterId: input.starterId,
        starterName: input.starterName,
        topic: input.topic,
        questions,
        secondsPerRound: input.seconds,
        deadline: lobbyDeadline(now),
      });
    });
  }

  setMessage(id: string, messageId: string): Promise<void> {
    return this.store.setMessage(id, messageId);
  }

  async join(id: string, userId: string, name: string): Promise<{ joined: boolean; players: number }> {
    const s = await this.get(id);
    const count = await this.store.playerCount(id);
    checkJoinable(s, count);
    const joined = await this.store.addPlayer(id, userId, name, this.clock());
    return { joined, players: count + (joined ? 1 : 0) };
  }

  /** Lobby → round 0, returning the round to post. Only the starter may start early; the lobby timer starts it otherwise (`by` null). */
  async start(id: string, by: string | null): Promise<SprintRound | null> {
    const s = await this.get(id);
    checkStarter(s, by);
    if (s.status !== 'lobby') return null;
    const now = this.clock();
    // The players are known now: questions none of them answered in the last 7 days first.
    const players = await this.store.playerIds(id);
    const pool = this.pool(s.topic);
    const questions = pool.length >= s.questions.length ? pickQuestions(pool, s.questions.length, randomInt, await this.staleness(s, players, now)) : undefined;
    if (!(await this.store.start(id, startChange(s, now), questions))) return null;
    return this.round(await this.get(id));
  }

  /** The prompt ids a sprint on `topic` draws from. */
  private pool(topic: string | null): string[] {
    return this.bank.prompts.filter((p) => !topic || p.topic === topic).map((p) => p.id);
  }

  /** How stale each prompt is for these players in this channel (see rules.sprintStaleness). */
  private async staleness(where: { guildId: string; channelId: string }, players: string[], now: Date): Promise<(promptId: string) => number> {
    const since = repeatWindowStart(now);
    const [byPlayers, inChannel] = await Promise.all([this.answers.promptsSeenBy(players, since), this.answers.promptsSeenInChannel(where, since)]);
    return sprintStaleness(byPlayers, inChannel);
  }

  async answer(id: string, round: number, userId: string, optionId: number): Promise<{ stored: boolean; correct: boolean; points: number }> {
    const s = await this.get(id);
    checkRoundOpen(s, round);
    if (!(await this.store.isPlayer(id, userId))) throw new DomainError('sprint.not-joined', {}, 'forbidden');
    const now = this.clock();
    checkInTime(s, now);
    const { prompt, options } = this.round(s, round);
    const picked = options.find((o) => o.id === optionId);
    if (!picked) throw new DomainError('sprint.no-option');
    const t = responseMs(s, now);
    const grade = gradeChoice(prompt.choice, optionId, { responseMs: t, ...RESPONSE_TIMES.choice });
    const correct = grade.verdict === 'correct';
    const points = speedPoints(correct, t, roundWindowMs(s), prompt.level);
    // The answer store's row and the sprint's own row in one statement: both or neither.
    const { stored } = await this.answers.record(
      {
        event: { id, step: round },
        userId,
        guildId: s.guildId,
        channelId: s.channelId,
        promptId: prompt.id,
        mode: 'sprint',
        given: picked.text,
        verdict: grade.verdict,
        score: correct ? 1 : 0,
        points,
        responseMs: t,
        rating: grade.rating,
        at: now,
      },
      this.store.answerRow({ sprintId: id, round, userId, optionId, correct, responseMs: t, points, at: now }),
    );
    return { stored, correct, points };
  }

  /** Closes round `round` (idempotent): its recap and the next round, or null when it was already closed. */
  async closeRound(id: string, round: number): Promise<ClosedRound | null> {
    const s = await this.get(id);
    const { change, finished } = closeChange(s, round, this.clock());
    if (!(await this.store.closeRound(id, round, change))) return null;
    const sprint = await this.get(id);
    const { recap, standings } = await this.recapOf(sprint, round);
    return { recap, standings, next: finished ? null : this.round(sprint) };
  }

  /**
   * A closed round as its closed message shows it: the answer, the distribution and the standings
   * through it (the same every time: a closed round's answers are final); null while it is open.
   */
  async closedRound(s: Sprint, round: number): Promise<Pick<ClosedRound, 'recap' | 'standings'> | null> {
    if (!isRoundClosed(s, round)) return null;
    return this.recapOf(s, round);
  }

  private async recapOf(s: Sprint, round: number): Promise<Pick<ClosedRound, 'recap' | 'standings'>> {
    const standings = rankStandings(await this.store.totals(s.id, round));
    const distribution = await this.store.distribution(s.id, round);
    return { recap: { ...this.round(s, round), distribution }, standings };
  }

  /** Records the public message of a round, which its closing edits. */
  setRoundMessage(id: string, round: number, messageId: string): Promise<void> {
    return this.store.setRoundMessage(id, round, messageId);
  }

  roundMessage(id: string, round: number): Promise<string | null> {
    return this.store.roundMessage(id, round);
  }

  async standings(id: string): Promise<Standing[]> {
    return rankStandings(await this.store.totals(id));
  }

  async allAnswered(id: string, round: number): Promise<boolean> {
    return everyoneAnswered(await this.store.roundProgress(id, round));
  }

  /** Lobbies whose 30 s are over, and rounds past their deadline, in the guilds this process serves. */
  async due(): Promise<Sprint[]> {
    return (await this.store.due(this.clock())).filter((s) => ownsGuild(this.shard, s.guildId));
  }
}
