/**
 * The points economy: what one answer is worth, in every mode. Pure; the one place these
 * numbers live (the modes, /help and the leaderboards all read them from here).
 *
 * The rules, and why:
 * - **A right answer is worth the same base everywhere**: 100 points at L4, 125 at L5, 150 at
 *   L6 (harder follow-ups take more to answer); a generated drill counts as L5 (125: a worked
 *   computation, not a recall). Points measure being right, so private practice (/chain,
 *   /review, /drill) earns the same base as a drop, a duel or a sprint.
 * - **Partial credit**: a partly right free-text answer earns half; a wrong one nothing.
 * - **Speed games add a bounded speed bonus**: a live drop step, a duel round or a sprint
 *   question adds up to +50 % of the base, falling linearly from +50 % for an instant answer
 *   to 0 at the end of the window. So a speed-game answer is worth 1 to 1.5 times a practice
 *   answer to a question of the same level: practice earns at least 2/3 of what the fastest
 *   player earns for the same right answer. (Before, a practice answer was worth 100 and a
 *   speed answer 1,000 to 1,999: one sprint outweighed a week of reviews.)
 * - **No points after the reveal**: a drop step answered once its answer is public still
 *   counts for the member's memory (FSRS), not for points.
 * - **No farming**: in practice, where the member chooses what to answer and can repeat it,
 *   only the first answer to a question in 24 hours earns points (any mode's earlier answer
 *   counts); a repeat still counts for memory. Drills are generated anew each time, so each
 *   is a first answer. Shared modes (drop, duel, sprint) choose the question for everyone and
 *   their points decide the match, so they are not subject to the rule.
 */
import type { Level } from '../bank/schema.js';

export type Credit = 'correct' | 'partial' | 'wrong';

/** Points for a right L4 answer, the unit of the economy. */
export const BASE_POINTS = 100;
/** How much more a harder question is worth; `drill` is a generated numeric problem. */
export const LEVEL_WEIGHT: Readonly<Record<Level | 'drill', number>> = { L4: 1, L5: 1.25, L6: 1.5, drill: 1.25 };
/** Share of the base a verdict earns. */
export const CREDIT: Readonly<Record<Credit, number>> = { correct: 1, partial: 0.5, wrong: 0 };
/** The largest speed bonus, as a share of the base: an instant answer in a speed game. */
export const MAX_SPEED_BONUS = 0.5;
/** In practice, a question answered again within this long earns no points. */
export const REPEAT_WINDOW_MS = 24 * 60 * 60 * 1000;

/** The base of a question: its level's weight times BASE_POINTS (null or undefined: a drill). */
export function basePoints(level: Level | null | undefined): number {
  return Math.round(BASE_POINTS * LEVEL_WEIGHT[level ?? 'drill']);
}

/** The speed bonus's share of the base: MAX_SPEED_BONUS at 0 ms, falling linearly to 0 at `windowMs` and after. */
export function speedShare(responseMs: number, windowMs: number): number {
  if (!(windowMs > 0)) return 0;
  const t = Math.min(Math.max(responseMs, 0), windowMs);
  return MAX_SPEED_BONUS * (1 - t / windowMs);
}

export interface PointsInput {
  verdict: Credit;
  /** The question's level; null for a drill. */
  level: Level | null;
  /** Speed games only: the response time and the window it is measured against. */
  speed?: { responseMs: number; windowMs: number } | null;
  /** After the answer was made public (a drop step answered after its reveal, a late duel answer). */
  afterReveal?: boolean;
  /** Practice only: the member answered this question within REPEAT_WINDOW_MS already. */
  repeat?: boolean;
}

/** What one answer is worth (an integer >= 0). */
export function answerPoints(a: PointsInput): number {
  if (a.afterReveal || a.repeat) return 0;
  const credit = CREDIT[a.verdict];
  if (credit === 0) return 0;
  const bonus = a.speed ? speedShare(a.speed.responseMs, a.speed.windowMs) : 0;
  return Math.round(credit * basePoints(a.level) * (1 + bonus));
}

/** A timed answer to a shared question (drop step, duel or sprint round): base plus speed bonus when right, 0 when wrong. */
export function speedPoints(correct: boolean, responseMs: number, windowMs: number, level: Level | null = 'L4'): number {
  return answerPoints({ verdict: correct ? 'correct' : 'wrong', level, speed: { responseMs, windowMs } });
}

/** A practice answer (/chain, /review, /drill): base times credit, nothing for a repeat within 24 hours. */
export function practicePoints(verdict: Credit, level: Level | null, repeat: boolean): number {
  return answerPoints({ verdict, level, repeat });
}

/**
 * How points are earned, in two short lines: for /help, and under every leaderboard (its
 * text and its card's footnote). Built from the constants above so it cannot drift.
 */
export const POINTS_RULES: readonly [string, string] = [
  `Points: ${basePoints('L4')} a right answer (L5 ${basePoints('L5')}, L6 ${basePoints('L6')}, drills ${basePoints(null)}), half for a partial one, in every mode.`,
  `Live drops, duels and sprints add up to +${Math.round(MAX_SPEED_BONUS * 100)}% for speed; practice scores a question once a day.`,
];

/** The speed games' rule in one line (their result cards' footnotes). */
export const SPEED_GAME_RULE = `A right answer: ${basePoints('L4')} (L5 ${basePoints('L5')}, L6 ${basePoints('L6')}, drills ${basePoints(null)}) + up to ${Math.round(MAX_SPEED_BONUS * 100)}% for speed; 0 when wrong or late.`;
