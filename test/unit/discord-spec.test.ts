/**
 * The check every e2e request body goes through (test/support/discord-spec.ts): Discord's
 * published OpenAPI spec plus the documented limits. It must refuse real mistakes and accept
 * what the bot really sends; bodies here are what discord.js puts on the wire (its builders'
 * toJSON, `attachments: [{ id: "0" }]` for uploads, `tts: false`, `enforce_nonce`).
 */
import { AttachmentBuilder, ButtonStyle, EmbedBuilder, MessageFlags, SlashCommandBuilder, StringSelectMenuBuilder } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { button, cardPayload, closeButtons } from '../../src/platform/discord/card.js';
import { checkRequest, findOperation, visibleStrings } from '../support/discord-spec.js';

const CHANNEL = '/channels/1100000000000000000/messages';
const CALLBACK = '/interactions/1100000000000000001/tok_abc/callback';
const ORIGINAL = '/webhooks/1100000000000000002/tok_abc/messages/%40original';
const FOLLOWUP = '/webhooks/1100000000000000002/tok_abc';
const V2 = MessageFlags.IsComponentsV2;

/** A card as the bot builds it, as discord.js serialises it. */
function card(opts: { text?: string; withImage?: boolean } = {}) {
  const files = opts.withImage ? [new AttachmentBuilder(Buffer.from([0x89]), { name: 'q-1.png' })] : [];
  const payload = cardPayload(
    {
      accent: 0x5865f2,
      parts: [
        { text: opts.text ?? '**Question 1 of 5** · XGBoost\nWhy does λ shrink the leaf weights?' },
        ...(opts.withImage ? [{ images: [{ name: 'q-1.png', description: 'Formula 1' }] }] : []),
        { separator: 'small' as const },
        { buttons: ['A', 'B', 'C', 'D'].map((l, i) => button(`bp1:pa:abc:${i}`, l, ButtonStyle.Secondary)) },
      ],
    },
    files,
  );
  return {
    body: {
      content: undefined,
      tts: false,
      nonce: '1300000000000000000',
      enforce_nonce: true,
      flags: payload.flags,
      components: payload.components,
      allowed_mentions: payload.allowedMentions,
      attachments: files.map((_, id) => ({ id: String(id) })),
    },
    files: files.map((f) => f.name!),
  };
}

const errorsOf = (method: string, path: string, body: unknown, ctx = {}) => checkRequest(method, path, body, ctx).errors;

describe('Discord request checks: what Discord refuses', () => {
  it('finds the operation by method and path template, literal segments first', () => {
    expect(findOperation('PATCH', ORIGINAL)?.template).toBe('/webhooks/{webhook_id}/{webhook_token}/messages/@original');
    expect(findOperation('PATCH', '/webhooks/1/tok/messages/1200000000000000000')?.template).toBe('/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}');
    expect(findOperation('POST', CALLBACK)?.template).toBe('/interactions/{interaction_id}/{interaction_token}/callback');
    expect(checkRequest('POST', '/channels/1/nonsense', {}).errors).toEqual(['Discord has no operation POST /channels/1/nonsense']);
  });

  it('refuses a Components v2 message with content, or with embeds', () => {
    const { body, files } = card();
    expect(errorsOf('POST', CHANNEL, { ...body, content: 'Question 1' }, { files })).toEqual(['content: a Components v2 message (flag 1 << 15) cannot have content']);
    expect(errorsOf('POST', CALLBACK, { type: 4, data: { ...body, embeds: [{ title: 'Question 1' }] } }, { files })).toEqual(['embeds: a Components v2 message (flag 1 << 15) cannot have embeds']);
  });

  it('refuses 41 components counted nested, and 4,001 characters of text displays', () => {
    const texts = (n: number, each = 10) => Array.from({ length: n }, (_, i) => ({ type: 10, content: `${i}`.padEnd(each, '.') }));
    // 1 container + 39 text displays + 1 action row with a button = 42; 1 + 39 = 40 is fine.
    const fine = { flags: V2, components: [{ type: 17, components: texts(39) }] };
    expect(errorsOf('POST', CHANNEL, fine)).toEqual([]);
    const over = { flags: V2, components: [{ type: 17, components: [...texts(38), { type: 1, components: [{ type: 2, style: 2, custom_id: 'x', label: 'X' }] }] }] };
    expect(errorsOf('POST', CHANNEL, over)).toEqual(['components: 41 components in all (nested); a Components v2 message holds at most 40']);
    const long = { flags: V2, components: [{ type: 17, components: [{ type: 10, content: 'a'.repeat(2000) }, { type: 10, content: 'b'.repeat(2001) }] }] };
    expect(errorsOf('POST', CHANNEL, long)).toEqual(['components: 4001 characters of text displays; a Components v2 message holds at most 4,000']);
  });

  it('refuses a 101-character custom id, and one used twice in a message', () => {
    const row = (...ids: string[]) => ({ type: 1, components: ids.map((custom_id) => ({ type: 2, style: 1, custom_id, label: 'Go' })) });
    const errors = errorsOf('POST', CHANNEL, { content: 'Pick', components: [row('x'.repeat(101))] });
    expect(errors).toContain('/components/0/components/0/custom_id must NOT have more than 100 characters');
    expect(errorsOf('POST', CHANNEL, { content: 'Pick', components: [row('a', 'b'), row('a')] })).toEqual(['custom_id "a" is used 2 times; custom ids must be unique in a message']);
  });

  it('refuses 2,001 characters of content, 11 embeds and 6,001 characters of embed text', () => {
    expect(errorsOf('POST', CHANNEL, { content: 'x'.repeat(2001) })).toEqual(['content: 2001 characters; the limit is 2,000']);
    expect(errorsOf('POST', FOLLOWUP, { content: 'x'.repeat(2001) })).toContain('/content must NOT have more than 2000 characters');
    expect(errorsOf('POST', CHANNEL, { content: 'é'.repeat(2000) })).toEqual([]);
    expect(errorsOf('POST', CHANNEL, { embeds: Array.from({ length: 11 }, () => ({ title: 't' })) })).toContain('embeds: 11 embeds; the limit is 10');
    const big = { description: 'd'.repeat(4000), fields: [{ name: 'n', value: 'v'.repeat(1000) }, { name: 'n', value: 'v'.repeat(998) }] }; // 6,000 characters
    expect(errorsOf('POST', CHANNEL, { embeds: [big] })).toEqual([]);
    expect(errorsOf('POST', CHANNEL, { embeds: [big, { title: 'x' }] })).toEqual(['embeds: 6001 characters of embed text; the limit is 6,000 in all']);
    expect(errorsOf('POST', CHANNEL, { embeds: [{ fields: [{ name: 'Model answer', value: 'v'.repeat(1025) }] }] })).toEqual(['/embeds/0/fields/0/value must NOT have more than 1024 characters']);
  });

  it('refuses a bad component type, v2 components without the flag, and more than 5 rows or 5 buttons', () => {
    expect(errorsOf('POST', CHANNEL, { content: 'x', components: [{ type: 1, components: [{ type: 99, custom_id: 'x' }] }] })).toContain('/components/0/components/0/type must be equal to one of the allowed values');
    expect(errorsOf('POST', CHANNEL, { flags: V2, components: [{ type: 17, components: [{ type: 2, style: 1, custom_id: 'x', label: 'X' }] }] })).toEqual([
      '/components/0/components/0/type must be equal to one of the allowed values',
    ]);
    expect(errorsOf('POST', CHANNEL, { components: [{ type: 10, content: 'hello' }] })).toEqual([
      'components/0: component type 10 needs the IS_COMPONENTS_V2 flag (1 << 15); without it only action rows are allowed',
    ]);
    const row = (n: number, tag = 'r') => ({ type: 1, components: Array.from({ length: n }, (_, i) => ({ type: 2, style: 1, custom_id: `${tag}${i}`, label: 'Go' })) });
    expect(errorsOf('POST', CHANNEL, { components: [row(6)] })).toContain('/components/0/components must NOT have more than 5 items');
    expect(errorsOf('POST', CHANNEL, { components: Array.from({ length: 6 }, (_, i) => row(1, `r${i}-`)) })).toEqual(['components: 6 rows; a message holds at most 5 action rows']);
    expect(errorsOf('POST', CHANNEL, { components: [{ type: 1, components: [{ type: 2, style: 1, label: 'No id' }] }] })).toEqual(['button No id: a button of style 1 needs a custom_id']);
  });

  it('refuses an image named by attachment:// that is not attached', () => {
    const { body } = card({ withImage: true });
    expect(errorsOf('POST', CHANNEL, { ...body, attachments: [] }, { files: [] })).toEqual(['attachment://q-1.png is referenced but no file of that name is attached']);
    expect(errorsOf('POST', CHANNEL, { embeds: [{ image: { url: 'attachment://roc.png' } }] }, { files: ['other.png'] })).toEqual(['attachment://roc.png is referenced but no file of that name is attached']);
  });

  it('refuses an edit that drops the Components v2 flag, or that gives a v2 message content', () => {
    const { body, files } = card({ withImage: true });
    const previous = { flags: V2, content: '', embeds: [], components: body.components, attachments: [{ id: '1250000000000000000', filename: 'q-1.png' }] };
    expect(errorsOf('PATCH', ORIGINAL, { flags: 0, components: body.components }, { previous })).toContain('flags: a Components v2 message cannot drop the IS_COMPONENTS_V2 flag (1 << 15) on edit');
    expect(errorsOf('POST', CALLBACK, { type: 7, data: { content: 'Closed' } }, { previous })).toEqual(['content: a Components v2 message (flag 1 << 15) cannot have content']);
    // Kept attachments still count for attachment://; removed ones do not.
    expect(errorsOf('PATCH', `${CHANNEL}/1200000000000000000`, { components: closeButtons(body.components) }, { previous })).toEqual([]);
    expect(errorsOf('PATCH', `${CHANNEL}/1200000000000000000`, { components: body.components, attachments: [] }, { previous })).toEqual([
      'attachment://q-1.png is referenced but no file of that name is attached',
    ]);
    void files;
  });

  it('refuses a 26-option select, a 46-character modal title and 26 autocomplete choices', () => {
    const select = new StringSelectMenuBuilder().setCustomId('pick').addOptions(Array.from({ length: 25 }, (_, i) => ({ label: `o${i}`, value: `${i}` }))).toJSON();
    const withOptions = (n: number) => ({ content: 'Pick', components: [{ type: 1, components: [{ ...select, options: Array.from({ length: n }, (_, i) => ({ label: `o${i}`, value: `${i}` })) }] }] });
    expect(errorsOf('POST', CHANNEL, withOptions(25))).toEqual([]);
    expect(errorsOf('POST', CHANNEL, withOptions(26))).toContain('/components/0/components/0/options must NOT have more than 25 items');
    const modal = (title: string) => ({ type: 9, data: { custom_id: 'bp1:m', title, components: [{ type: 1, components: [{ type: 4, custom_id: 'answer', style: 2, label: 'Your answer' }] }] } });
    expect(errorsOf('POST', CALLBACK, modal('x'.repeat(45)))).toEqual([]);
    expect(errorsOf('POST', CALLBACK, modal('x'.repeat(46)))).toContain('/data/title must NOT have more than 45 characters');
    const choices = (n: number) => ({ type: 8, data: { choices: Array.from({ length: n }, (_, i) => ({ name: `Europe/${i}`, value: `${i}` })) } });
    expect(errorsOf('POST', CALLBACK, choices(25))).toEqual([]);
    expect(errorsOf('POST', CALLBACK, choices(26)).join()).toMatch(/must NOT have more than 25 items/);
  });
});

describe('Discord request checks: what the bot sends and Discord accepts', () => {
  it('accepts a real card (cardPayload), with and without an attached formula image, and the card closed', () => {
    for (const withImage of [false, true]) {
      const { body, files } = card({ withImage });
      expect(checkRequest('POST', CHANNEL, body, { files })).toEqual({ operation: 'POST /channels/{channel_id}/messages', errors: [] });
      expect(errorsOf('POST', CALLBACK, { type: 4, data: { ...body, flags: V2 | MessageFlags.Ephemeral } }, { files })).toEqual([]);
      expect(errorsOf('POST', FOLLOWUP, body, { files })).toEqual([]);
      const previous = { flags: V2, content: '', embeds: [], components: body.components, attachments: files.map((filename, i) => ({ id: `12${i}0000000000000000`, filename })) };
      expect(errorsOf('PATCH', `${CHANNEL}/1200000000000000000`, { flags: V2, components: closeButtons(body.components, (id) => (id.endsWith(':0') ? ButtonStyle.Success : undefined)) }, { previous })).toEqual([]);
    }
  });

  it('accepts an embed message with buttons, as the classic views send it', () => {
    const embed = new EmbedBuilder().setTitle('Question 1').setDescription('Why?').addFields({ name: 'A', value: 'Because' }).setFooter({ text: 'Backprop' }).setColor(0x5865f2).setImage('attachment://q.png').toJSON();
    const row = { type: 1, components: [button('bp1:pa:x:0', 'A').toJSON(), button('bp1:pa:x:1', 'B').setEmoji('✅').toJSON()] };
    expect(errorsOf('POST', CHANNEL, { content: '**Drop!**', tts: false, nonce: '1', enforce_nonce: true, embeds: [embed], components: [row], attachments: [{ id: '0' }] }, { files: ['q.png'] })).toEqual([]);
  });

  it('accepts an interaction callback of each type: 4 reply, 5 defer, 6 deferred update, 7 update, 9 modal', () => {
    const { body, files } = card();
    expect(errorsOf('POST', CALLBACK, { type: 4, data: { content: 'Saved.', flags: MessageFlags.Ephemeral, allowed_mentions: { parse: [] } } })).toEqual([]);
    expect(errorsOf('POST', CALLBACK, { type: 5, data: { flags: MessageFlags.Ephemeral } })).toEqual([]);
    expect(errorsOf('POST', CALLBACK, { type: 6 })).toEqual([]);
    const previous = { flags: V2, content: '', embeds: [], components: body.components, attachments: [] };
    expect(errorsOf('POST', CALLBACK, { type: 7, data: { components: closeButtons(body.components), flags: V2 } }, { previous, files })).toEqual([]);
    const modal = { type: 9, data: { custom_id: 'bp1:wb:add', title: 'Add a step', components: [{ type: 1, components: [{ type: 4, custom_id: 'step', style: 2, label: 'Step', placeholder: '= 2x', max_length: 500, required: true }] }] } };
    expect(errorsOf('POST', CALLBACK, modal)).toEqual([]);
  });

  it('accepts a follow-up, a PATCH of @original after a defer (becoming a v2 card), and a webhook message edit', () => {
    const { body, files } = card({ withImage: true });
    expect(errorsOf('POST', FOLLOWUP, { content: 'You got 3 of 5.', flags: MessageFlags.Ephemeral })).toEqual([]);
    const deferred = { flags: MessageFlags.Ephemeral | MessageFlags.Loading, content: '', embeds: [], components: [], attachments: [] };
    expect(errorsOf('PATCH', ORIGINAL, body, { previous: deferred, files })).toEqual([]);
    expect(errorsOf('PATCH', '/webhooks/1/tok/messages/1200000000000000000', { content: 'edited', embeds: [] }, { previous: { ...deferred, flags: 0, content: 'x' } })).toEqual([]);
  });

  it('accepts the real command registration PUT (default_member_permissions as a string, as discord.js sends it)', () => {
    const defs = commands.map((c) => c.data.toJSON());
    expect(defs.some((d) => typeof d.default_member_permissions === 'string')).toBe(true);
    expect(checkRequest('PUT', '/applications/1100000000000000000/commands', defs)).toEqual({ operation: 'PUT /applications/{application_id}/commands', errors: [] });
    expect(errorsOf('PUT', '/applications/1/guilds/2/commands', defs)).toEqual([]);
    const tooLong = new SlashCommandBuilder().setName('x').setDescription('d').toJSON();
    expect(errorsOf('PUT', '/applications/1/commands', [{ ...tooLong, description: 'd'.repeat(101) }])).toEqual(['/0/description must NOT have more than 100 characters']);
  });
});

describe('what a member reads, from a body', () => {
  it('collects content, embeds, text displays, labels, options, modal and autocomplete strings', () => {
    const { body } = card({ withImage: true });
    const seen = visibleStrings('POST', CHANNEL, { ...body, embeds: [{ title: 'T', description: 'D', fields: [{ name: 'N', value: 'V' }], footer: { text: 'F' }, author: { name: 'Au' } }] });
    expect(seen.map((s) => `${s.where}: ${s.text}`)).toEqual([
      'embed author: Au',
      'embed title: T',
      'embed description: D',
      'embed field name: N',
      'embed field value (N): V',
      'embed footer: F',
      'text display: **Question 1 of 5** · XGBoost\nWhy does λ shrink the leaf weights?',
      'image description: Formula 1',
      'button label: A',
      'button label: B',
      'button label: C',
      'button label: D',
    ]);
    const select = { content: 'Pick', components: [{ type: 1, components: [{ type: 3, custom_id: 's', placeholder: 'Choose', options: [{ label: 'L', value: 'v', description: 'Desc' }] }] }] };
    expect(visibleStrings('POST', CHANNEL, select).map((s) => s.text)).toEqual(['Pick', 'Choose', 'L', 'Desc']);
    expect(visibleStrings('POST', CALLBACK, { type: 8, data: { choices: [{ name: 'Europe/Paris', value: 'Europe/Paris' }] } })).toEqual([{ where: 'autocomplete choice', text: 'Europe/Paris' }]);
    const modal = { type: 9, data: { custom_id: 'm', title: 'Add a step', components: [{ type: 1, components: [{ type: 4, custom_id: 'step', style: 2, label: 'Step', placeholder: '\\frac{a}{b}' }] }] } };
    expect(visibleStrings('POST', CALLBACK, modal)).toEqual([
      { where: 'modal title', text: 'Add a step' },
      { where: 'text input label', text: 'Step' },
      { where: 'text input placeholder', text: '\\frac{a}{b}' },
    ]);
  });
});
