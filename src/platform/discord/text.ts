import type { Client, SendableChannels } from 'discord.js';

/** The letters of multiple-choice options, as every question message labels its buttons. */
export const OPTION_LETTERS: readonly string[] = ['A', 'B', 'C', 'D', 'E'];

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * Text cut to at most `n` characters, never inside a word: the cut falls on the last space
 * (or other break) before the limit and an ellipsis marks it. A single word longer than the
 * limit is cut on a grapheme boundary (there is no better place). Text within the limit is
 * returned unchanged.
 */
export function clip(s: string, n: number): string {
  if (s.length <= n) return s;
  if (n <= 1) return n === 1 ? '…' : '';
  const room = n - 1;
  const head = s.slice(0, room + 1); // one more, to see whether the cut lands on a break
  const breakAt = Math.max(head.lastIndexOf(' '), head.lastIndexOf('\n'), head.lastIndexOf('\t'));
  if (breakAt >= room * 0.5) return `${s.slice(0, breakAt).trimEnd()}…`;
  let out = '';
  for (const { segment } of segmenter.segment(s)) {
    if (out.length + segment.length > room) break;
    out += segment;
  }
  return `${out}…`;
}

/**
 * Text split into pages of at most `limit` characters, each cut on a paragraph, line,
 * sentence or word boundary (in that order of preference), so nothing is lost or cut
 * mid-word. Joining the pages with a space/newline gives back the text's words.
 */
export function paginate(text: string, limit: number): string[] {
  const pages: string[] = [];
  let rest = text.trim();
  while (rest.length > limit) {
    const window = rest.slice(0, limit + 1);
    const at = [/\n\n(?=\S)/g, /\n(?=\S)/g, /[.!?:;](?=\s)/g, /\s/g]
      .map((re) => {
        let best = -1;
        for (const m of window.matchAll(re)) {
          const end = m.index + (m[0].startsWith('\n') || /\s/.test(m[0]) ? 0 : 1);
          if (end <= limit && end >= limit * 0.4) best = end;
        }
        return best;
      })
      .find((i) => i > 0);
    const cut = at ?? clip(window, limit).length - 1; // one unbreakable run: cut on a grapheme
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
