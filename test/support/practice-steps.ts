/**
 * Practice steps built straight from the bank, answered every way a member can answer them
 * (the right option, a wrong option, in their own words with every key point, with about
 * half, with nothing), for view tests that go over the whole bank.
 */
import type { Prompt } from '../../src/bank/load.js';
import { loadBank } from '../../src/bank/load.js';
import { describeAnswer, stepOptions } from '../../src/practice/rules.js';
import type { Session, Step, StoredAnswer } from '../../src/practice/types.js';

export type AnswerWay = 'right' | 'wrong' | 'all-points' | 'half-points' | 'nothing';
export const ANSWER_WAYS: readonly AnswerWay[] = ['right', 'wrong', 'all-points', 'half-points', 'nothing'];

const session = (queue: string[], kind: Session['kind'] = 'chain'): Session => ({
  id: '00000000-0000-4000-8000-000000000000',
  userId: '1',
  guildId: null,
  channelId: null,
  kind,
  queue,
  position: 0,
  seed: 7,
  askedAt: new Date(0),
  expiresAt: new Date(8.64e15),
  endedAt: null,
});

/** The step of `prompt` (first of its chain's prompts in a chain session), unanswered. */
export function stepOf(prompt: Prompt, chainTitle = prompt.chainId, kind: Session['kind'] = 'chain'): Step {
  const s = session([prompt.id, 'next-one'], kind);
  return { session: s, prompt, index: 0, total: 2, chainTitle, options: stepOptions(s, 0, prompt), answered: null };
}

/** The step of `prompt` answered in the given way. */
export function answeredStep(prompt: Prompt, way: AnswerWay, chainTitle?: string): Step {
  const step = stepOf(prompt, chainTitle);
  let given: string;
  let verdict: StoredAnswer['verdict'];
  if (way === 'right' || way === 'wrong') {
    given = step.options.find((o) => o.correct === (way === 'right'))!.text;
    verdict = way === 'right' ? 'correct' : 'wrong';
  } else {
    const points = way === 'all-points' ? prompt.keyPoints : way === 'half-points' ? prompt.keyPoints.slice(0, Math.ceil(prompt.keyPoints.length / 2)) : [];
    given = points.length ? points.map((k) => k.accept[0]).join('. ') : 'no idea at all';
    verdict = way === 'all-points' ? 'correct' : way === 'half-points' ? 'partial' : 'wrong';
  }
  const stored: StoredAnswer = { given, verdict, score: verdict === 'correct' ? 1 : verdict === 'partial' ? 0.5 : 0, rating: null, responseMs: 20_000 };
  return { ...step, answered: describeAnswer(prompt, step.options, stored) };
}

/** Every prompt of the bank, answered every way. */
export function everyAnsweredStep(): { prompt: Prompt; way: AnswerWay; step: Step }[] {
  const bank = loadBank();
  return bank.prompts.flatMap((prompt) => ANSWER_WAYS.map((way) => ({ prompt, way, step: answeredStep(prompt, way, bank.chainById.get(prompt.chainId)?.title) })));
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
