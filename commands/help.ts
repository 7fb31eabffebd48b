import { MessageFlags, SlashCommandBuilder } from 'discord.js';
import { defineCommand } from '../src/app/context.js';
import { helpText, type HelpText } from '../src/help.js';
import { ACCENTS, cardPayload, type CardPart } from '../src/platform/discord/card.js';

/** /help as a Components v2 card: the title and intro, then each section (the command table, points, the bank) under its heading. */
export function helpCard(text: HelpText) {
  const parts: CardPart[] = [{ text: `## ${text.title}\n${text.intro}` }];
  for (const section of text.sections) parts.push({ separator: 'small' }, { text: `### ${section.name}\n${section.value}` });
  return cardPayload({ accent: ACCENTS.question, parts });
}

export default defineCommand({
  data: new SlashCommandBuilder().setName('help').setDescription('What Backprop does and how to start'),
  summary: 'this overview',
  audience: 'members',
  async execute(interaction, { services, commands }) {
    const card = helpCard(helpText(services.bank, commands));
    await interaction.reply({ ...card, flags: MessageFlags.Ephemeral | MessageFlags.IsComponentsV2 });
  },
});
