/**
 * Bank text (Markdown with `$…$` inline and `$$…$$` display TeX) made readable in Discord,
 * where text is text: inline maths becomes Unicode where that is faithful (λ, x², ∑ᵢ, √, ≤,
 * subscripts); what cannot be written faithfully, and every display formula, is left for an
 * image, and the text says where ("formula 1 below"). Pure: no canvas, no MathJax.
 */

export interface Readable {
  /** Discord markdown with no TeX left in it. */
  text: string;
  /** TeX (without delimiters) of the formulas to draw as images, numbered from `firstFormula`. */
  formulas: string[];
}

export interface ReadableOptions {
  /** Number of the first formula this text refers to (when several texts share one card's images). Default 1. */
  firstFormula?: number;
}

const MATH = /\$\$([\s\S]+?)\$\$|\$((?:\\\$|[^$\n])+?)\$/g;

/**
 * Unicode for simple inline TeX, or null when it cannot be written faithfully.
 * (First version: only TeX with no commands, braces, sub- or superscripts.)
 */
export function texToUnicode(tex: string): string | null {
  const t = tex.trim();
  if (/[\\{}^_&]/.test(t)) return null;
  return t;
}

/** Text with its maths made readable: see the module comment. */
export function readable(source: string, options: ReadableOptions = {}): Readable {
  const formulas: string[] = [];
  const first = options.firstFormula ?? 1;
  const text = source.replace(MATH, (_m, display: string | undefined, inline: string | undefined) => {
    if (inline !== undefined) {
      const u = texToUnicode(inline);
      if (u !== null) return u;
    }
    formulas.push((display ?? inline ?? '').trim());
    return `(formula ${first + formulas.length - 1} below)`;
  });
  return { text, formulas };
}
