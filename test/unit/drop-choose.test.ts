import { describe, expect, it } from 'vitest';
import { loadBank } from '../../src/bank/load.js';
import { chooseChain, type ChannelHistory } from '../../src/drop/rules.js';

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
