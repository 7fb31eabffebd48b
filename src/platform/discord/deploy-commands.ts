// `npm run deploy-commands [-- --guild ID]`: registers every slash command with Discord,
// globally (takes up to an hour to show everywhere) or to one guild (instant, for development).
import 'dotenv/config';
import { REST, Routes, type APIApplication } from 'discord.js';
import { commands } from '../../../commands/index.js';
import { ConfigError, loadConfig } from '../config.js';

function guildArg(argv: string[]): string | undefined {
  const i = argv.indexOf('--guild');
  if (i === -1) return undefined;
  const id = argv[i + 1];
  if (!id || !/^\d{17,20}$/.test(id)) {
    console.error('--guild needs a server id (17-20 digits; right-click the server with Developer Mode on > Copy Server ID)');
    process.exit(2);
  }
  return id;
}

try {
  const config = loadConfig();
  const guildId = guildArg(process.argv.slice(2));
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
