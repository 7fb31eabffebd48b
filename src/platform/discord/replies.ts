import { MessageFlags, type InteractionReplyOptions, type Message, type RepliableInteraction } from 'discord.js';

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
 * Answers with what `work` makes (publicly, unless `private`), without a "thinking…"
 * placeholder when it can: the work (which checks the input: parses the CSV, renders the TeX)
 * runs first, and when it settles within the budget its result is the first response, so a
 * refusal is shown only to the member and nothing ever appears in the channel. Only work that
 * takes longer is deferred; a refusal after a public deferral still reaches the member
 * privately, the placeholder deleted. Resolves with the message sent (null if Discord did not
 * return it).
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
  await interaction.deferReply(options.private ? { flags: MessageFlags.Ephemeral } : {});
  return interaction.editReply(await work);
}
