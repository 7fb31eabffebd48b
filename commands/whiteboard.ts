import { PermissionFlagsBits, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import { defineCommand } from '../src/app/context.js';
import { UserError } from '../src/platform/errors.js';
import { boardShown, cleared, exported, started, stepAdded, undone } from '../src/whiteboard/discord/views.js';
import { WHITEBOARD_LIMITS } from '../src/whiteboard/rules.js';

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
        await interaction.reply(started(await boards.start({ guildId: interaction.guildId!, channelId }, title, author(interaction))));
        return;
      }
      case 'add': {
        const by = author(interaction);
        const input = { tex: interaction.options.getString('step', true), note: interaction.options.getString('note') };
        await interaction.deferReply();
        const step = await boards.add(channelId, input, by);
        await interaction.editReply(await stepAdded(services.renderer, await services.guilds.theme(interaction.guildId), step, by.name));
        return;
      }
      case 'show': {
        const board = await boards.show(channelId);
        await interaction.deferReply();
        await interaction.editReply(await boardShown(services.renderer, await services.guilds.theme(interaction.guildId), board));
        return;
      }
      case 'undo':
        await interaction.reply(undone(await boards.undo(channelId, author(interaction))));
        return;
      case 'clear': {
        const canManage = interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false;
        await interaction.reply(cleared(await boards.clear(channelId, author(interaction), canManage)));
        return;
      }
      case 'export': {
        const { board, tex } = await boards.export(channelId, services.clock());
        await interaction.reply(exported(board, tex));
        return;
      }
      default:
        throw new UserError('Unknown whiteboard action.');
    }
  },
});
