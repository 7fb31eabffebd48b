/**
 * What makes a refusal hard to read, found in its text: more than one sentence, the same
 * words said twice ("I could not read that as a number: I couldn't read …"), no closing
 * punctuation, "1 rounds", an internal error code or id. Returns one short problem per
 * finding (empty: the refusal reads well). Code spans are left out of the sentence and
 * wording checks: what a member typed, or a command to type, is quoted on purpose.
 */

/** Words ending in s that are not plurals, so "1 <word>" is fine. */
const NOT_PLURAL = new Set(['is', 'was', 'has', 'this', 'its', 'yes', 'plus', 'less', 'class', 'across', 'always', 'minus', 'as', 'us', 'does', 'bonus', 'process']);

/** Abbreviations whose full stop ends no sentence. */
const ABBREVIATIONS = /\b(e\.g|i\.e|vs|cf|approx)\./gi;

const CONTRACTIONS: [RegExp, string][] = [
  [/\bcan['’]t\b/g, 'can not'],
  [/\bcannot\b/g, 'can not'],
  [/\bwon['’]t\b/g, 'will not'],
  [/\b(\w+)n['’]t\b/g, '$1 not'],
  [/\b(\w+)['’]re\b/g, '$1 are'],
  [/\b(\w+)['’]s\b/g, '$1 is'],
  [/\bi['’]m\b/g, 'i am'],
];

/** Words too common to make a repeat worth flagging on their own. */
const STOP = new Set(['a', 'an', 'the', 'of', 'to', 'in', 'on', 'or', 'and', 'is', 'are', 'be', 'it', 'this', 'that', 'with', 'for', 'as', 'at', 'by', 'i', 'you', 'your', 'not', 'no', 'one', 'from']);

const FEATURE_CODE = /\b(?:answers|drop|duel|leaderboard|practice|render|roc|schedule|sprint|whiteboard|mastery|privacy)\.[a-z][a-z-]*\b/;
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/i;
const LONG_HEX = /\b[0-9a-f]{16,}\b/i;

/** The text a member reads as prose: code spans, mentions and markdown emphasis taken out. */
function prose(text: string): string {
  return text
    .replace(/```[\s\S]*?```/g, ' CODE ')
    .replace(/`[^`\n]*`/g, ' CODE ')
    .replace(/<[@#][&!]?\d+>/g, ' MENTION ')
    .replace(/\*\*|__/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export function sentences(text: string): string[] {
  const plain = prose(text).replace(ABBREVIATIONS, (m) => m.replace(/\./g, '·'));
  // A sentence ends at . ! ? (or an ellipsis), possibly inside closing quotes or brackets, before a space and a non-lowercase start.
  return plain
    .split(/(?<=[.!?…]["'”’)\]]*)\s+(?=[^a-z\s])/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function words(text: string): string[] {
  // What the member typed, quoted back ("…"), is theirs: its words may repeat.
  let t = prose(text).replace(/"[^"\n]*"/g, ' ').toLowerCase();
  for (const [re, to] of CONTRACTIONS) t = t.replace(re, to);
  return t
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .filter((w) => w !== 'code' && w !== 'mention');
}

/** Runs of three words said twice, unless all three are common words. */
function repeats(text: string): string[] {
  const w = words(text);
  const seen = new Map<string, number>();
  const out: string[] = [];
  for (let i = 0; i + 3 <= w.length; i++) {
    const gram = w.slice(i, i + 3);
    if (gram.every((x) => STOP.has(x))) continue;
    const key = gram.join(' ');
    const at = seen.get(key);
    if (at !== undefined && at + 3 <= i && !out.includes(key)) out.push(key);
    if (at === undefined) seen.set(key, i);
  }
  return out;
}

export function refusalProblems(text: string): string[] {
  const problems: string[] = [];
  const trimmed = text.trim();
  if (trimmed === '') return ['empty'];
  const n = sentences(trimmed).length;
  if (n !== 1) problems.push(`${n} sentences`);
  for (const gram of repeats(trimmed)) problems.push(`said twice: "${gram}"`);
  if (!/[.!?…]["'”’`)\]*_]*$/.test(trimmed)) problems.push('no closing punctuation');
  for (const m of trimmed.matchAll(/(?<![\d.,/])\b1 ([A-Za-z]+s)\b/g)) if (!NOT_PLURAL.has(m[1]!.toLowerCase())) problems.push(`"1 ${m[1]}"`);
  const code = FEATURE_CODE.exec(trimmed);
  if (code) problems.push(`internal code "${code[0]}"`);
  const unmentioned = trimmed.replace(/<[@#][&!]?\d+>/g, ' ');
  const id = UUID.exec(unmentioned) ?? LONG_HEX.exec(unmentioned);
  if (id) problems.push(`internal id "${id[0]}"`);
  return problems;
}
