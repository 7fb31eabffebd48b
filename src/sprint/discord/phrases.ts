import type { Phrasebook } from '../../platform/errors.js';
import { count } from '../../platform/discord/text.js';

/** How a sprint's refusals read on Discord. */
export const sprintPhrases: Phrasebook = {
  'sprint.not-a-sprint': () => 'This button does not belong to a sprint I know.',
  'sprint.gone': () => 'This sprint no longer exists.',
  'sprint.question-gone': () => 'This sprint question is no longer in the bank.',
  'sprint.unknown-topic': ({ topic }) => `I have no topic called "${String(topic).slice(0, 40)}".`,
  'sprint.rounds': ({ max }) => `A sprint has 1 to ${max} rounds.`,
  'sprint.seconds': ({ min, max }) => `A round lasts ${min} to ${max} seconds.`,
  'sprint.too-few': ({ available }) => `Only ${count(Number(available), 'question')} ${Number(available) === 1 ? 'matches' : 'match'}; ask for fewer rounds.`,
  'sprint.running': () => 'A sprint is already running in this channel; join it, or wait for it to end.',
  'sprint.started': () => 'This sprint has already started; join the next one.',
  'sprint.full': () => 'This sprint is full.',
  'sprint.not-starter': () => 'Only the member who opened the sprint can start it early.',
  'sprint.closed': () => 'This question is closed.',
  'sprint.not-joined': () => 'Only members who joined this sprint can answer; join the next one!',
  'sprint.too-late': () => 'Too late: this question is closed.',
  'sprint.no-option': () => 'That option does not exist.',
};
