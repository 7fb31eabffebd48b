import type { Phrasebook } from '../../platform/errors.js';

/** How the answer store's refusals read on Discord. */
export const answersPhrases: Phrasebook = {
  'answers.prompt-gone': () => 'That question is no longer in the question bank, so this answer was not recorded.',
};
