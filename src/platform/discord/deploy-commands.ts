// `npm run deploy-commands [-- --guild ID]`: registers every slash command with Discord,
// globally (takes up to an hour to show everywhere) or to one guild (instant, for development).
import 'dotenv/config';
import { REST, Routes, type APIApplication } from 'discord.js';
import { commands } from '../../../commands/index.js';
import { commandLine } from '../cli.js';
import { ConfigError, loadConfig } from '../config.js';

const GUILD_ID = '--guild needs a server id (17-20 digits; right-click the server with Developer Mode on > Copy Server ID)';

function guildArg(): string | undefined {
  const id = commandLine({ options: { guild: { type: 'string' } } }, `npm run deploy-commands [-- --guild ID]\n${GUILD_ID}`).values.guild;
  if (id === undefined) return undefined;
  if (!/^\d{17,20}$/.test(id)) {
    console.error(GUILD_ID);
    process.exit(2);
  }
  return id;
}

try {
  const config = loadConfig();
  const guildId = guildArg();
  const rest = new REST(config.DISCORD_API_URL ? { api: config.DISCORD_API_URL } : {}).setToken(config.DISCORD_TOKEN);
  const app = (await rest.get(Routes.currentApplication())) as APIApplication;
  const body = commands.map((c) => c.data.toJSON());
  const route = guildId ? Routes.applicationGuildCommands(app.id, guildId) : Routes.applicationCommands(app.id);
  const saved = (await rest.put(route, { body })) as unknown[];
  console.log(`registered ${saved.length} commands ${guildId ? `to guild ${guildId}` : 'globally'}: ${commands.map((c) => '/' + c.data.name).join(' ')}`);
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : `could not register commands: ${(err as Error).message}`);
  process.exit(1);
}
