/**
 * The duel's rules, pure: what a challenge may ask, which questions it gets, how an answer
 * scores, who won, and the Elo maths.
 *
 * Elo numbers: a duel moves both players by the same amount in opposite directions (zero-sum).
 * That amount, K * (score - expected), is rounded to 0.1 (half away from zero), and so are the
 * new ratings: stored ratings are always multiples of 0.1 (give or take float representation),
 * the column stays DOUBLE PRECISION, and a card can show them with `toFixed(0)` or `toFixed(1)`.
 * A change smaller than 0.05 (a near-certain win against a much weaker player) rounds to 0.
 */
import { randomInt } from 'node:crypto';
import type { Bank, Prompt } from '../bank/load.js';
import type { Level } from '../bank/schema.js';
import { drillKinds, generateDrill, type Drill } from '../drills/index.js';
import { pickFresh } from '../answers/rules.js';
import { DomainError } from '../platform/errors.js';
import type { ChoiceOption } from '../quiz/grade.js';
import { sharedOptions } from '../quiz/shared-options.js';
import { speedPoints } from '../quiz/points.js';
import type { Duel, DuelQuestion, DuelResult, RoundAnswer, Score, Scores } from './types.js';

export const DUEL_LIMITS = { maxRounds: 20, defaultRounds: 5, defaultSeconds: 20, drillDefaultSeconds: 90, challengeMinutes: 5, minSeconds: 5, maxSeconds: 120 } as const;

/** What a duel asks: bank questions (multiple choice), numeric drills (typed), or both alternating. */
export const DUEL_FORMATS = ['questions', 'drills', 'mixed'] as const;
export type DuelFormat = (typeof DUEL_FORMATS)[number];

export interface ChallengeRequest {
  challengerId: string;
  opponent: { id: string; bot: boolean };
  topic: string | null;
  level: string | null;
  rounds: number;
  seconds: number;
  format?: DuelFormat;
}

/** Mixed: questions on even rounds (the first one included), drills on odd ones. */
function isDrillRound(format: DuelFormat, round: number): boolean {
  return format === 'drills' || (format === 'mixed' && round % 2 === 1);
}

/**
 * Checks a challenge against the limits and the bank and returns the bank prompts its question
 * rounds may draw from; throws the reason (a DomainError) when it cannot be played.
 */
export function checkChallenge(input: ChallengeRequest, bank: Pick<Bank, 'prompts' | 'topicById'>): { format: DuelFormat; pool: Prompt[] } {
  const format = input.format ?? 'questions';
  if (input.opponent.id === input.challengerId) throw new DomainError('duel.self');
  if (input.opponent.bot) throw new DomainError('duel.bot');
  if (!Number.isInteger(input.rounds) || input.rounds < 1 || input.rounds > DUEL_LIMITS.maxRounds) throw new DomainError('duel.rounds', { max: DUEL_LIMITS.maxRounds }, 'limit');
  if (!Number.isInteger(input.seconds) || input.seconds < DUEL_LIMITS.minSeconds || input.seconds > DUEL_LIMITS.maxSeconds) {
    throw new DomainError('duel.seconds', { min: DUEL_LIMITS.minSeconds, max: DUEL_LIMITS.maxSeconds }, 'limit');
  }
  if (!DUEL_FORMATS.includes(format)) throw new DomainError('duel.format', { formats: DUEL_FORMATS.join(', ') });
  if (input.topic && !bank.topicById.has(input.topic)) throw new DomainError('duel.topic', { topic: input.topic });
  if (format === 'drills' && (input.topic || input.level)) throw new DomainError('duel.drills-filtered');
  const questionRounds = Array.from({ length: input.rounds }, (_, i) => i).filter((i) => !isDrillRound(format, i)).length;
  const pool = bank.prompts.filter((p) => (!input.topic || p.topic === input.topic) && (!input.level || p.level === input.level));
  if (pool.length < questionRounds) throw new DomainError('duel.pool', { available: pool.length }, 'limit');
  return { format, pool };
}

const DRILL_REF = /^drill:([a-z0-9-]+):(\d{1,10})$/;
const drillRef = (drill: Pick<Drill, 'kind' | 'seed'>) => `drill:${drill.kind}:${drill.seed}`;

/** A stored drill reference read back: its kind and seed, or null for a bank prompt id. */
function parseDrillRef(ref: string): { kind: string; seed: number } | null {
  const m = DRILL_REF.exec(ref);
  return m ? { kind: m[1]!, seed: Number(m[2]) } : null;
}

/**
 * The duel's questions: distinct bank prompts for question rounds, prompts neither duelist
 * answered within the repeat window first (`seen`: prompt id → how many of the two did; a
 * seen prompt is only drawn once the pool has no unseen one left), and for drill rounds drill
 * kinds without repeats until every kind has been used, each with a random seed.
 */
export function pickQuestions(
  rounds: number,
  pool: readonly Prompt[],
  format: DuelFormat,
  random: (n: number) => number = randomInt,
  seen: ReadonlyMap<string, number> = new Map(),
): string[] {
  const questionRounds = Array.from({ length: rounds }, (_, i) => i).filter((i) => !isDrillRound(format, i)).length;
  const prompts = pickFresh(pool, questionRounds, (p) => seen.get(p.id) ?? 0, random);
  const chosen: string[] = [];
  let kinds: string[] = [];
  for (let i = 0; i < rounds; i++) {
    if (!isDrillRound(format, i)) {
      chosen.push(prompts.shift()!.id);
      continue;
    }
    if (kinds.length === 0) kinds = drillKinds.map((k) => k.id);
    const kind = kinds.splice(random(kinds.length), 1)[0]!;
    chosen.push(drillRef({ kind, seed: random(2 ** 32) }));
  }
  return chosen;
}

/** The round's question from its stored reference: a drill rebuilt from kind and seed, or a bank prompt. */
export function questionOf(ref: string, bank: Pick<Bank, 'promptById'>): DuelQuestion {
  const drillAt = parseDrillRef(ref);
  if (drillAt) {
    const drill = generateDrill(drillAt.kind, drillAt.seed);
    if (!drill) throw new DomainError('duel.drill-gone', {}, 'not-found');
    return { type: 'drill', drill };
  }
  const prompt = bank.promptById.get(ref);
  if (!prompt) throw new DomainError('duel.prompt-gone', {}, 'not-found');
  return { type: 'prompt', prompt };
}

/** Same option order for both players: derived from the duel and the round. */
export function duelOptions(prompt: Prompt, duelId: string, round: number): ChoiceOption[] {
  return sharedOptions(prompt, `duel:${duelId}:${round}`);
}

/** An answer's points (the economy, src/quiz/points.ts): the level's base + a speed bonus when right and in time, 0 when wrong or late. `level` null: a drill. */
export function answerPoints(correct: boolean, late: boolean, responseMs: number, roundMs: number, level: Level | null = 'L4'): number {
  return late ? 0 : speedPoints(correct, responseMs, roundMs, level);
}

/** Each player's totals (challenger a, opponent b) from the duel's answer rows. */
export function tally(duel: Pick<Duel, 'challengerId' | 'opponentId'>, rows: readonly RoundAnswer[]): Scores {
  const score = (userId: string): Score => {
    const mine = rows.filter((r) => r.userId === userId);
    return { userId, points: mine.reduce((n, r) => n + r.points, 0), correct: mine.filter((r) => r.correct).length, answered: mine.filter((r) => r.answered).length };
  };
  return { a: score(duel.challengerId), b: score(duel.opponentId), perRound: [...rows] };
}

/** Whether round `round` of the duel has closed (its answers are final and may be shown). */
export function isRoundClosed(duel: Pick<Duel, 'status' | 'round' | 'questions'>, round: number): boolean {
  if (round < 0 || round >= duel.questions.length) return false;
  if (duel.status === 'active') return duel.round > round;
  return duel.status === 'scoring' || duel.status === 'finished' || duel.status === 'abandoned';
}

/**
 * The result of a duel from both scores: 1 the challenger (A) won, 0 the opponent won, 0.5 a
 * tie, null nobody answered anything (abandoned, Elo does not move). A player who answered
 * nothing at all loses to one who answered; otherwise more points win.
 */
export function decideResult(a: Score, b: Score): number | null {
  if (a.answered === 0 && b.answered === 0) return null;
  if (a.answered === 0) return 0;
  if (b.answered === 0) return 1;
  return a.points > b.points ? 1 : a.points < b.points ? 0 : 0.5;
}

export const INITIAL_ELO = 1200;
export const DEFAULT_K = 32;
/** K outside (0, MAX_K] is refused: above 400/4 = 100 a single game swings more than any rating gap means. */
export const MAX_K = 100;

/** Rounds to 0.1, halves away from zero, so that `round1(-x) === -round1(x)` (symmetry). */
export function round1(x: number): number {
  const r = Math.round(Math.abs(x) * 10) / 10;
  return x < 0 ? -r : r;
}

function checkRating(r: number, name: string): void {
  if (!Number.isFinite(r)) throw new TypeError(`elo: ${name} must be a finite number`);
}

/** Probability-like expected score of a player rated `a` against one rated `b`, in (0, 1). */
export function expectedScore(a: number, b: number): number {
  checkRating(a, 'rating a');
  checkRating(b, 'rating b');
  return 1 / (1 + 10 ** ((b - a) / 400));
}

/**
 * The change to A's rating (B's is its negation) for a result `scoreA` (1 A won, 0.5 tie, 0 A
 * lost; any value in [0, 1] is accepted). Computed from the lower-rated side's point of view
 * (then negated when A is the higher one), so that swapping the players gives exactly the
 * opposite change, bit for bit.
 */
export function eloDelta(ra: number, rb: number, scoreA: number, k: number = DEFAULT_K): number {
  checkRating(ra, 'rating a');
  checkRating(rb, 'rating b');
  if (!(scoreA >= 0 && scoreA <= 1)) throw new TypeError('elo: scoreA must be in [0, 1] (1 win, 0.5 tie, 0 loss)');
  if (!(Number.isFinite(k) && k > 0 && k <= MAX_K)) throw new TypeError(`elo: K must be in (0, ${MAX_K}]`);
  const d = ra > rb ? -eloDelta(rb, ra, 1 - scoreA, k) : round1(k * (scoreA - expectedScore(ra, rb)));
  return d === 0 ? 0 : d; // never -0
}

/** Both players' change from their ratings before and A's delta (what a duel stores). */
export function ratingChanges(ra: number, rb: number, delta: number): DuelResult {
  return {
    a: { before: ra, after: round1(ra + delta), delta },
    b: { before: rb, after: round1(rb - delta), delta: delta === 0 ? 0 : -delta },
  };
}

export interface DuelResultInput {
  guildId: string;
  /** The two players (distinct). */
  aId: string;
  bId: string;
  /** 1 when A won, 0.5 a tie, 0 when B won. */
  scoreA: number;
}

/** A result's input is a programming error when malformed (the service builds it). */
export function checkResultInput({ guildId, aId, bId, scoreA }: DuelResultInput, now: Date): void {
  if (!guildId || !aId || !bId) throw new TypeError('duel result: guildId, aId and bId are required');
  if (aId === bId) throw new TypeError('duel result: a player cannot duel themselves');
  if (!(scoreA >= 0 && scoreA <= 1)) throw new TypeError('duel result: scoreA must be in [0, 1]');
  if (Number.isNaN(now.getTime())) throw new TypeError('duel result: now is an invalid date');
}
