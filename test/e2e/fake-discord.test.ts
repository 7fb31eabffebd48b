/**
 * The fake Discord itself, driven by the bot's own discord.js client (createDiscordClient) in
 * this process: it keeps Components v2 cards as Discord does (flags, nested components, the
 * images their galleries name), edits them without losing the flag or ephemerality, lets
 * tests click buttons inside containers, answers a body Discord would refuse with 400
 * "Invalid Form Body" (and records it, which fails the test file through discord-guard.ts),
 * and collects every string a member reads.
 */
import {
  AttachmentBuilder,
  ButtonStyle,
  DiscordAPIError,
  MessageFlags,
  ModalBuilder,
  TextInputBuilder,
  TextInputStyle,
  ActionRowBuilder,
  type APIMessageTopLevelComponent,
  type Client,
  type Interaction,
  type TextChannel,
} from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { createDiscordClient } from '../../src/platform/discord/client.js';
import { button, cardPayload, closeButtons } from '../../src/platform/discord/card.js';
import { FakeDiscord, componentsOf, findComponent, isComponentsV2, messageText, type FakeUser } from '../support/fake-discord.js';

const V2 = MessageFlags.IsComponentsV2;
let discord: FakeDiscord;
let client: Client;
let alice: FakeUser;
let onInteraction: (i: Interaction) => Promise<unknown> = async () => {};
const failures: unknown[] = [];

/** A question card with a formula image and four option buttons. */
function questionCard(tag: string) {
  const file = new AttachmentBuilder(Buffer.from('89504e470d0a1a0a', 'hex'), { name: `${tag}-1.png` });
  return cardPayload(
    {
      accent: 0x5865f2,
      parts: [
        { text: `**Question** · ${tag}\nWhich penalty makes the weights sparse?` },
        { images: [{ name: `${tag}-1.png`, description: 'Formula 1' }] },
        { separator: 'small' },
        { buttons: ['L1', 'L2', 'Dropout', 'Early stopping'].map((label, i) => button(`bp1:t:${tag}:${i}`, label)) },
      ],
    },
    [file],
  );
}

beforeAll(async () => {
  discord = await FakeDiscord.start({ commands: [{ name: 'card' }, { name: 'zone', options: [{ type: 3, name: 'name' }] }] });
  client = createDiscordClient({ DISCORD_API_URL: discord.apiUrl });
  client.on('interactionCreate', (i) => void onInteraction(i).catch((e: unknown) => failures.push(e)));
  await client.login('fake-token.for-tests');
  await discord.waitForBot();
  alice = discord.user('alice');
});

afterAll(async () => {
  await client?.destroy();
  await discord?.close();
});

describe('the fake Discord with Components v2 cards', () => {
  it('registers the real commands through the spec check', async () => {
    await client.application!.commands.set(commands.map((c) => c.data.toJSON()), discord.guild.id);
    expect(discord.registeredCommands.map((c) => c.name)).toEqual(commands.map((c) => c.data.name));
    expect(discord.violations).toEqual([]);
  });

  it('stores a card posted to a channel with its flag, nested components and images, and gives it back in API shape', async () => {
    const channel = (await client.channels.fetch(discord.channel.id)) as TextChannel;
    const sent = await channel.send(questionCard('post'));
    expect(sent.flags.has(V2)).toBe(true);
    expect(sent.attachments.map((a) => a.name)).toEqual(['post-1.png']);
    const stored = discord.messages.get(sent.id)!;
    expect(isComponentsV2(stored)).toBe(true);
    expect(stored.content).toBe('');
    const container = stored.components[0] as { type: number; components: { type: number; items?: { media: { url: string } }[] }[] };
    expect(container.type).toBe(17);
    expect(container.components.map((c) => c.type)).toEqual([10, 12, 14, 1]);
    expect(container.components[1]!.items![0]!.media.url).toBe('attachment://post-1.png');
    expect(componentsOf(stored).map((c) => c.label)).toEqual(['L1', 'L2', 'Dropout', 'Early stopping']);
    expect(messageText(stored)).toContain('Which penalty makes the weights sparse?');

    // Closing it: the edit keeps the flag and the image, and disables every button.
    const closed = await sent.edit({ components: closeButtons(sent.components.map((c) => c.toJSON()) as APIMessageTopLevelComponent[], (id) => (id.endsWith(':0') ? ButtonStyle.Success : undefined)), flags: V2 });
    expect(closed.flags.has(V2)).toBe(true);
    const after = discord.messages.get(sent.id)!;
    expect(isComponentsV2(after)).toBe(true);
    expect(after.attachments.map((a) => a.filename)).toEqual(['post-1.png']);
    expect(componentsOf(after).every((c) => c.disabled)).toBe(true);
    expect(componentsOf(after).find((c) => c.custom_id.endsWith(':0'))!.style).toBe(ButtonStyle.Success);
    expect(discord.violations).toEqual([]);
  });

  it('replies with an ephemeral card (4), clicks a button inside its container, and updates it in place (7)', async () => {
    onInteraction = async (i) => {
      if (i.isChatInputCommand()) await i.reply({ ...questionCard('reply'), flags: V2 | MessageFlags.Ephemeral });
      else if (i.isButton()) await i.update({ components: closeButtons(i.message.components.map((c) => c.toJSON()) as APIMessageTopLevelComponent[]) });
    };
    const res = await discord.slash(alice, 'card');
    expect(res.callbackType).toBe(4);
    expect(res.ephemeral).toBe(true);
    expect(isComponentsV2(res.message)).toBe(true);
    expect(res.files.map((f) => f.filename)).toEqual(['reply-1.png']);
    const id = componentsOf(res.message)[1]!.custom_id;
    expect(findComponent(res.message!, id)?.type).toBe(2);
    const click = await discord.click(alice, res.message!, id);
    expect(click.callbackType).toBe(7);
    const updated = discord.messages.get(res.message!.id)!;
    expect(isComponentsV2(updated)).toBe(true);
    expect(updated.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(componentsOf(updated).map((c) => c.disabled)).toEqual([true, true, true, true]);
    expect(updated.attachments.map((a) => a.filename)).toEqual(['reply-1.png']);
    expect(failures).toEqual([]);
    expect(discord.violations).toEqual([]);
  });

  it('defers (5), then edits @original into a card that stays ephemeral, and follows up with another card', async () => {
    onInteraction = async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.deferReply({ flags: MessageFlags.Ephemeral });
      await i.editReply(questionCard('deferred'));
      await i.followUp({ ...questionCard('follow'), flags: V2 | MessageFlags.Ephemeral });
    };
    const res = await discord.slash(alice, 'card');
    await res.waitFor((h) => h.followUps.length === 1, 5_000, 'the follow-up');
    expect(res.callbackType).toBe(5);
    expect(isComponentsV2(res.original)).toBe(true);
    expect(res.original!.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(res.original!.flags & MessageFlags.Loading).toBe(0);
    expect(res.original!.attachments.map((a) => a.filename)).toEqual(['deferred-1.png']);
    expect(isComponentsV2(res.followUps[0])).toBe(true);
    expect(res.text).toContain('**Question** · deferred');
    expect(res.text).toContain('**Question** · follow');
    expect(failures).toEqual([]);
    expect(discord.violations).toEqual([]);
  });

  it('shows a modal (9) from a button; a deferred update (6) of its submission then edits the card', async () => {
    onInteraction = async (i) => {
      if (i.isChatInputCommand()) await i.reply({ ...questionCard('modal'), flags: V2 });
      else if (i.isButton()) {
        const input = new TextInputBuilder().setCustomId('why').setLabel('Why?').setStyle(TextInputStyle.Paragraph).setPlaceholder('One sentence');
        await i.showModal(new ModalBuilder().setCustomId('bp1:t:why').setTitle('Explain your pick').addComponents(new ActionRowBuilder<TextInputBuilder>().addComponents(input)));
      } else if (i.isModalSubmit() && i.isFromMessage()) {
        await i.deferUpdate();
        await i.editReply({ components: closeButtons(i.message.components.map((c) => c.toJSON()) as APIMessageTopLevelComponent[]) });
      }
    };
    const res = await discord.slash(alice, 'card');
    const click = await discord.click(alice, res.message!, componentsOf(res.message)[0]!.custom_id);
    expect(click.callbackType).toBe(9);
    expect(click.modal!.title).toBe('Explain your pick');
    const submitted = await discord.submitModal(alice, click.modal!, { why: 'Corners of the L1 ball.' }, { message: res.message! });
    expect(submitted.callbackType).toBe(6);
    const card = discord.messages.get(res.message!.id)!;
    expect(isComponentsV2(card)).toBe(true);
    expect(componentsOf(card).every((c) => c.disabled)).toBe(true);
    expect(failures).toEqual([]);
    expect(discord.violations).toEqual([]);
  });

  it('answers a body Discord would refuse with 400 Invalid Form Body, records it, and does not apply it', async () => {
    const errors: unknown[] = [];
    onInteraction = async (i) => {
      if (!i.isChatInputCommand()) return;
      // A card may not have content: Discord refuses it, so must the fake.
      await i.reply({ ...questionCard('bad'), content: 'Question 1' }).catch((e: unknown) => errors.push(e));
      await i.reply({ content: 'Sorry, something went wrong.', flags: MessageFlags.Ephemeral });
    };
    const res = await discord.slash(alice, 'card');
    expect(res.content).toBe('Sorry, something went wrong.');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(DiscordAPIError);
    expect((errors[0] as DiscordAPIError).status).toBe(400);
    expect((errors[0] as DiscordAPIError).code).toBe(50035);
    expect((errors[0] as DiscordAPIError).message).toMatch(/cannot have content/);
    const [violation, ...more] = discord.violations.splice(0);
    expect(more).toEqual([]);
    expect(violation!.operation).toBe('POST /interactions/{interaction_id}/{interaction_token}/callback');
    expect(violation!.errors).toEqual(['content: a Components v2 message (flag 1 << 15) cannot have content']);

    // Dropping the flag of a posted card is refused too, and the card stays as it was.
    const channel = (await client.channels.fetch(discord.channel.id)) as TextChannel;
    const sent = await channel.send(questionCard('drop'));
    await expect(sent.edit({ content: 'plain now', components: [], flags: [] })).rejects.toThrow(/cannot drop the IS_COMPONENTS_V2 flag/);
    expect(isComponentsV2(discord.messages.get(sent.id))).toBe(true);
    expect(discord.messages.get(sent.id)!.content).toBe('');
    expect(discord.violations.splice(0).map((v) => v.operation)).toEqual(['PATCH /channels/{channel_id}/messages/{message_id}']);
  });

  it('collects what a member reads and finds raw TeX and mid-word cuts in it, naming the request', async () => {
    const channel = (await client.channels.fetch(discord.channel.id)) as TextChannel;
    const before = discord.seenText.length;
    await channel.send({ embeds: [{ title: 'Model answer', fields: [{ name: 'Why', value: 'With $\\lambda \\sum_j w_j^2$ the weights shrink; L1 promotes sparsit…' }] }] });
    const seen = discord.seenText.slice(before);
    expect(seen.map((s) => s.where)).toEqual(['embed title', 'embed field name', 'embed field value (Why)']);
    expect(seen[2]!.request).toBe('POST /channels/{channel_id}/messages');
    expect(seen[2]!.test).toContain('collects what a member reads');
    const problems = discord.problems();
    expect(problems.rawTex.map((p) => [p.where, p.found.map((f) => f.kind)])).toEqual([['embed field value (Why)', ['inline maths', 'control sequence']]]);
    expect(problems.midWordCuts.map((p) => p.found)).toEqual([[expect.stringContaining('promotes sparsit…')]]);
    // This file sent those on purpose: forget them, so the shared check passes it.
    discord.seenText.splice(before);
    expect(discord.problems()).toEqual({ spec: [], rawTex: [], midWordCuts: [] });
  });
});
