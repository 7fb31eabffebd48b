import type { DiscordFeature } from '../../platform/discord/command.js';
import { leaderboardPhrases } from './phrases.js';

/** The leaderboards have no buttons (yet): only the words for their errors. */
export function leaderboardDiscord(): DiscordFeature {
  return { routes: [], phrases: leaderboardPhrases };
}
