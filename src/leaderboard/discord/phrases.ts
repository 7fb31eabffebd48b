import type { Phrasebook } from '../../platform/errors.js';

/** The leaderboards' refusals, in the members' words. */
export const leaderboardPhrases: Phrasebook = {
  'leaderboard.unknown-time-zone': ({ zone }) => `Unknown time zone "${String(zone)}".`,
};
