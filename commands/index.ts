import type { Command } from '../src/app/context.js';
import chain from './chain.js';
import drill from './drill.js';
import drop from './drop.js';
import duel from './duel.js';
import forgetMe from './forget-me.js';
import help from './help.js';
import leaderboard from './leaderboard.js';
import mastery from './mastery.js';
import review from './review.js';
import roc from './roc.js';
import schedule from './schedule.js';
import settings from './settings.js';
import sprint from './sprint.js';
import tex from './tex.js';
import whiteboard from './whiteboard.js';

/** Every slash command Backprop serves. Adding a command = one file here + one line below. */
export const commands: Command[] = [help, chain, review, drill, mastery, duel, sprint, leaderboard, tex, roc, whiteboard, forgetMe, schedule, drop, settings];
