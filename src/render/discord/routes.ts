import type { DiscordFeature } from '../../platform/discord/command.js';
import { renderPhrases } from './phrases.js';

/** Rendering has no buttons: its adapter words the refusals of every command that draws. */
export function renderDiscord(): DiscordFeature {
  return { routes: [], phrases: renderPhrases };
}
