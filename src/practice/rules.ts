/**
 * The rules of private practice (/chain, /review, /drill): which chain to offer, how long a
 * session lives and who may use it, when a step can be answered, how a session moves on, and
 * what an answer is worth. Pure.
 */
import type { Prompt } from '../bank/load.js';
import { RESPONSE_TIMES, freshest, ratingFor, type AnswerMode, type Verdict } from '../answers/rules.js';
import type { Level } from '../bank/schema.js';
import type { Drill } from '../drills/index.js';
import type { Grade } from '../mastery/rules.js';
import { DomainError } from '../platform/errors.js';
import { choiceOptions, gradeFreeText, type ChoiceOption } from '../quiz/grade.js';
import type { Session, SessionKind, StepAnswer, StepChange, StoredAnswer } from './types.js';

/** A private practice run lasts this long; a button pressed later says so politely. */
export const SESSION_TTL_MS = 24 * 60 * 60 * 1000;

export function sessionExpiry(now: Date): Date {
  return new Date(now.getTime() + SESSION_TTL_MS);
}

const SESSION_ID = /^[0-9a-f-]{36}$/;

/** Refuses a custom id that cannot name a session before the database is asked. */
export function checkSessionId(id: string): void {
  if (!SESSION_ID.test(id)) throw new DomainError('practice.not-a-session', {}, 'not-found');
}

/** The member's own live session; refuses an unknown, foreign or expired one. */
export function checkAccess(session: Session | null, userId: string, now: Date): Session {
  if (!session) throw new DomainError('practice.gone', {}, 'not-found');
  if (session.userId !== userId) throw new DomainError('practice.foreign', {}, 'forbidden');
  if (session.expiresAt.getTime() < now.getTime()) throw new DomainError('practice.expired', { hours: SESSION_TTL_MS / 3_600_000 }, 'expired');
  return session;
}

/** Only the step the session is on can be answered, and only while the session is open. */
export function checkAnswerable(session: Session, index: number): void {
  if (session.endedAt) throw new DomainError('practice.finished', {}, 'expired');
  if (index !== session.position) throw new DomainError('practice.answered', {}, 'conflict');
}

/** A chain /chain may offer, as chooseChain weighs it. */
export interface ChainChoice {
  chainId: string;
  /** Mean recall over the chain's prompts (unseen ones count 0). */
  strength: number;
  mastered: boolean;
  /** The level of the chain's root question. */
  rootLevel?: Level;
  /** The member answered one of the chain's prompts within the repeat window (7 days). */
  answeredRecently?: boolean;
}

/** Where a member who never answered a bank question starts. */
export const NEWCOMER_LEVEL: Level = 'L4';

/**
 * Which chain to practise. In order:
 * 1. chains the member answered within the repeat window come last (only when every candidate
 *    was answered recently is one of them offered again);
 * 2. chains not yet mastered before mastered ones;
 * 3. a newcomer (never answered a bank question) starts at L4: chains whose root is L4, where
 *    the filter leaves any;
 * 4. the weakest; among equally weak ones a random one (`pick(n)` gives 0..n-1), so members
 *    do not all get the same chain.
 */
export function chooseChain(candidates: readonly ChainChoice[], pick: (n: number) => number, member: { newcomer: boolean } = { newcomer: false }): string {
  if (candidates.length === 0) throw new DomainError('practice.no-chain');
  const notRecent = freshest(candidates, (c) => (c.answeredRecently ? 1 : 0));
  const open = notRecent.filter((c) => !c.mastered);
  let pool = open.length > 0 ? open : notRecent;
  if (member.newcomer) {
    const atStart = pool.filter((c) => c.rootLevel === NEWCOMER_LEVEL);
    if (atStart.length > 0) pool = atStart;
  }
  const weakest = Math.min(...pool.map((c) => c.strength));
  const tied = pool.filter((c) => c.strength <= weakest + 1e-9);
  return tied[pick(tied.length)]!.chainId;
}

/** When /drill is asked for no kind: one the member did not drill within the repeat window, if any is left. */
export function chooseDrillKind(kinds: readonly string[], drilledRecently: ReadonlySet<string>, pick: (n: number) => number): string {
  const pool = freshest(kinds, (k) => (drilledRecently.has(k) ? 1 : 0));
  return pool[pick(pool.length)]!;
}

/** A session's answers are stored under its kind. */
export function answerMode(kind: SessionKind): AnswerMode {
  return kind;
}

/** The options of step `index` in the order this session shows them (the same on every replay). */
export function stepOptions(session: Session, index: number, prompt: Prompt): ChoiceOption[] {
  return choiceOptions(prompt.choice, session.seed + index);
}

/** How long the member took: from when the question was shown. */
export function responseMs(session: Session, now: Date): number {
  return Math.max(0, now.getTime() - session.askedAt.getTime());
}

/** Practice points: the economy's (src/quiz/points.ts): the base for the level, half for a partial answer, 0 for a repeat within 24 hours; no speed bonus in private practice. */
export { practicePoints } from '../quiz/points.js';

export function scoreOf(verdict: Verdict): number {
  return verdict === 'correct' ? 1 : 0;
}

/** The rating a free-text answer gets when the member does not rate it: from its verdict and speed. */
export function suggestedRating(answer: Pick<StoredAnswer, 'verdict' | 'responseMs'>): Grade {
  return ratingFor(answer.verdict, answer.responseMs, RESPONSE_TIMES.freeText.fastMs, RESPONSE_TIMES.freeText.slowMs);
}

/** What a stored answer was: one of the shown options, or the member's own words graded against the key points. */
export function describeAnswer(prompt: Prompt, options: ChoiceOption[], answer: StoredAnswer): StepAnswer {
  const picked = options.find((o) => o.text === answer.given);
  if (picked) return { kind: 'choice', answer, options, picked };
  return { kind: 'text', answer, grade: gradeFreeText(answer.given, prompt.keyPoints), suggested: suggestedRating(answer) };
}

/** Moving on leaves no answer unrated: an unrated one (not a drill's) gets the suggestion. */
export function ratingOnMovingOn(session: Session, current: StoredAnswer): Grade | null {
  return current.rating === null && session.kind !== 'drill' ? suggestedRating(current) : null;
}

/** From step `from`: the next question (timed from now), or the end after the last. */
export function moveOn(session: Session, from: number, now: Date): StepChange {
  return from + 1 >= session.queue.length ? { endedAt: now } : { position: from + 1, askedAt: now };
}

/** A drill session's queue holds one entry, "<kind>:<seed>". */
export function drillEntry(drill: Pick<Drill, 'kind' | 'seed'>): string {
  return `${drill.kind}:${drill.seed}`;
}

export function parseDrillEntry(entry: string | undefined): { kind: string; seed: number } | null {
  const [kind, seed] = (entry ?? '').split(':');
  return kind && seed ? { kind, seed: Number(seed) } : null;
}

/** How a finished session went. */
export function tally(verdicts: readonly Verdict[]): { answered: number; correct: number } {
  return { answered: verdicts.length, correct: verdicts.filter((v) => v === 'correct').length };
}
