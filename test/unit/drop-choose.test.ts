import { describe, expect, it } from 'vitest';
import { loadBank } from '../../src/bank/load.js';
import { afterPosting, answersToRevealEarly, chooseChain, distributionOf, dropPoints, slotDecision, summaryOf, type ChannelHistory } from '../../src/drop/rules.js';

const bank = loadBank();
const now = new Date('2026-06-01T09:00:00Z');
const DAY = 86_400_000;
const empty: ChannelHistory = { recent: [], topicAccuracy: new Map() };
const first = () => 0;

describe('choosing the chain a drop posts', () => {
  it('respects topics and level', () => {
    const c = chooseChain(bank, { topics: ['xgboost'], level: 'L4' }, empty, now, first)!;
    expect(c.topic).toBe('xgboost');
    expect(c.prompts[0]!.level).toBe('L4');
    expect(chooseChain(bank, { topics: ['no-such-topic'], level: null }, empty, now, first)).toBeNull();
  });

  it('prefers the topic where the channel is weakest', () => {
    const topicAccuracy = new Map(bank.topics.map((t) => [t.id, { correct: 9, total: 10 }]));
    topicAccuracy.set('calibration', { correct: 1, total: 10 });
    expect(chooseChain(bank, { topics: [], level: null }, { recent: [], topicAccuracy }, now, first)!.topic).toBe('calibration');
  });

  it('rotates away from the last topics posted', () => {
    const topicAccuracy = new Map(bank.topics.map((t) => [t.id, { correct: 9, total: 10 }]));
    topicAccuracy.set('calibration', { correct: 1, total: 10 });
    const recent = [{ chainId: 'x', topic: 'calibration', at: new Date(now.getTime() - DAY) }];
    expect(chooseChain(bank, { topics: [], level: null }, { recent, topicAccuracy }, now, first)!.topic).not.toBe('calibration');
  });

  it('does not repost a chain within 30 days unless the bank is exhausted', () => {
    const topic = bank.topicById.get('distillation')!;
    const recent = topic.chains.map((c, i) => ({ chainId: c.id, topic: c.topic, at: new Date(now.getTime() - (i + 1) * DAY) }));
    // Every distillation chain was posted recently: the one posted longest ago comes back.
    const again = chooseChain(bank, { topics: ['distillation'], level: null }, { recent, topicAccuracy: new Map() }, now, first)!;
    expect(again.id).toBe(topic.chains.at(-1)!.id);
    // With one chain posted 31 days ago, that one is fresh again.
    const older = recent.map((r, i) => (i === 0 ? { ...r, at: new Date(now.getTime() - 31 * DAY) } : r));
    expect(chooseChain(bank, { topics: ['distillation'], level: null }, { recent: older, topicAccuracy: new Map() }, now, first)!.id).toBe(topic.chains[0]!.id);
  });
});

describe('the drop rules', () => {
  const chain = bank.chains.find((c) => c.prompts.length >= 2)!;
  const MIN = 60_000;

  it('posts a missed slot late within the grace period and skips it after', () => {
    const slot = new Date(now.getTime() - 30 * 1000);
    expect(slotDecision(slot, now)).toEqual({ post: true, late: false, lateByMs: 30_000 });
    expect(slotDecision(new Date(now.getTime() - 90 * MIN), now)).toMatchObject({ post: true, late: true });
    expect(slotDecision(new Date(now.getTime() - 121 * MIN), now)).toMatchObject({ post: false });
  });

  it('reveals on the cadence, a day at most with only "after K answers", and ends with the summary', () => {
    const at = (d: { nextStepAt: Date }) => (d.nextStepAt.getTime() - now.getTime()) / MIN;
    expect(at(afterPosting({ revealEveryMinutes: null, revealAfterAnswers: null }, chain, 0, now))).toBe(60);
    expect(at(afterPosting({ revealEveryMinutes: 5, revealAfterAnswers: 3 }, chain, 0, now))).toBe(5);
    expect(at(afterPosting({ revealEveryMinutes: null, revealAfterAnswers: 3 }, chain, 0, now))).toBe(24 * 60);
    expect(afterPosting({ revealEveryMinutes: 5, revealAfterAnswers: null }, chain, chain.prompts.length - 1, now)).toMatchObject({ posted: chain.prompts.length, status: 'active' });
    expect(afterPosting({ revealEveryMinutes: 5, revealAfterAnswers: null }, chain, chain.prompts.length, now)).toMatchObject({ posted: chain.prompts.length + 1, status: 'done' });
  });

  it('reveals early only the live step of a drop that asks for it', () => {
    const live = { status: 'active', posted: 1, nextStepAt: new Date(now.getTime() + MIN), revealAfterAnswers: 2 };
    expect(answersToRevealEarly(live, 0, now)).toBe(2);
    expect(answersToRevealEarly({ ...live, revealAfterAnswers: null }, 0, now)).toBeNull();
    expect(answersToRevealEarly(live, 1, now)).toBeNull(); // not the live step
    expect(answersToRevealEarly({ ...live, nextStepAt: now }, 0, now)).toBeNull(); // its reveal is already due
  });

  it('gives the speed bonus to live answers only; late answers (answer public) earn no points', () => {
    expect(dropPoints('correct', true, 0, 60 * MIN, 'L4')).toBe(150);
    expect(dropPoints('correct', true, 60 * MIN, 60 * MIN, 'L4')).toBe(100);
    expect(dropPoints('correct', true, 30 * MIN, 60 * MIN, 'L6')).toBe(188);
    expect(dropPoints('partial', true, 60 * MIN, 60 * MIN, 'L5')).toBe(63);
    expect(dropPoints('correct', false, 0, 60 * MIN, 'L4')).toBe(0);
    expect(dropPoints('wrong', true, 0, 60 * MIN, 'L4')).toBe(0);
  });

  it('tallies the channel\'s answers and names the fastest correct live answer', () => {
    const prompt = chain.prompts[0]!;
    const d = distributionOf(prompt, [
      { given: prompt.choice.correct, n: 2 },
      { given: 'my own words', n: 1 },
    ]);
    expect(d).toEqual({ counts: new Map([[prompt.choice.correct, 2]]), ownWords: 1, total: 3 });
    const s = summaryOf(
      [
        { userId: 'late', step: 0, correct: true, responseMs: 100, points: 0 },
        { userId: 'ann', step: 0, correct: true, responseMs: 900, points: 125 },
        { userId: 'ben', step: 1, correct: false, responseMs: 50, points: 0 },
      ],
      2,
    );
    expect(s).toEqual({ participants: 3, perStep: [{ answered: 2, correct: 2 }, { answered: 1, correct: 0 }], fastest: { userId: 'ann', ms: 900, step: 0 } });
  });
});
