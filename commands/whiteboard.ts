import { PermissionFlagsBits, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import { defineCommand } from '../src/app/context.js';
import { UserError } from '../src/platform/errors.js';
import { answerWhenReady } from '../src/platform/discord/replies.js';
import { cleared, exported, stepAdded, undone } from '../src/whiteboard/discord/views.js';
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
        .setDescription('Append a LaTeX step to the board (its message is updated)')
        .addStringOption((o) => o.setName('step').setDescription('LaTeX, e.g. = \\frac{1}{n}\\sum_i (y_i - x_i^T w)^2').setRequired(true).setMaxLength(WHITEBOARD_LIMITS.stepChars))
        .addStringOption((o) => o.setName('note').setDescription('A short explanation of the step').setMaxLength(WHITEBOARD_LIMITS.noteChars)),
    )
    .addSubcommand((s) => s.setName('show').setDescription('Show the whole board again at the bottom of the channel'))
    .addSubcommand((s) => s.setName('undo').setDescription('Remove your own last step'))
    .addSubcommand((s) => s.setName('clear').setDescription('Empty the board (its starter or Manage Server)'))
    .addSubcommand((s) => s.setName('export').setDescription('Download the board as a .tex file')),
  summary: 'a shared derivation board per channel: start, add, show, undo, clear, export',
  audience: 'members',
  requires: { guild: true },
  async execute(interaction, { services, discord }) {
    const channelId = interaction.channelId;
    const sub = interaction.options.getSubcommand(true);
    const boards = services.whiteboards;
    const live = discord.whiteboard.publisher;
    switch (sub) {
      case 'start': {
        // The reply is the board: the message later steps edit in place.
        const title = interaction.options.getString('title') ?? 'Derivation';
        const board = await boards.start({ guildId: interaction.guildId!, channelId }, title, author(interaction));
        const message = await answerWhenReady(interaction, live.card(board));
        if (message) await live.moved(board, message);
        return;
      }
      case 'add': {
        // Checked (MathJax renders it) and stored before anything is shown; the member hears privately, the board is edited.
        const by = author(interaction);
        const input = { tex: interaction.options.getString('step', true), note: interaction.options.getString('note') };
        const work = (async () => {
          const step = await boards.add(channelId, input, by);
          const url = await live.refresh(channelId);
          return stepAdded(step, step.title, url);
        })();
        await answerWhenReady(interaction, work, { private: true });
        return;
      }
      case 'show': {
        // Shown anew at the bottom of the channel; this becomes the live message, the old one points here.
        const board = await boards.show(channelId);
        const message = await answerWhenReady(interaction, live.card(board));
        if (message) await live.moved(board, message);
        return;
      }
      case 'undo': {
        const work = (async () => {
          const step = await boards.undo(channelId, author(interaction));
          return undone(step, await live.refresh(channelId));
        })();
        await answerWhenReady(interaction, work, { private: true });
        return;
      }
      case 'clear': {
        const canManage = interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false;
        const by = author(interaction);
        const { board, removed } = await boards.clear(channelId, by, canManage);
        await live.cleared(board, removed, by.name);
        await interaction.reply(cleared(removed));
        return;
      }
      case 'export': {
        const { board, tex } = await boards.export(channelId, services.clock());
        await interaction.reply(exported(board, tex));
        return;
      }
      default:
        throw new UserError('That whiteboard action does not exist.');
    }
  },
});
