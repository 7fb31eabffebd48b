import type { Client } from 'discord.js';
import type { GuildService } from '../../guilds/service.js';
import type { DiscordFeature } from '../../platform/discord/command.js';
import type { Logger } from '../../platform/log.js';
import type { Renderer } from '../../render/index.js';
import type { WhiteboardService } from '../service.js';
import { whiteboardPhrases } from './phrases.js';
import { WhiteboardPublisher } from './publisher.js';

export interface WhiteboardDiscord extends DiscordFeature {
  /** Keeps each board's live message up to date. */
  publisher: WhiteboardPublisher;
}

/** Whiteboards have no buttons: the adapter words /whiteboard's refusals and keeps the boards' messages drawn. */
export function whiteboardDiscord(deps: { whiteboards: WhiteboardService; renderer: Renderer; guilds: GuildService; client: Client; log: Logger }): WhiteboardDiscord {
  return { routes: [], phrases: whiteboardPhrases, publisher: new WhiteboardPublisher(deps.whiteboards, deps.renderer, deps.guilds, deps.client, deps.log) };
}
