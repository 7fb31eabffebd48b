import { MessageFlags, SlashCommandBuilder } from 'discord.js';
import { defineCommand } from '../src/app/context.js';
import { UserError } from '../src/platform/errors.js';
import { isValidTimeZone } from '../src/guilds/rules.js';
import type { GuildSettingsView } from '../src/guilds/store.js';

const describe = (s: GuildSettingsView) =>
  [`Theme for images: **${s.theme}**`, `Time zone: **${s.timeZone}**`].join('\n');

export default defineCommand({
  data: new SlashCommandBuilder()
    .setName('settings')
    .setDescription("Show or change this server's Backprop settings")
    .setDMPermission(false)
    .setDefaultMemberPermissions(0x20n) // Manage Server
    .addStringOption((o) => o.setName('theme').setDescription('Colour theme of rendered images').addChoices({ name: 'dark', value: 'dark' }, { name: 'light', value: 'light' }))
    .addStringOption((o) => o.setName('timezone').setDescription('IANA time zone, e.g. Europe/Berlin (used for streaks and weekly boards)').setMaxLength(64).setAutocomplete(true)),
  summary: 'show or change the image theme and time zone for this server',
  audience: 'admins',
  requires: { guild: true, manageGuild: true },
  async execute(interaction, { services }) {
    const guildId = interaction.guildId!;
    const patch: Partial<GuildSettingsView> = {};
    const theme = interaction.options.getString('theme');
    if (theme === 'dark' || theme === 'light') patch.theme = theme;
    const zone = interaction.options.getString('timezone');
    if (zone !== null) {
      if (!isValidTimeZone(zone.trim())) throw new UserError(`"${zone.slice(0, 64)}" is not a time zone I know; use an IANA name such as \`Europe/Berlin\` or \`America/New_York\`.`);
      patch.timeZone = zone.trim();
    }

    const changed = Object.keys(patch).length > 0;
    const settings = changed
      ? await services.guilds.updateSettings(guildId, interaction.guild?.name ?? guildId, patch)
      : await services.guilds.settings(guildId);
    await interaction.reply({
      content: `${changed ? 'Settings saved.' : "This server's settings:"}\n${describe(settings)}`,
      flags: MessageFlags.Ephemeral,
    });
  },
  async autocomplete(interaction) {
    const typed = interaction.options.getFocused().toLowerCase();
    const zones = Intl.supportedValuesOf('timeZone');
    await interaction.respond(
      zones
        .filter((z) => z.toLowerCase().includes(typed))
        .slice(0, 25)
        .map((z) => ({ name: z, value: z })),
    );
  },
});
