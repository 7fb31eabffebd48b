import type { SlashCommand } from '../src/discord/command.js';
import help from './help.js';
import roc from './roc.js';
import settings from './settings.js';
import tex from './tex.js';
import whiteboard from './whiteboard.js';

/** Every slash command Backprop serves. Adding a command = one file here + one line below. */
export const commands: SlashCommand[] = [help, tex, roc, whiteboard, settings];
