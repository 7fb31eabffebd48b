import { Events, type Client } from 'discord.js';
import { systemClock, type AppContext, type Clock } from './app-context.js';
import { loadBank, type Bank } from './bank/load.js';
import type { Config } from './config.js';
import { connectDatabase, type Database } from './db/client.js';
import type { EmbeddedDatabase } from './db/embedded.js';
import { migrate } from './db/migrate.js';
import { createDiscordClient } from './discord/client.js';
import type { SlashCommand } from './discord/command.js';
import { createInteractionRouter, type InteractionRouter } from './discord/router.js';
import { GuildRepository } from './guilds/repository.js';
import type { Logger } from './log.js';
import { startOpsServer, type OpsServer } from './ops/http.js';
import { createMetrics } from './ops/metrics.js';
import { createRenderer, prepareFonts, type Renderer } from './render/index.js';
import { texValidator } from './render/validate.js';
import { WhiteboardService } from './whiteboard/service.js';
import { AnswerStore, MasteryQueries } from './mastery/index.js';
import { PracticeService } from './practice/service.js';
import nodeCron from 'node-cron';
import { DropAnswers } from './drop/answers.js';
import { DiscordDropPublisher } from './drop/discord-publisher.js';
import { DropEngine } from './drop/engine.js';
import { themeFor } from './guilds/theme.js';
import { ScheduleRepository } from './schedule/repository.js';
import { DuelDriver } from './duel/discord.js';
import { DuelService } from './duel/service.js';
import { SprintDriver } from './sprint/discord.js';
import { SprintService } from './sprint/service.js';
import { Leaderboards } from './leaderboard/queries.js';
import { currentShardScope } from './discord/shards.js';

export interface RunningApp {
  app: AppContext;
  client: Client;
  router: InteractionRouter;
  ops: OpsServer;
  /** Finishes in-flight interactions, then closes Discord, the database and the HTTP server. */
  stop(reason: string): Promise<void>;
}

export interface StartOptions {
  config: Config;
  log: Logger;
  commands: SlashCommand[];
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
    const { startEmbeddedDatabase } = await import('./db/embedded.js');
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
    const answers = new AnswerStore(db.prisma, bank, clock);
    const dropAnswers = new DropAnswers(db.prisma, bank, answers, clock);
    const mastery = new MasteryQueries(db.prisma, bank);
    const app: AppContext = {
      config,
      log,
      db,
      bank,
      clock,
      guilds: new GuildRepository(db.prisma),
      renderer,
      whiteboards: new WhiteboardService(db.prisma, texValidator(renderer)),
      answers,
      mastery,
      practice: new PracticeService(db.prisma, bank, answers, mastery, clock),
      schedules: new ScheduleRepository(db.prisma),
      drops: {
        answers: dropAnswers,
        // The publisher looks the theme up through `app` when it posts, after construction.
        engine: new DropEngine(db.prisma, bank, new DiscordDropPublisher(client, renderer, dropAnswers, (guildId) => themeFor(app, guildId)), clock, log, { shard }),
      },
      duels: new DuelService(db.prisma, bank, answers, clock, shard),
      duelDriver: undefined as unknown as DuelDriver,
      sprints: new SprintService(db.prisma, bank, answers, clock, shard),
      sprintDriver: undefined as unknown as SprintDriver,
      leaderboards: new Leaderboards(db.prisma),
      commands: commands.map((c) => ({ name: c.data.name, summary: c.summary, audience: c.audience })),
    };
    // The drivers post to Discord, so they need the client and the finished context.
    app.duelDriver = new DuelDriver(app, client, log);
    app.sprintDriver = new SprintDriver(app, client, log);
    const router = createInteractionRouter(app, commands, metrics);

    client.on(Events.InteractionCreate, (interaction) => void router.handle(interaction));
    client.on(Events.GuildCreate, (guild) => {
      app.guilds.upsertGuild(guild.id, guild.name).catch((err) => log.warn({ err, guildId: guild.id }, 'could not record guild'));
    });
    client.on(Events.GuildDelete, (guild) => {
      app.guilds.markLeft(guild.id, clock()).catch((err) => log.warn({ err, guildId: guild.id }, 'could not record guild leave'));
    });
    client.on(Events.Error, (err) => log.error({ err }, 'discord client error'));
    client.on(Events.Warn, (message) => log.warn({ message }, 'discord client warning'));
    client.on(Events.ShardDisconnect, (event, shardId) => log.warn({ code: event.code, shardId }, 'gateway disconnected'));
    client.on(Events.ShardResume, (shardId, replayed) => log.info({ shardId, replayed }, 'gateway resumed'));

    // One port per shard process: METRICS_PORT + shard id (0 stays "any free port").
    const ops = await startOpsServer(config.METRICS_PORT === 0 ? 0 : config.METRICS_PORT + (shard.ids[0] ?? 0), metrics, {
      database: () => db!.ping(),
      gateway: () => ({ ready: client.isReady(), status: String(client.ws.status), ping: client.ws.ping }),
    });

    const ready = new Promise<void>((resolve) => {
      client.once(Events.ClientReady, (c) => {
        log.info(
          { user: c.user.tag, guilds: c.guilds.cache.size, shards: shard.ids, shardCount: shard.count, msSinceStart: Math.round(performance.now() - startedAt), metricsPort: ops.port },
          'ready',
        );
        for (const guild of c.guilds.cache.values()) {
          app.guilds.upsertGuild(guild.id, guild.name).catch((err) => log.warn({ err, guildId: guild.id }, 'could not record guild'));
        }
        resolve();
      });
    });
    await client.login(config.DISCORD_TOKEN);
    await ready;

    // The scheduler: the database decides what is due, so every process may tick (see DropEngine).
    let ticking = false;
    const scheduler = nodeCron.schedule(`*/${config.SCHEDULER_TICK_SECONDS} * * * * *`, async () => {
      if (ticking) return;
      ticking = true;
      try {
        const r = await app.drops.engine.tick();
        const duels = await app.duelDriver.sweep();
        const sprints = await app.sprintDriver.sweep();
        if (r.claimed || r.skipped || r.steps || duels || sprints) log.info({ ...r, duels, sprints }, 'scheduler tick');
      } catch (err) {
        log.warn({ err }, 'scheduler tick failed; retrying next tick');
      } finally {
        ticking = false;
      }
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
    return { app, client, router, ops, stop };
  } catch (err) {
    await renderer?.close().catch(() => {});
    await db?.close();
    await embedded?.stop();
    throw err;
  }
}
