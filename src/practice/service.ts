import { randomInt } from 'node:crypto';
import type { Bank, Prompt } from '../bank/load.js';
import type { Level } from '../bank/schema.js';
import { drillKinds, generateDrill, type Drill } from '../drills/index.js';
import { DomainError } from '../platform/errors.js';
import type { AnswerStore } from '../answers/store.js';
import { eventKeyOf, repeatWindowStart, RESPONSE_TIMES, type Verdict } from '../answers/rules.js';
import type { MasteryService } from '../mastery/service.js';
import type { Grade } from '../mastery/rules.js';
import { gradeChoice, gradeFreeText, gradeNumeric } from '../quiz/grade.js';
import { REPEAT_WINDOW_MS } from '../quiz/points.js';
import {
  answerMode,
  checkAccess,
  checkAnswerable,
  checkSessionId,
  chooseChain,
  chooseDrillKind,
  describeAnswer,
  drillEntry,
  moveOn,
  parseDrillEntry,
  practicePoints,
  ratingOnMovingOn,
  responseMs,
  scoreOf,
  sessionExpiry,
  stepOptions,
  tally,
} from './rules.js';
import type { PracticeStore } from './store.js';
import type { Session, SessionKind, Step, Where } from './types.js';

export type DrillResult = ReturnType<typeof gradeNumeric>;

/**
 * Private practice (/chain, /review, /drill) as state in PostgreSQL. Buttons carry only the
 * session id and the step index, so any process can serve a click, before or after a restart.
 * Every answer goes through the answer store (idempotent per session step).
 */
export class PracticeService {
  constructor(
    private readonly store: PracticeStore,
    private readonly bank: Bank,
    private readonly answers: AnswerStore,
    /** What practice asks of mastery: due cards, chain candidates, and rating a stored answer once. */
    private readonly mastery: Pick<MasteryService, 'chainCandidates' | 'dueCards' | 'nextDue' | 'rate'>,
    private readonly clock: () => Date,
  ) {}

  // ---------------------------------------------------------------------------------------
  // Starting

  /**
   * A chain for the member (see rules.chooseChain): chains they answered in the last 7 days
   * come last, a newcomer starts at L4, then the weakest.
   */
  async startChain(where: Where, filter: { topic?: string; level?: Level }): Promise<Session> {
    if (filter.topic && !this.bank.topicById.has(filter.topic)) throw new DomainError('practice.unknown-topic', { topic: filter.topic });
    const now = this.clock();
    const [candidates, seen, answeredBefore] = await Promise.all([
      this.mastery.chainCandidates(where.userId, now, filter),
      this.answers.promptsSeenBy([where.userId], repeatWindowStart(now)),
      this.answers.hasAnsweredPrompts(where.userId),
    ]);
    const choices = candidates.map((c) => {
      const chain = this.bank.chainById.get(c.chainId);
      return {
        ...c,
        ...(chain?.prompts[0] ? { rootLevel: chain.prompts[0].level } : {}),
        answeredRecently: chain?.prompts.some((p) => seen.has(p.id)) ?? false,
      };
    });
    const chain = this.bank.chainById.get(chooseChain(choices, randomInt, { newcomer: !answeredBefore }))!;
    return this.create(where, 'chain', chain.prompts.map((p) => p.id));
  }

  /**
   * The member's due cards. No repeat avoidance here, by design: a card is due again within
   * days only because the member failed or struggled with it, and asking it again then is the
   * point of spaced repetition; the scheduler (FSRS) already keeps a card away after a good answer.
   */
  async startReview(where: Where, count: number): Promise<{ session: Session } | { nothingDue: true; nextDue: Date | null }> {
    const now = this.clock();
    const due = (await this.mastery.dueCards(where.userId, now, count)).filter((c) => this.bank.promptById.has(c.promptId));
    if (due.length === 0) return { nothingDue: true, nextDue: await this.mastery.nextDue(where.userId, now) };
    return { session: await this.create(where, 'review', due.map((c) => c.promptId)) };
  }

  async startDrill(where: Where, kind: string | null): Promise<Session> {
    const chosen =
      kind ?? chooseDrillKind(drillKinds.map((k) => k.id), await this.answers.drillKindsSeenBy(where.userId, repeatWindowStart(this.clock())), randomInt);
    const seed = randomInt(2 ** 31);
    const drill = generateDrill(chosen, seed);
    if (!drill) throw new DomainError('practice.unknown-drill', { kind: chosen });
    return this.create(where, 'drill', [drillEntry(drill)], seed);
  }

  private create(where: Where, kind: SessionKind, queue: string[], seed = randomInt(2 ** 31)): Promise<Session> {
    const now = this.clock();
    return this.store.create({ ...where, kind, queue, seed, askedAt: now, expiresAt: sessionExpiry(now) });
  }

  // ---------------------------------------------------------------------------------------
  // Reading

  /** The caller's live session; refuses a foreign, unknown or expired one. */
  async load(sessionId: string, userId: string): Promise<Session> {
    checkSessionId(sessionId);
    return checkAccess(await this.store.find(sessionId), userId, this.clock());
  }

  /** The answer store's key of this session's answer to step `index` (see eventKeyOf). */
  private eventKey(session: Session, index: number): string {
    return eventKeyOf({ mode: answerMode(session.kind), event: { id: session.id, step: index }, userId: session.userId });
  }

  private promptAt(session: Session, index: number): Prompt {
    const id = session.queue[index];
    const prompt = id ? this.bank.promptById.get(id) : undefined;
    if (!prompt) throw new DomainError('practice.question-gone', {}, 'not-found');
    return prompt;
  }

  async step(session: Session, index = session.position): Promise<Step> {
    const prompt = this.promptAt(session, index);
    const options = stepOptions(session, index, prompt);
    const stored = await this.store.answerAt(session.id, index);
    return {
      session,
      prompt,
      index,
      total: session.queue.length,
      chainTitle: this.bank.chainById.get(prompt.chainId)?.title ?? prompt.chainId,
      options,
      answered: stored ? describeAnswer(prompt, options, stored) : null,
    };
  }

  /** The step about to be answered in the member's own words; refuses one already answered. */
  async unanswered(session: Session, index: number): Promise<Step> {
    const current = await this.step(session, Math.min(index, session.queue.length - 1));
    if (current.answered || index !== session.position) throw new DomainError('practice.answered', {}, 'conflict');
    return current;
  }

  /** A step already answered, to show its whole feedback; refuses one not answered yet (nothing shows before the answer). */
  async answeredStep(session: Session, index: number): Promise<Step> {
    if (index >= session.queue.length) throw new DomainError('practice.unanswered', {}, 'conflict');
    const step = await this.step(session, index);
    if (!step.answered) throw new DomainError('practice.unanswered', {}, 'conflict');
    return step;
  }

  /** How the finished session went, and when the member's next review is due. */
  async outcome(session: Session): Promise<{ answered: number; correct: number; nextDue: Date | null }> {
    const verdicts = await this.store.verdicts(session.id);
    const nextDue = await this.mastery.nextDue(session.userId, this.clock());
    return { ...tally(verdicts), nextDue };
  }

  // ---------------------------------------------------------------------------------------
  // Answering

  /** One step's answer into the answer store, keyed by (session, step) so a repeat is stored once. */
  private async recordStep(session: Session, index: number, prompt: Prompt, at: Date, ms: number, answer: { given: string; verdict: Verdict; score: number; rating: Grade | null }) {
    // The economy's repeat rule: a question answered in the last 24 hours earns no points again.
    const repeat = await this.store.answeredSince(session.userId, prompt.id, new Date(at.getTime() - REPEAT_WINDOW_MS));
    return this.answers.record({
      event: { id: session.id, step: index },
      userId: session.userId,
      guildId: session.guildId,
      channelId: session.channelId,
      promptId: prompt.id,
      mode: answerMode(session.kind),
      ...answer,
      points: practicePoints(answer.verdict, prompt.level, repeat),
      responseMs: ms,
      at,
    });
  }

  /** Records a multiple-choice answer (once per step, whatever the clicking) and rates the card. */
  async answerChoice(session: Session, index: number, optionId: number): Promise<Step> {
    checkAnswerable(session, index);
    const prompt = this.promptAt(session, index);
    const picked = stepOptions(session, index, prompt).find((o) => o.id === optionId);
    if (!picked) throw new DomainError('practice.no-option');
    const now = this.clock();
    const ms = responseMs(session, now);
    const grade = gradeChoice(prompt.choice, optionId, { responseMs: ms, ...RESPONSE_TIMES.choice });
    await this.recordStep(session, index, prompt, now, ms, { given: picked.text, verdict: grade.verdict, score: scoreOf(grade.verdict), rating: grade.rating });
    return this.step(session, index);
  }

  /**
   * Records a free-text answer at once (it is never lost) but leaves the card unrated: the
   * member rates their own recall next (Again/Hard/Good/Easy). Moving on without rating applies
   * the grader's suggestion.
   */
  async answerText(session: Session, index: number, text: string): Promise<Step> {
    checkAnswerable(session, index);
    const prompt = this.promptAt(session, index);
    const now = this.clock();
    const ms = responseMs(session, now);
    const grade = gradeFreeText(text, prompt.keyPoints, { responseMs: ms, ...RESPONSE_TIMES.freeText });
    await this.recordStep(session, index, prompt, now, ms, { given: text.trim() || '(empty)', verdict: grade.verdict, score: grade.score, rating: null });
    return this.step(session, index);
  }

  /** The member's own rating of a free-text answer; applied once. */
  async rate(session: Session, index: number, rating: Grade): Promise<Step> {
    await this.mastery.rate(this.eventKey(session, index), session.userId, rating);
    return this.step(session, index);
  }

  /** Moves to the next question (idempotent: a second click shows the same next question). */
  async next(session: Session, from: number): Promise<{ session: Session; finished: boolean }> {
    if (from === session.position) {
      const current = await this.store.answerAt(session.id, from);
      if (!current) throw new DomainError('practice.unanswered', {}, 'conflict');
      const suggested = ratingOnMovingOn(session, current);
      if (suggested !== null) await this.mastery.rate(this.eventKey(session, from), session.userId, suggested);
      await this.store.moveOn(session.id, from, moveOn(session, from, this.clock()));
    }
    const fresh = await this.store.find(session.id);
    if (!fresh) throw new DomainError('practice.gone', {}, 'not-found');
    return { session: fresh, finished: fresh.endedAt !== null };
  }

  // ---------------------------------------------------------------------------------------
  // Drills

  drillOf(session: Session): Drill {
    const entry = parseDrillEntry(session.queue[0]);
    const drill = entry ? generateDrill(entry.kind, entry.seed) : undefined;
    if (!drill) throw new DomainError('practice.drill-gone', {}, 'not-found');
    return drill;
  }

  /** A drill already answered, graded again from its stored answer (to show its solution's pages). */
  async drillOutcome(session: Session): Promise<{ drill: Drill; result: DrillResult }> {
    const drill = this.drillOf(session);
    const stored = await this.store.answerAt(session.id, 0);
    if (!stored) throw new DomainError('practice.unanswered', {}, 'conflict');
    const result = gradeNumeric(stored.given, { answer: drill.answer, tolerance: drill.tolerance, answerText: drill.answerText, ...(drill.unit ? { unit: drill.unit } : {}) });
    return { drill, result };
  }

  /**
   * Grades a numeric answer. Unreadable input is not recorded (the member can try again); the
   * first readable answer is the one that counts.
   */
  async answerDrill(session: Session, text: string): Promise<{ drill: Drill; result: DrillResult }> {
    const drill = this.drillOf(session);
    const already = await this.store.answerAt(session.id, 0);
    const now = this.clock();
    const ms = responseMs(session, now);
    const result = gradeNumeric(
      already ? already.given : text,
      { answer: drill.answer, tolerance: drill.tolerance, answerText: drill.answerText, ...(drill.unit ? { unit: drill.unit } : {}) },
      { responseMs: ms, ...RESPONSE_TIMES.drill },
    );
    if (already || !result.ok) return { drill, result };
    const score = scoreOf(result.verdict);
    await this.answers.record({
      event: { id: session.id, step: 0 },
      userId: session.userId,
      guildId: session.guildId,
      channelId: session.channelId,
      drill: { kind: drill.kind, seed: drill.seed },
      mode: 'drill',
      given: text.trim().slice(0, 200),
      verdict: result.verdict,
      score,
      points: practicePoints(result.verdict, null, false),
      responseMs: ms,
      at: now,
    });
    await this.store.end(session.id, now);
    return { drill, result };
  }
}
