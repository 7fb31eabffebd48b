import type { Client, MessageEditOptions, SendableChannels } from 'discord.js';

/** The letters of multiple-choice options, as every question message labels its buttons. */
export const OPTION_LETTERS: readonly string[] = ['A', 'B', 'C', 'D', 'E'];

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** Where text may break between words: ordinary spaces, tabs and newlines (not no-break spaces). */
const BREAK = /[ \t\n\r]/;

/**
 * The length of the longest prefix of `s` of at most `max` UTF-16 units that ends on a
 * grapheme boundary (an emoji, a flag or a letter with its accents is never split). With
 * `progress`, when even the first grapheme is longer, its longest code-point prefix (at least one unit).
 */
function graphemePrefix(s: string, max: number, progress = false): number {
  let end = 0;
  for (const { segment, index } of segmenter.segment(s.slice(0, max + 32))) {
    if (index + segment.length > max) break;
    end = index + segment.length;
  }
  if (end > 0 || !progress) return end;
  let cut = 0;
  for (const cp of s) {
    if (cut + cp.length > max) break;
    cut += cp.length;
  }
  return Math.max(cut, 1);
}

/**
 * Text cut to at most `n` characters (UTF-16 units, as Discord counts), never inside a word:
 * the cut falls on the last space or line break that fits and " …" marks it, so the last
 * word shown is whole ("L1 promotes …"). Only a single word longer than the limit is cut
 * inside, on a grapheme boundary, and then the ellipsis follows it directly ("Supercalifrag…").
 * Text within the limit is returned unchanged.
 */
export function clip(s: string, n: number): string {
  if (s.length <= n) return s;
  if (n <= 1) return n === 1 ? '…' : '';
  // A break at index b keeps s.slice(0, b) and adds " …": b <= n - 2.
  for (let b = Math.min(n - 2, s.length - 1); b > 0; b--) {
    if (BREAK.test(s[b]!)) {
      const kept = s.slice(0, b).trimEnd();
      if (kept !== '') return `${kept} …`;
      break;
    }
  }
  return `${s.slice(0, graphemePrefix(s, n - 1))}…`;
}

/**
 * Text split into pages of at most `limit` characters, each cut on a paragraph, line,
 * sentence or word boundary (in that order of preference, and outside **bold** when it can),
 * so nothing is lost or cut mid-word. Joining the pages with a space/newline gives back the
 * text's words. Only a single word longer than `limit` is split, on a grapheme boundary.
 */
export function paginate(text: string, limit: number): string[] {
  if (!(limit >= 1)) throw new RangeError(`paginate: limit must be at least 1 (got ${limit})`);
  const pages: string[] = [];
  let rest = text.trim();
  const kinds = [/\n\n(?=\S)/g, /\n(?=\S)/g, /[.!?:;](?=\s)/g, /\s/g];
  while (rest.length > limit) {
    const window = rest.slice(0, limit + 1);
    // bold[i]: whether a cut at i would fall inside a **bold** span (an odd number of ** before it).
    const bold = new Uint8Array(window.length + 1);
    for (let i = 0, odd = 0; i <= window.length; i++) {
      bold[i] = odd;
      if (window.startsWith('**', i)) {
        odd ^= 1;
        bold[++i] = 1; // between the two stars: never a place to cut
      }
    }
    /** The last cut of this kind within the limit and not before `from`, outside bold if `boldSafe`. */
    const lastCut = (re: RegExp, from: number, boldSafe: boolean): number => {
      let best = -1;
      for (const m of window.matchAll(re)) {
        const end = m.index + (/^\s/.test(m[0]) ? 0 : 1);
        if (end <= limit && end >= from && end > 0 && (!boldSafe || bold[end] === 0)) best = end;
      }
      return best;
    };
    let cut = -1;
    // Prefer a good boundary in the last 60% of the page, outside bold; then any boundary.
    for (const [from, boldSafe] of [[limit * 0.4, true], [limit * 0.4, false], [1, false]] as const) {
      for (const re of kinds) {
        cut = lastCut(re, from, boldSafe);
        if (cut > 0) break;
      }
      if (cut > 0) break;
    }
    if (cut <= 0 || rest.slice(0, cut).trim() === '') cut = graphemePrefix(rest, limit, true); // one unbreakable run
    pages.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0 || pages.length === 0) pages.push(rest);
  return pages;
}

/** "1 round", "3 rounds"; `plural` for irregular words ("1 match", "2 matches"). */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? singular : plural}`;
}

/** A Discord relative timestamp ("in 42 seconds"), updated live by every client. */
export const countdown = (at: Date): string => `<t:${Math.ceil(at.getTime() / 1000)}:R>`;

/** A channel or thread the bot can post in; throws when it is gone or not one. */
export async function sendableChannel(client: Client, id: string): Promise<SendableChannels> {
  const channel = await client.channels.fetch(id);
  if (!channel || !channel.isSendable()) throw new Error(`channel ${id} is not a channel I can post in`);
  return channel;
}

/**
 * Replaces a posted message's body (its files too: what `body` does not attach is dropped).
 * Throws Discord's error when the message is gone or cannot be edited; callers decide.
 */
export async function editPosted(client: Client, channelId: string, messageId: string, body: MessageEditOptions): Promise<void> {
  const channel = await sendableChannel(client, channelId);
  if (!('messages' in channel)) throw new Error(`channel ${channelId} holds no messages I can edit`);
  await channel.messages.edit(messageId, { ...body, attachments: [] });
}
