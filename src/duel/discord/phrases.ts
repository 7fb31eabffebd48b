import type { Phrasebook } from '../../platform/errors.js';
import { count } from '../../platform/discord/text.js';

/** The words of the duel's refusals (DomainError codes of rules.ts and service.ts). */
export const duelPhrases: Phrasebook = {
  'duel.unknown': () => 'This button does not belong to a duel I know.',
  'duel.gone': () => 'This duel no longer exists.',
  'duel.drill-gone': () => 'This duel drill no longer exists.',
  'duel.prompt-gone': () => 'This duel question is no longer in the bank.',
  'duel.self': () => "You can't duel yourself; pick another member.",
  'duel.bot': () => "Bots don't duel; pick a member.",
  'duel.rounds': ({ max }) => `A duel has 1 to ${max} rounds.`,
  'duel.seconds': ({ min, max }) => `A round lasts ${min} to ${max} seconds.`,
  'duel.format': ({ formats }) => `A duel's format is one of ${formats}.`,
  'duel.topic': ({ topic }) => `I have no topic called "${String(topic).slice(0, 40)}".`,
  'duel.drills-filtered': () => 'Numeric drills have no topic or level: leave those out, or pick format "questions" or "mixed".',
  'duel.pool': ({ available }) => `Only ${count(Number(available), 'question')} ${Number(available) === 1 ? 'matches' : 'match'} that topic and level; ask for fewer rounds or widen the filter.`,
  'duel.busy': ({ who, userId }) => `${who === 'opponent' ? `<@${userId}> is` : 'You are'} already in a duel here; finish it (or let the challenge expire) first.`,
  'duel.waiting': () => 'Waiting for your opponent to accept.',
  'duel.not-yours': () => 'This is not your duel.',
  'duel.expired': () => 'This challenge has expired.',
  'duel.started': () => 'The duel has already started.',
  'duel.closed': () => 'This challenge is no longer open.',
  'duel.round-over': () => 'This round is over.',
  'duel.no-option': () => 'That option does not exist.',
  'duel.wants-number': () => 'This round wants a number: press "Enter my answer".',
  'duel.wants-letter': () => 'This round is multiple choice: press a letter.',
  'duel.unreadable': ({ reason }) => String(reason), // already one sentence (src/quiz/number.ts)
};
