import type { Bank } from './bank/load.js';
import { POINTS_RULES } from './quiz/points.js';
import { count } from './platform/discord/text.js';

export interface HelpText {
  title: string;
  intro: string;
  sections: { name: string; value: string }[];
}

/**
 * /help is built from the commands this process actually serves, so it never advertises a
 * command that does not exist yet.
 */
export function helpText(bank: Bank, commands: readonly { name: string; summary: string; audience: 'members' | 'admins' }[]): HelpText {
  const list = (audience: 'members' | 'admins') =>
    commands
      .filter((c) => c.audience === audience)
      .map((c) => `\`/${c.name}\`: ${c.summary}`)
      .join('\n');
  const sections = [{ name: 'For members', value: list('members') }];
  const admins = list('admins');
  if (admins) sections.push({ name: 'For admins (Manage Server)', value: admins });
  // How points are earned: the economy's own two lines (src/quiz/points.ts), as on every leaderboard.
  sections.push({ name: 'Points', value: POINTS_RULES.join('\n') });
  sections.push({
    name: 'The question bank',
    value: `${count(bank.chains.length, 'follow-up chain')} (${count(bank.prompts.length, 'question')}, L4 to L6) across ${count(bank.topics.length, 'topic')}: ${bank.topics
      .map((t) => t.title)
      .join(', ')}.`,
  });
  return {
    title: 'Backprop: a study room for ML interviews',
    intro:
      'Backprop drills you on machine-learning interview questions as **follow-up chains**: a root question, then progressively harder follow-ups, the way a real interviewer digs. Replies that concern only you are private.',
    sections,
  };
}
