import { MessageFlags, type Client } from 'discord.js';
import { hasLiveButtons } from '../../platform/discord/card.js';
import type { DiscordFeature } from '../../platform/discord/command.js';
import { DomainError, UserError } from '../../platform/errors.js';
import type { GuildService } from '../../guilds/service.js';
import type { Renderer } from '../../render/index.js';
import type { Logger } from '../../platform/log.js';
import { checkStarter } from '../rules.js';
import type { SprintService } from '../service.js';
import { SprintDriver } from './publisher.js';
import { SPRINT_ROUTES, answerReply, joinReply } from './views.js';
import { sprintPhrases } from './phrases.js';

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
          const res = await sprints.answer(id ?? '', r, interaction.user.id, opt).catch((err: unknown) => {
            // A click on a closed question: the refusal stands, and its card is shown closed if
            // it still looks open (its closing edit was lost, e.g. to a crash). Not awaited.
            if (err instanceof DomainError && err.code === 'sprint.closed' && hasLiveButtons(interaction.message?.components)) {
              void sprints.get(id ?? '').then((s) => driver.closeRoundMessage(s, r, interaction.message?.id), () => {});
            }
            throw err;
          });
          await interaction.editReply({ content: answerReply(res) });
          if (res.stored && (await sprints.allAnswered(id!, r))) await driver.advance(id!, r);
        },
      },
    ],
  };
}
