import { randomInt } from 'node:crypto';
import type { Bank, Prompt } from '../bank/load.js';
import { UserError } from '../platform/errors.js';
import { Prisma, type PrismaClient } from '../generated/prisma/client.js';
import { type AnswerStore } from '../answers/store.js';
import { RESPONSE_TIMES } from '../answers/rules.js';
import { gradeChoice, type ChoiceOption } from '../quiz/grade.js';
import { sharedOptions } from '../quiz/shared-options.js';
import { speedPoints } from '../quiz/points.js';
import { ownsGuild, type ShardScope } from '../platform/shard-scope.js';
import { lockKey } from '../platform/db/client.js';

export const SPRINT_LIMITS = { lobbySeconds: 30, defaultRounds: 5, maxRounds: 20, defaultSeconds: 20, maxPlayers: 500 } as const;

/** Advisory lock space (lockKey) for "one sprint per channel". */
const SPRINT_LOCK_SPACE = 0x737072; // "spr"

export interface SprintRow {
  id: string;
  guildId: string;
  channelId: string;
  starterId: string;
  topic: string | null;
  status: string;
  questions: string[];
  secondsPerRound: number;
  round: number;
  roundStartedAt: Date | null;
  deadline: Date;
  messageId: string | null;
}

export function sprintOptions(prompt: Prompt, sprintId: string, round: number): ChoiceOption[] {
  return sharedOptions(prompt, `sprint:${sprintId}:${round}`);
}

export interface Standing {
  userId: string;
  name: string;
  points: number;
  correct: number;
}

/**
 * Channel-wide speed rounds. The lobby, each round and the end are transitions guarded by
 * conditional UPDATEs on the sprint row, so the Start button, the lobby timer and a second
 * process cannot start or close anything twice; every participant's first click per round is
 * the one that counts (primary key on sprint, round, user).
 */
export class SprintService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly bank: Bank,
    private readonly answers: AnswerStore,
    private readonly clock: () => Date,
    private readonly shard: ShardScope = { ids: [0], count: 1 },
  ) {}

  async get(id: string): Promise<SprintRow> {
    if (!/^[0-9a-f-]{36}$/.test(id)) throw new UserError('This button does not belong to a sprint I know.', 'not-found');
    const s = (await this.prisma.sprint.findUnique({ where: { id } })) as SprintRow | null;
    if (!s) throw new UserError('This sprint no longer exists.', 'not-found');
    return s;
  }

  prompt(s: SprintRow, round: number): Prompt {
    const p = this.bank.promptById.get(s.questions[round] ?? '');
    if (!p) throw new UserError('This sprint question is no longer in the bank.', 'not-found');
    return p;
  }

  async open(input: { guildId: string; channelId: string; starterId: string; starterName: string; topic: string | null; rounds: number; seconds: number }): Promise<SprintRow> {
    if (input.topic && !this.bank.topicById.has(input.topic)) throw new UserError(`I have no topic called "${input.topic.slice(0, 40)}".`);
    if (!Number.isInteger(input.rounds) || input.rounds < 1 || input.rounds > SPRINT_LIMITS.maxRounds) throw new UserError(`A sprint has 1 to ${SPRINT_LIMITS.maxRounds} rounds.`, 'limit');
    if (!Number.isInteger(input.seconds) || input.seconds < 5 || input.seconds > 120) throw new UserError('A round lasts 5 to 120 seconds.', 'limit');
    const pool = this.bank.prompts.filter((p) => !input.topic || p.topic === input.topic);
    if (pool.length < input.rounds) throw new UserError(`Only ${pool.length} questions match; ask for fewer rounds.`, 'limit');
    const left = [...pool];
    const questions = Array.from({ length: input.rounds }, () => left.splice(randomInt(left.length), 1)[0]!.id);
    const now = this.clock();
    // One sprint per channel: checked and created under a lock on the channel, so two /sprint
    // sent at the same moment cannot both open a lobby.
    return this.prisma.$transaction(async (tx) => {
      await lockKey(tx, SPRINT_LOCK_SPACE, input.channelId);
      const running = await tx.sprint.findFirst({ where: { channelId: input.channelId, status: { in: ['lobby', 'active'] } } });
      if (running) throw new UserError('A sprint is already running in this channel. Join it, or wait for it to end.', 'conflict');
      return (await tx.sprint.create({
        data: {
          guildId: input.guildId,
          channelId: input.channelId,
          starterId: input.starterId,
          topic: input.topic,
          questions,
          secondsPerRound: input.seconds,
          deadline: new Date(now.getTime() + SPRINT_LIMITS.lobbySeconds * 1000),
          players: { create: { userId: input.starterId, name: input.starterName } },
        },
      })) as SprintRow;
    });
  }

  async setMessage(id: string, messageId: string): Promise<void> {
    await this.prisma.sprint.update({ where: { id }, data: { messageId } });
  }

  async join(id: string, userId: string, name: string): Promise<{ joined: boolean; players: number }> {
    const s = await this.get(id);
    if (s.status !== 'lobby') throw new UserError('This sprint has already started; join the next one.', 'expired');
    const count = await this.prisma.sprintPlayer.count({ where: { sprintId: id } });
    if (count >= SPRINT_LIMITS.maxPlayers) throw new UserError('This sprint is full.', 'limit');
    const inserted = await this.prisma.$executeRaw`INSERT INTO sprint_players (sprint_id, user_id, name, joined_at) VALUES (${id}::uuid, ${userId}, ${name.slice(0, 100)}, ${this.clock()}) ON CONFLICT DO NOTHING`;
    return { joined: inserted > 0, players: count + inserted };
  }

  /** Lobby → round 0. Only the starter may start early; the lobby timer starts it otherwise. */
  async start(id: string, by: string | null): Promise<SprintRow | null> {
    const s = await this.get(id);
    if (by !== null && by !== s.starterId) throw new UserError('Only the member who opened the sprint can start it early.', 'forbidden');
    const now = this.clock();
    const { count } = await this.prisma.sprint.updateMany({
      where: { id, status: 'lobby' },
      data: { status: 'active', round: 0, roundStartedAt: now, deadline: new Date(now.getTime() + s.secondsPerRound * 1000) },
    });
    return count ? this.get(id) : null;
  }

  async answer(id: string, round: number, userId: string, optionId: number): Promise<{ stored: boolean; correct: boolean; points: number }> {
    const s = await this.get(id);
    if (s.status !== 'active' || s.round !== round) throw new UserError('This question is closed.', 'expired');
    const player = await this.prisma.sprintPlayer.findUnique({ where: { sprintId_userId: { sprintId: id, userId } } });
    if (!player) throw new UserError('Only members who joined this sprint can answer. Join the next one!', 'forbidden');
    const now = this.clock();
    if (now.getTime() > s.deadline.getTime()) throw new UserError('Too late: this question is closed.', 'expired');
    const prompt = this.prompt(s, round);
    const options = sprintOptions(prompt, id, round);
    const picked = options.find((o) => o.id === optionId);
    if (!picked) throw new UserError('That option does not exist.', 'invalid-input');
    const t = now.getTime() - s.roundStartedAt!.getTime();
    const grade = gradeChoice(prompt.choice, optionId, { responseMs: t, ...RESPONSE_TIMES.choice });
    const correct = grade.verdict === 'correct';
    const points = speedPoints(correct, t, s.secondsPerRound * 1000);
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
      {
        alongside: Prisma.sql`INSERT INTO sprint_answers (sprint_id, round, user_id, option_id, correct, response_ms, points, answered_at)
          SELECT ${id}::uuid, ${round}::int4, ${userId}, ${optionId}::int4, ${correct}, ${Math.round(t)}::int4, ${points}::int4, ${now}::timestamptz FROM ins
          ON CONFLICT DO NOTHING`,
      },
    );
    return { stored, correct, points };
  }

  /** Closes round `round` (idempotent); returns the new state or null when already closed. */
  async closeRound(id: string, round: number): Promise<{ sprint: SprintRow; finished: boolean } | null> {
    const s = await this.get(id);
    const now = this.clock();
    const last = round + 1 >= s.questions.length;
    const { count } = await this.prisma.sprint.updateMany({
      where: { id, status: 'active', round },
      data: last ? { status: 'finished' } : { round: round + 1, roundStartedAt: now, deadline: new Date(now.getTime() + s.secondsPerRound * 1000) },
    });
    return count ? { sprint: await this.get(id), finished: last } : null;
  }

  async distribution(id: string, round: number): Promise<Map<number, number>> {
    const rows = await this.prisma.sprintAnswer.groupBy({ by: ['optionId'], where: { sprintId: id, round }, _count: true });
    return new Map(rows.map((r) => [r.optionId, r._count]));
  }

  async standings(id: string): Promise<Standing[]> {
    const rows = await this.prisma.$queryRaw<{ user_id: string; name: string; points: bigint; correct: bigint }[]>`
      SELECT p.user_id, p.name, COALESCE(sum(a.points), 0) AS points, count(a.*) FILTER (WHERE a.correct) AS correct
      FROM sprint_players p LEFT JOIN sprint_answers a ON a.sprint_id = p.sprint_id AND a.user_id = p.user_id
      WHERE p.sprint_id = ${id}::uuid GROUP BY p.user_id, p.name
      ORDER BY points DESC, correct DESC, p.user_id`;
    return rows.map((r) => ({ userId: r.user_id, name: r.name, points: Number(r.points), correct: Number(r.correct) }));
  }

  async allAnswered(id: string, round: number): Promise<boolean> {
    const [players, answered] = await Promise.all([this.prisma.sprintPlayer.count({ where: { sprintId: id } }), this.prisma.sprintAnswer.count({ where: { sprintId: id, round } })]);
    return answered >= players;
  }

  /** Lobbies whose 30 s are over, and rounds past their deadline. */
  async due(): Promise<SprintRow[]> {
    const rows = (await this.prisma.sprint.findMany({ where: { status: { in: ['lobby', 'active'] }, deadline: { lte: this.clock() } } })) as SprintRow[];
    return rows.filter((s) => ownsGuild(this.shard, s.guildId));
  }
}
