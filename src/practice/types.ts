/** The practice flow's domain values: sessions, what was answered at a step, the step shown. */
import type { Prompt } from '../bank/load.js';
import type { Verdict } from '../answers/rules.js';
import type { Grade } from '../mastery/rules.js';
import type { ChoiceOption, FreeTextGrade } from '../quiz/grade.js';

export const SESSION_KINDS = ['chain', 'review', 'drill'] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];

export interface Session {
  id: string;
  userId: string;
  guildId: string | null;
  channelId: string | null;
  kind: SessionKind;
  queue: string[];
  position: number;
  seed: number;
  askedAt: Date;
  expiresAt: Date;
  endedAt: Date | null;
}

/** Who is practising, and where the command was run. */
export interface Where {
  userId: string;
  guildId: string | null;
  channelId: string | null;
}

/** What was answered at one step, read back from the answer store. */
export interface StoredAnswer {
  given: string;
  verdict: Verdict;
  score: number;
  rating: number | null;
  responseMs: number | null;
}

export type StepAnswer =
  | { kind: 'choice'; answer: StoredAnswer; options: ChoiceOption[]; picked: ChoiceOption | undefined }
  | { kind: 'text'; answer: StoredAnswer; grade: FreeTextGrade; suggested: Grade };

/** The step a session is on: the prompt, and its answer once given. */
export interface Step {
  session: Session;
  prompt: Prompt;
  index: number;
  total: number;
  chainTitle: string;
  options: ChoiceOption[];
  answered: StepAnswer | null;
}

/** How a session moves on from the step it is on: to the next question, or to its end. */
export type StepChange = { endedAt: Date } | { position: number; askedAt: Date };
