/**
 * The rules of a sprint: its limits, who may start and join it, when a round takes answers,
 * how it moves on, the option order everyone sees, and how players are ranked. Pure.
 */
import type { Prompt } from '../bank/load.js';
import { pickFresh } from '../answers/rules.js';
import { DomainError } from '../platform/errors.js';
import type { ChoiceOption } from '../quiz/grade.js';
import { sharedOptions } from '../quiz/shared-options.js';
import type { Sprint, SprintChange, Standing } from './types.js';

export const SPRINT_LIMITS = { lobbySeconds: 30, defaultRounds: 5, maxRounds: 20, defaultSeconds: 20, minSeconds: 5, maxSeconds: 120, maxPlayers: 500 } as const;

const SPRINT_ID = /^[0-9a-f-]{36}$/;

export function checkSprintId(id: string): void {
  if (!SPRINT_ID.test(id)) throw new DomainError('sprint.not-a-sprint', {}, 'not-found');
}

export function checkSettings({ rounds, seconds }: { rounds: number; seconds: number }): void {
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > SPRINT_LIMITS.maxRounds) throw new DomainError('sprint.rounds', { max: SPRINT_LIMITS.maxRounds }, 'limit');
  if (!Number.isInteger(seconds) || seconds < SPRINT_LIMITS.minSeconds || seconds > SPRINT_LIMITS.maxSeconds) {
    throw new DomainError('sprint.seconds', { min: SPRINT_LIMITS.minSeconds, max: SPRINT_LIMITS.maxSeconds }, 'limit');
  }
}

/**
 * `rounds` different questions from the pool, drawn at random (`pick(n)` gives 0..n-1), the
 * least stale first (see sprintStaleness): a prompt someone saw is only drawn once no fresher
 * one is left.
 */
export function pickQuestions(pool: readonly string[], rounds: number, pick: (n: number) => number, staleness: (promptId: string) => number = () => 0): string[] {
  if (pool.length < rounds) throw new DomainError('sprint.too-few', { available: pool.length }, 'limit');
  return pickFresh(pool, rounds, staleness, pick);
}

/**
 * How stale a prompt is for a sprint: each player who answered it within the repeat window
 * counts 2, and the channel having seen it (members who are not playing, answers given in the
 * channel) counts 1, so the players' own history comes first and the channel's breaks ties.
 * Before anyone joins, the starter is the one known player.
 */
export function sprintStaleness(seenByPlayers: ReadonlyMap<string, number>, seenInChannel: ReadonlyMap<string, number>): (promptId: string) => number {
  return (id) => 2 * (seenByPlayers.get(id) ?? 0) + ((seenInChannel.get(id) ?? 0) > 0 ? 1 : 0);
}

export function lobbyDeadline(now: Date): Date {
  return new Date(now.getTime() + SPRINT_LIMITS.lobbySeconds * 1000);
}

const roundDeadline = (s: Pick<Sprint, 'secondsPerRound'>, now: Date) => new Date(now.getTime() + s.secondsPerRound * 1000);

/** Only the member who opened the sprint may start it before the lobby timer does. */
export function checkStarter(s: Pick<Sprint, 'starterId'>, by: string | null): void {
  if (by !== null && by !== s.starterId) throw new DomainError('sprint.not-starter', {}, 'forbidden');
}

export function checkJoinable(s: Pick<Sprint, 'status'>, players: number): void {
  if (s.status !== 'lobby') throw new DomainError('sprint.started', {}, 'expired');
  if (players >= SPRINT_LIMITS.maxPlayers) throw new DomainError('sprint.full', {}, 'limit');
}

export function startChange(s: Pick<Sprint, 'secondsPerRound'>, now: Date): SprintChange {
  return { status: 'active', round: 0, roundStartedAt: now, deadline: roundDeadline(s, now) };
}

/** After round `round`: the next round, timed from now, or the end after the last. */
export function closeChange(s: Pick<Sprint, 'questions' | 'secondsPerRound'>, round: number, now: Date): { change: SprintChange; finished: boolean } {
  const finished = round + 1 >= s.questions.length;
  return { finished, change: finished ? { status: 'finished' } : { round: round + 1, roundStartedAt: now, deadline: roundDeadline(s, now) } };
}

/** Whether round `round` has closed (its answers are final and may be shown). */
export function isRoundClosed(s: Pick<Sprint, 'status' | 'round' | 'questions'>, round: number): boolean {
  if (round < 0 || round >= s.questions.length) return false;
  return s.status === 'finished' || (s.status === 'active' && s.round > round);
}

/** Round `round` takes answers while it is the sprint's current round... */
export function checkRoundOpen(s: Pick<Sprint, 'status' | 'round'>, round: number): void {
  if (s.status !== 'active' || s.round !== round) throw new DomainError('sprint.closed', {}, 'expired');
}

/** ...and until its deadline. */
export function checkInTime(s: Pick<Sprint, 'deadline'>, now: Date): void {
  if (now.getTime() > s.deadline.getTime()) throw new DomainError('sprint.too-late', {}, 'expired');
}

/** Time since the round was posted, the basis of the speed bonus. */
export function responseMs(s: Pick<Sprint, 'roundStartedAt'>, now: Date): number {
  return now.getTime() - (s.roundStartedAt ?? now).getTime();
}

export function roundWindowMs(s: Pick<Sprint, 'secondsPerRound'>): number {
  return s.secondsPerRound * 1000;
}

/** The option order every player sees in a round. */
export function sprintOptions(prompt: Prompt, sprintId: string, round: number): ChoiceOption[] {
  return sharedOptions(prompt, `sprint:${sprintId}:${round}`);
}

/** Most points first, then most right answers, then by member id so ties always list the same way. */
export function rankStandings(players: readonly Standing[]): Standing[] {
  return [...players].sort((a, b) => b.points - a.points || b.correct - a.correct || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
}

/** A round can close early once every player has answered it. */
export function everyoneAnswered({ players, answered }: { players: number; answered: number }): boolean {
  return answered >= players;
}
