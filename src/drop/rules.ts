/**
 * The drop feature's decisions, pure: which chain a drop posts, what a missed slot becomes,
 * the reveal cadence and the early reveal, the order of steps, option order and points.
 */
import type { Bank, Chain, Prompt } from '../bank/load.js';
import { freshest, repeatWindowStart } from '../answers/rules.js';
import type { Level } from '../bank/schema.js';
import type { Verdict } from '../answers/rules.js';
import type { ChoiceOption } from '../quiz/grade.js';
import { answerPoints } from '../quiz/points.js';
import { sharedOptions } from '../quiz/shared-options.js';
import { nextRun } from '../schedule/rules.js';
import type { Distribution, Drop, DropAnswerRow, DropSummary } from './types.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** Defaults for when a schedule leaves the cadence open. */
export const DROP_DEFAULTS = {
  revealEveryMinutes: 60,
  /** Drops missed by up to this long (bot down) are posted late with a note; older ones are skipped. */
  graceMs: 2 * 60 * 60 * 1000,
  /** A process working on a drop holds it this long; after a crash another process takes over. */
  leaseMs: 30_000,
};

/** A slot posted more than this after its time says so ("posted late"). */
const LATE_AFTER_MS = MINUTE;
/** With only "reveal after K answers", a step still closes after a day so the chain always ends. */
const STEP_MAX_MINUTES = 24 * 60;

// ---- missed slots ------------------------------------------------------------------------

export type SlotDecision = { post: true; late: boolean; lateByMs: number } | { post: false; lateByMs: number };

/** A due slot is posted (marked late when the bot was down at its time) unless missed by more than the grace period. */
export function slotDecision(slotAt: Date, now: Date, graceMs: number = DROP_DEFAULTS.graceMs): SlotDecision {
  const lateByMs = now.getTime() - slotAt.getTime();
  if (lateByMs > graceMs) return { post: false, lateByMs };
  return { post: true, late: lateByMs > LATE_AFTER_MS, lateByMs };
}

/** The schedule's next slot after this one; never a slot already in the past (no burst after downtime). */
export function followingSlot(schedule: { cron: string; timeZone: string }, slotAt: Date, now: Date): Date {
  return nextRun(schedule.cron, schedule.timeZone, now.getTime() > slotAt.getTime() ? now : slotAt);
}

// ---- steps and cadence -------------------------------------------------------------------

/** Step 0 is the root question, 1..n-1 the follow-ups, n (the chain's length) the summary. */
export type StepKind = 'root' | 'follow-up' | 'summary';

export function stepKind(chain: Chain, step: number): StepKind {
  if (step === 0) return 'root';
  return step < chain.prompts.length ? 'follow-up' : 'summary';
}

/** The drop's state once step `step` is posted: the summary ends it; otherwise the next step is due after the reveal time. */
export function afterPosting(drop: Pick<Drop, 'revealEveryMinutes' | 'revealAfterAnswers'>, chain: Chain, step: number, now: Date): { posted: number; status: 'active' | 'done'; nextStepAt: Date } {
  const every = drop.revealEveryMinutes ?? (drop.revealAfterAnswers ? null : DROP_DEFAULTS.revealEveryMinutes);
  return {
    posted: step + 1,
    status: stepKind(chain, step) === 'summary' ? 'done' : 'active',
    nextStepAt: new Date(now.getTime() + (every ?? STEP_MAX_MINUTES) * MINUTE),
  };
}

/** A step is live (answers earn the speed bonus) from its post until its reveal time, not until the reveal message lands. */
export function isLive(drop: Pick<Drop, 'status' | 'posted' | 'nextStepAt'>, step: number, now: Date): boolean {
  return drop.status === 'active' && drop.posted === step + 1 && now.getTime() < drop.nextStepAt.getTime();
}

/**
 * How many answers to the live step `step` reveal it early, or null when this drop and step
 * cannot be revealed early (no "after K answers", the step is not the live one, or its reveal
 * is already due).
 */
export function answersToRevealEarly(drop: Pick<Drop, 'status' | 'posted' | 'nextStepAt' | 'revealAfterAnswers'>, step: number, now: Date): number | null {
  if (drop.revealAfterAnswers === null || !isLive(drop, step, now)) return null;
  return drop.revealAfterAnswers;
}

// ---- answers -----------------------------------------------------------------------------

/** Same option order for everyone: derived from the drop and the step. */
export function dropOptions(prompt: Prompt, dropId: string, step: number): ChoiceOption[] {
  return sharedOptions(prompt, `${dropId}:${step}`);
}

/** The speed bonus runs over the reveal window (the default cadence when the drop has none). */
export function answerWindowMs(drop: Pick<Drop, 'revealEveryMinutes'>): number {
  return (drop.revealEveryMinutes ?? DROP_DEFAULTS.revealEveryMinutes) * MINUTE;
}

/**
 * Points (the economy, src/quiz/points.ts): a live answer earns the base for the level, half
 * for a partial one, plus the speed bonus; a late one (step revealed, or the member missed the
 * drop) counts for memory only, as its answer is public by then: 0 points.
 */
export function dropPoints(verdict: Verdict, live: boolean, responseMs: number, windowMs: number, level: Level): number {
  return answerPoints({ verdict, level, speed: { responseMs, windowMs }, afterReveal: !live });
}

/** How the channel answered a step, from the count of each answer text given. */
export function distributionOf(prompt: Prompt, tallies: readonly { given: string; n: number }[]): Distribution {
  const optionTexts = new Set([prompt.choice.correct, ...prompt.choice.distractors]);
  const counts = new Map<string, number>();
  let ownWords = 0;
  let total = 0;
  for (const { given, n } of tallies) {
    total += n;
    if (optionTexts.has(given)) counts.set(given, n);
    else ownWords += n;
  }
  return { counts, ownWords, total };
}

/** Participants, accuracy per step and the fastest correct live answer. */
export function summaryOf(answers: readonly DropAnswerRow[], steps: number): DropSummary {
  const perStep = Array.from({ length: steps }, () => ({ answered: 0, correct: 0 }));
  let fastest: DropSummary['fastest'] = null;
  for (const a of answers) {
    const s = perStep[a.step];
    if (!s) continue;
    s.answered++;
    if (a.correct) {
      s.correct++;
      // Only live answers (late ones earn 0 points) compete for fastest.
      if (a.points > 0 && a.responseMs !== null && (!fastest || a.responseMs < fastest.ms)) fastest = { userId: a.userId, ms: a.responseMs, step: a.step };
    }
  }
  return { participants: new Set(answers.map((a) => a.userId)).size, perStep, fastest };
}

// ---- choosing the chain ------------------------------------------------------------------

export interface ChannelHistory {
  /** Chains posted in the channel, newest first, with when. */
  recent: { chainId: string; topic: string; at: Date }[];
  /** Per topic: correct / total answers given by the channel's active members (last 30 days). */
  topicAccuracy: Map<string, { correct: number; total: number }>;
  /** Prompts answered in the channel within the repeat window (7 days), in any mode. */
  seenPrompts?: ReadonlySet<string>;
}

const NO_REPOST_DAYS = 30;

/** How far back the history that chooseChain weighs reaches. */
export function historyWindow(now: Date): { postedSince: Date; activeSince: Date; seenSince: Date } {
  return { postedSince: new Date(now.getTime() - 60 * DAY), activeSince: new Date(now.getTime() - 30 * DAY), seenSince: repeatWindowStart(now) };
}

/**
 * Picks the chain a drop posts. Rules, in order:
 * 1. only chains matching the schedule's topics and level (a chain matches a level when its root has it);
 * 2. never a chain posted in this channel in the last 30 days, unless every matching chain was
 *    (then the one posted longest ago);
 * 2b. chains with a prompt the channel answered in the last 7 days in another mode (a sprint,
 *    a /chain run there) only when no other chain is left;
 * 3. rotate topics: topics of the last few drops come last;
 * 4. prefer the topic where the channel's active members are weakest (lowest accuracy; a topic
 *    nobody answered yet counts as 50%);
 * 5. ties broken by `random` (injected, so tests are deterministic).
 */
export function chooseChain(bank: Bank, filter: { topics: string[]; level: string | null }, history: ChannelHistory, now: Date, random: () => number): Chain | null {
  const matching = bank.chains.filter((c) => (filter.topics.length === 0 || filter.topics.includes(c.topic)) && (!filter.level || c.prompts[0]!.level === filter.level));
  if (matching.length === 0) return null;
  const lastPosted = new Map<string, number>();
  for (const r of history.recent) if (!lastPosted.has(r.chainId)) lastPosted.set(r.chainId, r.at.getTime());
  const fresh = matching.filter((c) => {
    const at = lastPosted.get(c.id);
    return at === undefined || now.getTime() - at >= NO_REPOST_DAYS * DAY;
  });
  if (fresh.length === 0) {
    // Bank exhausted for this filter: the chain posted longest ago.
    return [...matching].sort((a, b) => (lastPosted.get(a.id) ?? 0) - (lastPosted.get(b.id) ?? 0))[0]!;
  }
  const seen = history.seenPrompts ?? new Set<string>();
  const unseen = freshest(fresh, (c) => (c.prompts.some((p) => seen.has(p.id)) ? 1 : 0));
  const recentTopics = history.recent.slice(0, 3).map((r) => r.topic);
  const topics = [...new Set(unseen.map((c) => c.topic))];
  const score = (topic: string) => {
    const acc = history.topicAccuracy.get(topic);
    const accuracy = acc && acc.total > 0 ? acc.correct / acc.total : 0.5;
    const recency = recentTopics.includes(topic) ? 1 + (3 - recentTopics.indexOf(topic)) : 0;
    return recency * 10 + accuracy; // rotation first, then weakness
  };
  const best = Math.min(...topics.map(score));
  const weakest = topics.filter((t) => score(t) <= best + 1e-9);
  const topic = weakest[Math.floor(random() * weakest.length)]!;
  const inTopic = unseen.filter((c) => c.topic === topic);
  return inTopic[Math.floor(random() * inTopic.length)]!;
}
