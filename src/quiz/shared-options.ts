import type { Prompt } from '../bank/load.js';
import { choiceOptions, type ChoiceOption } from './grade.js';

/**
 * The option order everyone sees for a shared question (a drop step, a duel or sprint round):
 * derived from a stable key (FNV-1a), so every member, process and restart shows the same order.
 */
export function sharedOptions(prompt: Prompt, key: string): ChoiceOption[] {
  let h = 2166136261;
  for (const c of key) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return choiceOptions(prompt.choice, h);
}
