import { ComponentType, type Client, type Message, type SendableChannels } from 'discord.js';
import type { Chain } from '../../bank/load.js';
import type { CardPayload } from '../../platform/discord/card.js';
import { clip, editPosted, sendableChannel } from '../../platform/discord/text.js';
import { typeset } from '../../render/discord/math.js';
import type { Renderer, ThemeName } from '../../render/index.js';
import type { DropPublisher, PostedStep, StepPost, StepQuestion, StepReveal } from '../types.js';
import { closedCard, questionCard, revealCards, stepMarker, summaryCard, summaryMarker, type TypesetQuestion, type TypesetReveal } from './views.js';

/**
 * Discord nonces are at most 25 characters; with enforce_nonce a repeat within a few minutes
 * returns the first message. `part` 0 is the step's own message, 1.. the pages of its reveal.
 */
const nonceOf = (dropId: string, step: number, part: number) => `${dropId.replace(/-/g, '').slice(0, 18)}.${step}.${part}`;

/** How many recent messages a recovering step looks through for the ones it already posted. */
const RECOVERY_WINDOW = 100;

/**
 * Posts drops to Discord: the root card in the channel (and its thread); for each later step,
 * the previous step's message edited to show it closed, its reveal, then the follow-up or the
 * summary in the thread.
 *
 * Crash recovery: every message goes out with a nonce (enforce_nonce), and carries a marker in
 * the custom id of one of its buttons (views.ts), which members never see but which a fetch of
 * the channel returns (Discord echoes a nonce only when a message is created). A step retried
 * after a crash (`recovering`) lists the channel's recent messages and posts only the parts it
 * does not find; closing the previous step is an edit, safe to repeat.
 */
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
      const posted = recovering ? await this.recent(channel) : [];
      const message = await this.postOnce(channel, posted, stepMarker(drop.id, 0), nonceOf(drop.id, 0, 0), () => this.stepPayload(post, theme), true);
      const thread = await this.threadOf(message, chain);
      return { messageId: message.id, threadId: thread };
    }
    const thread = await sendableChannel(this.client, drop.threadId ?? drop.channelId);
    const posted = recovering ? await this.recent(thread) : [];
    if (post.reveal) {
      await this.close(post, post.reveal, theme);
      const pages = revealCards(drop, post.reveal, await this.typesetReveal(post.reveal, theme));
      for (const [i, page] of pages.entries()) await this.postOnce(thread, posted, page.marker, nonceOf(drop.id, step, i + 1), async () => page.payload);
    }
    const marker = post.question ? stepMarker(drop.id, step) : summaryMarker(drop.id, chain.prompts.length);
    const message = await this.postOnce(thread, posted, marker, nonceOf(drop.id, step, 0), () => this.stepPayload(post, theme), post.question !== undefined);
    return { messageId: message.id };
  }

  /**
   * The message with `marker` among those already posted, or a new one. A recovered question
   * step is edited to the fresh payload, so its countdown shows when the step now closes.
   */
  private async postOnce(channel: SendableChannels, posted: readonly Message[], marker: string, nonce: string, payload: () => Promise<CardPayload>, refresh = false): Promise<Message> {
    const existing = posted.find((m) => customIdsOf(m).includes(marker));
    if (existing) return refresh ? existing.edit({ ...(await payload()), attachments: [] }) : existing;
    return channel.send({ ...(await payload()), nonce, enforceNonce: true });
  }

  /** The step's own message: its question card, or the summary card. */
  private async stepPayload(post: StepPost, theme: ThemeName): Promise<CardPayload> {
    if (post.question) return questionCard({ ...post, question: post.question }, await this.typesetQuestion(post.question, theme));
    return summaryCard(post.drop, post.chain, post.summary);
  }

  /** Edits the revealed step's message to its closed card (nothing to do when it was never recorded or is gone). */
  private async close(post: StepPost, reveal: StepReveal, theme: ThemeName): Promise<void> {
    if (!reveal.messageId) return;
    const channelId = reveal.step === 0 ? post.drop.channelId : (post.drop.threadId ?? post.drop.channelId);
    const payload = closedCard(post, reveal, await this.typesetQuestion(reveal, theme));
    try {
      await editPosted(this.client, channelId, reveal.messageId, payload);
    } catch (err) {
      // 10008: the message was deleted (a moderator tidied up); the drop goes on without it.
      if ((err as { code?: number }).code !== 10008) throw err;
    }
  }

  private async typesetQuestion(q: StepQuestion, theme: ThemeName): Promise<TypesetQuestion> {
    const t = await typeset(this.renderer, theme, [q.prompt.question, ...q.options.map((o) => o.text)], 'q');
    return { question: t.texts[0]!, options: t.texts.slice(1), files: t.files, images: t.images };
  }

  private async typesetReveal(r: StepReveal, theme: ThemeName): Promise<TypesetReveal> {
    const t = await typeset(this.renderer, theme, [...r.options.map((o) => o.text), r.prompt.answer, r.prompt.testing], 'answer');
    const n = r.options.length;
    return { options: t.texts.slice(0, n), answer: t.texts[n]!, testing: t.texts[n + 1]!, files: t.files, images: t.images };
  }

  /** The channel's recent messages by the bot, newest first. */
  private async recent(channel: SendableChannels): Promise<Message[]> {
    if (!('messages' in channel)) return [];
    const recent = await channel.messages.fetch({ limit: RECOVERY_WINDOW });
    return [...recent.values()].filter((m) => m.author.id === this.client.user?.id);
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

/** Every custom id on a message's components, however deeply nested (Components v2 containers). */
function customIdsOf(message: Message): string[] {
  const out: string[] = [];
  const walk = (nodes: readonly unknown[]) => {
    for (const n of nodes as { type: number; custom_id?: string; components?: unknown[] }[]) {
      if (n.type === ComponentType.Button && n.custom_id) out.push(n.custom_id);
      if (n.components) walk(n.components);
    }
  };
  walk(message.components.map((c) => c.toJSON()));
  return out;
}
