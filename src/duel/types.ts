/** What a duel is, as the store returns it and the service and adapter use it. */
import type { Prompt } from '../bank/load.js';
import type { Drill } from '../drills/index.js';

export const DUEL_STATUSES = ['pending', 'active', 'scoring', 'finished', 'abandoned', 'declined', 'expired'] as const;
export type DuelStatus = (typeof DUEL_STATUSES)[number];

export interface Duel {
  id: string;
  guildId: string;
  channelId: string;
  challengerId: string;
  opponentId: string;
  topic: string | null;
  level: string | null;
  status: DuelStatus;
  /** One per round: a bank prompt id, or "drill:<kind>:<seed>" for a numeric drill. */
  questions: string[];
  secondsPerRound: number;
  round: number;
  roundStartedAt: Date | null;
  roundDeadline: Date | null;
  challengeExpiresAt: Date;
  messageId: string | null;
  winnerId: string | null;
  /** The challenger's rating change; the opponent's is its negation. */
  eloChange: number | null;
  /** Both ratings just before the duel moved them (set with eloChange). */
  challengerEloBefore: number | null;
  opponentEloBefore: number | null;
}

/** One round's question: a bank prompt answered by buttons, or a drill answered with a number. */
export type DuelQuestion = { type: 'prompt'; prompt: Prompt } | { type: 'drill'; drill: Drill };

/** One player's row of one round (a blank when they did not answer). */
export interface RoundAnswer {
  round: number;
  userId: string;
  correct: boolean;
  points: number;
  answered: boolean;
  /** The option picked (multiple-choice rounds) or the number typed (drill rounds); both null when unanswered. */
  optionId: number | null;
  given: string | null;
}

export interface Score {
  userId: string;
  points: number;
  correct: number;
  answered: number;
}

export interface Scores {
  /** The challenger's. */
  a: Score;
  /** The opponent's. */
  b: Score;
  perRound: RoundAnswer[];
}

export interface AnswerResult {
  duel: Duel;
  /** False when this player had already answered the round (the first answer counts). */
  stored: boolean;
  correct: boolean;
  points: number;
  late: boolean;
  bothAnswered: boolean;
}

export interface RatingChange {
  before: number;
  after: number;
  /** after - before, rounded to 0.1 (b.delta === -a.delta). */
  delta: number;
}

export interface DuelResult {
  a: RatingChange;
  b: RatingChange;
}

/** A decided duel, as its result card shows it. */
export interface DuelOutcome {
  duel: Duel;
  a: Score;
  b: Score;
  /** 1 the challenger won, 0.5 a tie, 0 the opponent won; null: nobody answered (abandoned, no Elo). */
  scoreA: number | null;
  elo: DuelResult | null;
  /** The last round's answers, for its scoreboard. */
  perRound: RoundAnswer[];
}

/** A closed round as its edited message shows it: the question, each player's answer and the totals after it. */
export interface ClosedDuelRound {
  duel: Duel;
  round: number;
  question: DuelQuestion;
  /** Totals through this round; `perRound` holds its answers (and the earlier ones). */
  scores: Scores;
}

/** A challenge that expired unanswered: its message is edited to say so. */
export interface ExpiredChallenge {
  id: string;
  channelId: string;
  challengerId: string;
  opponentId: string;
  messageId: string | null;
}
