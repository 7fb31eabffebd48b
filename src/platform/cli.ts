import { parseArgs, type ParseArgsConfig } from 'node:util';

/**
 * The command line of a script or bench, read by node:util's parseArgs (strict). An unknown
 * flag, a flag without its value or an unexpected argument prints what is wrong and the usage,
 * then exits with 2, instead of a stack trace or being ignored.
 */
export function commandLine<const T extends ParseArgsConfig>(config: T, usage: string): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs<T>(config);
  } catch (err) {
    if (!String((err as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS')) throw err;
    console.error(`${(err as Error).message}\nusage: ${usage}`);
    process.exit(2);
  }
}

/** A flag's value as a whole number of at least `min`; exits like commandLine when it is not one. */
export function wholeNumber(flag: string, value: string | undefined, fallback: number, usage: string, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (Number.isInteger(n) && n >= min) return n;
  console.error(`--${flag} needs a whole number of at least ${min}, not "${value}"\nusage: ${usage}`);
  process.exit(2);
}
