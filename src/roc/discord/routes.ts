import type { DiscordFeature } from '../../platform/discord/command.js';
import { rocPhrases } from './phrases.js';

/** /roc has no buttons: its adapter only words its refusals. */
export function rocDiscord(): DiscordFeature {
  return { routes: [], phrases: rocPhrases };
}
