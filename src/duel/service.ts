import { randomInt } from 'node:crypto';
import type { Bank, Prompt } from '../bank/load.js';
import { UserError } from '../platform/errors.js';
import { Prisma, type PrismaClient } from '../generated/prisma/client.js';
import { type AnswerStore } from '../answers/store.js';
import { type Verdict, RESPONSE_TIMES } from '../answers/rules.js';
import { type Grade } from '../mastery/index.js';
import { isUniqueViolation, lockKey } from '../platform/db/client.js';
import { generateDrill, drillKinds, type Drill } from '../drills/index.js';
import { gradeChoice, gradeNumeric, type ChoiceOption } from '../quiz/grade.js';
import { sharedOptions } from '../quiz/shared-options.js';
import { speedPoints } from '../quiz/points.js';
import { applyDuelResult, type DuelResult } from './elo.js';
import { shardCondition } from '../platform/db/shard-sql.js';
import { ownsGuild, type ShardScope } from '../platform/shard-scope.js';

export const DUEL_LIMITS = { maxRounds: 20, defaultRounds: 5, defaultSeconds: 20, drillDefaultSeconds: 90, challengeMinutes: 5 } as const;

/** What a duel asks: bank questions (multiple choice), numeric drills (typed), or both alternating. */
export const DUEL_FORMATS = ['questions', 'drills', 'mixed'] as const;
export type DuelFormat = (typeof DUEL_FORMATS)[number];

/** Advisory lock space (lockKey) for "is this member free to duel". */
const DUEL_LOCK_SPACE = 0x64756c; // "dul"

/**
 * The duel's questions: distinct bank prompts for question rounds, and for drill rounds drill
 * kinds without repeats until every kind has been used, each with a random seed.
 */
function pickQuestions(rounds: number, pool: Prompt[], isDrill: (round: number) => boolean): string[] {
  const chosen: string[] = [];
  const left = [...pool];
  let kinds: string[] = [];
  for (let i = 0; i < rounds; i++) {
    if (!isDrill(i)) {
      chosen.push(left.splice(randomInt(left.length), 1)[0]!.id);
      continue;
    }
    if (kinds.length === 0) kinds = drillKinds.map((k) => k.id);
    const kind = kinds.splice(randomInt(kinds.length), 1)[0]!;
    chosen.push(drillRef({ kind, seed: randomInt(2 ** 32) }));
  }
  return chosen;
}

/** One round's question: a bank prompt answered by buttons, or a drill answered with a number. */
export type DuelQuestion = { type: 'prompt'; prompt: Prompt } | { type: 'drill'; drill: Drill };

const DRILL_REF = /^drill:([a-z0-9-]+):(\d{1,10})$/;
export const drillRef = (drill: Pick<Drill, 'kind' | 'seed'>) => `drill:${drill.kind}:${drill.seed}`;

export interface DuelRow {
  id: string;
  guildId: string;
  channelId: string;
  challengerId: string;
  opponentId: string;
  topic: string | null;
  level: string | null;
  status: string;
  questions: string[];
  secondsPerRound: number;
  round: number;
  roundStartedAt: Date | null;
  roundDeadline: Date | null;
  challengeExpiresAt: Date;
  messageId: string | null;
  winnerId: string | null;
  eloChange: number | null;
}

export interface AnswerResult {
  duel: DuelRow;
  /** False when this player had already answered the round (the first answer counts). */
  stored: boolean;
  correct: boolean;
  points: number;
  late: boolean;
  bothAnswered: boolean;
}

export interface Score {
  userId: string;
  points: number;
  correct: number;
  answered: number;
}

/** Same option order for both players: derived from the duel and the round. */
export function duelOptions(prompt: Prompt, duelId: string, round: number): ChoiceOption[] {
  return sharedOptions(prompt, `duel:${duelId}:${round}`);
}

/**
 * Duels as state in PostgreSQL. Every transition is a conditional UPDATE on the duel row
 * (status, round), so a double click, a timer and a restarted process can race and exactly one
 * of them moves the duel on; answers have a (duel, round, user) primary key so each counts once.
 */
export class DuelService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly bank: Bank,
    private readonly answers: AnswerStore,
    private readonly clock: () => Date,
    private readonly shard: ShardScope = { ids: [0], count: 1 },
  ) {}

  async get(duelId: string): Promise<DuelRow> {
    if (!/^[0-9a-f-]{36}$/.test(duelId)) throw new UserError('This button does not belong to a duel I know.', 'not-found');
    const duel = (await this.prisma.duel.findUnique({ where: { id: duelId } })) as DuelRow | null;
    if (!duel) throw new UserError('This duel no longer exists.', 'not-found');
    return duel;
  }

  prompt(duel: DuelRow, round: number): Prompt {
    const q = this.question(duel, round);
    if (q.type !== 'prompt') throw new UserError('This round wants a number: press "Enter my answer".', 'invalid-input');
    return q.prompt;
  }

  /** The round's question: a prompt id from the bank, or a drill rebuilt from its kind and seed. */
  question(duel: DuelRow, round: number): DuelQuestion {
    const ref = duel.questions[round] ?? '';
    const m = DRILL_REF.exec(ref);
    if (m) {
      const drill = generateDrill(m[1]!, Number(m[2]));
      if (!drill) throw new UserError('This duel drill no longer exists.', 'not-found');
      return { type: 'drill', drill };
    }
    const prompt = this.bank.promptById.get(ref);
    if (!prompt) throw new UserError('This duel question is no longer in the bank.', 'not-found');
    return { type: 'prompt', prompt };
  }

  async challenge(input: {
    guildId: string;
    channelId: string;
    challengerId: string;
    opponent: { id: string; bot: boolean };
    topic: string | null;
    level: string | null;
    rounds: number;
    seconds: number;
    format?: DuelFormat;
  }): Promise<DuelRow> {
    const format = input.format ?? 'questions';
    if (input.opponent.id === input.challengerId) throw new UserError("You can't duel yourself. Pick another member.");
    if (input.opponent.bot) throw new UserError("Bots don't duel. Pick a member.");
    if (!Number.isInteger(input.rounds) || input.rounds < 1 || input.rounds > DUEL_LIMITS.maxRounds) throw new UserError(`A duel has 1 to ${DUEL_LIMITS.maxRounds} rounds.`, 'limit');
    if (!Number.isInteger(input.seconds) || input.seconds < 5 || input.seconds > 120) throw new UserError('A round lasts 5 to 120 seconds.', 'limit');
    if (!DUEL_FORMATS.includes(format)) throw new UserError(`A duel asks ${DUEL_FORMATS.join(', ')}.`, 'invalid-input');
    if (input.topic && !this.bank.topicById.has(input.topic)) throw new UserError(`I have no topic called "${input.topic.slice(0, 40)}".`);
    if (format === 'drills' && (input.topic || input.level)) {
      throw new UserError('Numeric drills have no topic or level: leave those out, or pick format "questions" or "mixed".', 'invalid-input');
    }
    // Mixed: questions on even rounds (the first one included), drills on odd ones.
    const isDrill = (i: number) => format === 'drills' || (format === 'mixed' && i % 2 === 1);
    const questionRounds = Array.from({ length: input.rounds }, (_, i) => i).filter((i) => !isDrill(i)).length;
    const pool = this.bank.prompts.filter((p) => (!input.topic || p.topic === input.topic) && (!input.level || p.level === input.level));
    if (pool.length < questionRounds) throw new UserError(`Only ${pool.length} questions match that topic and level; ask for fewer rounds or widen the filter.`, 'limit');
    const now = this.clock();
    const chosen = pickQuestions(input.rounds, pool, isDrill);
    const pair = [input.challengerId, input.opponent.id];
    // "Already in a duel" is checked and the challenge created under a lock per member (taken
    // in id order), so two challenges sent at the same moment cannot both get through.
    return this.prisma.$transaction(async (tx) => {
      for (const id of [...pair].sort()) {
        await lockKey(tx, DUEL_LOCK_SPACE, `${input.guildId}:${id}`);
      }
      const busy = await tx.duel.findFirst({
        where: {
          guildId: input.guildId,
          OR: [{ status: 'active' }, { status: 'pending', challengeExpiresAt: { gt: now } }],
          AND: [{ OR: [{ challengerId: { in: pair } }, { opponentId: { in: pair } }] }],
        },
      });
      if (busy) {
        const who = [busy.challengerId, busy.opponentId].includes(input.opponent.id) ? `<@${input.opponent.id}> is` : 'You are';
        throw new UserError(`${who} already in a duel here. Finish it (or let the challenge expire) first.`, 'conflict');
      }
      return (await tx.duel.create({
        data: {
          guildId: input.guildId,
          channelId: input.channelId,
          challengerId: input.challengerId,
          opponentId: input.opponent.id,
          topic: input.topic,
          level: input.level,
          questions: chosen,
          secondsPerRound: input.seconds,
          challengeExpiresAt: new Date(now.getTime() + DUEL_LIMITS.challengeMinutes * 60_000),
        },
      })) as DuelRow;
    });
  }

  async setMessage(duelId: string, messageId: string): Promise<void> {
    await this.prisma.duel.update({ where: { id: duelId }, data: { messageId } });
  }

  /** The opponent accepts: round 0 starts now. Returns null when it was not pending any more. */
  async accept(duelId: string, userId: string): Promise<DuelRow> {
    const duel = await this.get(duelId);
    if (userId !== duel.opponentId) throw new UserError(userId === duel.challengerId ? 'Waiting for your opponent to accept.' : 'This is not your duel.', 'forbidden');
    const now = this.clock();
    if (duel.status === 'pending' && duel.challengeExpiresAt.getTime() <= now.getTime()) throw new UserError('This challenge has expired.', 'expired');
    const { count } = await this.prisma.duel.updateMany({
      where: { id: duelId, status: 'pending', challengeExpiresAt: { gt: now } },
      data: { status: 'active', round: 0, roundStartedAt: now, roundDeadline: new Date(now.getTime() + duel.secondsPerRound * 1000) },
    });
    if (count === 0) throw new UserError(duel.status === 'active' ? 'The duel has already started.' : 'This challenge is no longer open.', 'conflict');
    return this.get(duelId);
  }

  async decline(duelId: string, userId: string): Promise<DuelRow> {
    const duel = await this.get(duelId);
    if (userId !== duel.opponentId && userId !== duel.challengerId) throw new UserError('This is not your duel.', 'forbidden');
    const { count } = await this.prisma.duel.updateMany({ where: { id: duelId, status: 'pending' }, data: { status: 'declined', finishedAt: this.clock() } });
    if (count === 0) throw new UserError('This challenge is no longer open.', 'conflict');
    return this.get(duelId);
  }

  /** Pending challenges past their 5 minutes. */
  async expireChallenges(): Promise<DuelRow[]> {
    return this.prisma.$queryRaw<DuelRow[]>`
      UPDATE duels SET status = 'expired', finished_at = ${this.clock()}
      WHERE status = 'pending' AND challenge_expires_at <= ${this.clock()} AND ${shardCondition(this.shard)}
      RETURNING id, guild_id AS "guildId", channel_id AS "channelId", challenger_id AS "challengerId", opponent_id AS "opponentId", message_id AS "messageId", status`;
  }

  /** One answer per player per round; answers after the deadline count as late (0 points). */
  async answer(duelId: string, round: number, userId: string, optionId: number): Promise<AnswerResult> {
    const { duel, question } = await this.openRound(duelId, round, userId);
    if (question.type !== 'prompt') throw new UserError('This round wants a number: press "Enter my answer".', 'invalid-input');
    const prompt = question.prompt;
    const picked = duelOptions(prompt, duel.id, round).find((o) => o.id === optionId);
    if (!picked) throw new UserError('That option does not exist.', 'invalid-input');
    const timing = this.timing(duel);
    const grade = gradeChoice(prompt.choice, optionId, { responseMs: timing.t, ...RESPONSE_TIMES.choice });
    return this.store(duel, round, userId, timing, { optionId, given: null, shown: picked.text, verdict: grade.verdict, rating: grade.rating, what: { promptId: prompt.id } });
  }

  /** When this answer comes, relative to the round: elapsed ms, the round's length, late or not. */
  private timing(duel: DuelRow) {
    const now = this.clock();
    return { now, t: now.getTime() - duel.roundStartedAt!.getTime(), T: duel.secondsPerRound * 1000, late: now.getTime() > duel.roundDeadline!.getTime() };
  }

  /**
   * Stores a graded answer once (the primary key on duel, round and player) with its points,
   * in duel_answers and in the answer store, and says whether both players have now answered.
   */
  private async store(
    duel: DuelRow,
    round: number,
    userId: string,
    { now, t, T, late }: ReturnType<DuelService['timing']>,
    a: { optionId: number | null; given: string | null; shown: string; verdict: Verdict; rating?: Grade; what: { promptId: string } | { drill: { kind: string; seed: number } } },
  ): Promise<AnswerResult> {
    const correct = a.verdict === 'correct';
    const points = late ? 0 : speedPoints(correct, t, T);
    // One statement writes the answer store's row and, alongside it, the duel's own row: both
    // or neither. The primary key on (duel, round, player) counts the first answer only; when
    // the round was closed meanwhile, the absent player's blank is already there, the insert
    // violates the key and nothing is stored (refused as over). Locks: the insert's foreign
    // key check takes a KEY SHARE lock on the duel row, which closeRound's FOR NO KEY UPDATE
    // does not block, so an answer and the close never wait on each other in a cycle.
    let stored: boolean;
    try {
      const r = await this.answers.record(
        {
          event: { id: duel.id, step: round },
          userId,
          guildId: duel.guildId,
          channelId: duel.channelId,
          ...a.what,
          mode: 'duel',
          given: a.shown,
          verdict: a.verdict,
          score: correct ? 1 : 0,
          points,
          responseMs: t,
          ...(a.rating !== undefined ? { rating: a.rating } : {}),
          at: now,
        },
        {
          alongside: Prisma.sql`INSERT INTO duel_answers (duel_id, round, user_id, option_id, given, correct, response_ms, points, answered_at)
            SELECT ${duel.id}::uuid, ${round}::int4, ${userId}, ${a.optionId}::int4, ${a.given}::text, ${correct}, ${Math.round(t)}::int4, ${points}::int4, ${now}::timestamptz FROM ins`,
        },
      );
      stored = r.stored;
    } catch (err) {
      if (isUniqueViolation(err)) throw new UserError('This round is over.', 'expired');
      throw err;
    }
    const n = await this.prisma.duelAnswer.count({ where: { duelId: duel.id, round } });
    return { duel, stored, correct, points, late, bothAnswered: n >= 2 };
  }

  /** The checks every answer goes through: a duelist, the round open, the question of the right type. */
  private async openRound(duelId: string, round: number, userId: string) {
    const duel = await this.get(duelId);
    if (userId !== duel.challengerId && userId !== duel.opponentId) throw new UserError('This is not your duel.', 'forbidden');
    if (duel.status !== 'active' || duel.round !== round) throw new UserError('This round is over.', 'expired');
    return { duel, question: this.question(duel, round) };
  }

  /** May this member open the answer form of this (drill) round now? Throws the reason if not. */
  async checkDrillRound(duelId: string, round: number, userId: string): Promise<Drill> {
    const { question } = await this.openRound(duelId, round, userId);
    if (question.type !== 'drill') throw new UserError('This round is multiple choice: press a letter.', 'invalid-input');
    return question.drill;
  }

  /**
   * A typed answer to a numeric drill round, graded with the drill's tolerance. Text that is not
   * a number is refused with the reason and nothing is stored (the player may try again before
   * the deadline); the first readable answer counts, late ones score 0.
   */
  async answerNumber(duelId: string, round: number, userId: string, text: string): Promise<AnswerResult & { drill: Drill }> {
    const { duel, question } = await this.openRound(duelId, round, userId);
    if (question.type !== 'drill') throw new UserError('This round is multiple choice: press a letter.', 'invalid-input');
    const drill = question.drill;
    const timing = this.timing(duel);
    const grade = gradeNumeric(text, { answer: drill.answer, tolerance: drill.tolerance, answerText: drill.answerText, ...(drill.unit ? { unit: drill.unit } : {}) }, { responseMs: timing.t, ...RESPONSE_TIMES.drill });
    if (!grade.ok) throw new UserError(`I could not read that as a number: ${grade.message}`, 'invalid-input');
    const given = text.trim().slice(0, 100);
    const stored = await this.store(duel, round, userId, timing, { optionId: null, given, shown: given, verdict: grade.verdict, what: { drill: { kind: drill.kind, seed: drill.seed } } });
    return { ...stored, drill };
  }

  /**
   * Closes round `round` (both answered, or its deadline passed): missing answers are scored 0,
   * then the duel moves to the next round or finishes. Returns null when another caller already
   * closed it (so only one process posts the next message).
   */
  async closeRound(duelId: string, round: number): Promise<{ duel: DuelRow; finished: boolean } | null> {
    const now = this.clock();
    return this.prisma.$transaction(async (tx) => {
      // FOR NO KEY UPDATE: excludes other closers, but not an answer's foreign-key check (see store).
      const rows = await tx.$queryRaw<DuelRow[]>`SELECT id, status, round, questions, seconds_per_round AS "secondsPerRound", challenger_id AS "challengerId", opponent_id AS "opponentId" FROM duels WHERE id = ${duelId}::uuid FOR NO KEY UPDATE`;
      const d = rows[0];
      if (!d || d.status !== 'active' || d.round !== round) return null;
      for (const userId of [d.challengerId, d.opponentId]) {
        await tx.$executeRaw`INSERT INTO duel_answers (duel_id, round, user_id, option_id, correct, response_ms, points, answered_at)
          VALUES (${duelId}::uuid, ${round}, ${userId}, NULL, false, NULL, 0, ${now}) ON CONFLICT DO NOTHING`;
      }
      const last = round + 1 >= d.questions.length;
      if (last) {
        await tx.duel.update({ where: { id: duelId }, data: { status: 'scoring', roundDeadline: null } });
      } else {
        await tx.duel.update({
          where: { id: duelId },
          data: { round: round + 1, roundStartedAt: now, roundDeadline: new Date(now.getTime() + d.secondsPerRound * 1000) },
        });
      }
      return { duel: (await tx.duel.findUniqueOrThrow({ where: { id: duelId } })) as DuelRow, finished: last };
    });
  }

  async scores(duel: DuelRow): Promise<{ a: Score; b: Score; perRound: { round: number; userId: string; correct: boolean; points: number; answered: boolean }[] }> {
    const rows = await this.prisma.duelAnswer.findMany({ where: { duelId: duel.id }, orderBy: [{ round: 'asc' }, { userId: 'asc' }] });
    const score = (userId: string): Score => {
      const mine = rows.filter((r) => r.userId === userId);
      return { userId, points: mine.reduce((n, r) => n + r.points, 0), correct: mine.filter((r) => r.correct).length, answered: mine.filter((r) => r.optionId !== null || r.given !== null).length };
    };
    return {
      a: score(duel.challengerId),
      b: score(duel.opponentId),
      perRound: rows.map((r) => ({ round: r.round, userId: r.userId, correct: r.correct, points: r.points, answered: r.optionId !== null || r.given !== null })),
    };
  }

  /**
   * Decides the result once (status scoring → finished/abandoned). A player who answered
   * nothing at all loses to one who answered (an abandoned duel); if neither answered, nobody
   * wins and Elo does not move. Otherwise more points win; equal points are a tie.
   */
  async finish(duelId: string): Promise<{ duel: DuelRow; a: Score; b: Score; scoreA: number | null } | null> {
    const duel = await this.get(duelId);
    const { a, b } = await this.scores(duel);
    let scoreA: number | null;
    if (a.answered === 0 && b.answered === 0) scoreA = null;
    else if (a.answered === 0) scoreA = 0;
    else if (b.answered === 0) scoreA = 1;
    else scoreA = a.points > b.points ? 1 : a.points < b.points ? 0 : 0.5;
    const winnerId = scoreA === 1 ? duel.challengerId : scoreA === 0 ? duel.opponentId : null;
    const { count } = await this.prisma.duel.updateMany({
      where: { id: duelId, status: 'scoring' },
      data: { status: scoreA === null ? 'abandoned' : 'finished', winnerId, finishedAt: this.clock() },
    });
    if (count === 0) return null;
    return { duel: await this.get(duelId), a, b, scoreA };
  }

  /** Moves both players' Elo for a finished duel and records A's change on the duel. */
  async applyElo(duel: DuelRow, a: Score, b: Score, scoreA: number): Promise<DuelResult> {
    const elo = await applyDuelResult(this.prisma, { guildId: duel.guildId, aId: a.userId, bId: b.userId, scoreA }, this.clock());
    await this.prisma.duel.update({ where: { id: duel.id }, data: { eloChange: elo.a.delta } });
    return elo;
  }

  /** Active duels whose round deadline has passed (after a restart, or when a timer was lost). */
  async overdue(): Promise<DuelRow[]> {
    const rows = (await this.prisma.duel.findMany({ where: { status: 'active', roundDeadline: { lte: this.clock() } } })) as DuelRow[];
    return rows.filter((d) => ownsGuild(this.shard, d.guildId));
  }

  async active(): Promise<DuelRow[]> {
    const rows = (await this.prisma.duel.findMany({ where: { status: { in: ['active', 'scoring'] } } })) as DuelRow[];
    return rows.filter((d) => ownsGuild(this.shard, d.guildId));
  }
}
