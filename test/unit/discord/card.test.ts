import { AttachmentBuilder, ButtonStyle, ComponentType } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { ACCENTS, CardLimitError, actionRows, button, cardPayload, closeButtons } from '../../../src/platform/discord/card.js';

const png = () => new AttachmentBuilder(Buffer.from([0x89, 0x50]), { name: 'f-1.png' });

describe('cardPayload', () => {
  it('is one Components v2 container: text displays, the gallery, separators and buttons in order, no content or embeds', () => {
    const p = cardPayload(
      { accent: ACCENTS.duel, parts: [{ text: '## Round 1' }, { images: [{ name: 'f-1.png', description: 'w* = -G/(H+λ)' }] }, { separator: 'small' }, { buttons: [button('bp1:x:1', 'A'), button('bp1:x:2', 'B')] }] },
      [png()],
    );
    expect(p.flags).toBe(1 << 15);
    expect(p).not.toHaveProperty('content');
    expect(p).not.toHaveProperty('embeds');
    const [container] = p.components as unknown as { type: number; accent_color: number; components: { type: number }[] }[];
    expect(container!.type).toBe(ComponentType.Container);
    expect(container!.accent_color).toBe(ACCENTS.duel);
    expect(container!.components.map((c) => c.type)).toEqual([ComponentType.TextDisplay, ComponentType.MediaGallery, ComponentType.Separator, ComponentType.ActionRow]);
    expect(p.allowedMentions).toEqual({ parse: [] });
  });

  it('leaves out empty text and empty galleries, so no blank component is sent', () => {
    const p = cardPayload({ parts: [{ text: '  ' }, { images: [] }, { text: 'hello' }, { buttons: [] }] });
    const [container] = p.components as unknown as { components: { type: number }[] }[];
    expect(container!.components).toHaveLength(1);
  });

  it('refuses what Discord would refuse: text over 4,000 characters, an unattached image, a sixth button in a row, over 40 components', () => {
    expect(() => cardPayload({ parts: [{ text: 'x'.repeat(2500) }, { text: 'y'.repeat(1501) }] })).toThrow(CardLimitError);
    expect(() => cardPayload({ parts: [{ images: [{ name: 'missing.png' }] }] })).toThrow(/not attached/);
    expect(() => cardPayload({ parts: [{ buttons: [1, 2, 3, 4, 5, 6].map((i) => button(`bp1:x:${i}`, String(i))) }] })).toThrow(CardLimitError);
    const many = Array.from({ length: 8 }, (_, r) => ({ buttons: [1, 2, 3, 4, 5].map((i) => button(`bp1:x:${r}:${i}`, String(i))) }));
    expect(() => cardPayload({ parts: many })).toThrow(/40 components/);
    expect(() => cardPayload({ parts: [{ text: 'x'.repeat(4000) }] })).not.toThrow();
  });
});

describe('closeButtons', () => {
  it('disables every button in place and restyles the ones asked, leaving text alone', () => {
    const p = cardPayload({ parts: [{ text: 'Q' }, { buttons: [button('bp1:a:0', 'A'), button('bp1:a:1', 'B')] }] });
    const closed = closeButtons(p.components, (id) => (id.endsWith(':1') ? ButtonStyle.Success : undefined));
    const buttons = actionRows(closed).flatMap((r) => r.components) as { disabled?: boolean; style: number; label: string }[];
    expect(buttons.map((b) => [b.label, b.disabled, b.style])).toEqual([
      ['A', true, ButtonStyle.Secondary],
      ['B', true, ButtonStyle.Success],
    ]);
    expect(JSON.stringify(closed)).toContain('"content":"Q"');
    // the original is untouched
    expect((actionRows(p.components)[0]!.components[0] as { disabled?: boolean }).disabled).toBeUndefined();
  });
});
