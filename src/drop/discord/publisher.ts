import type { Client, Message, SendableChannels } from 'discord.js';
import type { Chain } from '../../bank/load.js';
import type { Renderer, ThemeName } from '../../render/index.js';
import type { DropPublisher, PostedStep, StepPost } from '../types.js';
import { questionCardSpec, questionPayload, revealEmbed, stepMarker, summaryCardSpec, summaryPayload, type StepPayload } from './views.js';
import { clip, sendableChannel } from '../../platform/discord/text.js';

/** Discord nonces are at most 25 characters; with enforce_nonce a repeat returns the first message. */
const nonceOf = (dropId: string, step: number) => `${dropId.replace(/-/g, '').slice(0, 20)}s${step}`;

/** Posts drops to Discord: root + thread, follow-ups with reveals, summary card. */
export class DiscordDropPublisher implements DropPublisher {
  constructor(
    private readonly client: Client,
    private readonly renderer: Renderer,
    private readonly themeOf: (guildId: string) => Promise<ThemeName>,
  ) {}

  async postStep(post: StepPost): Promise<PostedStep> {
    const { drop, chain, step, recovering } = post;
    const theme = await this.themeOf(drop.guildId);
    if (step === 0) {
      const channel = await sendableChannel(this.client, drop.channelId);
      const existing = recovering ? await this.find(channel, stepMarker(drop.id, 0)) : undefined;
      const message = existing ?? (await channel.send({ ...(await this.stepPayload(post, theme)), nonce: nonceOf(drop.id, 0), enforceNonce: true }));
      const thread = await this.threadOf(message, chain);
      return { messageId: message.id, threadId: thread };
    }
    const thread = await sendableChannel(this.client, drop.threadId ?? drop.channelId);
    const existing = recovering ? await this.find(thread, stepMarker(drop.id, step)) : undefined;
    if (existing) return { messageId: existing.id };
    const payload = await this.stepPayload(post, theme);
    const embeds = post.reveal ? [revealEmbed(post.reveal), ...payload.embeds] : payload.embeds;
    const message = await thread.send({ ...payload, embeds, nonce: nonceOf(drop.id, step), enforceNonce: true });
    return { messageId: message.id };
  }

  /** The step's own message: its question card, or the summary card. */
  private async stepPayload(post: StepPost, theme: ThemeName): Promise<StepPayload> {
    const { drop, chain, step } = post;
    if (post.question) {
      const card = await this.renderer.questionCard(questionCardSpec(chain, step, post.question.prompt), { theme });
      return questionPayload(drop, chain, step, post.question, card.png);
    }
    const { summary } = post;
    const fastestName = summary.fastest ? await this.client.users.fetch(summary.fastest.userId).then((u) => u.displayName, () => 'a member') : null;
    const card = await this.renderer.summaryCard(summaryCardSpec(chain, summary, fastestName), { theme });
    return summaryPayload(drop, chain, summary, fastestName, card.png);
  }


  private async find(channel: SendableChannels, marker: string): Promise<Message | undefined> {
    if (!('messages' in channel)) return undefined;
    const recent = await channel.messages.fetch({ limit: 50 });
    return recent.find((m) => m.author.id === this.client.user?.id && m.embeds.some((e) => e.footer?.text === marker));
  }

  private async threadOf(message: Message, chain: Chain): Promise<string> {
    if (message.thread) return message.thread.id;
    try {
      const thread = await message.startThread({ name: clip(`Drop: ${chain.title}`, 100), autoArchiveDuration: 1440 });
      return thread.id;
    } catch (err) {
      // 160004: a thread already exists for this message (an earlier attempt made it).
      if ((err as { code?: number }).code === 160004) {
        const fresh = await message.fetch(true);
        if (fresh.thread) return fresh.thread.id;
      }
      throw err;
    }
  }
}
