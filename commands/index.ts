import type { SlashCommand } from '../src/discord/command.js';
import help from './help.js';
import settings from './settings.js';

/** Every slash command Backprop serves. Adding a command = one file here + one line below. */
export const commands: SlashCommand[] = [help, settings];
