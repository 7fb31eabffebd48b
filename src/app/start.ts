import { answersDiscord } from '../answers/discord/routes.js';
import { loadBank, type Bank } from '../bank/load.js';
import { DiscordDropPublisher } from '../drop/discord/publisher.js';
import { dropDiscord } from '../drop/discord/routes.js';
import { duelDiscord } from '../duel/discord/routes.js';
import { leaderboardDiscord } from '../leaderboard/discord/routes.js';
import { systemClock, type Clock } from '../platform/clock.js';
import type { Config } from '../platform/config.js';
import { connectDatabase, type Database } from '../platform/db/client.js';
import type { EmbeddedDatabase } from '../platform/db/embedded.js';
import { migrate } from '../platform/db/migrate.js';
import { createDiscordClient, type DiscordClient } from '../platform/discord/client.js';
import { gatewayHealth, listen, logIn } from '../platform/discord/events.js';
import { createInteractionRouter, type InteractionRouter } from '../platform/discord/router.js';
import { currentShardScope } from '../platform/shard-scope.js';
import type { Logger } from '../platform/log.js';
import { startOpsServer, type OpsServer } from '../platform/ops/http.js';
import { createMetrics } from '../platform/ops/metrics.js';
import { practiceDiscord } from '../practice/discord/routes.js';
import { privacyDiscord } from '../privacy/discord/routes.js';
import { createRenderer, prepareFonts, type Renderer } from '../render/index.js';
import { renderDiscord } from '../render/discord/routes.js';
import { rocDiscord } from '../roc/discord/routes.js';
import { scheduleDiscord } from '../schedule/discord/routes.js';
import { sprintDiscord } from '../sprint/discord/routes.js';
import { whiteboardDiscord } from '../whiteboard/discord/routes.js';
import type { Command, CommandContext } from './context.js';
import { startScheduler } from './scheduler.js';
import { buildServices, type Services } from './services.js';

export interface RunningApp {
  services: Services;
  client: DiscordClient;
  router: InteractionRouter;
  ops: OpsServer;
  /** Finishes in-flight interactions, then closes Discord, the database and the HTTP server. */
  stop(reason: string): Promise<void>;
}

export interface StartOptions {
  config: Config;
  log: Logger;
  commands: Command[];
  clock?: Clock;
  bank?: Bank;
}

async function isPglite(url: string): Promise<boolean> {
  const { default: pg } = await import('pg');
  const c = new pg.Client({ connectionString: url });
  c.on('error', () => {});
  try {
    await c.connect();
    const { rows } = await c.query<{ v: string }>('SELECT version() AS v');
    return /PGlite/i.test(rows[0]?.v ?? '');
  } catch {
    return false;
  } finally {
    await c.end().catch(() => {});
  }
}

/** The composition root: builds every service once and wires them together. */
export async function startApp({ config, log, commands, clock = systemClock, bank: givenBank }: StartOptions): Promise<RunningApp> {
  const startedAt = performance.now();
  const bank = givenBank ?? loadBank();
  log.info({ topics: bank.topics.length, chains: bank.chains.length, prompts: bank.prompts.length }, 'question bank loaded');

  let embedded: EmbeddedDatabase | undefined;
  let url = config.DATABASE_URL;
  if (!url) {
    // Loaded only when used: PGlite (PostgreSQL in WebAssembly) costs ~50 MB of memory.
    const { startEmbeddedDatabase } = await import('../platform/db/embedded.js');
    embedded = await startEmbeddedDatabase({ dataDir: config.DATA_DIR, log });
    url = embedded.url;
    log.info({ dataDir: embedded.dataDir }, 'DATABASE_URL is not set: using the embedded PostgreSQL (PGlite) stored under the data directory');
  }
  let db: Database | undefined;
  let renderer: Renderer | undefined;
  try {
    const migrated = await migrate(url, { log });
    log.info({ applied: migrated.applied, upToDate: migrated.alreadyApplied }, 'database migrations checked');
    // PGlite is PostgreSQL in one session: several connections give no parallelism, and under
    // many concurrent interactions they were seen to interfere. Serialise through one.
    const single = embedded !== undefined || (await isPglite(url));
    if (single) log.info('embedded PostgreSQL (PGlite): using a single database connection');
    db = connectDatabase(url, { poolSize: single ? 1 : config.DATABASE_POOL_SIZE, log });

    const metrics = createMetrics();
    // The CJK fonts as memory-mapped TTFs (npm install made them; made here if it could not).
    const fontsStart = performance.now();
    const fonts = await prepareFonts();
    if (!fonts) log.warn('fonts: no writable cache for the TTF fonts; CJK fonts are decompressed in memory (more RSS)');
    else if (fonts.written > 0) log.info({ dir: fonts.dir, files: fonts.written, ms: Math.round(performance.now() - fontsStart) }, 'fonts: TTF cache written');
    // Rendering runs in worker threads with a time limit, so a formula bomb never stalls the gateway.
    renderer = createRenderer({
      timeoutMs: config.RENDER_TIMEOUT_MS,
      idleTimeoutMs: config.RENDER_IDLE_SECONDS * 1000,
      onEvent: (event) => log.warn({ event }, 'render worker event'),
    });
    const client = createDiscordClient(config);
    const shard = currentShardScope();
    // First the services (no Discord in them), then the Discord adapters built from them.
    const services = buildServices(
      { db, bank, clock, log, renderer, shard },
      { dropPublisher: ({ guilds, renderer }) => new DiscordDropPublisher(client, renderer, (guildId) => guilds.theme(guildId)) },
    );
    const adapterDeps = { renderer, guilds: services.guilds, client, log };
    const discord = {
      practice: practiceDiscord({ practice: services.practice, renderer, guilds: services.guilds }),
      duel: duelDiscord({ ...adapterDeps, duels: services.duels }),
      sprint: sprintDiscord({ ...adapterDeps, sprints: services.sprints }),
      whiteboard: whiteboardDiscord({ ...adapterDeps, whiteboards: services.whiteboards }),
    };
    const context: CommandContext = {
      services,
      discord,
      commands: commands.map((c) => ({ name: c.data.name, summary: c.summary, audience: c.audience })),
    };
    const router = createInteractionRouter({
      log,
      metrics,
      context,
      commands,
      features: [
        answersDiscord(),
        discord.practice,
        discord.duel,
        discord.sprint,
        dropDiscord({ drops: services.drops }),
        privacyDiscord(services.privacy),
        renderDiscord(),
        rocDiscord(),
        scheduleDiscord(),
        discord.whiteboard,
        leaderboardDiscord(),
      ],
    });

    listen(
      client,
      {
        interaction: (interaction) => void router.handle(interaction),
        guildJoined: (id, name) => services.guilds.joined(id, name),
        guildLeft: (id) => services.guilds.left(id, clock()),
      },
      log,
    );

    // One port per shard process: METRICS_PORT + shard id (0 stays "any free port").
    const ops = await startOpsServer(config.METRICS_PORT === 0 ? 0 : config.METRICS_PORT + (shard.ids[0] ?? 0), metrics, {
      database: () => db!.ping(),
      gateway: () => gatewayHealth(client),
    });

    const ready = await logIn(client, config.DISCORD_TOKEN);
    log.info({ ...ready, shards: shard.ids, shardCount: shard.count, msSinceStart: Math.round(performance.now() - startedAt), metricsPort: ops.port }, 'ready');

    const scheduler = startScheduler({
      tickSeconds: config.SCHEDULER_TICK_SECONDS,
      log,
      jobs: [
        { name: 'drops', run: () => services.drops.tick() },
        { name: 'duels', run: () => discord.duel.driver.sweep() },
        { name: 'sprints', run: () => discord.sprint.driver.sweep() },
      ],
    });

    let stopping: Promise<void> | undefined;
    const stop = (reason: string) =>
      (stopping ??= (async () => {
        log.info({ reason, inFlight: router.inFlight }, 'shutting down');
        router.stopAccepting();
        await scheduler.stop();
        await router.drain(7_000);
        await client.destroy().catch(() => {});
        await renderer!.close().catch(() => {});
        await ops.close().catch(() => {});
        await db!.close();
        await embedded?.stop();
        log.info('shutdown complete');
      })());
    return { services, client, router, ops, stop };
  } catch (err) {
    await renderer?.close().catch(() => {});
    await db?.close();
    await embedded?.stop();
    throw err;
  }
}
