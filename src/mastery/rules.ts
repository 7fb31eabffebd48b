/**
 * The one place that knows both the `cards` row and ts-fsrs's `Card`. Scheduling itself is
 * entirely ts-fsrs: nothing here computes an interval or a stability by hand.
 */
import { createEmptyCard, fsrs, generatorParameters, Rating, State, type Card as FsrsCard, type Grade } from 'ts-fsrs';

export { Rating, State, type Grade };

/**
 * The scheduler every part of Backprop uses. ts-fsrs's defaults (FSRS-6 weights, 90 %
 * requested retention, learning steps 1m/10m, relearning step 10m, maximum interval 100 years)
 * except `enable_fuzz: false`: fuzz spreads review intervals randomly so that cards learnt
 * together do not all fall due on the same day. It draws from a seed derived from the card,
 * not from an injected source, so with it on the same answers could not be asserted to the day
 * in tests. A study server's few hundred prompts per member do not pile up enough to need it.
 */
export const scheduler = fsrs(generatorParameters({ enable_fuzz: false }));

/** A `cards` row's scheduling fields, as Prisma names them. */
export interface CardState {
  due: Date;
  stability: number;
  difficulty: number;
  elapsedDays: number;
  scheduledDays: number;
  learningSteps: number;
  reps: number;
  lapses: number;
  /** ts-fsrs State: 0 New, 1 Learning, 2 Review, 3 Relearning. */
  state: number;
  lastReview: Date | null;
}

export function toFsrsCard(row: CardState): FsrsCard {
  const card: FsrsCard = {
    due: row.due,
    stability: row.stability,
    difficulty: row.difficulty,
    elapsed_days: row.elapsedDays,
    scheduled_days: row.scheduledDays,
    learning_steps: row.learningSteps,
    reps: row.reps,
    lapses: row.lapses,
    state: row.state as State,
  };
  if (row.lastReview) card.last_review = row.lastReview;
  return card;
}

/** Integer columns get integers even if a future ts-fsrs returns fractional days. */
export function fromFsrsCard(card: FsrsCard): CardState {
  return {
    due: card.due,
    stability: card.stability,
    difficulty: card.difficulty,
    elapsedDays: Math.round(card.elapsed_days),
    scheduledDays: Math.round(card.scheduled_days),
    learningSteps: Math.round(card.learning_steps),
    reps: card.reps,
    lapses: card.lapses,
    state: card.state,
    lastReview: card.last_review ?? null,
  };
}

/** A card never reviewed, due now (what a first answer is scheduled from). */
export function emptyCard(now: Date): CardState {
  return fromFsrsCard(createEmptyCard(now));
}

/**
 * Applies one rating. `now` is moved forward to the card's last review if it is earlier (an
 * answer recorded late, out of order), so that elapsed time is never negative.
 */
export function review(row: CardState, now: Date, grade: Grade): CardState {
  const at = row.lastReview && row.lastReview.getTime() > now.getTime() ? row.lastReview : now;
  return fromFsrsCard(scheduler.next(toFsrsCard(row), at, grade).card);
}

/**
 * Probability of recall at `now`: 0 for a New card, else ts-fsrs's forgetting curve (FSRS-6,
 * the scheduler's own parameters) at the time elapsed since the last review in fractional
 * days. ts-fsrs's `get_retrievability` counts whole calendar days, which would read 1 all day
 * after a failed review; Anki's FSRS likewise uses elapsed seconds for its R column.
 */
export function retrievability(row: Pick<CardState, 'stability' | 'state' | 'lastReview'>, now: Date): number {
  if (row.state === State.New || !row.lastReview || !(row.stability > 0)) return 0;
  const elapsedDays = Math.max(0, (now.getTime() - row.lastReview.getTime()) / 86_400_000);
  return scheduler.forgetting_curve(elapsedDays, row.stability);
}

export function isGrade(value: unknown): value is Grade {
  return value === Rating.Again || value === Rating.Hard || value === Rating.Good || value === Rating.Easy;
}
