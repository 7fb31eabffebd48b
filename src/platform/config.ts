import { z } from 'zod';

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Every setting Backprop reads from the environment, parsed once at start-up. */
export const configSchema = z.object({
  DISCORD_TOKEN: z
    .string({ error: 'is required: the bot token from the Discord developer portal (Bot > Token)' })
    .trim()
    .min(1, 'is required: the bot token from the Discord developer portal (Bot > Token)')
    .regex(/^\S+$/, 'must be a single token without spaces'),
  DATABASE_URL: z
    .string()
    .trim()
    .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a PostgreSQL URL like postgresql://user:password@host:5432/backprop (or unset to use the embedded database under ./data)')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  DISCORD_API_URL: z
    .url({ error: 'must be an http(s) URL of a Discord-compatible REST API, like http://127.0.0.1:3000/api' })
    .regex(/^https?:\/\//, 'must start with http:// or https://')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  LOG_LEVEL: z.enum(logLevels, { error: `must be one of ${logLevels.join(', ')}` }).default('info'),
  METRICS_PORT: z.coerce
    .number({ error: 'must be a port number (0-65535; 0 picks a free port)' })
    .int('must be a whole port number')
    .min(0, 'must be a port number (0-65535; 0 picks a free port)')
    .max(65535, 'must be a port number (0-65535; 0 picks a free port)')
    .default(9464),
  /** auto or a number: run one process per Discord shard (ShardingManager). Inside a shard, discord.js's own JSON list. */
  SHARDS: z
    .string()
    .trim()
    .regex(/^(auto|\d+|\[[\d,\s]*\])$/, 'must be "auto" or a number of shards, like 2')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  DATA_DIR: z.string().trim().min(1).default('./data'),
  /** Shifts the bot's clock (tests and demos of spaced repetition and schedules; never needed in production). */
  CLOCK_OFFSET_MS: z.coerce.number({ error: 'must be a whole number of milliseconds' }).int('must be a whole number of milliseconds').default(0),
  /** With CLOCK_SPEED: the real instant (ms since epoch) from which time runs faster, shared by restarts and processes. */
  CLOCK_ANCHOR_MS: z.coerce.number({ error: 'must be milliseconds since 1970' }).int().positive().optional(),
  /** Runs the clock this many times faster (tests of schedules; never needed in production). */
  CLOCK_SPEED: z.coerce.number({ error: 'must be a number' }).positive('must be positive').max(10_000, 'must be at most 10000').default(1),
  /** How often the scheduler looks for due drops and follow-ups. */
  SCHEDULER_TICK_SECONDS: z.coerce.number({ error: 'must be a whole number of seconds' }).int('must be a whole number of seconds').min(1, 'must be 1 to 59').max(59, 'must be 1 to 59').default(2),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1, 'must be at least 1').max(100, 'must be at most 100').default(10),
  /** Longest one image may take to draw; a render that overruns is stopped and its worker replaced. */
  RENDER_TIMEOUT_MS: z.coerce
    .number({ error: 'must be a whole number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(10, 'must be 10 to 60000')
    .max(60_000, 'must be 10 to 60000')
    .default(3000),
  /** Render workers are stopped after this long without an image (0: never), to give their memory back; the next image starts them again. */
  RENDER_IDLE_SECONDS: z.coerce
    .number({ error: 'must be a whole number of seconds' })
    .int('must be a whole number of seconds')
    .min(0, 'must be 0 (never) to 86400')
    .max(86_400, 'must be 0 (never) to 86400')
    .default(120),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; on failure throws a ConfigError whose message is one line per bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = configSchema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? 'environment');
    return `${name} ${issue.message}`;
  });
  throw new ConfigError(`Invalid configuration: ${lines.join('; ')}`);
}
