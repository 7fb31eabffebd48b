/**
 * Texts with maths, ready for a card: each text made readable (render/readable.ts) and its
 * formulas drawn as images for the card's media gallery, numbered across all the texts.
 */
import { AttachmentBuilder } from 'discord.js';
import type { Renderer } from '../renderer.js';
import type { ThemeName } from '../theme.js';
import { readable, texAltText } from '../readable.js';

export interface TypesetTexts {
  /** The texts, in order, with no TeX left. */
  texts: string[];
  /** One PNG per formula, to attach. */
  files: AttachmentBuilder[];
  /** The gallery items that show them (empty when there were no formulas). */
  images: { name: string; description: string }[];
}

/** Several texts made readable, their formulas numbered across all of them (as `typeset` numbers its images). */
export function readableTexts(texts: readonly string[]): { texts: string[]; formulas: string[] } {
  const out = { texts: [] as string[], formulas: [] as string[] };
  for (const t of texts) {
    const r = readable(t, { firstFormula: out.formulas.length + 1 });
    out.texts.push(r.text);
    out.formulas.push(...r.formulas);
  }
  return out;
}

/** `prefix` keeps file names unique within a message (e.g. "q", "answer"). */
export async function typeset(renderer: Renderer, theme: ThemeName, texts: readonly string[], prefix = 'math'): Promise<TypesetTexts> {
  const { texts: readableOnes, formulas } = readableTexts(texts);
  const out: TypesetTexts = { texts: readableOnes, files: [], images: [] };
  for (const [i, tex] of formulas.entries()) {
    const image = await renderer.tex(tex, { theme, display: true });
    const name = `${prefix}-${i + 1}.png`;
    out.files.push(new AttachmentBuilder(image.png, { name }));
    // The alt text names the formula as the text refers to it and reads it out (Unicode where faithful).
    out.images.push({ name, description: `Formula ${i + 1}: ${texAltText(tex)}` });
  }
  return out;
}
