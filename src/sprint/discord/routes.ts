import { MessageFlags, type Client } from 'discord.js';
import type { DiscordFeature } from '../../platform/discord/command.js';
import { UserError, type Phrasebook } from '../../platform/errors.js';
import type { GuildService } from '../../guilds/service.js';
import type { Renderer } from '../../render/index.js';
import type { Logger } from '../../platform/log.js';
import { checkStarter } from '../rules.js';
import type { SprintService } from '../service.js';
import { SprintDriver } from './publisher.js';
import { SPRINT_ROUTES, answerReply, joinReply } from './views.js';

/** How a sprint's refusals read on Discord. */
export const sprintPhrases: Phrasebook = {
  'sprint.not-a-sprint': () => 'This button does not belong to a sprint I know.',
  'sprint.gone': () => 'This sprint no longer exists.',
  'sprint.question-gone': () => 'This sprint question is no longer in the bank.',
  'sprint.unknown-topic': ({ topic }) => `I have no topic called "${String(topic).slice(0, 40)}".`,
  'sprint.rounds': ({ max }) => `A sprint has 1 to ${max} rounds.`,
  'sprint.seconds': ({ min, max }) => `A round lasts ${min} to ${max} seconds.`,
  'sprint.too-few': ({ available }) => `Only ${available} questions match; ask for fewer rounds.`,
  'sprint.running': () => 'A sprint is already running in this channel. Join it, or wait for it to end.',
  'sprint.started': () => 'This sprint has already started; join the next one.',
  'sprint.full': () => 'This sprint is full.',
  'sprint.not-starter': () => 'Only the member who opened the sprint can start it early.',
  'sprint.closed': () => 'This question is closed.',
  'sprint.not-joined': () => 'Only members who joined this sprint can answer. Join the next one!',
  'sprint.too-late': () => 'Too late: this question is closed.',
  'sprint.no-option': () => 'That option does not exist.',
};

export interface SprintDiscord extends DiscordFeature {
  driver: SprintDriver;
}

export function sprintDiscord(deps: { sprints: SprintService; renderer: Renderer; guilds: GuildService; client: Client; log: Logger }): SprintDiscord {
  const { sprints } = deps;
  const driver = new SprintDriver(sprints, deps.renderer, deps.guilds, deps.client, deps.log);
  return {
    driver,
    phrases: sprintPhrases,
    routes: [
      {
        route: SPRINT_ROUTES.join,
        async handle(interaction, [id]) {
          const name = interaction.member && 'displayName' in interaction.member ? interaction.member.displayName : (interaction.user.globalName ?? interaction.user.username);
          await interaction.deferReply({ flags: MessageFlags.Ephemeral });
          await interaction.editReply({ content: joinReply(await sprints.join(id ?? '', interaction.user.id, name)) });
        },
      },
      {
        route: SPRINT_ROUTES.start,
        async handle(interaction, [id]) {
          const s = await sprints.get(id ?? '');
          checkStarter(s, interaction.user.id);
          await interaction.reply({ content: 'Starting!', flags: MessageFlags.Ephemeral });
          await driver.start(s.id, interaction.user.id);
        },
      },
      {
        route: SPRINT_ROUTES.answer,
        async handle(interaction, [id, round, option]) {
          const r = Number(round);
          const opt = Number(option);
          if (!Number.isInteger(r) || !Number.isInteger(opt)) throw new UserError('This button is damaged.', 'invalid-input');
          await interaction.deferReply({ flags: MessageFlags.Ephemeral });
          const res = await sprints.answer(id ?? '', r, interaction.user.id, opt);
          await interaction.editReply({ content: answerReply(res) });
          if (res.stored && (await sprints.allAnswered(id!, r))) await driver.advance(id!, r);
        },
      },
    ],
  };
}
