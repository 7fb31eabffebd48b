/**
 * What each card and the whiteboard accept. Checked on the main thread before a job is
 * queued, so bad input is refused at once with a message that names the field.
 * Text is cleaned again when drawn (control characters, bidi overrides, length caps).
 */
import { z } from 'zod';
import { RenderError } from './errors.js';

const text = (max: number) => z.string({ error: 'must be text' }).max(max, `must be at most ${max} characters`);
const count = z.number({ error: 'must be a number' }).int('must be a whole number').min(0, 'must not be negative').max(1e9, 'is too large');
const fraction = z.number({ error: 'must be a number' }).min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1');
const value = z.union([text(40), z.number({ error: 'must be text or a number' }).finite('must be finite')], { error: 'must be text or a number' });

export const questionCardSpec = z.object({
  topic: text(80),
  level: text(16),
  /** Question text; `$...$` is inline TeX, `$$...$$` display TeX, **bold**, *italic*, `code`, "- " bullets. */
  prompt: text(4000).min(1, 'must not be empty'),
  /** Chain title, shown above the prompt. */
  title: text(120).optional(),
  /** Position in a chain: step 1 is the root question. */
  step: z.object({ index: count.min(1), total: count.min(1) }).optional(),
  footer: text(200).optional(),
});
export type QuestionCardSpec = z.infer<typeof questionCardSpec>;

export const summaryCardSpec = z.object({
  title: text(120).min(1, 'must not be empty'),
  subtitle: text(200).optional(),
  rows: z.array(z.object({ label: text(60), value: text(80) }), { error: 'must be a list' }).max(20, 'at most 20 rows'),
  /** Per-step accuracy bars (e.g. root question, follow-up 1, ...). */
  steps: z.array(z.object({ label: text(60), accuracy: fraction, detail: text(40).optional() })).max(20, 'at most 20 steps').optional(),
  footnote: text(200).optional(),
});
export type SummaryCardSpec = z.infer<typeof summaryCardSpec>;

export const masterySpec = z.object({
  title: text(120).optional(),
  stats: z.object({
    due: count,
    streak: count,
    /** Share of correct answers over the last 30 days; null when there were none. */
    accuracy30d: fraction.nullable(),
  }),
  /** One row per topic shown (a name wraps onto a second line rather than being cut). */
  topics: z
    .array(z.object({ name: text(80), mastery: fraction, seen: count, unseen: count, /** Replaces "<seen> of <total> seen" under the bar. */ detail: text(120).optional() }))
    .max(40, 'at most 40 topics'),
  /** Topics left out because the member has not started them: one line, "N topics not started". */
  notStarted: count.optional(),
  footnote: text(320).optional(),
});
export type MasterySpec = z.infer<typeof masterySpec>;

const leaderboardRow = z.object({
  rank: count.min(1),
  name: text(200),
  value,
  /** Marks the caller's own row when it is among `rows`. */
  isCaller: z.boolean().optional(),
});
export type LeaderboardRow = z.infer<typeof leaderboardRow>;

export const leaderboardSpec = z.object({
  title: text(120).min(1, 'must not be empty'),
  subtitle: text(200).optional(),
  /** Column header for the value, e.g. "Points". */
  valueLabel: text(30).optional(),
  /** Only the first ten are drawn. */
  rows: z.array(leaderboardRow).max(100, 'at most 100 rows'),
  /** The caller's own row: highlighted in place, or added below when outside the top ten. */
  caller: leaderboardRow.optional(),
  /** What the board ranks and how points are earned: up to five lines. */
  footnote: text(400).optional(),
});
export type LeaderboardSpec = z.infer<typeof leaderboardSpec>;

export const whiteboardSpec = z.object({
  title: text(120).min(1, 'must not be empty'),
  steps: z
    .array(z.object({ tex: text(2000), note: text(300).optional(), author: text(200) }))
    .min(1, 'needs at least one step')
    .max(40, 'at most 40 steps'),
});
export type WhiteboardSpec = z.infer<typeof whiteboardSpec>;

/** Parse or throw RenderError('invalid-input') naming the first bad field. */
export function parseSpec<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue && issue.path.length > 0 ? `.${issue.path.join('.')}` : '';
  throw new RenderError('invalid-input', `Invalid ${what}${path}: ${issue?.message ?? 'bad value'}`);
}
