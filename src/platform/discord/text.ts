import type { Client, SendableChannels } from 'discord.js';

/** The letters of multiple-choice options, as every question message labels its buttons. */
export const OPTION_LETTERS: readonly string[] = ['A', 'B', 'C', 'D', 'E'];

/** Text cut to Discord's field limit `n` (an ellipsis marks the cut). */
export const clip = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** A channel or thread the bot can post in; throws when it is gone or not one. */
export async function sendableChannel(client: Client, id: string): Promise<SendableChannels> {
  const channel = await client.channels.fetch(id);
  if (!channel || !channel.isSendable()) throw new Error(`channel ${id} is not a channel I can post in`);
  return channel;
}
