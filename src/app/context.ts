/**
 * What a slash command is handed: the services, the Discord adapters of the features it
 * starts (to post what they post), and the list of commands for /help.
 */
import type { SlashCommand } from '../platform/discord/command.js';
import type { DuelDiscord } from '../duel/discord/routes.js';
import type { PracticeDiscord } from '../practice/discord/routes.js';
import type { SprintDiscord } from '../sprint/discord/routes.js';
import type { WhiteboardDiscord } from '../whiteboard/discord/routes.js';
import type { Services } from './services.js';

export interface CommandSummary {
  name: string;
  summary: string;
  audience: 'members' | 'admins';
}

export interface CommandContext {
  services: Services;
  discord: { practice: PracticeDiscord; duel: DuelDiscord; sprint: SprintDiscord; whiteboard: WhiteboardDiscord };
  /** The commands this process serves (for /help). */
  commands: readonly CommandSummary[];
}

export type Command = SlashCommand<CommandContext>;

export const defineCommand = (command: Command): Command => command;
