import {
  ActionRowBuilder,
  AttachmentBuilder,
  ButtonBuilder,
  ButtonStyle,
  EmbedBuilder,
  type Client,
  type Message,
  type SendableChannels,
} from 'discord.js';
import type { Chain, Prompt } from '../../bank/load.js';
import { encodeCustomId } from '../../platform/discord/custom-id.js';
import type { Renderer, ThemeName } from '../../render/index.js';
import { dropOptions, type DropAnswers } from '../answers.js';
import type { DropPublisher, DropRow } from '../engine.js';

export const DROP_ROUTES = { choice: 'da', ownWords: 'dx', modal: 'dy' } as const;
const LETTERS = ['A', 'B', 'C', 'D', 'E'];
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** Footer marker that identifies a posted step, so a retried step finds its earlier message. */
export const stepMarker = (dropId: string, step: number) => `Backprop drop ${dropId} · step ${step}`;
/** Discord nonces are at most 25 characters; with enforce_nonce a repeat returns the first message. */
const nonceOf = (dropId: string, step: number) => `${dropId.replace(/-/g, '').slice(0, 20)}s${step}`;

/** Posts drops to Discord: root + thread, follow-ups with reveals, summary card. */
export class DiscordDropPublisher implements DropPublisher {
  constructor(
    private readonly client: Client,
    private readonly renderer: Renderer,
    private readonly answers: DropAnswers,
    private readonly themeOf: (guildId: string) => Promise<ThemeName>,
  ) {}

  async postStep(drop: DropRow, chain: Chain, step: number, recovering: boolean): Promise<{ messageId: string; threadId?: string }> {
    const theme = await this.themeOf(drop.guildId);
    if (step === 0) {
      const channel = await this.sendable(drop.channelId);
      const existing = recovering ? await this.find(channel, stepMarker(drop.id, 0)) : undefined;
      const message = existing ?? (await channel.send({ ...(await this.questionPayload(drop, chain, 0, theme)), nonce: nonceOf(drop.id, 0), enforceNonce: true }));
      const thread = await this.threadOf(message, chain);
      return { messageId: message.id, threadId: thread };
    }
    const thread = await this.sendable(drop.threadId ?? drop.channelId);
    const existing = recovering ? await this.find(thread, stepMarker(drop.id, step)) : undefined;
    if (existing) return { messageId: existing.id };
    const reveal = await this.revealEmbed(drop, chain, step - 1);
    const payload = step < chain.prompts.length ? await this.questionPayload(drop, chain, step, theme) : await this.summaryPayload(drop, chain, theme);
    const message = await thread.send({ ...payload, embeds: [reveal, ...payload.embeds], nonce: nonceOf(drop.id, step), enforceNonce: true });
    return { messageId: message.id };
  }

  private async sendable(id: string): Promise<SendableChannels> {
    const channel = await this.client.channels.fetch(id);
    if (!channel || !channel.isSendable()) throw new Error(`channel ${id} is not a channel I can post in`);
    return channel;
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

  private async questionPayload(drop: DropRow, chain: Chain, step: number, theme: ThemeName) {
    const prompt = chain.prompts[step]!;
    const options = dropOptions(prompt, drop.id, step);
    const card = await this.renderer.questionCard(
      { topic: prompt.topic, level: prompt.level, prompt: prompt.question, title: chain.title, step: { index: step + 1, total: chain.prompts.length } },
      { theme },
    );
    const intro =
      step === 0
        ? `${drop.roleId ? `<@&${drop.roleId}> ` : ''}📬 **Question drop: ${chain.title}**${drop.late ? ' (posted late: the bot was offline at the scheduled time)' : ''}\nAnswer below; follow-ups arrive in the thread.`
        : `**Follow-up ${step} of ${chain.prompts.length - 1}**`;
    const embed = new EmbedBuilder()
      .setColor(0x5865f2)
      .setTitle(`${prompt.level} · ${prompt.topic}`)
      .setDescription(clip(prompt.question, 3000))
      .addFields({ name: 'Options', value: clip(options.map((o, i) => `**${LETTERS[i]}.** ${o.text}`).join('\n'), 1024) })
      .setImage(`attachment://step-${step}.png`)
      .setFooter({ text: stepMarker(drop.id, step) });
    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
      options.map((o, i) => new ButtonBuilder().setCustomId(encodeCustomId(DROP_ROUTES.choice, drop.id, step, o.id)).setLabel(LETTERS[i]!).setStyle(ButtonStyle.Secondary)),
    );
    const own = new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder().setCustomId(encodeCustomId(DROP_ROUTES.ownWords, drop.id, step)).setLabel('Answer in my own words').setEmoji('✍️').setStyle(ButtonStyle.Primary),
    );
    return {
      content: intro,
      embeds: [embed],
      components: [row, own],
      files: [new AttachmentBuilder(card.png, { name: `step-${step}.png` })],
      // The schedule's role is pinged once, on the root message; nothing else ever pings.
      allowedMentions: { parse: [], roles: step === 0 && drop.roleId ? [drop.roleId] : [] },
    };
  }

  /** The previous step's model answer, what it tested and how the channel answered. */
  private async revealEmbed(drop: DropRow, chain: Chain, step: number): Promise<EmbedBuilder> {
    const prompt: Prompt = chain.prompts[step]!;
    const options = dropOptions(prompt, drop.id, step);
    const dist = await this.answers.distribution(drop.id, step, prompt);
    const lines = options.map((o, i) => `${o.correct ? '✅' : '▫️'} **${LETTERS[i]}** ${clip(o.text, 60)}: ${dist.counts.get(o.text) ?? 0}`);
    if (dist.ownWords) lines.push(`✍️ In their own words: ${dist.ownWords}`);
    return new EmbedBuilder()
      .setColor(0x3ba55d)
      .setTitle(`Answer to ${step === 0 ? 'the root question' : `follow-up ${step}`}`)
      .addFields(
        { name: `How the channel answered (${dist.total})`, value: clip(lines.join('\n'), 1024) },
        { name: 'Model answer', value: clip(prompt.answer, 1024) },
        { name: 'What it was testing', value: clip(prompt.testing, 1024) },
      );
  }

  private async summaryPayload(drop: DropRow, chain: Chain, theme: ThemeName) {
    const s = await this.answers.summary(drop.id, chain.prompts.length);
    const fastestName = s.fastest ? await this.client.users.fetch(s.fastest.userId).then((u) => u.displayName, () => 'a member') : null;
    const card = await this.renderer.summaryCard(
      {
        title: `Drop summary: ${chain.title}`,
        subtitle: `${s.participants} participant${s.participants === 1 ? '' : 's'}`,
        rows: [
          { label: 'Participants', value: String(s.participants) },
          { label: 'Fastest correct', value: s.fastest ? `${fastestName} (${(s.fastest.ms / 1000).toFixed(1)} s)` : 'nobody yet' },
        ],
        steps: s.perStep.map((p, i) => ({ label: i === 0 ? 'Root question' : `Follow-up ${i}`, accuracy: p.answered ? p.correct / p.answered : 0, detail: `${p.correct}/${p.answered}` })),
        footnote: 'Late answers still count for mastery.',
      },
      { theme },
    );
    const embed = new EmbedBuilder()
      .setColor(0xf0b232)
      .setTitle('🏁 Drop complete')
      .setDescription(
        [`${s.participants} participant${s.participants === 1 ? '' : 's'}.`, ...s.perStep.map((p, i) => `${i === 0 ? 'Root' : `Follow-up ${i}`}: ${p.correct}/${p.answered} correct`), s.fastest ? `Fastest correct: ${fastestName} in ${(s.fastest.ms / 1000).toFixed(1)} s` : ''].filter(Boolean).join('\n'),
      )
      .setImage('attachment://summary.png')
      .setFooter({ text: stepMarker(drop.id, chain.prompts.length) });
    return { content: '', embeds: [embed], components: [], files: [new AttachmentBuilder(card.png, { name: 'summary.png' })], allowedMentions: { parse: [] } };
  }
}
