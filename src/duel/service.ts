/**
 * The duel's use cases: challenge, accept or decline, answer, close a round, decide the result
 * with its Elo change (one transaction), and what is to be posted. Refusals are DomainErrors;
 * the words are the Discord adapter's (discord/views.ts).
 */
import type { Bank } from '../bank/load.js';
import type { AnswerStore } from '../answers/store.js';
import { RESPONSE_TIMES, repeatWindowStart, type Verdict } from '../answers/rules.js';
import type { Drill } from '../drills/index.js';
import type { Grade } from '../mastery/rules.js';
import { isUniqueViolation, type Transactor, type Tx } from '../platform/db/client.js';
import { retryTransient } from '../platform/db/retry.js';
import { DomainError } from '../platform/errors.js';
import { gradeChoice, gradeNumeric } from '../quiz/grade.js';
import {
  DUEL_LIMITS,
  answerPoints,
  checkChallenge,
  checkResultInput,
  decideResult,
  duelOptions,
  eloDelta,
  isRoundClosed,
  pickQuestions,
  questionOf,
  ratingChanges,
  tally,
  type ChallengeRequest,
  type DuelResultInput,
} from './rules.js';
import type { DuelStore } from './store.js';
import type { AnswerResult, ClosedDuelRound, Duel, DuelOutcome, DuelQuestion, DuelResult, ExpiredChallenge, Scores } from './types.js';

/**
 * Prisma's interactive-transaction limits for the result. Its defaults are too tight when many
 * duels finish at once and queue for the pool: waiting is fine, the transaction is short.
 */
const RESULT_TRANSACTION = { maxWait: 15_000, timeout: 15_000 };

type Timing = { now: Date; t: number; T: number; late: boolean };

export class DuelService {
  constructor(
    private readonly db: Transactor,
    private readonly store: DuelStore,
    private readonly bank: Bank,
    private readonly answers: AnswerStore,
    private readonly clock: () => Date,
  ) {}

  async get(duelId: string): Promise<Duel> {
    if (!/^[0-9a-f-]{36}$/.test(duelId)) throw new DomainError('duel.unknown', {}, 'not-found');
    const duel = await this.store.find(duelId);
    if (!duel) throw new DomainError('duel.gone', {}, 'not-found');
    return duel;
  }

  /** The round's question: a prompt id from the bank, or a drill rebuilt from its kind and seed. */
  question(duel: Duel, round: number): DuelQuestion {
    return questionOf(duel.questions[round] ?? '', this.bank);
  }

  async challenge(input: ChallengeRequest & { guildId: string; channelId: string }): Promise<Duel> {
    const { format, pool } = checkChallenge(input, this.bank);
    const now = this.clock();
    const pair = [input.challengerId, input.opponent.id];
    // Neither duelist gets a question they answered in the last 7 days while the pool has others.
    const seen = await this.answers.promptsSeenBy(pair, repeatWindowStart(now));
    const questions = pickQuestions(input.rounds, pool, format, undefined, seen);
    // "Already in a duel" is checked and the challenge created under a lock per member (taken
    // in id order), so two challenges sent at the same moment cannot both get through.
    return this.db.transaction(async (tx) => {
      await this.store.lockMembers(tx, input.guildId, pair);
      const busy = await this.store.findBusy(tx, input.guildId, pair, now);
      if (busy) {
        const opponentBusy = busy.challengerId === input.opponent.id || busy.opponentId === input.opponent.id;
        throw new DomainError('duel.busy', opponentBusy ? { who: 'opponent', userId: input.opponent.id } : { who: 'challenger' }, 'conflict');
      }
      return this.store.create(tx, {
        guildId: input.guildId,
        channelId: input.channelId,
        challengerId: input.challengerId,
        opponentId: input.opponent.id,
        topic: input.topic,
        level: input.level,
        questions,
        secondsPerRound: input.seconds,
        challengeExpiresAt: new Date(now.getTime() + DUEL_LIMITS.challengeMinutes * 60_000),
      });
    });
  }

  setMessage(duelId: string, messageId: string): Promise<void> {
    return this.store.setMessage(duelId, messageId);
  }

  /** Records the public message of a round, which its closing edits. */
  setRoundMessage(duelId: string, round: number, messageId: string): Promise<void> {
    return this.store.setRoundMessage(duelId, round, messageId);
  }

  roundMessage(duelId: string, round: number): Promise<string | null> {
    return this.store.roundMessage(duelId, round);
  }

  /**
   * A closed round as its closed message shows it (the same every time it is asked: its answers
   * are final once closed), or null while it is open.
   */
  async closedRound(duel: Duel, round: number): Promise<ClosedDuelRound | null> {
    if (!isRoundClosed(duel, round)) return null;
    const rows = (await this.store.answers(duel.id)).filter((r) => r.round <= round);
    return { duel, round, question: this.question(duel, round), scores: tally(duel, rows) };
  }

  /** The opponent accepts: round 0 starts now. */
  async accept(duelId: string, userId: string): Promise<Duel> {
    const duel = await this.get(duelId);
    if (userId !== duel.opponentId) throw new DomainError(userId === duel.challengerId ? 'duel.waiting' : 'duel.not-yours', {}, 'forbidden');
    const now = this.clock();
    if (duel.status === 'pending' && duel.challengeExpiresAt.getTime() <= now.getTime()) throw new DomainError('duel.expired', {}, 'expired');
    const started = await this.store.start(duelId, now, new Date(now.getTime() + duel.secondsPerRound * 1000));
    if (!started) throw new DomainError(duel.status === 'active' ? 'duel.started' : 'duel.closed', {}, 'conflict');
    return this.get(duelId);
  }

  async decline(duelId: string, userId: string): Promise<Duel> {
    const duel = await this.get(duelId);
    if (userId !== duel.opponentId && userId !== duel.challengerId) throw new DomainError('duel.not-yours', {}, 'forbidden');
    if (!(await this.store.decline(duelId, this.clock()))) throw new DomainError('duel.closed', {}, 'conflict');
    return this.get(duelId);
  }

  /** Pending challenges past their 5 minutes. */
  expireChallenges(): Promise<ExpiredChallenge[]> {
    return this.store.expireChallenges(this.clock());
  }

  /** One answer per player per round; answers after the deadline count as late (0 points). */
  async answer(duelId: string, round: number, userId: string, optionId: number): Promise<AnswerResult> {
    const { duel, question } = await this.openRound(duelId, round, userId);
    if (question.type !== 'prompt') throw new DomainError('duel.wants-number');
    const prompt = question.prompt;
    const picked = duelOptions(prompt, duel.id, round).find((o) => o.id === optionId);
    if (!picked) throw new DomainError('duel.no-option');
    const timing = this.timing(duel);
    const grade = gradeChoice(prompt.choice, optionId, { responseMs: timing.t, ...RESPONSE_TIMES.choice });
    return this.record(duel, round, userId, timing, { optionId, given: null, shown: picked.text, verdict: grade.verdict, rating: grade.rating, what: { promptId: prompt.id } });
  }

  /** May this member open the answer form of this (drill) round now? Throws the reason if not. */
  async checkDrillRound(duelId: string, round: number, userId: string): Promise<Drill> {
    const { question } = await this.openRound(duelId, round, userId);
    if (question.type !== 'drill') throw new DomainError('duel.wants-letter');
    return question.drill;
  }

  /**
   * A typed answer to a numeric drill round, graded with the drill's tolerance. Text that is not
   * a number is refused with the reason and nothing is stored (the player may try again before
   * the deadline); the first readable answer counts, late ones score 0.
   */
  async answerNumber(duelId: string, round: number, userId: string, text: string): Promise<AnswerResult & { drill: Drill }> {
    const { duel, question } = await this.openRound(duelId, round, userId);
    if (question.type !== 'drill') throw new DomainError('duel.wants-letter');
    const drill = question.drill;
    const timing = this.timing(duel);
    const grade = gradeNumeric(text, { answer: drill.answer, tolerance: drill.tolerance, answerText: drill.answerText, ...(drill.unit ? { unit: drill.unit } : {}) }, { responseMs: timing.t, ...RESPONSE_TIMES.drill });
    if (!grade.ok) throw new DomainError('duel.unreadable', { reason: grade.message });
    const given = text.trim().slice(0, 100);
    const stored = await this.record(duel, round, userId, timing, { optionId: null, given, shown: given, verdict: grade.verdict, what: { drill: { kind: drill.kind, seed: drill.seed } } });
    return { ...stored, drill };
  }

  /** The checks every answer goes through: a duelist, the round open, the question of the right type. */
  private async openRound(duelId: string, round: number, userId: string) {
    const duel = await this.get(duelId);
    if (userId !== duel.challengerId && userId !== duel.opponentId) throw new DomainError('duel.not-yours', {}, 'forbidden');
    if (duel.status !== 'active' || duel.round !== round) throw new DomainError('duel.round-over', {}, 'expired');
    return { duel, question: this.question(duel, round) };
  }

  /** When this answer comes, relative to the round: elapsed ms, the round's length, late or not. */
  private timing(duel: Duel): Timing {
    const now = this.clock();
    return { now, t: now.getTime() - duel.roundStartedAt!.getTime(), T: duel.secondsPerRound * 1000, late: now.getTime() > duel.roundDeadline!.getTime() };
  }

  /**
   * Stores a graded answer once (the primary key on duel, round and player) with its points,
   * in duel_answers and in the answer store, and says whether both players have now answered.
   */
  private async record(
    duel: Duel,
    round: number,
    userId: string,
    { now, t, T, late }: Timing,
    a: { optionId: number | null; given: string | null; shown: string; verdict: Verdict; rating?: Grade; what: { promptId: string } | { drill: { kind: string; seed: number } } },
  ): Promise<AnswerResult> {
    const correct = a.verdict === 'correct';
    const level = 'promptId' in a.what ? (this.bank.promptById.get(a.what.promptId)?.level ?? 'L4') : null;
    const points = answerPoints(correct, late, t, T, level);
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
        { alongside: this.store.answerAlongside({ duelId: duel.id, round, userId, optionId: a.optionId, given: a.given, correct, responseMs: t, points, at: now }) },
      );
      stored = r.stored;
    } catch (err) {
      if (isUniqueViolation(err)) throw new DomainError('duel.round-over', {}, 'expired');
      throw err;
    }
    const n = await this.store.answersIn(duel.id, round);
    return { duel, stored, correct, points, late, bothAnswered: n >= 2 };
  }

  /**
   * Closes round `round` (both answered, or its deadline passed): missing answers are scored 0,
   * then the duel moves to the next round or to scoring. Returns null when another caller
   * already closed it (so only one process posts the next message).
   */
  async closeRound(duelId: string, round: number): Promise<{ duel: Duel; finished: boolean } | null> {
    const now = this.clock();
    return this.db.transaction(async (tx) => {
      const d = await this.store.lock(tx, duelId);
      if (!d || d.status !== 'active' || d.round !== round) return null;
      await this.store.blankAnswers(tx, duelId, round, [d.challengerId, d.opponentId], now);
      const last = round + 1 >= d.questions.length;
      const duel = last ? await this.store.toScoring(tx, duelId) : await this.store.nextRound(tx, duelId, round + 1, now, new Date(now.getTime() + d.secondsPerRound * 1000));
      return { duel, finished: last };
    });
  }

  async scores(duel: Duel): Promise<Scores> {
    return tally(duel, await this.store.answers(duel.id));
  }

  /**
   * Decides the result once (status scoring → finished or abandoned, see decideResult) and, in
   * the same transaction, moves both players' Elo and records the change on the duel: a crash
   * leaves the duel scoring (the sweep finishes it) or finished with its Elo, never between.
   * Returns null when it was not scoring (another caller decided it). Retried on a deadlock or
   * a serialization failure, which rolled everything back.
   */
  finish(duelId: string): Promise<DuelOutcome | null> {
    const now = this.clock();
    return retryTransient(() =>
      this.db.transaction(async (tx) => {
        const locked = await this.store.lock(tx, duelId);
        if (!locked || locked.status !== 'scoring') return null;
        const { a, b, perRound } = tally(locked, await this.store.answers(duelId, tx));
        const scoreA = decideResult(a, b);
        const elo = scoreA === null ? null : await this.rate(tx, { guildId: locked.guildId, aId: a.userId, bId: b.userId, scoreA }, now);
        const duel = await this.store.saveResult(tx, duelId, {
          status: scoreA === null ? 'abandoned' : 'finished',
          winnerId: scoreA === 1 ? locked.challengerId : scoreA === 0 ? locked.opponentId : null,
          finishedAt: now,
          eloChange: elo?.a.delta ?? null,
          challengerEloBefore: elo?.a.before ?? null,
          opponentEloBefore: elo?.b.before ?? null,
        });
        return { duel, a, b, scoreA, elo, perRound };
      }, RESULT_TRANSACTION),
    );
  }

  /**
   * One result's rating change on its own, in its own transaction (retried like finish): what
   * finish does inside its transaction. Not idempotent: once per result.
   */
  applyResult(input: DuelResultInput, now: Date = this.clock()): Promise<DuelResult> {
    return retryTransient(() => this.db.transaction((tx) => this.rate(tx, input, now), RESULT_TRANSACTION));
  }

  /** Both players' ratings in the guild (rows missing start at INITIAL_ELO) move zero-sum; each counts a game. */
  private async rate(tx: Tx, input: DuelResultInput, now: Date): Promise<DuelResult> {
    checkResultInput(input, now);
    const { guildId, aId, bId, scoreA } = input;
    const ratings = await this.store.lockRatings(tx, guildId, [aId, bId], now);
    const ra = ratings.get(aId);
    const rb = ratings.get(bId);
    if (ra === undefined || rb === undefined) throw new Error('duel result: rating rows vanished under the lock');
    const result = ratingChanges(ra, rb, eloDelta(ra, rb, scoreA));
    await this.store.saveRatings(tx, guildId, [{ userId: aId, elo: result.a.after }, { userId: bId, elo: result.b.after }], now);
    return result;
  }

  /**
   * Takes the posting of a decided duel's result card: true for exactly one caller (the process
   * that decided it, or the sweep after a crash). A crash after this and before the card is
   * sent loses the card, never the result or the Elo.
   */
  async claimResult(duelId: string): Promise<boolean> {
    return this.store.claimResultPost(duelId, this.clock());
  }

  /** A decided duel as its result card shows it, from what was stored with the result. */
  async outcome(duel: Duel): Promise<DuelOutcome> {
    const { a, b, perRound } = await this.scores(duel);
    const elo = duel.eloChange !== null && duel.challengerEloBefore !== null && duel.opponentEloBefore !== null ? ratingChanges(duel.challengerEloBefore, duel.opponentEloBefore, duel.eloChange) : null;
    return { duel, a, b, scoreA: duel.status === 'abandoned' ? null : decideResult(a, b), elo, perRound };
  }

  /** Active duels whose round deadline has passed (after a restart, or when a timer was lost). */
  overdue(): Promise<Duel[]> {
    return this.store.withStatus(['active'], { deadlineBy: this.clock() });
  }

  /** Duels whose last round closed but whose result was not decided (a crash in between). */
  scoring(): Promise<Duel[]> {
    return this.store.withStatus(['scoring']);
  }

  /** Decided duels whose result card nobody has claimed (a crash right after the result). */
  unposted(): Promise<Duel[]> {
    return this.store.withStatus(['finished', 'abandoned'], { resultUnposted: true });
  }
}
