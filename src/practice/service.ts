import { randomInt } from 'node:crypto';
import type { Bank, Prompt } from '../bank/load.js';
import type { Level } from '../bank/schema.js';
import { drillKinds, generateDrill, type Drill } from '../drills/index.js';
import { UserError } from '../platform/errors.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { type AnswerStore, RESPONSE_TIMES, ratingFor, type Grade, type Verdict } from '../mastery/index.js';
import type { MasteryService } from '../mastery/service.js';
import { choiceOptions, gradeChoice, gradeFreeText, gradeNumeric, type ChoiceOption, type FreeTextGrade } from '../quiz/grade.js';

/** A private practice run lasts this long; a button pressed later says so politely. */
export const SESSION_TTL_MS = 24 * 60 * 60 * 1000;

export type SessionKind = 'chain' | 'review' | 'drill';

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

const points = (score: number) => Math.round(score * 100);

/**
 * Private practice (/chain, /review, /drill) as state in PostgreSQL. Buttons carry only the
 * session id and the step index, so any process can serve a click, before or after a restart.
 * Every answer goes through the answer store (idempotent per session step).
 */
export class PracticeService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly bank: Bank,
    private readonly answers: AnswerStore,
    private readonly mastery: MasteryService,
    private readonly clock: () => Date,
  ) {}

  // ---------------------------------------------------------------------------------------
  // Starting

  async startChain(where: Where, filter: { topic?: string; level?: Level }): Promise<Session> {
    if (filter.topic && !this.bank.topicById.has(filter.topic)) {
      throw new UserError(`I have no topic called "${filter.topic.slice(0, 60)}". Pick one from the list as you type.`);
    }
    const now = this.clock();
    const candidates = await this.mastery.chainCandidates(where.userId, now, filter);
    if (candidates.length === 0) throw new UserError('No chain matches that topic and level. Try another level, or leave the filters out.');
    // Weakest first; among equally weak ones pick at random so members do not all get the same chain.
    const open = candidates.filter((c) => !c.mastered);
    const pool = open.length > 0 ? open : candidates;
    const weakest = pool[0]!.strength;
    const tied = pool.filter((c) => c.strength <= weakest + 1e-9);
    const chain = this.bank.chainById.get(tied[randomInt(tied.length)]!.chainId)!;
    return this.create(where, 'chain', chain.prompts.map((p) => p.id));
  }

  async startReview(where: Where, count: number): Promise<{ session: Session } | { nothingDue: true; nextDue: Date | null }> {
    const now = this.clock();
    const due = (await this.mastery.dueCards(where.userId, now, count)).filter((c) => this.bank.promptById.has(c.promptId));
    if (due.length === 0) return { nothingDue: true, nextDue: await this.mastery.nextDue(where.userId, now) };
    return { session: await this.create(where, 'review', due.map((c) => c.promptId)) };
  }

  async startDrill(where: Where, kind: string | null): Promise<{ session: Session; drill: Drill }> {
    const chosen = kind ?? drillKinds[randomInt(drillKinds.length)]!.id;
    const seed = randomInt(2 ** 31);
    const drill = generateDrill(chosen, seed);
    if (!drill) throw new UserError(`There is no drill called "${chosen.slice(0, 40)}". Pick one from the list.`);
    return { session: await this.create(where, 'drill', [`${drill.kind}:${drill.seed}`], seed), drill };
  }

  private async create(where: Where, kind: SessionKind, queue: string[], seed = randomInt(2 ** 31)): Promise<Session> {
    const now = this.clock();
    const row = await this.prisma.practiceSession.create({
      data: { userId: where.userId, guildId: where.guildId, channelId: where.channelId, kind, queue, seed, askedAt: now, expiresAt: new Date(now.getTime() + SESSION_TTL_MS) },
    });
    return row as Session;
  }

  // ---------------------------------------------------------------------------------------
  // Reading

  /** The caller's live session; friendly errors for a foreign, unknown or expired one. */
  async load(sessionId: string, userId: string): Promise<Session> {
    if (!/^[0-9a-f-]{36}$/.test(sessionId)) throw new UserError('This button does not belong to a session I know.', 'not-found');
    const row = (await this.prisma.practiceSession.findUnique({ where: { id: sessionId } })) as Session | null;
    if (!row) throw new UserError('This practice session no longer exists. Start a new one with `/chain`, `/review` or `/drill`.', 'not-found');
    if (row.userId !== userId) throw new UserError('This is someone else’s practice session. Start your own with `/chain`.', 'forbidden');
    if (row.expiresAt.getTime() < this.clock().getTime()) {
      throw new UserError('This practice session has expired (sessions last 24 hours). Start a new one with `/chain`, `/review` or `/drill`.', 'expired');
    }
    return row;
  }

  eventKey(session: Session, index: number): string {
    return `${session.kind}:${session.id}:${index}`;
  }

  private async stored(session: Session, index: number): Promise<StoredAnswer | null> {
    return this.prisma.answer.findUnique({
      where: { eventKey: this.eventKey(session, index) },
      select: { given: true, verdict: true, score: true, rating: true, responseMs: true },
    });
  }

  promptAt(session: Session, index: number): Prompt {
    const id = session.queue[index];
    const prompt = id ? this.bank.promptById.get(id) : undefined;
    if (!prompt) throw new UserError('This question is no longer in the question bank. Start a new session.', 'not-found');
    return prompt;
  }

  async step(session: Session, index = session.position): Promise<Step> {
    const prompt = this.promptAt(session, index);
    const options = choiceOptions(prompt.choice, session.seed + index);
    const stored = await this.stored(session, index);
    return {
      session,
      prompt,
      index,
      total: session.queue.length,
      chainTitle: this.bank.chainById.get(prompt.chainId)?.title ?? prompt.chainId,
      options,
      answered: stored ? this.describe(prompt, options, stored) : null,
    };
  }

  private describe(prompt: Prompt, options: ChoiceOption[], answer: StoredAnswer): StepAnswer {
    const picked = options.find((o) => o.text === answer.given);
    if (picked) return { kind: 'choice', answer, options, picked };
    const grade = gradeFreeText(answer.given, prompt.keyPoints);
    return { kind: 'text', answer, grade, suggested: ratingFor(answer.verdict, answer.responseMs, RESPONSE_TIMES.freeText.fastMs, RESPONSE_TIMES.freeText.slowMs) };
  }

  // ---------------------------------------------------------------------------------------
  // Answering

  private checkStep(session: Session, index: number): void {
    if (session.endedAt) throw new UserError('This session is finished. Start a new one with `/chain`, `/review` or `/drill`.', 'expired');
    if (index !== session.position) throw new UserError('That question was already answered; carry on from the latest one.', 'conflict');
  }

  /** One step's answer into the answer store, keyed by (session, step) so a repeat is stored once. */
  private recordStep(
    session: Session,
    index: number,
    prompt: Prompt,
    at: Date,
    responseMs: number,
    answer: { given: string; verdict: Verdict; score: number; rating: Grade | null },
  ) {
    return this.answers.record({
      eventKey: this.eventKey(session, index),
      userId: session.userId,
      guildId: session.guildId,
      channelId: session.channelId,
      promptId: prompt.id,
      mode: session.kind === 'review' ? 'review' : 'chain',
      ...answer,
      points: points(answer.score),
      responseMs,
      at,
    });
  }

  /** Records a multiple-choice answer (once per step, whatever the clicking) and rates the card. */
  async answerChoice(session: Session, index: number, optionId: number): Promise<Step> {
    this.checkStep(session, index);
    const prompt = this.promptAt(session, index);
    const options = choiceOptions(prompt.choice, session.seed + index);
    const picked = options.find((o) => o.id === optionId);
    if (!picked) throw new UserError('That option does not exist.', 'invalid-input');
    const now = this.clock();
    const responseMs = Math.max(0, now.getTime() - session.askedAt.getTime());
    const grade = gradeChoice(prompt.choice, optionId, { responseMs, ...RESPONSE_TIMES.choice });
    const score = grade.verdict === 'correct' ? 1 : 0;
    await this.recordStep(session, index, prompt, now, responseMs, { given: picked.text, verdict: grade.verdict, score, rating: grade.rating });
    return this.step(session, index);
  }

  /**
   * Records a free-text answer at once (it is never lost) but leaves the card unrated: the
   * member rates their own recall next (Again/Hard/Good/Easy). Moving on without rating applies
   * the grader's suggestion.
   */
  async answerText(session: Session, index: number, text: string): Promise<Step> {
    this.checkStep(session, index);
    const prompt = this.promptAt(session, index);
    const now = this.clock();
    const responseMs = Math.max(0, now.getTime() - session.askedAt.getTime());
    const grade = gradeFreeText(text, prompt.keyPoints, { responseMs, ...RESPONSE_TIMES.freeText });
    await this.recordStep(session, index, prompt, now, responseMs, { given: text.trim() || '(empty)', verdict: grade.verdict, score: grade.score, rating: null });
    return this.step(session, index);
  }

  /** The member's own rating of a free-text answer; applied once. */
  async rate(session: Session, index: number, rating: Grade): Promise<Step> {
    await this.mastery.rate(this.eventKey(session, index), session.userId, rating);
    return this.step(session, index);
  }

  /** Moves to the next question (idempotent: a second click shows the same next question). */
  /** How the finished session went, and when the member's next review is due. */
  async outcome(session: Session): Promise<{ answered: number; correct: number; nextDue: Date | null }> {
    const keys = session.queue.map((_, i) => this.eventKey(session, i));
    const rows = await this.prisma.answer.findMany({ where: { eventKey: { in: keys } }, select: { verdict: true } });
    const nextDue = await this.mastery.nextDue(session.userId, this.clock());
    return { answered: rows.length, correct: rows.filter((r) => r.verdict === 'correct').length, nextDue };
  }

  async next(session: Session, from: number): Promise<{ session: Session; finished: boolean }> {
    if (from === session.position) {
      const current = await this.stored(session, from);
      if (!current) throw new UserError('Answer this question first (or pick "Answer in my own words").', 'conflict');
      if (current.rating === null && session.kind !== 'drill') {
        const suggested = ratingFor(current.verdict, current.responseMs, RESPONSE_TIMES.freeText.fastMs, RESPONSE_TIMES.freeText.slowMs);
        await this.mastery.rate(this.eventKey(session, from), session.userId, suggested);
      }
      const now = this.clock();
      const finished = from + 1 >= session.queue.length;
      await this.prisma.practiceSession.updateMany({
        where: { id: session.id, position: from },
        data: finished ? { endedAt: now } : { position: from + 1, askedAt: now },
      });
    }
    const fresh = (await this.prisma.practiceSession.findUnique({ where: { id: session.id } })) as Session;
    return { session: fresh, finished: fresh.endedAt !== null };
  }

  // ---------------------------------------------------------------------------------------
  // Drills

  drillOf(session: Session): Drill {
    const [kind, seed] = (session.queue[0] ?? '').split(':');
    const drill = kind && seed ? generateDrill(kind, Number(seed)) : undefined;
    if (!drill) throw new UserError('This drill no longer exists. Start a new one with `/drill`.', 'not-found');
    return drill;
  }

  /**
   * Grades a numeric answer. Unreadable input is not recorded (the member can try again); the
   * first readable answer is the one that counts.
   */
  async answerDrill(session: Session, text: string): Promise<{ drill: Drill; result: ReturnType<typeof gradeNumeric>; stored: StoredAnswer | null }> {
    const drill = this.drillOf(session);
    const already = await this.stored(session, 0);
    const now = this.clock();
    const responseMs = Math.max(0, now.getTime() - session.askedAt.getTime());
    const result = gradeNumeric(already ? already.given : text, { answer: drill.answer, tolerance: drill.tolerance, answerText: drill.answerText, ...(drill.unit ? { unit: drill.unit } : {}) }, { responseMs, ...RESPONSE_TIMES.drill });
    if (already) return { drill, result, stored: already };
    if (!result.ok) return { drill, result, stored: null };
    await this.answers.record({
      eventKey: this.eventKey(session, 0),
      userId: session.userId,
      guildId: session.guildId,
      channelId: session.channelId,
      drill: { kind: drill.kind, seed: drill.seed },
      mode: 'drill',
      given: text.trim().slice(0, 200),
      verdict: result.verdict,
      score: result.verdict === 'correct' ? 1 : 0,
      points: result.verdict === 'correct' ? 100 : 0,
      responseMs,
      at: now,
    });
    await this.prisma.practiceSession.updateMany({ where: { id: session.id, endedAt: null }, data: { endedAt: now } });
    return { drill, result, stored: await this.stored(session, 0) };
  }
}
