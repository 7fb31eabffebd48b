import type { DiscordFeature } from '../../platform/discord/command.js';

/** The answer store has no buttons of its own; it only words its refusals. */
export const answersDiscord = (): DiscordFeature => ({
  routes: [],
  phrases: {
    'answers.prompt-gone': () => 'That question is no longer in the question bank, so this answer was not recorded.',
  },
});
