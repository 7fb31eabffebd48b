import { AttachmentBuilder, MessageFlags, PermissionFlagsBits, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import { defineCommand } from '../src/app/context.js';
import { UserError } from '../src/platform/errors.js';
import { WHITEBOARD_LIMITS, boardToTex } from '../src/whiteboard/service.js';

const author = (i: ChatInputCommandInteraction) => ({ id: i.user.id, name: i.member && 'displayName' in i.member ? i.member.displayName : (i.user.globalName ?? i.user.username) });

export default defineCommand({
  data: new SlashCommandBuilder()
    .setName('whiteboard')
    .setDescription('A shared derivation board for this channel or thread')
    .setDMPermission(false)
    .addSubcommand((s) =>
      s
        .setName('start')
        .setDescription('Open a board in this channel (one per channel)')
        .addStringOption((o) => o.setName('title').setDescription('What are we deriving?').setMaxLength(WHITEBOARD_LIMITS.titleChars)),
    )
    .addSubcommand((s) =>
      s
        .setName('add')
        .setDescription('Append a LaTeX step')
        .addStringOption((o) => o.setName('step').setDescription('LaTeX, e.g. = \\frac{1}{n}\\sum_i (y_i - x_i^T w)^2').setRequired(true).setMaxLength(WHITEBOARD_LIMITS.stepChars))
        .addStringOption((o) => o.setName('note').setDescription('A short explanation of the step').setMaxLength(WHITEBOARD_LIMITS.noteChars)),
    )
    .addSubcommand((s) => s.setName('show').setDescription('Render the whole board as one image'))
    .addSubcommand((s) => s.setName('undo').setDescription('Remove your own last step'))
    .addSubcommand((s) => s.setName('clear').setDescription('Empty the board (its starter or Manage Server)'))
    .addSubcommand((s) => s.setName('export').setDescription('Download the board as a .tex file')),
  summary: 'a shared derivation board per channel: start, add, show, undo, clear, export',
  audience: 'members',
  requires: { guild: true },
  async execute(interaction, { services }) {
    const channelId = interaction.channelId;
    const sub = interaction.options.getSubcommand(true);
    const boards = services.whiteboards;
    switch (sub) {
      case 'start': {
        const title = interaction.options.getString('title') ?? 'Derivation';
        const board = await boards.start({ guildId: interaction.guildId!, channelId }, title, author(interaction));
        await interaction.reply({
          content: `🧮 Whiteboard **${board.title}** is open in this channel. Add steps with \`/whiteboard add\`, see it with \`/whiteboard show\`.`,
        });
        return;
      }
      case 'add': {
        const step = interaction.options.getString('step', true);
        const note = interaction.options.getString('note');
        await interaction.deferReply();
        const { number } = await boards.add(channelId, { tex: step, note }, author(interaction));
        const theme = await services.guilds.theme(interaction.guildId);
        const image = await services.renderer.tex(step.trim(), { theme, ...(note ? { caption: note.trim() } : {}) });
        await interaction.editReply({
          content: `Step **${number}** added by ${author(interaction).name}.`,
          files: [new AttachmentBuilder(image.png, { name: `step-${number}.png` })],
        });
        return;
      }
      case 'show': {
        const board = await boards.require(channelId);
        if (board.steps.length === 0) throw new UserError(`**${board.title}** has no steps yet. Add one with \`/whiteboard add\`.`, 'not-found');
        await interaction.deferReply();
        const theme = await services.guilds.theme(interaction.guildId);
        const image = await services.renderer.whiteboard(
          { title: board.title, steps: board.steps.map((s) => ({ tex: s.tex, author: s.authorName, ...(s.note ? { note: s.note } : {}) })) },
          { theme },
        );
        await interaction.editReply({
          content: `**${board.title}**: ${board.steps.length} step${board.steps.length === 1 ? '' : 's'}`,
          files: [new AttachmentBuilder(image.png, { name: 'whiteboard.png' })],
        });
        return;
      }
      case 'undo': {
        const removed = await boards.undo(channelId, author(interaction));
        await interaction.reply({ content: `Removed your last step: \`${removed.tex.slice(0, 150).replace(/`/g, "'")}\`` });
        return;
      }
      case 'clear': {
        const canManage = interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false;
        const count = await boards.clear(channelId, author(interaction), canManage);
        await interaction.reply({ content: `The board was cleared (${count} step${count === 1 ? "" : "s"} removed) and closed; start a new one with \`/whiteboard start\`.` });
        return;
      }
      case 'export': {
        const board = await boards.require(channelId);
        if (board.steps.length === 0) throw new UserError('The board is empty: nothing to export yet.', 'not-found');
        const tex = boardToTex(board, services.clock());
        const name = `${board.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'whiteboard'}.tex`;
        await interaction.reply({
          content: `**${board.title}** as LaTeX (${board.steps.length} steps).`,
          files: [new AttachmentBuilder(Buffer.from(tex, 'utf8'), { name })],
          flags: MessageFlags.Ephemeral,
        });
        return;
      }
      default:
        throw new UserError('Unknown whiteboard action.');
    }
  },
});
