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

/** Places where text was cut inside a word ("sparsit…"). */
export function findMidWordCuts(text: string): string[] {
  const out: string[] = [];
  for (const m of withoutCode(text).matchAll(/\p{L}(?:…|\.\.\.)(?=\s*$|\s*\n)/gu)) out.push(text.slice(Math.max(0, m.index - 30), m.index + 2));
  return out;
}
