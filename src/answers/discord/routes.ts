import type { DiscordFeature } from '../../platform/discord/command.js';
import { answersPhrases } from './phrases.js';

/** The answer store has no buttons of its own; it only words its refusals. */
export const answersDiscord = (): DiscordFeature => ({ routes: [], phrases: answersPhrases });
