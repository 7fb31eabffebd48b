/**
 * Components v2 messages ("cards"): one container with text displays, a media gallery only
 * where there is maths or a figure, separators and the buttons. Every question, feedback,
 * drop, duel, sprint and summary message is one of these, so question text is text
 * (copyable, searchable, read by screen readers) and limits are checked in one place.
 */
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  ComponentType,
  ContainerBuilder,
  MediaGalleryBuilder,
  MediaGalleryItemBuilder,
  MessageFlags,
  SeparatorBuilder,
  SeparatorSpacingSize,
  TextDisplayBuilder,
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  type APIMessageTopLevelComponent,
  type AttachmentBuilder,
  type MessageMentionOptions,
} from 'discord.js';

/** Discord's limits for a Components v2 message. */
export const CARD_LIMITS = { components: 40, text: 4000, galleryItems: 10, rows: 5, buttonsPerRow: 5 } as const;

/** The accent colours, one per kind of message (duels have their own, never the error red). */
export const ACCENTS = {
  question: 0x5865f2,
  correct: 0x3ba55d,
  partial: 0xf0b232,
  wrong: 0xed4245,
  duel: 0x9b59b6,
  sprint: 0xe67e22,
  summary: 0xf0b232,
  closed: 0x4f545c,
} as const;

export type CardPart =
  /** Discord markdown; becomes one text display. */
  | { text: string }
  /** Images attached to the message, by file name (`attachment://<name>`); `description` is their alt text. */
  | { images: { name: string; description?: string }[] }
  | { separator: 'small' | 'large' }
  /** Buttons (at most five per row). */
  | { buttons: ButtonBuilder[] };

export interface Card {
  accent?: number;
  parts: CardPart[];
}

export interface CardPayload {
  flags: MessageFlags.IsComponentsV2;
  components: APIMessageTopLevelComponent[];
  files: AttachmentBuilder[];
  allowedMentions: MessageMentionOptions;
}

/** Thrown when a view builds a card Discord would refuse: a programming error, caught by tests. */
export class CardLimitError extends Error {}

/** The card as a message body. Mentions never ping unless `allowedMentions` says so. */
export function cardPayload(card: Card, files: AttachmentBuilder[] = [], allowedMentions: MessageMentionOptions = { parse: [] }): CardPayload {
  const container = new ContainerBuilder();
  if (card.accent !== undefined) container.setAccentColor(card.accent);
  let textLength = 0;
  const attached = new Set(files.map((f) => f.name));
  for (const part of card.parts) {
    if ('text' in part) {
      if (part.text.trim() === '') continue;
      textLength += part.text.length;
      container.addTextDisplayComponents(new TextDisplayBuilder().setContent(part.text));
    } else if ('images' in part) {
      if (part.images.length === 0) continue;
      if (part.images.length > CARD_LIMITS.galleryItems) throw new CardLimitError(`a gallery holds at most ${CARD_LIMITS.galleryItems} images`);
      for (const image of part.images) if (!attached.has(image.name)) throw new CardLimitError(`image ${image.name} is not attached`);
      container.addMediaGalleryComponents(
        new MediaGalleryBuilder().addItems(
          part.images.map((i) => {
            const item = new MediaGalleryItemBuilder().setURL(`attachment://${i.name}`);
            if (i.description) item.setDescription(i.description.slice(0, 1024));
            return item;
          }),
        ),
      );
    } else if ('separator' in part) {
      container.addSeparatorComponents(new SeparatorBuilder().setSpacing(part.separator === 'large' ? SeparatorSpacingSize.Large : SeparatorSpacingSize.Small));
    } else {
      if (part.buttons.length === 0) continue;
      if (part.buttons.length > CARD_LIMITS.buttonsPerRow) throw new CardLimitError(`a row holds at most ${CARD_LIMITS.buttonsPerRow} buttons`);
      container.addActionRowComponents(new ActionRowBuilder<ButtonBuilder>().addComponents(part.buttons));
    }
  }
  if (textLength > CARD_LIMITS.text) throw new CardLimitError(`card text is ${textLength} characters; the limit is ${CARD_LIMITS.text}`);
  const json = container.toJSON() as APIMessageTopLevelComponent;
  if (countComponents([json]) > CARD_LIMITS.components) throw new CardLimitError(`a card holds at most ${CARD_LIMITS.components} components`);
  return { flags: MessageFlags.IsComponentsV2, components: [json], files, allowedMentions };
}

function countComponents(nodes: readonly unknown[]): number {
  let n = 0;
  for (const node of nodes as { components?: unknown[]; accessory?: unknown }[]) {
    n += 1;
    if (node.components) n += countComponents(node.components);
    if (node.accessory) n += 1;
  }
  return n;
}

/**
 * A card's components with every button disabled: a round, question or step that has
 * closed looks closed. `style` may restyle a button by its custom id (e.g. the right option
 * green, the member's wrong pick red); link buttons stay as they are.
 */
export function closeButtons(components: readonly APIMessageTopLevelComponent[], style?: (customId: string) => ButtonStyle | undefined): APIMessageTopLevelComponent[] {
  const walk = (node: unknown): unknown => {
    const n = node as { type: number; custom_id?: string; style?: number; components?: unknown[] };
    if (n.type === ComponentType.Button && n.custom_id) {
      const restyled = style?.(n.custom_id);
      return { ...n, disabled: true, ...(restyled !== undefined ? { style: restyled } : {}) };
    }
    if (n.components) return { ...n, components: n.components.map(walk) };
    return n;
  };
  return components.map((c) => walk(c) as APIMessageTopLevelComponent);
}

/** Whether a posted message still has a button that can be clicked (a card not yet closed). */
export function hasLiveButtons(components: readonly { toJSON(): unknown }[] | undefined): boolean {
  const live = (node: unknown): boolean => {
    const n = node as { type: number; custom_id?: string; disabled?: boolean; components?: unknown[] };
    if (n.type === ComponentType.Button) return Boolean(n.custom_id) && !n.disabled;
    return (n.components ?? []).some(live);
  };
  return (components ?? []).some((c) => live(c.toJSON()));
}

/** The action rows of a card's components (for tests and for re-rendering a closed card). */
export function actionRows(components: readonly APIMessageTopLevelComponent[]): APIActionRowComponent<APIComponentInMessageActionRow>[] {
  const out: APIActionRowComponent<APIComponentInMessageActionRow>[] = [];
  const walk = (nodes: readonly unknown[]) => {
    for (const node of nodes as { type: number; components?: unknown[] }[]) {
      if (node.type === ComponentType.ActionRow) out.push(node as APIActionRowComponent<APIComponentInMessageActionRow>);
      else if (node.components) walk(node.components);
    }
  };
  walk(components);
  return out;
}

/** A plain button. */
export function button(customId: string, label: string, style: ButtonStyle = ButtonStyle.Secondary, emoji?: string): ButtonBuilder {
  const b = new ButtonBuilder().setCustomId(customId).setLabel(label).setStyle(style);
  if (emoji) b.setEmoji(emoji);
  return b;
}
