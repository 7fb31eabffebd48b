import type { Bank } from './load.js';

/** Topic choices for autocomplete: matches on id or title, at most 25 (Discord's limit). */
export function topicChoices(bank: Bank, typed: string): { name: string; value: string }[] {
  const q = typed.trim().toLowerCase();
  return bank.topics
    .filter((t) => !q || t.id.includes(q) || t.title.toLowerCase().includes(q))
    .slice(0, 25)
    .map((t) => ({ name: `${t.title} (${t.chains.length} chains)`.slice(0, 100), value: t.id }));
}
