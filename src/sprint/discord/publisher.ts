import type { Client, SendableChannels } from 'discord.js';
import type { GuildService } from '../../guilds/service.js';
import type { Logger } from '../../platform/log.js';
import type { Renderer } from '../../render/index.js';
import type { SprintService } from '../service.js';
import { podiumCard, podiumMessage, recapEmbed, roundMessage, startedLobby } from './views.js';
import { sendableChannel } from '../../platform/discord/text.js';

/** Posts sprint rounds, distributions, the top five after each question, and the podium. */
export class SprintDriver {
  constructor(
    private readonly sprints: SprintService,
    private readonly renderer: Renderer,
    private readonly guilds: GuildService,
    private readonly client: Client,
    private readonly log: Logger,
  ) {}


  /** Starts the sprint (once, whoever asks first) and posts its first round. */
  async start(id: string, by: string | null): Promise<void> {
    const first = await this.sprints.start(id, by);
    if (!first) return;
    const s = first.sprint;
    if (s.messageId) {
      const c = await sendableChannel(this.client, s.channelId);
      const m = 'messages' in c ? await c.messages.fetch(s.messageId).catch(() => null) : null;
      await m?.edit(startedLobby).catch(() => {});
    }
    await (await sendableChannel(this.client, s.channelId)).send(roundMessage(first));
  }

  /** Closes round `round` (once) and posts its recap with the next round, or the podium. */
  async advance(id: string, round: number): Promise<void> {
    const closed = await this.sprints.closeRound(id, round);
    if (!closed) return;
    const { sprint } = closed.recap;
    const recap = recapEmbed(closed);
    if (closed.next) {
      await (await sendableChannel(this.client, sprint.channelId)).send(roundMessage(closed.next, [recap]));
      return;
    }
    const image = await this.renderer.leaderboard(podiumCard(sprint, closed.standings), { theme: await this.guilds.theme(sprint.guildId) });
    await (await sendableChannel(this.client, sprint.channelId)).send(podiumMessage(closed.standings, recap, image.png));
  }

  /** From the scheduler's tick: lobbies to start, rounds to close. */
  async sweep(): Promise<number> {
    const due = await this.sprints.due();
    for (const s of due) {
      try {
        if (s.status === 'lobby') await this.start(s.id, null);
        else await this.advance(s.id, s.round);
      } catch (err) {
        this.log.warn({ err, sprintId: s.id }, 'sprint step failed; retrying next tick');
      }
    }
    return due.length;
  }
}
