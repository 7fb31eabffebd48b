import type { Bank, Chain } from '../bank/load.js';

export interface ChannelHistory {
  /** Chains posted in the channel, newest first, with when. */
  recent: { chainId: string; topic: string; at: Date }[];
  /** Per topic: correct / total answers given by the channel's active members (last 30 days). */
  topicAccuracy: Map<string, { correct: number; total: number }>;
}

export const NO_REPOST_DAYS = 30;
const DAY = 24 * 60 * 60 * 1000;

/**
 * Picks the chain a drop posts. Rules, in order:
 * 1. only chains matching the schedule's topics and level (a chain matches a level when its root has it);
 * 2. never a chain posted in this channel in the last 30 days, unless every matching chain was
 *    (then the one posted longest ago);
 * 3. rotate topics: topics of the last few drops come last;
 * 4. prefer the topic where the channel's active members are weakest (lowest accuracy; a topic
 *    nobody answered yet counts as 50%);
 * 5. ties broken by `random` (injected, so tests are deterministic).
 */
export function chooseChain(bank: Bank, filter: { topics: string[]; level: string | null }, history: ChannelHistory, now: Date, random: () => number): Chain | null {
  const matching = bank.chains.filter((c) => (filter.topics.length === 0 || filter.topics.includes(c.topic)) && (!filter.level || c.prompts[0]!.level === filter.level));
  if (matching.length === 0) return null;
  const lastPosted = new Map<string, number>();
  for (const r of history.recent) if (!lastPosted.has(r.chainId)) lastPosted.set(r.chainId, r.at.getTime());
  const fresh = matching.filter((c) => {
    const at = lastPosted.get(c.id);
    return at === undefined || now.getTime() - at >= NO_REPOST_DAYS * DAY;
  });
  if (fresh.length === 0) {
    // Bank exhausted for this filter: the chain posted longest ago.
    return [...matching].sort((a, b) => (lastPosted.get(a.id) ?? 0) - (lastPosted.get(b.id) ?? 0))[0]!;
  }
  const recentTopics = history.recent.slice(0, 3).map((r) => r.topic);
  const topics = [...new Set(fresh.map((c) => c.topic))];
  const score = (topic: string) => {
    const acc = history.topicAccuracy.get(topic);
    const accuracy = acc && acc.total > 0 ? acc.correct / acc.total : 0.5;
    const recency = recentTopics.includes(topic) ? 1 + (3 - recentTopics.indexOf(topic)) : 0;
    return recency * 10 + accuracy; // rotation first, then weakness
  };
  const best = Math.min(...topics.map(score));
  const weakest = topics.filter((t) => score(t) <= best + 1e-9);
  const topic = weakest[Math.floor(random() * weakest.length)]!;
  const inTopic = fresh.filter((c) => c.topic === topic);
  return inTopic[Math.floor(random() * inTopic.length)]!;
}
