import { AttachmentBuilder } from 'discord.js';
import { cardPayload, type CardPart } from '../../platform/discord/card.js';
import type { RenderedImage } from '../renderer.js';

/**
 * TeX as a code block: the one place TeX is shown as text, so a member can copy it. A run of
 * backticks in the source would close the fence early; a zero-width space keeps it open.
 */
export function texSource(tex: string): string {
  return `\`\`\`tex\n${tex.replace(/```/g, '``\u200b`')}\n\`\`\``;
}

/** /tex's answer: the formula's image, the caption as text, and the source to copy. */
export function texCard(image: RenderedImage, formula: string, caption: string | null) {
  const parts: CardPart[] = [{ images: [{ name: 'formula.png', description: formula }] }];
  if (caption) parts.push({ text: caption });
  parts.push({ text: texSource(formula) });
  return cardPayload({ parts }, [new AttachmentBuilder(image.png, { name: 'formula.png', description: formula.slice(0, 1000) })]);
}
