/**
 * Question drops: the scheduler's use cases (claim due slots, post due steps), a drop posted
 * on demand, and members' answers. The database decides what is due, so any number of
 * processes can run `tick`: see DropStore for the claims and leases. Every step is written as
 * "posting" before the publisher posts it and "posted" after, so a crash in between is
 * completed (the publisher finds the message it already posted) rather than lost or doubled.
 */
import type { Bank, Chain, Prompt } from '../bank/load.js';
import type { AnswerStore } from '../answers/store.js';
import { RESPONSE_TIMES, ratingFor, type Verdict } from '../answers/rules.js';
import type { Grade } from '../mastery/rules.js';
import type { Clock } from '../platform/clock.js';
import type { Transactor, Tx } from '../platform/db/client.js';
import { DomainError } from '../platform/errors.js';
import type { Logger } from '../platform/log.js';
import type { ShardScope } from '../platform/shard-scope.js';
import { gradeChoice, gradeFreeText, type ChoiceOption } from '../quiz/grade.js';
import {
  DROP_DEFAULTS,
  afterPosting,
  answerWindowMs,
  answersToRevealEarly,
  chooseChain,
  distributionOf,
  dropOptions,
  dropPoints,
  followingSlot,
  historyWindow,
  isLive,
  slotDecision,
  stepKind,
  summaryOf,
  type ChannelHistory,
} from './rules.js';
import type { DropStore } from './store.js';
import type { Distribution, Drop, DropPublisher, DropSummary, MemberDropAnswers, StepPost } from './types.js';

export interface DropServiceDeps {
  db: Transactor;
  store: DropStore;
  bank: Bank;
  /** Where members' answers are recorded (once per member and step). */
  answers: AnswerStore;
  publisher: DropPublisher;
  clock: Clock;
  log: Logger;
}

export interface DropServiceOptions {
  graceMs?: number;
  leaseMs?: number;
  random?: () => number;
  /** Only guilds of this process's shards (see platform/discord/shards.ts). */
  shard?: ShardScope;
}

type Who = { userId: string; guildId: string | null; channelId: string | null };

/** A step a member is answering or about to answer. */
export interface StepContext {
  drop: Drop;
  prompt: Prompt;
  postedAt: Date;
  live: boolean;
}

export interface DropAnswerResult {
  /** The drop as it stood when the answer came (its next_step_at is when the answer is revealed). */
  drop: Drop;
  stored: boolean;
  live: boolean;
  correct: boolean;
  verdict: Verdict;
  points: number;
  prompt: Prompt;
  options: ChoiceOption[];
}

export interface DropTextAnswerResult extends DropAnswerResult {
  hit: string[];
  missed: string[];
}

export class DropService {
  private readonly db: Transactor;
  private readonly store: DropStore;
  private readonly bank: Bank;
  private readonly answers: AnswerStore;
  private readonly publisher: DropPublisher;
  private readonly clock: Clock;
  private readonly log: Logger;

  constructor(
    deps: DropServiceDeps,
    private readonly options: DropServiceOptions = {},
  ) {
    this.db = deps.db;
    this.store = deps.store;
    this.bank = deps.bank;
    this.answers = deps.answers;
    this.publisher = deps.publisher;
    this.clock = deps.clock;
    this.log = deps.log;
  }

  private get shard(): ShardScope {
    return this.options.shard ?? { ids: [0], count: 1 };
  }

  private leaseUntil(now: Date): Date {
    return new Date(now.getTime() + (this.options.leaseMs ?? DROP_DEFAULTS.leaseMs));
  }

  // ---- the scheduler ---------------------------------------------------------------------

  /** One pass: claim due slots, then post every due step. Returns counts for logs and tests. */
  async tick(limit = 200): Promise<{ claimed: number; skipped: number; steps: number }> {
    const { claimed, skipped } = await this.claimDueSlots(limit);
    let steps = 0;
    for (;;) {
      const now = this.clock();
      const drops = await this.store.leaseDue(now, this.leaseUntil(now), limit, this.shard);
      if (drops.length === 0) break;
      const results = await Promise.allSettled(drops.map((d) => this.advance(d)));
      for (const r of results) {
        if (r.status === 'fulfilled') steps += r.value;
        else this.log.error({ err: r.reason }, 'drop step failed; will retry after the lease');
      }
      if (drops.length < limit) break;
    }
    return { claimed, skipped, steps };
  }

  /** Turns due schedule slots into drops (or skipped slots), and moves each schedule to its next slot. */
  async claimDueSlots(limit: number): Promise<{ claimed: number; skipped: number }> {
    const now = this.clock();
    let claimed = 0;
    let skipped = 0;
    await this.db.transaction(async (tx) => {
      for (const s of await this.store.dueSchedules(tx, now, limit, this.shard)) {
        await this.store.moveSchedule(tx, s.id, followingSlot(s, s.slotAt, now));
        const slot = slotDecision(s.slotAt, now, this.options.graceMs);
        if (!slot.post) {
          skipped++;
          this.log.warn({ scheduleId: s.id, slotAt: s.slotAt, lateByMs: slot.lateByMs }, 'drop skipped: missed by more than the grace period');
          continue;
        }
        const chain = chooseChain(this.bank, s, await this.history(s.channelId, now, tx), now, this.options.random ?? Math.random);
        if (!chain) {
          this.log.warn({ scheduleId: s.id }, 'no chain matches the schedule; slot skipped');
          skipped++;
          continue;
        }
        if (await this.store.insertScheduledDrop(tx, { schedule: s, chainId: chain.id, late: slot.late, at: now })) claimed++;
      }
    });
    return { claimed, skipped };
  }

  private async history(channelId: string, now: Date, tx?: Tx): Promise<ChannelHistory> {
    const rows = await this.store.channelHistory(channelId, historyWindow(now), tx);
    return {
      recent: rows.recent.map((r) => ({ chainId: r.chainId, topic: this.bank.chainById.get(r.chainId)?.topic ?? '', at: r.at })),
      topicAccuracy: rows.topicAccuracy,
      seenPrompts: rows.seenPrompts,
    };
  }

  /** Posts the next step of one drop now, under the same lease as the ticker; false when it is not due or leased elsewhere. */
  async postNow(dropId: string): Promise<boolean> {
    const now = this.clock();
    const drop = await this.store.leaseOne(dropId, now, this.leaseUntil(now));
    if (!drop) return false;
    await this.advance(drop);
    return true;
  }

  /**
   * Posts the drop's next step: intent, post (the publisher makes a repeated attempt find its
   * earlier messages), record. The step's closing time is fixed before it is posted, so the
   * countdown on its message is the time it really closes.
   */
  private async advance(drop: Drop): Promise<number> {
    const chain = this.bank.chainById.get(drop.chainId);
    if (!chain) {
      await this.store.end(drop.id);
      this.log.warn({ dropId: drop.id, chainId: drop.chainId }, 'chain no longer in the bank; drop ended');
      return 0;
    }
    const step = drop.posted;
    // Intent first: if this row already existed, an earlier attempt may have posted the message.
    const recovering = !(await this.store.intendStep(drop.id, step));
    const next = afterPosting(drop, chain, step, this.clock());
    const result = await this.publisher.postStep(await this.stepPost(drop, chain, step, recovering, next.nextStepAt));
    await this.db.transaction(async (tx) => {
      await this.store.markStepPosted(tx, drop.id, step, result.messageId, this.clock());
      await this.store.advance(tx, drop.id, { ...next, ...(result.threadId ? { threadId: result.threadId } : {}) });
    });
    const summary = next.status === 'done';
    this.log.info({ dropId: drop.id, chainId: chain.id, step, summary }, summary ? 'drop summary posted' : 'drop step posted');
    return 1;
  }

  /** What the publisher posts for a step: its question or the summary, after the previous step's reveal. */
  private async stepPost(drop: Drop, chain: Chain, step: number, recovering: boolean, closesAt: Date): Promise<StepPost> {
    const kind = stepKind(chain, step);
    const asked = (at: number) => {
      const prompt = chain.prompts[at]!;
      return { prompt, options: dropOptions(prompt, drop.id, at) };
    };
    const reveal =
      kind === 'root'
        ? undefined
        : { step: step - 1, ...asked(step - 1), distribution: await this.distribution(drop.id, step - 1, chain.prompts[step - 1]!), messageId: await this.store.stepMessageId(drop.id, step - 1) };
    const topicTitle = this.bank.topicById.get(chain.topic)?.title ?? chain.topic;
    const base = { drop, chain, topicTitle, step, recovering, closesAt, ...(reveal ? { reveal } : {}) };
    return kind === 'summary' ? { ...base, summary: await this.summary(drop.id, chain.prompts.length) } : { ...base, question: asked(step) };
  }

  // ---- a drop on demand ------------------------------------------------------------------

  /**
   * A drop posted now in this channel, outside any schedule, with the default cadence; its
   * root is posted before this returns (the ticker posts the rest). One unfinished such drop
   * per channel at a time.
   */
  async dropNow(where: { guildId: string; channelId: string }, topic: string | null): Promise<{ drop: Drop; chain: Chain; revealEveryMinutes: number }> {
    if (topic && !this.bank.topicById.has(topic)) throw new DomainError('drop.unknown-topic', { topic: topic.slice(0, 40) });
    const now = this.clock();
    if (await this.store.hasUnscheduledRunning(where.channelId)) throw new DomainError('drop.running', {}, 'conflict');
    const chain = chooseChain(this.bank, { topics: topic ? [topic] : [], level: null }, await this.history(where.channelId, now), now, this.options.random ?? Math.random);
    if (!chain) throw new DomainError('drop.no-chain');
    const drop = await this.store.createUnscheduled({ guildId: where.guildId, channelId: where.channelId, chainId: chain.id, at: now });
    await this.postNow(drop.id);
    return { drop, chain, revealEveryMinutes: DROP_DEFAULTS.revealEveryMinutes };
  }

  // ---- answers ---------------------------------------------------------------------------

  /**
   * The step a drop button belongs to, if it was posted and is still open. A step closes at
   * its reveal time: its message is then edited to show it closed and its answer is posted,
   * so an answer after that would only copy the revealed one; it is refused (drop.closed).
   */
  async stepContext(dropId: string, step: number): Promise<StepContext> {
    if (!/^[0-9a-f-]{36}$/.test(dropId)) throw new DomainError('drop.unknown', {}, 'not-found');
    const drop = await this.store.find(dropId);
    const prompt = drop ? this.bank.chainById.get(drop.chainId)?.prompts[step] : undefined;
    if (!drop || !prompt) throw new DomainError('drop.gone', {}, 'not-found');
    const postedAt = await this.store.stepPostedAt(dropId, step);
    if (!postedAt) throw new DomainError('drop.not-posted', {}, 'not-found');
    if (!isLive(drop, step, this.clock())) throw new DomainError('drop.closed', {}, 'expired');
    return { drop, prompt, postedAt, live: true };
  }

  /** A member's own answers to the drop, step by step, with each step's options as everyone saw them. */
  async memberAnswers(dropId: string, userId: string): Promise<MemberDropAnswers> {
    if (!/^[0-9a-f-]{36}$/.test(dropId)) throw new DomainError('drop.unknown', {}, 'not-found');
    const drop = await this.store.find(dropId);
    const chain = drop ? this.bank.chainById.get(drop.chainId) : undefined;
    if (!drop || !chain) throw new DomainError('drop.gone', {}, 'not-found');
    const mine = new Map((await this.store.memberAnswers(dropId, userId)).map((a) => [a.step, a]));
    return {
      chain,
      steps: chain.prompts.map((prompt, step) => {
        const a = mine.get(step);
        return { step, prompt, options: dropOptions(prompt, dropId, step), answer: a ? { given: a.given, verdict: a.verdict, points: a.points } : null };
      }),
    };
  }

  async answerChoice(dropId: string, step: number, optionId: number, who: Who): Promise<DropAnswerResult> {
    const ctx = await this.stepContext(dropId, step);
    const options = dropOptions(ctx.prompt, dropId, step);
    const picked = options.find((o) => o.id === optionId);
    if (!picked) throw new DomainError('drop.no-option');
    const now = this.clock();
    const responseMs = Math.max(0, now.getTime() - ctx.postedAt.getTime());
    const grade = gradeChoice(ctx.prompt.choice, optionId, { responseMs, ...RESPONSE_TIMES.choice });
    const r = await this.record(ctx, step, who, now, responseMs, { given: picked.text, verdict: grade.verdict, score: grade.verdict === 'correct' ? 1 : 0, rating: grade.rating });
    return { ...r, options };
  }

  async answerText(dropId: string, step: number, text: string, who: Who): Promise<DropTextAnswerResult> {
    const ctx = await this.stepContext(dropId, step);
    const now = this.clock();
    const responseMs = Math.max(0, now.getTime() - ctx.postedAt.getTime());
    const grade = gradeFreeText(text, ctx.prompt.keyPoints, { responseMs, ...RESPONSE_TIMES.freeText });
    const r = await this.record(ctx, step, who, now, responseMs, {
      given: text.trim() || '(empty)',
      verdict: grade.verdict,
      score: grade.score,
      rating: ratingFor(grade.verdict, responseMs, RESPONSE_TIMES.freeText.fastMs, RESPONSE_TIMES.freeText.slowMs),
    });
    return { ...r, options: [], hit: grade.hit.map((k) => k.point), missed: grade.missed.map((k) => k.point) };
  }

  /** Scores a graded answer (speed bonus only while live) and records it once per member and step. */
  private async record(
    ctx: StepContext,
    step: number,
    who: Who,
    now: Date,
    responseMs: number,
    graded: { given: string; verdict: Verdict; score: number; rating: Grade },
  ): Promise<Omit<DropAnswerResult, 'options'>> {
    const { drop, prompt, live } = ctx;
    const correct = graded.verdict === 'correct';
    const points = dropPoints(graded.verdict, live, responseMs, answerWindowMs(drop), prompt.level);
    const r = await this.answers.record({
      event: { id: drop.id, step },
      userId: who.userId,
      guildId: who.guildId,
      channelId: drop.channelId,
      promptId: prompt.id,
      mode: 'drop',
      ...graded,
      points,
      responseMs,
      at: now,
    });
    return { drop, stored: r.stored, live, correct, verdict: graded.verdict, points, prompt };
  }

  /** Called after a live answer: when enough members have answered the live step, its reveal is due now. */
  async maybeRevealEarly(dropId: string, step: number): Promise<void> {
    const drop = await this.store.find(dropId);
    const needed = drop ? answersToRevealEarly(drop, step, this.clock()) : null;
    if (needed === null) return;
    if ((await this.store.stepAnswerCount(dropId, step)) < needed) return;
    await this.store.revealNow(dropId, step, this.clock());
  }

  // ---- tallies ---------------------------------------------------------------------------

  /** How the channel answered a step. */
  async distribution(dropId: string, step: number, prompt: Prompt): Promise<Distribution> {
    return distributionOf(prompt, await this.store.stepTallies(dropId, step));
  }

  /** The whole drop's tally, for the summary. */
  async summary(dropId: string, steps: number): Promise<DropSummary> {
    return summaryOf(await this.store.answersOf(dropId), steps);
  }
}
