/**
 * Mastery's pure decisions: the FSRS card rules (the one place that knows both the `cards` row
 * and ts-fsrs's `Card`; scheduling itself is entirely ts-fsrs, nothing here computes an
 * interval or a stability by hand), recall probability, per-topic mastery and which chain to
 * practise next. No I/O. (The rating of an answer and the concept rule are the answer store's:
 * answer-store.ts.)
 */
import type { Bank, Chain } from '../bank/load.js';
import type { Level } from '../bank/schema.js';
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

/* Mastery ------------------------------------------------------------------------------- */

/** A chain is mastered when each of its prompts would be recalled with at least this probability. */
export const MASTERED_RETRIEVABILITY = 0.9;

/** What mastery is computed from: a card's prompt and memory state. */
export type CardRow = Pick<CardState, 'stability' | 'difficulty' | 'state' | 'lastReview' | 'due'> & { promptId: string };

export interface TopicMastery {
  topic: string;
  title: string;
  /** Prompts of the topic the member has a card for. */
  seen: number;
  /** Prompts of the topic without a card. */
  unseen: number;
  /** Mean ts-fsrs retrievability now over the seen prompts, in [0, 1]; 0 when none is seen. */
  mastery: number;
}

export interface ChainCandidate {
  chainId: string;
  topic: string;
  prompts: number;
  /** Prompts of the chain the member has a card for. */
  seen: number;
  /** Mean retrievability over all the chain's prompts, an unseen one counting 0. */
  strength: number;
  /** Every prompt's card is in Review with retrievability >= MASTERED_RETRIEVABILITY. */
  mastered: boolean;
}

/** Whether a chain's prompts are all mastered, given each one's card (undefined when unseen). */
export function chainMastered(cards: readonly (Pick<CardState, 'state'> & { r: number } | undefined)[]): boolean {
  return cards.length > 0 && cards.every((c) => c !== undefined && c.state === State.Review && c.r >= MASTERED_RETRIEVABILITY);
}

/** Per bank topic, in the bank's order: seen, unseen and mean retrievability at `now` (cards of prompts gone from the bank are left out). */
export function topicMastery(bank: Pick<Bank, 'topics' | 'promptById'>, cards: readonly CardRow[], now: Date): TopicMastery[] {
  const sums = new Map<string, { seen: number; r: number }>();
  for (const card of cards) {
    const topic = bank.promptById.get(card.promptId)?.topic;
    if (!topic) continue;
    const acc = sums.get(topic) ?? { seen: 0, r: 0 };
    acc.seen++;
    acc.r += retrievability(card, now);
    sums.set(topic, acc);
  }
  return bank.topics.map((t) => {
    const total = t.chains.reduce((n, c) => n + c.prompts.length, 0);
    const acc = sums.get(t.id) ?? { seen: 0, r: 0 };
    return { topic: t.id, title: t.title, seen: acc.seen, unseen: total - acc.seen, mastery: acc.seen ? acc.r / acc.seen : 0 };
  });
}

/**
 * The bank's chains that `filter` keeps: `topic` keeps one topic's chains; `level` keeps chains
 * that ask at least one question of that level (chains climb L4 → L6, so "L6" means "reaches L6").
 */
export function chainsFor(bank: Pick<Bank, 'chains'>, filter: { topic?: string; level?: Level } = {}): Chain[] {
  return bank.chains.filter((c) => (!filter.topic || c.topic === filter.topic) && (!filter.level || c.prompts.some((p) => p.level === filter.level)));
}

/**
 * Chains to practise, best candidates first: not mastered before mastered, then weakest first
 * (mean retrievability over the chain's prompts, unseen ones counting 0, so untouched chains
 * lead), then the given order.
 */
export function chainCandidates(chains: readonly Chain[], cards: readonly CardRow[], now: Date): ChainCandidate[] {
  const byPrompt = new Map(cards.map((row) => [row.promptId, { state: row.state, r: retrievability(row, now) }]));
  const order = new Map(chains.map((c, i) => [c.id, i]));
  return chains
    .map((c): ChainCandidate => {
      const mine = c.prompts.map((p) => byPrompt.get(p.id));
      const seen = mine.filter((x) => x !== undefined).length;
      const strength = mine.reduce((s, x) => s + (x?.r ?? 0), 0) / c.prompts.length;
      return { chainId: c.id, topic: c.topic, prompts: c.prompts.length, seen, strength, mastered: chainMastered(mine) };
    })
    .sort((a, b) => Number(a.mastered) - Number(b.mastered) || a.strength - b.strength || order.get(a.chainId)! - order.get(b.chainId)!);
}
