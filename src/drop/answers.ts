import type { Bank, Prompt } from '../bank/load.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { type AnswerStore } from '../answers/store.js';
import { RESPONSE_TIMES, ratingFor } from '../answers/rules.js';
import { type Grade } from '../mastery/index.js';
import { gradeChoice, gradeFreeText, type ChoiceOption } from '../quiz/grade.js';
import { sharedOptions } from '../quiz/shared-options.js';
import { speedPoints } from '../quiz/points.js';
import { UserError } from '../platform/errors.js';
import { DROP_DEFAULTS, type DropRow } from './engine.js';

/** Same option order for everyone: derived from the drop and the step. */
export function dropOptions(prompt: Prompt, dropId: string, step: number): ChoiceOption[] {
  return sharedOptions(prompt, `${dropId}:${step}`);
}


type Who = { userId: string; guildId: string | null; channelId: string | null };

export interface DropAnswerResult {
  stored: boolean;
  live: boolean;
  correct: boolean;
  verdict: 'correct' | 'partial' | 'wrong';
  points: number;
  prompt: Prompt;
  options: ChoiceOption[];
}

/**
 * Answers to a drop, from any member, once per member per step. Answers given while the step is
 * live earn the speed bonus; later ones (the step was already revealed, or the member missed the
 * drop) still count for mastery, with base points only.
 */
export class DropAnswers {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly bank: Bank,
    private readonly answers: AnswerStore,
    private readonly clock: () => Date,
  ) {}

  async context(dropId: string, step: number): Promise<{ drop: DropRow; prompt: Prompt; postedAt: Date; live: boolean }> {
    if (!/^[0-9a-f-]{36}$/.test(dropId)) throw new UserError('This button does not belong to a drop I know.', 'not-found');
    const drop = (await this.prisma.drop.findUnique({ where: { id: dropId } })) as DropRow | null;
    const chain = drop ? this.bank.chainById.get(drop.chainId) : undefined;
    const prompt = chain?.prompts[step];
    if (!drop || !prompt) throw new UserError('This drop is no longer available.', 'not-found');
    const posted = await this.prisma.dropStep.findUnique({ where: { dropId_step: { dropId, step } } });
    if (!posted?.postedAt) throw new UserError('This question has not been posted yet.', 'not-found');
    // Live until the step's reveal time (not until the reveal message lands, which takes a moment).
    const live = drop.status === 'active' && drop.posted === step + 1 && this.clock().getTime() < drop.nextStepAt.getTime();
    return { drop, prompt, postedAt: posted.postedAt, live };
  }

  private windowMs(drop: DropRow): number {
    return (drop.revealEveryMinutes ?? DROP_DEFAULTS.revealEveryMinutes) * 60_000;
  }

  async answerChoice(dropId: string, step: number, optionId: number, who: Who): Promise<DropAnswerResult> {
    const ctx = await this.context(dropId, step);
    const options = dropOptions(ctx.prompt, dropId, step);
    const picked = options.find((o) => o.id === optionId);
    if (!picked) throw new UserError('That option does not exist.', 'invalid-input');
    const now = this.clock();
    const responseMs = Math.max(0, now.getTime() - ctx.postedAt.getTime());
    const grade = gradeChoice(ctx.prompt.choice, optionId, { responseMs, ...RESPONSE_TIMES.choice });
    const r = await this.store(ctx, step, who, now, responseMs, { given: picked.text, verdict: grade.verdict, score: grade.verdict === 'correct' ? 1 : 0, rating: grade.rating });
    return { ...r, options };
  }

  async answerText(dropId: string, step: number, text: string, who: Who): Promise<DropAnswerResult & { hit: string[]; missed: string[] }> {
    const ctx = await this.context(dropId, step);
    const now = this.clock();
    const responseMs = Math.max(0, now.getTime() - ctx.postedAt.getTime());
    const grade = gradeFreeText(text, ctx.prompt.keyPoints, { responseMs, ...RESPONSE_TIMES.freeText });
    const r = await this.store(ctx, step, who, now, responseMs, {
      given: text.trim() || '(empty)',
      verdict: grade.verdict,
      score: grade.score,
      rating: ratingFor(grade.verdict, responseMs, RESPONSE_TIMES.freeText.fastMs, RESPONSE_TIMES.freeText.slowMs),
    });
    return { ...r, options: [], hit: grade.hit.map((k) => k.point), missed: grade.missed.map((k) => k.point) };
  }

  /** Scores a graded answer (speed bonus only while live) and records it once per member and step. */
  private async store(
    ctx: { drop: DropRow; prompt: Prompt; live: boolean },
    step: number,
    who: Who,
    now: Date,
    responseMs: number,
    graded: { given: string; verdict: DropAnswerResult['verdict']; score: number; rating: Grade },
  ): Promise<Omit<DropAnswerResult, 'options'>> {
    const { drop, prompt, live } = ctx;
    const correct = graded.verdict === 'correct';
    const points = live ? speedPoints(correct, responseMs, this.windowMs(drop)) : correct ? 1000 : 0;
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
    return { stored: r.stored, live, correct, verdict: graded.verdict, points, prompt };
  }

  /** How the channel answered a step: counts per option text (free-text answers under "own words"). */
  async distribution(dropId: string, step: number, prompt: Prompt): Promise<{ counts: Map<string, number>; ownWords: number; total: number }> {
    const rows = await this.prisma.$queryRaw<{ given: string; n: bigint }[]>`
      SELECT given, count(*) AS n FROM answers WHERE mode = 'drop' AND event_id = ${dropId}::uuid AND event_step = ${step}::int4 GROUP BY given`;
    const optionTexts = new Set([prompt.choice.correct, ...prompt.choice.distractors]);
    const counts = new Map<string, number>();
    let ownWords = 0;
    let total = 0;
    for (const r of rows) {
      const n = Number(r.n);
      total += n;
      if (optionTexts.has(r.given)) counts.set(r.given, n);
      else ownWords += n;
    }
    return { counts, ownWords, total };
  }

  /** Participants, accuracy per step and the fastest correct live answer, for the summary card. */
  async summary(dropId: string, steps: number): Promise<{ participants: number; perStep: { answered: number; correct: number }[]; fastest: { userId: string; ms: number; step: number } | null }> {
    const rows = await this.prisma.$queryRaw<{ user_id: string; event_step: number; verdict: string; response_ms: number | null; points: number }[]>`
      SELECT user_id, event_step, verdict::text AS verdict, response_ms, points FROM answers WHERE mode = 'drop' AND event_id = ${dropId}::uuid`;
    const perStep = Array.from({ length: steps }, () => ({ answered: 0, correct: 0 }));
    let fastest: { userId: string; ms: number; step: number } | null = null;
    for (const r of rows) {
      const step = r.event_step;
      const s = perStep[step];
      if (!s) continue;
      s.answered++;
      if (r.verdict === 'correct') {
        s.correct++;
        // Only live answers (with a speed bonus) compete for fastest.
        if (r.points > 1000 && r.response_ms !== null && (!fastest || r.response_ms < fastest.ms)) fastest = { userId: r.user_id, ms: r.response_ms, step };
      }
    }
    return { participants: new Set(rows.map((r) => r.user_id)).size, perStep, fastest };
  }
}
