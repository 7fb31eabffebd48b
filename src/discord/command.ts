import type {
  AnySelectMenuInteraction,
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  ModalSubmitInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { AppContext } from '../app-context.js';

export type ComponentInteraction = ButtonInteraction | AnySelectMenuInteraction | ModalSubmitInteraction;

/** A button / select menu / modal handler, found by the route in its custom id. */
export interface ComponentRoute {
  route: string;
  handle(interaction: ComponentInteraction, parts: string[], app: AppContext): Promise<void>;
}

export interface SlashCommand {
  /** The command's definition, as registered with Discord. */
  data: { name: string; toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody };
  /** One line for /help. */
  summary: string;
  audience: 'members' | 'admins';
  /** Checked by the router before execute. */
  requires?: { guild?: boolean; manageGuild?: boolean };
  execute(interaction: ChatInputCommandInteraction, app: AppContext): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, app: AppContext): Promise<void>;
  components?: ComponentRoute[];
}

export function defineCommand(command: SlashCommand): SlashCommand {
  return command;
}
