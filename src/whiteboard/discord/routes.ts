import type { DiscordFeature } from '../../platform/discord/command.js';
import { whiteboardPhrases } from './phrases.js';

/** Whiteboards have no buttons: the adapter words /whiteboard's refusals. */
export function whiteboardDiscord(): DiscordFeature {
  return { routes: [], phrases: whiteboardPhrases };
}
