import { MessageFlags, type InteractionReplyOptions, type Message, type MessageCreateOptions, type RepliableInteraction } from 'discord.js';

/** Replies privately to the caller, whatever state the interaction is in (fresh, deferred, replied). */
export async function replyPrivately(interaction: RepliableInteraction, content: string): Promise<void> {
  const options: InteractionReplyOptions = { content, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } };
  if (interaction.deferred && !interaction.replied) {
    if (interaction.ephemeral) {
      await interaction.editReply({ content, allowedMentions: { parse: [] } });
      return;
    }
    // A public "thinking..." placeholder must not turn into a public error message.
    await interaction.deleteReply().catch(() => {});
    await interaction.followUp(options);
    return;
  }
  if (interaction.replied) {
    await interaction.followUp(options);
    return;
  }
  await interaction.reply(options);
}

/** An answer a command sends once its work is done: text, files, or a Components v2 card. */
export type Answer = Pick<InteractionReplyOptions, 'content' | 'files' | 'components' | 'allowedMentions'> & { flags?: MessageFlags.IsComponentsV2 };

/**
 * Discord wants a first response within 3 s of the interaction's creation; this is how long a
 * command may work before it defers, leaving room for the round trip.
 */
export const ANSWER_BUDGET_MS = 2_000;

/**
 * Answers with what `work` makes (publicly, unless `private`), so that nothing but the
 * answer itself ever shows in the channel. The work (which checks the input: parses the CSV,
 * renders the TeX) runs first, and when it settles within the budget its result is the first
 * response, so a refusal is shown only to the member. Work that takes longer is deferred
 * privately: only the member sees "thinking…"; a refusal then replaces that placeholder, and a
 * public answer is posted in the channel (or, where the bot may not post there, as a public
 * follow-up) and the placeholder removed. Resolves with the message sent (null if Discord did
 * not return it).
 */
export async function answerWhenReady(
  interaction: RepliableInteraction,
  work: Promise<Answer>,
  options: { private?: boolean; budgetMs?: number } = {},
): Promise<Message | null> {
  const budgetMs = options.budgetMs ?? ANSWER_BUDGET_MS;
  const elapsed = Date.now() - interaction.createdTimestamp;
  const wait = Math.max(0, Math.min(budgetMs, budgetMs + 500 - elapsed));
  let timer: NodeJS.Timeout | undefined;
  const settled = await Promise.race([
    work.then(
      (answer) => ({ answer }),
      (error: unknown) => ({ error }),
    ),
    new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), wait);
    }),
  ]);
  clearTimeout(timer);
  if (settled && 'error' in settled) throw settled.error;
  if (settled) {
    const { flags, ...rest } = settled.answer;
    const response = await interaction.reply({ ...rest, flags: (flags ?? 0) | (options.private ? MessageFlags.Ephemeral : 0), withResponse: true });
    return response.resource?.message ?? null;
  }
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const answer = await work; // a refusal propagates: the error boundary words it in the private placeholder
  if (options.private) return interaction.editReply(answer);
  const posted = await postInChannel(interaction, answer);
  if (posted) {
    await interaction.deleteReply().catch(() => {});
    return posted;
  }
  // No channel the bot may post in (e.g. missing Send Messages there): the answer goes where
  // the member can see it, and the placeholder says where.
  return interaction.editReply(answer);
}

/** The answer as the bot's own message in the interaction's channel, or null when it may not post there. */
async function postInChannel(interaction: RepliableInteraction, answer: Answer): Promise<Message | null> {
  const channel = interaction.channel;
  if (!channel || !channel.isSendable()) return null;
  try {
    return await channel.send(answer as MessageCreateOptions);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === 50001 || code === 50013) return null; // Missing Access / Missing Permissions
    throw err;
  }
}
