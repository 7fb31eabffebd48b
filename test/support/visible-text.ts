/**
 * What a member reads, checked: raw TeX (delimiters, control sequences, braces of sub- and
 * superscripts) outside code spans and blocks, and text cut mid-word (a letter right before
 * an ellipsis). Used by the bank-wide unit test and by the e2e suite over every message sent.
 */

/** The text with fenced code blocks and inline code spans removed (TeX there is shown on purpose). */
export function withoutCode(text: string): string {
  return text.replace(/```[\s\S]*?```/g, ' ').replace(/`[^`\n]*`/g, ' ');
}

const TEX_PATTERNS: [string, RegExp][] = [
  ['display delimiters', /\$\$/],
  ['inline maths', /(^|[^\\\w])\$(?=\S)[^$\n]*?[^\s$]\$(?!\d)/],
  ['control sequence', /\\(?:[a-zA-Z]{2,}|[(){}[\],;!|])/],
  ['sub/superscript braces', /[_^]\{/],
];

/** Every raw-TeX fragment found in `text`, with what kind it is. */
export function findRawTex(text: string): { kind: string; fragment: string }[] {
  const plain = withoutCode(text);
  const found: { kind: string; fragment: string }[] = [];
  for (const [kind, re] of TEX_PATTERNS) {
    const m = re.exec(plain);
    if (m) found.push({ kind, fragment: plain.slice(Math.max(0, m.index - 20), m.index + m[0].length + 20) });
  }
  return found;
}

/**
 * Places where text was cut inside a word ("sparsit…"): a letter right before an ellipsis at
 * the end of a line. Text clipped on a word boundary ("…histograms and…") looks the same, so
 * given `isWord` (e.g. `wholeWords` of the texts the cut ones came from), an ellipsis after
 * a known whole word is not reported.
 */
export function findMidWordCuts(text: string, isWord?: (word: string) => boolean): string[] {
  const out: string[] = [];
  const plain = withoutCode(text);
  for (const m of plain.matchAll(/(\p{L}+)(?:…|\.\.\.)(?=\s*$|\s*\n)/gu)) {
    if (isWord?.(m[1]!.toLowerCase())) continue;
    const end = m.index + m[0].length;
    out.push(plain.slice(Math.max(0, end - 32), end));
  }
  return out;
}

/** Every word that occurs whole in the texts (followed by something other than an ellipsis), lower-cased. */
export function wholeWords(texts: Iterable<string>, into = new Set<string>()): Set<string> {
  for (const t of texts) {
    for (const m of t.matchAll(/\p{L}+(?!\p{L}|…|\.\.\.)/gu)) into.add(m[0].toLowerCase());
  }
  return into;
}
