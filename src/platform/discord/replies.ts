import { MessageFlags, type InteractionReplyOptions, type RepliableInteraction } from 'discord.js';

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
