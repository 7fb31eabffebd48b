/** The drop feature's domain values, as the store returns them and the service and views use them. */
import type { Chain, Prompt } from '../bank/load.js';
import type { ChoiceOption } from '../quiz/grade.js';
import type { ScheduleInput } from '../schedule/store.js';

/** A question drop: a chain posted in a channel, one step at a time. */
export interface Drop {
  id: string;
  /** Null for a drop started with the drop command, outside any schedule. */
  scheduleId: string | null;
  slotAt: Date;
  guildId: string;
  channelId: string;
  chainId: string;
  roleId: string | null;
  revealEveryMinutes: number | null;
  revealAfterAnswers: number | null;
  /** Posted after its slot because the bot was down (within the grace period). */
  late: boolean;
  /** 'active' while steps remain to post; 'done' after the summary. */
  status: string;
  /** Steps posted so far (0 = nothing yet; the summary counts as one more step). */
  posted: number;
  /** When the next step (or the summary) is due. */
  nextStepAt: Date;
  threadId: string | null;
}

/** A schedule whose slot is due, as the scheduler claims it. */
export interface DueSchedule extends Omit<ScheduleInput, 'createdBy'> {
  id: string;
  slotAt: Date;
}

/** How the channel answered one step: counts per option text, free-text answers under "own words". */
export interface Distribution {
  counts: Map<string, number>;
  ownWords: number;
  total: number;
}

/** Participants, accuracy per step and the fastest correct live answer, for the summary card. */
export interface DropSummary {
  participants: number;
  perStep: { answered: number; correct: number }[];
  fastest: { userId: string; ms: number; step: number } | null;
}

/** A member's own answers to a drop, step by step (for "Your answer"). */
export interface MemberDropAnswers {
  chain: Chain;
  steps: (StepQuestion & { step: number; answer: { given: string; verdict: 'correct' | 'partial' | 'wrong'; points: number } | null })[];
}

/** One stored answer to a drop, as the summary needs it. */
export interface DropAnswerRow {
  userId: string;
  step: number;
  correct: boolean;
  responseMs: number | null;
  points: number;
}

/** A question as a step asks it, with its options in the order everyone sees. */
export interface StepQuestion {
  prompt: Prompt;
  options: ChoiceOption[];
}

/** The previous step's answer and how the channel answered it. */
export interface StepReveal extends StepQuestion {
  step: number;
  distribution: Distribution;
  /** The revealed step's own message, edited to show it closed (null if it was never recorded). */
  messageId: string | null;
}

/**
 * What posting one step needs: step 0 is the root (in the channel, opening the thread),
 * 1..n-1 follow-ups in the thread, n the summary. Every step after the root reveals the one
 * before it. `recovering` says an earlier attempt may already have posted this step.
 */
export type StepPost = {
  drop: Drop;
  chain: Chain;
  /** The chain's topic as members read it ("ROC & AUC"). */
  topicTitle: string;
  step: number;
  recovering: boolean;
  /** When this step closes: its answer is revealed and the next step posted (the drop's next_step_at). */
  closesAt: Date;
  /** Absent for the root. */
  reveal?: StepReveal;
} & ({ question: StepQuestion; summary?: undefined } | { question?: undefined; summary: DropSummary });

/** Where a posted step landed. */
export interface PostedStep {
  messageId: string;
  threadId?: string;
}

/**
 * The port the service posts through (the Discord publisher implements it). Must be safe to
 * call again for the same step after a crash: when `recovering`, it first looks for the
 * messages it may already have posted (by an invisible marker) and posts only what is missing.
 * A step after the root also closes the step it reveals (an edit, safe to repeat).
 */
export interface DropPublisher {
  postStep(post: StepPost): Promise<PostedStep>;
}
