import { z } from 'zod';

/**
 * The question bank's data model. One YAML file per topic in `question-bank/`.
 * Ids are written by hand and never derived from text, so editing a prompt's wording
 * keeps its mastery history (cards and answers key on the id).
 */

/** Lower-case slug: letters, digits and single hyphens. Short enough to ride in custom ids. */
export const slug = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a lower-case slug like "xgb-leaf-weight" (letters, digits, single hyphens)')
  .max(40, 'must be at most 40 characters (ids travel inside Discord custom ids)');

export const levels = ['L4', 'L5', 'L6'] as const;
export const level = z.enum(levels);
export type Level = z.infer<typeof level>;

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

export const keyPoint = z.strictObject({
  /** What the answer must convey, as shown in feedback. */
  point: text(200),
  /** Phrasings and synonyms that count as hitting the point (matched after normalisation). */
  accept: z.array(text(80)).min(1, 'needs at least one accepted phrasing'),
});
export type KeyPoint = z.infer<typeof keyPoint>;

export const formula = z.strictObject({
  tex: text(1000),
  caption: text(120).optional(),
});
export type Formula = z.infer<typeof formula>;

export const choice = z
  .strictObject({
    correct: text(200),
    distractors: z.array(text(200)).min(3, 'needs at least three distractors').max(4, 'at most four distractors (five buttons in a row)'),
    explanation: text(800),
  })
  .superRefine((c, ctx) => {
    const all = [c.correct, ...c.distractors].map((s) => s.toLowerCase());
    if (new Set(all).size !== all.length) ctx.addIssue({ code: 'custom', message: 'options must all differ' });
  });
export type Choice = z.infer<typeof choice>;

export const promptSchema = z.strictObject({
  id: slug,
  level,
  question: text(1200),
  testing: text(400),
  answer: text(2500),
  keyPoints: z.array(keyPoint).min(2, 'needs at least two key points').max(8),
  formulas: z.array(formula).max(4).optional(),
  choice,
});
export type PromptData = z.infer<typeof promptSchema>;

const levelRank = { L4: 0, L5: 1, L6: 2 } as const;

export const chainSchema = z
  .strictObject({
    id: slug,
    title: text(100),
    prompts: z.array(promptSchema).min(2, 'a chain is a root question plus at least one follow-up'),
  })
  .superRefine((chain, ctx) => {
    chain.prompts.forEach((p, i) => {
      const prev = chain.prompts[i - 1];
      if (prev && levelRank[p.level] < levelRank[prev.level]) {
        ctx.addIssue({
          code: 'custom',
          path: ['prompts', i, 'level'],
          message: `follow-ups get progressively harder: ${p.level} comes after ${prev.level}`,
        });
      }
    });
  });
export type ChainData = z.infer<typeof chainSchema>;

export const topicFileSchema = z.strictObject({
  topic: slug,
  title: text(80),
  summary: text(400),
  chains: z.array(chainSchema).min(1),
});
export type TopicFile = z.infer<typeof topicFileSchema>;
