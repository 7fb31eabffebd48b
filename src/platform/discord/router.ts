import { randomUUID } from 'node:crypto';
import { PermissionFlagsBits, type Interaction } from 'discord.js';
import type { Logger } from '../log.js';
import { isDatabaseUnavailable } from '../db/client.js';
import { DomainError, UserError, mergePhrasebooks, type Phrasebook } from '../errors.js';
import { renderRefusal } from '../../render/errors.js';
import type { InteractionOutcome, Metrics } from '../ops/metrics.js';
import type { ComponentInteraction, ComponentRoute, DiscordFeature, SlashCommand } from './command.js';
import { decodeCustomId } from './custom-id.js';
import { replyPrivately } from './replies.js';

export const MESSAGES = {
  unknownCommand: "I don't know that command any more (it may have been removed); try `/help` to see what I can do.",
  unknownComponent: 'This button belongs to something that has ended or that I no longer understand; start again with the command.',
  guildOnly: 'This command only works inside a server.',
  manageGuild: 'Only members with the **Manage Server** permission can do that.',
  unavailable: "Backprop's database is temporarily unavailable, so nothing was changed; please try again in a minute.",
  restarting: 'Backprop is restarting; please try again in a few seconds.',
  unphrased: "I can't do that right now; please start again with the command.",
  malformed: "This command arrived without an option it needs, or with one of the wrong kind; choose it from Discord's command menu and fill in its options.",
  unexpected: (ref: string) => `Sorry, something went wrong on my side and it has been logged (reference \`${ref}\`); please try again.`,
} as const;

/**
 * discord.js's errors for options a command payload lacks or has of the wrong kind. (Form
 * fields are read through formText, which refuses a missing one itself.)
 */
function malformedPayload(err: unknown): UserError | null {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('CommandInteractionOption')) return null;
  return new UserError(MESSAGES.malformed, 'invalid-input');
}

export interface InteractionRouter {
  handle(interaction: Interaction): Promise<void>;
  /** Resolves when every interaction being handled has finished (or the timeout passed). */
  drain(timeoutMs: number): Promise<void>;
  /** New interactions get a polite "restarting" reply from now on. */
  stopAccepting(): void;
  readonly inFlight: number;
}

/**
 * The one place interactions enter. Finds the handler (slash command, autocomplete, or a
 * component route from the custom id), checks preconditions, and is the single error
 * boundary: whatever goes wrong, the user gets one short private message and we get one
 * structured log line. It never throws.
 */
export interface RouterOptions<Ctx> {
  log: Logger;
  metrics: Metrics;
  /** What slash commands and autocompletes are handed. */
  context: Ctx;
  commands: readonly SlashCommand<Ctx>[];
  /** Each feature's Discord adapter: its component routes and the words for its errors. */
  features: readonly DiscordFeature[];
}

/** The words for a domain error; a code no adapter phrases is logged and gets a generic sentence. */
function phrase(err: DomainError, phrases: Phrasebook, log: Logger): string {
  const words = phrases[err.code];
  if (words) return words(err.params);
  log.error({ code: err.code, params: err.params }, 'a domain error has no phrasing');
  return MESSAGES.unphrased;
}

export function createInteractionRouter<Ctx>({ log: rootLog, metrics, context, commands, features }: RouterOptions<Ctx>): InteractionRouter {
  const byName = new Map(commands.map((c) => [c.data.name, c]));
  const routes = new Map<string, ComponentRoute>();
  for (const feature of features) {
    for (const r of feature.routes) {
      if (routes.has(r.route)) throw new Error(`component route "${r.route}" is defined twice`);
      routes.set(r.route, r);
    }
  }
  const phrases = mergePhrasebooks(features.map((f) => f.phrases ?? {}));
  const running = new Set<Promise<void>>();
  let accepting = true;

  async function dispatch(interaction: Interaction, label: { name: string; kind: string }): Promise<InteractionOutcome> {
    if (interaction.isAutocomplete()) {
      const command = byName.get(interaction.commandName);
      if (!command?.autocomplete) {
        await interaction.respond([]);
        return 'unknown';
      }
      await command.autocomplete(interaction, context);
      return 'ok';
    }
    if (!interaction.isRepliable()) return 'unknown';
    if (!accepting) {
      await replyPrivately(interaction, MESSAGES.restarting);
      return 'unavailable';
    }
    if (interaction.isChatInputCommand()) {
      const command = byName.get(interaction.commandName);
      if (!command) {
        await replyPrivately(interaction, MESSAGES.unknownCommand);
        return 'unknown';
      }
      if ((command.requires?.guild || command.requires?.manageGuild) && !interaction.inGuild()) throw new UserError(MESSAGES.guildOnly, 'forbidden');
      if (command.requires?.manageGuild && !interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) {
        throw new UserError(MESSAGES.manageGuild, 'forbidden');
      }
      await command.execute(interaction, context);
      return 'ok';
    }
    if (interaction.isMessageComponent() || interaction.isModalSubmit()) {
      const id = decodeCustomId(interaction.customId);
      const route = id && routes.get(id.route);
      if (!id || !route) {
        await replyPrivately(interaction, MESSAGES.unknownComponent);
        return 'unknown';
      }
      label.name = id.route;
      await route.handle(interaction as ComponentInteraction, id.parts);
      return 'ok';
    }
    return 'unknown';
  }

  async function handle(interaction: Interaction): Promise<void> {
    const started = performance.now();
    const label = {
      name: interaction.isCommand() || interaction.isAutocomplete() ? interaction.commandName : 'component',
      kind: interaction.isAutocomplete() ? 'autocomplete' : interaction.isChatInputCommand() ? 'command' : interaction.isModalSubmit() ? 'modal' : 'component',
    };
    const log = rootLog.child({ interactionId: interaction.id, userId: interaction.user?.id, guildId: interaction.guildId, channelId: interaction.channelId });
    let outcome: InteractionOutcome;
    try {
      outcome = await dispatch(interaction, label);
    } catch (caught) {
      // A renderer's refusal (a bad formula, a job over its limits) is worded like any domain error.
      const err = malformedPayload(caught) ?? renderRefusal(caught) ?? caught;
      let message: string;
      if (err instanceof UserError || err instanceof DomainError) {
        outcome = 'user_error';
        message = err instanceof DomainError ? phrase(err, phrases, log) : err.message;
        const coded = err instanceof DomainError ? { code: err.code, ...(err.cause === undefined ? {} : { cause: err.cause }) } : {};
        log.info({ command: label.name, kind: label.kind, reason: err.kind, ...coded, userMessage: message }, 'interaction refused');
      } else if (isDatabaseUnavailable(err)) {
        outcome = 'unavailable';
        message = MESSAGES.unavailable;
        log.warn({ command: label.name, kind: label.kind, err }, 'database unavailable during interaction');
      } else {
        outcome = 'error';
        const ref = randomUUID().slice(0, 8);
        message = MESSAGES.unexpected(ref);
        log.error({ command: label.name, kind: label.kind, ref, err }, 'interaction failed');
      }
      try {
        if (interaction.isAutocomplete()) {
          if (!interaction.responded) await interaction.respond([]);
        } else if (interaction.isRepliable()) {
          await replyPrivately(interaction, message);
        }
      } catch (replyErr) {
        log.warn({ err: replyErr }, 'could not tell the user about the failure');
      }
    }
    const seconds = (performance.now() - started) / 1000;
    metrics.interactions.inc({ command: label.name, kind: label.kind, outcome });
    metrics.interactionSeconds.observe({ command: label.name, kind: label.kind }, seconds);
    log.debug({ command: label.name, kind: label.kind, outcome, ms: Math.round(seconds * 1000) }, 'interaction handled');
  }

  return {
    handle(interaction) {
      const p = handle(interaction).catch((err) => rootLog.error({ err }, 'interaction boundary failed'));
      running.add(p);
      void p.finally(() => running.delete(p));
      return p;
    },
    async drain(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...running]),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, timeoutMs);
        }),
      ]);
      clearTimeout(timer);
    },
    stopAccepting() {
      accepting = false;
    },
    get inFlight() {
      return running.size;
    },
  };
}
