import type {
  AnySelectMenuInteraction,
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  ModalSubmitInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { Phrasebook } from '../errors.js';

export type ComponentInteraction = ButtonInteraction | AnySelectMenuInteraction | ModalSubmitInteraction;

/** A button / select menu / modal handler, found by the route in its custom id. */
export interface ComponentRoute {
  route: string;
  handle(interaction: ComponentInteraction, parts: string[]): Promise<void>;
}

/**
 * What a feature's Discord adapter gives the router: the component routes it owns (its
 * buttons, menus and forms, wherever they were posted from) and the words for its domain
 * errors.
 */
export interface DiscordFeature {
  routes: readonly ComponentRoute[];
  phrases?: Phrasebook;
}

export interface SlashCommand<Ctx> {
  /** The command's definition, as registered with Discord. */
  data: { name: string; toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody };
  /** One line for /help. */
  summary: string;
  audience: 'members' | 'admins';
  /** Checked by the router before execute. */
  requires?: { guild?: boolean; manageGuild?: boolean };
  execute(interaction: ChatInputCommandInteraction, ctx: Ctx): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, ctx: Ctx): Promise<void>;
}
