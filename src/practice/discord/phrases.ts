import type { Phrasebook } from '../../platform/errors.js';
import { count } from '../../platform/discord/text.js';

const START_AGAIN = 'start a new one with `/chain`, `/review` or `/drill`.';

/** How the practice flow's refusals read on Discord. */
export const practicePhrases: Phrasebook = {
  'practice.unknown-topic': ({ topic }) => `I have no topic called "${String(topic).slice(0, 60)}"; pick one from the list as you type.`,
  'practice.no-chain': () => 'No chain matches that topic and level; try another level, or leave the filters out.',
  'practice.unknown-drill': ({ kind }) => `There is no drill called "${String(kind).slice(0, 40)}"; pick one from the list.`,
  'practice.not-a-session': () => 'This button does not belong to a session I know.',
  'practice.gone': () => `This practice session no longer exists; ${START_AGAIN}`,
  'practice.foreign': () => 'This is someone else’s practice session; start your own with `/chain`.',
  'practice.expired': ({ hours }) => `This practice session has expired (sessions last ${count(Number(hours), 'hour')}); ${START_AGAIN}`,
  'practice.question-gone': () => 'This question is no longer in the question bank; start a new session.',
  'practice.finished': () => `This session is finished; ${START_AGAIN}`,
  'practice.answered': () => 'That question was already answered; carry on from the latest one.',
  'practice.no-option': () => 'That option does not exist.',
  'practice.unanswered': () => 'Answer this question first (or pick "Answer in my own words").',
  'practice.drill-gone': () => 'This drill no longer exists; start a new one with `/drill`.',
};
