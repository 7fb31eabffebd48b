import { SlashCommandBuilder } from 'discord.js';
import { defineCommand } from '../src/app/context.js';
import { UserError } from '../src/platform/errors.js';
import { answerWhenReady } from '../src/platform/discord/replies.js';
import { texCard } from '../src/render/discord/views.js';
import { readable } from '../src/render/readable.js';
// From the index, not tex.ts: the main thread must never load MathJax (rendering runs in workers).
import { MAX_TEX_LENGTH, checkTex, unwrapMath } from '../src/render/index.js';

const MAX_CAPTION = 200;

export default defineCommand({
  data: new SlashCommandBuilder()
    .setName('tex')
    .setDescription('Render a LaTeX formula as an image')
    .addStringOption((o) =>
      o.setName('formula').setDescription('LaTeX, e.g. \\frac{\\partial L}{\\partial w} = X^T(Xw - y) ($…$ or $$…$$ are fine too)').setRequired(true).setMaxLength(MAX_TEX_LENGTH),
    )
    .addStringOption((o) => o.setName('caption').setDescription('Text under the formula').setMaxLength(MAX_CAPTION))
    .addBooleanOption((o) => o.setName('inline').setDescription('Inline (text) style instead of display style')),
  summary: 'render a LaTeX formula as an image, with its source to copy',
  audience: 'members',
  async execute(interaction, { services }) {
    // Pasted $…$ / $$…$$ / \(…\) / \[…\] are taken off; $…$ and \(…\) mean inline style unless the option says otherwise.
    const pasted = unwrapMath(checkTex(interaction.options.getString('formula', true)));
    const formula = checkTex(pasted.tex);
    const inline = interaction.options.getBoolean('inline') ?? (pasted.display === false);
    const caption = interaction.options.getString('caption')?.trim() || null;
    // Discord enforces the option's length; a forged longer one is refused, not left to break the card.
    if (caption !== null && caption.length > MAX_CAPTION) throw new UserError(`A caption can be at most ${MAX_CAPTION} characters.`, 'limit');
    // A caption with maths that has no faithful Unicode is drawn under the formula; otherwise it is text.
    const captionText = caption === null ? null : readable(caption);
    const drawCaption = captionText !== null && captionText.formulas.length > 0;
    // The formula is rendered (MathJax parses it) before anything is shown: a typo is refused privately.
    const answer = (async () => {
      const theme = await services.guilds.theme(interaction.guildId);
      const image = await services.renderer.tex(formula, { theme, display: !inline, ...(drawCaption ? { caption: caption! } : {}) });
      return texCard(image, formula, drawCaption ? null : (captionText?.text ?? null));
    })();
    await answerWhenReady(interaction, answer);
  },
});
