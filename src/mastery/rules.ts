/**
 * Mastery's pure decisions: the FSRS card rules (the one place that knows both the `cards` row
 * and ts-fsrs's `Card`; scheduling itself is entirely ts-fsrs, nothing here computes an
 * interval or a stability by hand), recall probability, per-topic mastery (the measure and
 * its reasons: MASTERY_HORIZON_DAYS), which drill kind practises which topic, and which chain to
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

/** How an answer went (the answer store's verdict; named here so that mastery does not import the answers feature). */
export type AnswerVerdict = 'correct' | 'partial' | 'wrong';

/** A card with the verdict of the member's latest answer to its prompt (null when none is visible, e.g. outside the server). */
export type MasteryCard = CardRow & { lastVerdict: AnswerVerdict | null };

/** One of a member's latest answers to a kind of drill (the store gives the last DRILL_RECENT per kind). */
export interface DrillAnswer {
  kind: string;
  verdict: AnswerVerdict;
}

/**
 * The measure /mastery shows, and why (the card's footnote says the same in short):
 *
 * **A question's strength = the FSRS probability of recalling it a week from now, counting 0
 * when the member's latest answer to it was wrong and half when it was partly right.**
 *
 * - *A week ahead, not now.* Recall "now" is ~1 right after any review, failed or not (the
 *   member has just seen the answer), so it read 100 % minutes after getting 2 of 5 wrong.
 *   A week ahead is where the memory's stability shows: a prompt reviewed once reads ~80 %,
 *   one known for months ~97 %; ts-fsrs's own forgetting curve, the scheduler's parameters.
 * - *0 after a wrong answer.* FSRS's post-lapse stability still predicts ~58 % a week after a
 *   failure (FSRS-6's flat curve, and the member saw the answer): honest about memory, not
 *   about what the member has shown they know. Until they answer it right again, a failed
 *   question counts as not known. So a failure drops the topic at once and clearly.
 * - *Drills count too*, in the topic their kind belongs to (DRILL_TOPIC): drills are generated
 *   anew each time and have no FSRS card (there is nothing to remember, a skill to apply), so a
 *   drill kind the member has tried counts as one item whose strength is the share right of
 *   their last DRILL_RECENT answers to it (partial = half).
 *
 * A topic's mastery is the mean strength over its seen questions and tried drill kinds.
 * Topics with neither are "not started" and are not given a score at all.
 */
export const MASTERY_HORIZON_DAYS = 7;
/** A drill kind's strength is over the member's last this many answers to it. */
export const DRILL_RECENT = 5;

/**
 * The bank topic each drill kind practises (drills/kinds/*). Every kind has one: a unit test
 * checks that each kind is listed and each topic is in the bank.
 */
export const DRILL_TOPIC: Readonly<Record<string, string>> = {
  'auc-ties': 'roc-auc',
  'precision-prevalence': 'evaluation-metrics',
  'f-beta': 'evaluation-metrics',
  'log-loss': 'losses-optimisation',
  'weight-init': 'initialisation',
  'batch-norm': 'normalisation',
  'l2-step': 'regularisation',
  'adam-first-step': 'optimisers',
  ndcg: 'ranking',
  ece: 'calibration',
  ips: 'ranking',
  snips: 'ranking',
  'prior-correction': 'calibration',
  vif: 'linear-regression',
  'xgb-leaf-weight': 'xgboost',
  'xgb-split-gain': 'xgboost',
};

const CREDIT: Readonly<Record<AnswerVerdict, number>> = { correct: 1, partial: 0.5, wrong: 0 };

/** FSRS's probability of recalling the card `days` after `now` (0 for a card never reviewed). */
export function recallAhead(row: Pick<CardState, 'stability' | 'state' | 'lastReview'>, now: Date, days = MASTERY_HORIZON_DAYS): number {
  return retrievability(row, new Date(now.getTime() + days * 86_400_000));
}

/** A question's strength (see MASTERY_HORIZON_DAYS): recall a week ahead, times the credit of the latest answer. */
export function questionStrength(card: Pick<MasteryCard, 'stability' | 'state' | 'lastReview' | 'lastVerdict'>, now: Date): number {
  return recallAhead(card, now) * (card.lastVerdict === null ? 1 : CREDIT[card.lastVerdict]);
}

export interface TopicMastery {
  topic: string;
  title: string;
  /** Prompts of the topic the member has a card for. */
  seen: number;
  /** Prompts of the topic without a card. */
  unseen: number;
  /** Seen prompts whose latest answer was wrong (they count 0 until answered right). */
  lastWrong: number;
  /** Drill answers counted (at most DRILL_RECENT per kind) and drill kinds tried, in this topic. */
  drills: number;
  drillKinds: number;
  /** Seen prompts or tried drill kinds: a topic without either is not started. */
  started: boolean;
  /** Mean strength over seen prompts and tried drill kinds, in [0, 1]; 0 when not started. */
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

/**
 * Per bank topic, in the bank's order: seen, unseen, drills and mastery at `now` (see
 * MASTERY_HORIZON_DAYS). Cards of prompts gone from the bank and drills of unknown kinds are
 * left out.
 */
export function topicMastery(
  bank: Pick<Bank, 'topics' | 'promptById'>,
  cards: readonly MasteryCard[],
  drills: readonly DrillAnswer[],
  now: Date,
): TopicMastery[] {
  const sums = new Map<string, { seen: number; lastWrong: number; strength: number }>();
  for (const card of cards) {
    const topic = bank.promptById.get(card.promptId)?.topic;
    if (!topic) continue;
    const acc = sums.get(topic) ?? { seen: 0, lastWrong: 0, strength: 0 };
    acc.seen++;
    if (card.lastVerdict === 'wrong') acc.lastWrong++;
    acc.strength += questionStrength(card, now);
    sums.set(topic, acc);
  }
  const kinds = new Map<string, { answers: number; credit: number }>();
  for (const d of drills) {
    const k = kinds.get(d.kind) ?? { answers: 0, credit: 0 };
    if (k.answers >= DRILL_RECENT) continue;
    k.answers++;
    k.credit += CREDIT[d.verdict];
    kinds.set(d.kind, k);
  }
  const drillSums = new Map<string, { kinds: number; answers: number; strength: number }>();
  for (const [kind, k] of kinds) {
    const topic = DRILL_TOPIC[kind];
    if (!topic) continue;
    const acc = drillSums.get(topic) ?? { kinds: 0, answers: 0, strength: 0 };
    acc.kinds++;
    acc.answers += k.answers;
    acc.strength += k.credit / k.answers;
    drillSums.set(topic, acc);
  }
  return bank.topics.map((t) => {
    const total = t.chains.reduce((n, c) => n + c.prompts.length, 0);
    const q = sums.get(t.id) ?? { seen: 0, lastWrong: 0, strength: 0 };
    const d = drillSums.get(t.id) ?? { kinds: 0, answers: 0, strength: 0 };
    const items = q.seen + d.kinds;
    return {
      topic: t.id,
      title: t.title,
      seen: q.seen,
      unseen: total - q.seen,
      lastWrong: q.lastWrong,
      drills: d.answers,
      drillKinds: d.kinds,
      started: items > 0,
      mastery: items ? (q.strength + d.strength) / items : 0,
    };
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
