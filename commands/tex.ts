import { AttachmentBuilder, SlashCommandBuilder } from 'discord.js';
import { defineCommand } from '../src/app/context.js';
// From the index, not tex.ts: the main thread must never load MathJax (rendering runs in workers).
import { MAX_TEX_LENGTH, checkTex } from '../src/render/index.js';

export default defineCommand({
  data: new SlashCommandBuilder()
    .setName('tex')
    .setDescription('Render a LaTeX formula as an image')
    .addStringOption((o) => o.setName('formula').setDescription('LaTeX, e.g. \\frac{\\partial L}{\\partial w} = X^T(Xw - y)').setRequired(true).setMaxLength(MAX_TEX_LENGTH))
    .addStringOption((o) => o.setName('caption').setDescription('Text under the formula').setMaxLength(200))
    .addBooleanOption((o) => o.setName('inline').setDescription('Inline (text) style instead of display style')),
  summary: 'render a LaTeX formula as an image',
  audience: 'members',
  async execute(interaction, { services }) {
    const formula = checkTex(interaction.options.getString('formula', true)); // cheap checks before deferring
    const caption = interaction.options.getString('caption') ?? undefined;
    const display = !(interaction.options.getBoolean('inline') ?? false);
    await interaction.deferReply();
    const theme = await services.guilds.theme(interaction.guildId);
    const image = await services.renderer.tex(formula, { theme, display, ...(caption ? { caption } : {}) });
    await interaction.editReply({
      files: [new AttachmentBuilder(image.png, { name: 'formula.png', description: formula.slice(0, 1000) })],
    });
  },
});
