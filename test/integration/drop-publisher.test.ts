/**
 * The Discord drop publisher with the real discord.js client against the fake Discord: what
 * members see of each step (cards, whole options, a countdown, no internal id, no raw TeX),
 * a step closing visibly, and crash recovery by the marker in the buttons' custom ids, not by
 * the nonce (Discord forgets nonces after a few minutes and never returns them on a fetch).
 */
import { randomUUID } from 'node:crypto';
import { Events, type Client } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBank, type Chain } from '../../src/bank/load.js';
import { DiscordDropPublisher } from '../../src/drop/discord/publisher.js';
import { dropOptions } from '../../src/drop/rules.js';
import type { Distribution, Drop, StepPost } from '../../src/drop/types.js';
import { ACCENTS } from '../../src/platform/discord/card.js';
import { createDiscordClient } from '../../src/platform/discord/client.js';
import { readable } from '../../src/render/readable.js';
import { createRenderer, type PooledRenderer } from '../../src/render/renderer.js';
import { FakeDiscord, componentsOf, isComponentsV2, messageText, type FakeMessage } from '../support/fake-discord.js';
import { findMidWordCuts, findRawTex } from '../support/visible-text.js';

const bank = loadBank();
// The chain whose root's model answer has the most maths, so the reveal carries formula images.
const chain: Chain = bank.chains.filter((c) => c.prompts.length >= 3).sort((a, b) => readable(b.prompts[0]!.answer).formulas.length - readable(a.prompts[0]!.answer).formulas.length)[0]!;
const topicTitle = bank.topicById.get(chain.topic)!.title;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
let discord: FakeDiscord;
let client: Client;
let renderer: PooledRenderer;
let publisher: DiscordDropPublisher;

beforeAll(async () => {
  discord = await FakeDiscord.start({ guilds: [{ name: 'Study Group', channels: ['general'] }] });
  client = createDiscordClient({ DISCORD_API_URL: discord.apiUrl });
  const ready = new Promise((resolve) => client.once(Events.ClientReady, resolve));
  await client.login('fake-token');
  await ready;
  renderer = createRenderer({ size: 1, timeoutMs: 30_000 });
  publisher = new DiscordDropPublisher(client, renderer, async () => 'dark');
}, 60_000);

afterAll(async () => {
  await client?.destroy();
  await renderer?.close();
  await discord?.close();
});

const channelId = () => discord.guild.channels[0]!.id;
const newDrop = (): Drop => ({
  id: randomUUID(),
  scheduleId: null,
  slotAt: new Date(),
  guildId: discord.guild.id,
  channelId: channelId(),
  chainId: chain.id,
  roleId: '777000000000000001',
  revealEveryMinutes: 5,
  revealAfterAnswers: null,
  late: false,
  status: 'active',
  posted: 0,
  nextStepAt: new Date(),
  threadId: null,
});
const asked = (drop: Drop, step: number) => ({ prompt: chain.prompts[step]!, options: dropOptions(chain.prompts[step]!, drop.id, step) });
const closesAt = new Date(Date.UTC(2026, 11, 8, 9, 5));
const post = (drop: Drop, step: number, recovering: boolean, reveal?: StepPost['reveal']): StepPost => {
  const base = { drop, chain, topicTitle, step, recovering, closesAt, ...(reveal ? { reveal } : {}) };
  return step < chain.prompts.length ? { ...base, question: asked(drop, step) } : { ...base, summary: { participants: 3, perStep: chain.prompts.map(() => ({ answered: 3, correct: 2 })), fastest: { userId: '123456789012345678', ms: 4200, step: 0 } } };
};
/** Two answers on the right option, one on another, one in own words. */
const distributionFor = (drop: Drop, step: number): Distribution => {
  const { options } = asked(drop, step);
  const right = options.find((o) => o.correct)!;
  const wrong = options.find((o) => !o.correct)!;
  return { counts: new Map([[right.text, 2], [wrong.text, 1]]), ownWords: 1, total: 4 };
};
const live = (id: string) => [...discord.messages.values()].filter((m) => m.channel_id === id && !m.deleted && m.origin === 'channel');
const accentOf = (m: FakeMessage) => (m.components[0] as { accent_color?: number }).accent_color;

/** What every message a member reads must hold to: a card, no internal id, no raw TeX, nothing cut mid-word. */
function expectReadable(m: FakeMessage, drop: Drop) {
  const text = messageText(m);
  expect(isComponentsV2(m)).toBe(true);
  expect(m.content).toBe('');
  expect(m.embeds).toEqual([]);
  expect(text).not.toMatch(UUID);
  expect(text).not.toContain(drop.id.replace(/-/g, '').slice(0, 12));
  expect(findRawTex(text)).toEqual([]);
  expect(findMidWordCuts(text)).toEqual([]);
}

describe('the Discord drop publisher', () => {
  it('posts the root as a card: role ping once, the question and whole options as text, the buttons, a countdown', async () => {
    const drop = newDrop();
    const { messageId, threadId } = await publisher.postStep(post(drop, 0, false));
    const root = discord.messages.get(messageId)!;
    expectReadable(root, drop);
    const text = messageText(root);
    const { prompt, options } = asked(drop, 0);
    expect(text).toContain(`Question drop: ${chain.title}`);
    expect(text).toContain(`${prompt.level} · ${topicTitle}`);
    expect(text).toContain(readable(prompt.question).text);
    for (const o of options) expect(text).toContain(readable(o.text).text);
    expect(text).toContain(`<t:${closesAt.getTime() / 1000}:R>`);
    expect(text).toContain('<@&777000000000000001>');
    expect(root.allowed_mentions).toEqual({ parse: [], roles: ['777000000000000001'] });
    expect(accentOf(root)).toBe(ACCENTS.question);
    // No PNG repeating the question: its text is text.
    expect(root.attachments).toEqual([]);
    expect(componentsOf(root).map((c) => c.label)).toEqual([...'ABCDE'.slice(0, options.length), 'Answer in my own words']);
    expect(root.thread?.id).toBe(threadId);
  });

  it('closes a step visibly, reveals it whole in the thread, then posts the follow-up with its own countdown and no ping', async () => {
    const drop = newDrop();
    const root = await publisher.postStep(post(drop, 0, false));
    drop.threadId = root.threadId!;
    const distribution = distributionFor(drop, 0);
    const step1 = await publisher.postStep(post(drop, 1, false, { step: 0, ...asked(drop, 0), distribution, messageId: root.messageId }));

    // The root is edited: closed, buttons disabled, the right option green and ticked, the counts.
    const closed = discord.messages.get(root.messageId)!;
    expectReadable(closed, drop);
    const { options, prompt } = asked(drop, 0);
    const right = options.findIndex((o) => o.correct);
    const buttons = componentsOf(closed);
    expect(buttons.every((b) => b.disabled)).toBe(true);
    expect(buttons.filter((b) => b.style === 3).map((b) => b.label)).toEqual(['ABCDE'[right]]);
    const closedText = messageText(closed);
    expect(closedText).toContain('🔒 Closed · 4 answers (1 in their own words)');
    expect(closedText).toContain(`✅ **${'ABCDE'[right]}.** ${readable(options[right]!.text).text} — **2**`);
    expect(closedText).not.toMatch(/<t:\d+:R>/);
    expect(closedText).not.toContain('<@&'); // the ping was the live root's, once
    expect(accentOf(closed)).toBe(ACCENTS.closed);

    // In the thread: the reveal (whole options with counts, model answer and what it tested, whole), then follow-up 1.
    const thread = live(drop.threadId);
    expect(thread.map((m) => m.id).at(-1)).toBe(step1.messageId);
    const reveals = thread.slice(0, -1);
    expect(reveals.length).toBeGreaterThanOrEqual(1);
    for (const r of reveals) expectReadable(r, drop);
    const revealText = reveals.map(messageText).join('\n');
    expect(revealText).toContain('How the channel answered** · 4 answers');
    for (const [i, o] of options.entries()) expect(revealText).toContain(`**${'ABCDE'[i]}.** ${readable(o.text).text} — **${distribution.counts.get(o.text) ?? 0}**`);
    expect(revealText).toContain('✍️ In their own words — **1**');
    const answer = readable(prompt.answer);
    for (const paragraph of answer.text.split(/\n{2,}/)) expect(revealText).toContain(paragraph);
    expect(revealText).toContain(readable(prompt.testing).text);
    // The formulas the answer refers to are drawn, in the same messages.
    expect(reveals.flatMap((r) => r.attachments).length).toBe(answer.formulas.length);
    for (const r of reveals) expect(r.attachments.length).toBeLessThanOrEqual(10);

    const follow = discord.messages.get(step1.messageId)!;
    expectReadable(follow, drop);
    expect(messageText(follow)).toContain(`Follow-up 1 of ${chain.prompts.length - 1}`);
    expect(messageText(follow)).toContain(`<t:${closesAt.getTime() / 1000}:R>`);
    expect(follow.allowed_mentions).toEqual({ parse: [], roles: [] });
    expect(componentsOf(follow).some((b) => b.disabled)).toBe(false);
  });

  it('a retried step finds what it already posted by the marker in its buttons, even after Discord forgot the nonces, and posts only what is missing', async () => {
    const drop = newDrop();
    const first = await publisher.postStep(post(drop, 0, false));
    drop.threadId = first.threadId!;
    discord.forgetNonces();
    const again = await publisher.postStep(post(drop, 0, true));
    expect(again).toEqual(first);
    expect(live(channelId()).filter((m) => m.thread?.id === drop.threadId)).toHaveLength(1);

    const reveal = { step: 0, ...asked(drop, 0), distribution: distributionFor(drop, 0), messageId: first.messageId };
    const step1 = await publisher.postStep(post(drop, 1, false, reveal));
    const posted = live(drop.threadId).length;
    // A crash after the reveal went out but before the follow-up did: the follow-up is missing.
    discord.messages.get(step1.messageId)!.deleted = true;
    discord.forgetNonces();
    const retried = await publisher.postStep(post(drop, 1, true, reveal));
    expect(live(drop.threadId)).toHaveLength(posted); // the reveal once, the follow-up once
    expect(retried.messageId).not.toBe(step1.messageId);
    // A second retry finds everything and posts nothing.
    discord.forgetNonces();
    expect(await publisher.postStep(post(drop, 1, true, reveal))).toEqual(retried);
    expect(live(drop.threadId)).toHaveLength(posted);

    // Without the recovery look-up (and without the nonce), the same step would be posted twice: the check above can fail.
    discord.forgetNonces();
    await publisher.postStep(post(drop, 1, false, reveal));
    expect(live(drop.threadId).length).toBeGreaterThan(posted);
  });

  it('posts the summary as text with a "Your results" button, found again on a retry', async () => {
    const drop = newDrop();
    const root = await publisher.postStep(post(drop, 0, false));
    drop.threadId = root.threadId!;
    const n = chain.prompts.length;
    const reveal = { step: n - 1, ...asked(drop, n - 1), distribution: distributionFor(drop, n - 1), messageId: null };
    const summary = await publisher.postStep(post(drop, n, false, reveal));
    const card = discord.messages.get(summary.messageId)!;
    expectReadable(card, drop);
    const text = messageText(card);
    expect(text).toContain(`🏁 Drop complete: ${chain.title}`);
    expect(text).toContain('3 participants');
    expect(text).toContain('**Root question**: 2 of 3 answers correct (67%)');
    expect(text).toContain('Fastest correct: <@123456789012345678>, 4.2 s on the root question');
    expect(card.attachments).toEqual([]); // the numbers are text; no picture repeating them
    expect(componentsOf(card).map((c) => c.label)).toEqual(['Your results']);
    const count = live(drop.threadId).length;
    discord.forgetNonces();
    expect(await publisher.postStep(post(drop, n, true, reveal))).toEqual(summary);
    expect(live(drop.threadId)).toHaveLength(count);
  });
});
