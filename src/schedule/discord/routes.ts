import type { DiscordFeature } from '../../platform/discord/command.js';
import { schedulePhrases } from './phrases.js';

/** Schedules have no buttons (their drops' buttons are the drop adapter's): this words /schedule's refusals. */
export function scheduleDiscord(): DiscordFeature {
  return { routes: [], phrases: schedulePhrases };
}
