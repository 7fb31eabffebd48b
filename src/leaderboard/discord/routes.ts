import type { DiscordFeature } from '../../platform/discord/command.js';
import type { Phrasebook } from '../../platform/errors.js';

/** The leaderboards' refusals, in the members' words. */
export const leaderboardPhrases: Phrasebook = {
  'leaderboard.unknown-time-zone': ({ zone }) => `Unknown time zone "${String(zone)}".`,
};

/** The leaderboards have no buttons (yet): only the words for their errors. */
export function leaderboardDiscord(): DiscordFeature {
  return { routes: [], phrases: leaderboardPhrases };
}
