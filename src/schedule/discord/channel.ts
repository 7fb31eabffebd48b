import { PermissionFlagsBits, type GuildBasedChannel } from 'discord.js';
import { UserError } from '../../platform/errors.js';

/** What the bot needs in a channel to post a drop there, its thread and its images. */
const NEEDED = [
  [PermissionFlagsBits.ViewChannel, 'View Channel'],
  [PermissionFlagsBits.SendMessages, 'Send Messages'],
  [PermissionFlagsBits.EmbedLinks, 'Embed Links'],
  [PermissionFlagsBits.AttachFiles, 'Attach Files'],
  [PermissionFlagsBits.CreatePublicThreads, 'Create Public Threads'],
  [PermissionFlagsBits.SendMessagesInThreads, 'Send Messages in Threads'],
  [PermissionFlagsBits.ReadMessageHistory, 'Read Message History'],
] as const;

/** Refuses a channel where the bot could not post drops, naming the permissions it lacks. */
export function checkBotCanPost(channel: GuildBasedChannel): void {
  const me = channel.guild.members.me;
  const perms = me ? channel.permissionsFor(me) : null;
  const missing = NEEDED.filter(([flag]) => !perms?.has(flag)).map(([, name]) => name);
  if (missing.length) throw new UserError(`I can't post drops in <#${channel.id}>: I'm missing ${missing.map((m) => `**${m}**`).join(', ')} there, so give me ${missing.length === 1 ? 'that permission' : 'those permissions'} or pick another channel.`, 'forbidden');
}
