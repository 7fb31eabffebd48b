import type { Bank } from '../bank/load.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { conceptRootToResurface } from '../answers/rules.js';
import { emptyCard, review, type CardState, type Grade } from './fsrs.js';

/**
 * Rates an answer that was stored without a rating (self-graded free recall: the answer is
 * kept the moment it is given, and the member rates their recall afterwards). Applies the
 * rating to the card at most once: a second call (double click, or "next" after rating)
 * changes nothing. Same card rules as AnswerStore.record, concept rule included.
 */
export async function applyRating(
  prisma: PrismaClient,
  bank: Pick<Bank, 'promptById' | 'chainById'>,
  clock: () => Date,
  eventKey: string,
  userId: string,
  rating: Grade,
): Promise<{ applied: boolean; card?: { due: Date; state: number } }> {
  return prisma.$transaction(async (tx) => {
    const claimed = await tx.$queryRaw<{ prompt_id: string }[]>`
      UPDATE answers SET rating = ${rating}::int4
      WHERE event_key = ${eventKey} AND user_id = ${userId} AND rating IS NULL AND prompt_id IS NOT NULL
      RETURNING prompt_id`;
    const promptId = claimed[0]?.prompt_id;
    const prompt = promptId ? bank.promptById.get(promptId) : undefined;
    if (!prompt) return { applied: false };
    const now = clock();
    const fresh = emptyCard(now);
    // Creates the card if new and locks it either way, so concurrent ratings apply in turn.
    const rows = await tx.$queryRaw<CardState[]>`
      INSERT INTO cards (user_id, prompt_id, topic, due, stability, difficulty, elapsed_days, scheduled_days, learning_steps, reps, lapses, state, last_review)
      VALUES (${userId}, ${prompt.id}, ${prompt.topic}, ${fresh.due}::timestamptz, ${fresh.stability}::float8, ${fresh.difficulty}::float8,
              ${fresh.elapsedDays}::int4, ${fresh.scheduledDays}::int4, ${fresh.learningSteps}::int4, ${fresh.reps}::int4, ${fresh.lapses}::int4, ${fresh.state}::int4, NULL)
      ON CONFLICT (user_id, prompt_id) DO UPDATE SET topic = EXCLUDED.topic
      RETURNING due, stability, difficulty, elapsed_days AS "elapsedDays", scheduled_days AS "scheduledDays", learning_steps AS "learningSteps",
                reps, lapses, state, last_review AS "lastReview"`;
    const next = review(rows[0]!, now, rating);
    await tx.$executeRaw`
      UPDATE cards SET due = ${next.due}::timestamptz, stability = ${next.stability}::float8, difficulty = ${next.difficulty}::float8,
        elapsed_days = ${next.elapsedDays}::int4, scheduled_days = ${next.scheduledDays}::int4, learning_steps = ${next.learningSteps}::int4,
        reps = ${next.reps}::int4, lapses = ${next.lapses}::int4, state = ${next.state}::int4, last_review = ${next.lastReview}::timestamptz
      WHERE user_id = ${userId} AND prompt_id = ${prompt.id}`;
    const root = conceptRootToResurface(prompt, rating, bank);
    if (root) {
      await tx.$executeRaw`UPDATE cards SET due = ${now}::timestamptz WHERE user_id = ${userId} AND prompt_id = ${root} AND due > ${now}::timestamptz`;
    }
    return { applied: true, card: { due: next.due, state: next.state } };
  });
}
