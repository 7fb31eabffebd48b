/**
 * Runs the real bot as `npm run dev` does (`node --import tsx src/main.ts`: the code `npm start`
 * compiles and runs, without the build), in its own process, and lets a
 * test read its structured logs and stop or kill it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export class BotProcess {
  readonly logs: LogLine[] = [];
  readonly stderr: string[] = [];
  exitCode: number | null = null;
  /** The signal that ended the process, if one did (SIGSEGV, SIGABRT, SIGKILL...). */
  signal: NodeJS.Signals | null = null;
  private listeners = new Set<() => void>();
  readonly exited: Promise<number | null>;

  private constructor(readonly child: ChildProcess) {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        try {
          this.logs.push(JSON.parse(line) as LogLine);
        } catch {
          this.logs.push({ level: 30, msg: line });
        }
        this.notify();
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      this.stderr.push(chunk.toString('utf8'));
      this.notify();
    });
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        this.exitCode = code ?? (signal ? 128 : null);
        this.signal = signal;
        this.notify();
        resolve(this.exitCode);
      });
    });
  }

  /** `opts.args`: node's arguments (default: the TypeScript entry under tsx, as `npm run dev`). */
  static start(env: Record<string, string | undefined>, opts: { cwd?: string; args?: string[] } = {}): BotProcess {
    const clean: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...process.env, ...env })) if (v !== undefined) clean[k] = v;
    // Tests pass DATABASE_URL explicitly; an absent one must mean absent.
    if (!('DATABASE_URL' in env)) delete clean.DATABASE_URL;
    delete clean.NODE_OPTIONS; // vitest's own loader flags must not leak into the bot
    // As `npm start` sets them (package.json); a test or benchmark may pass undefined to unset one.
    for (const [name, value] of Object.entries(allocatorSettings(ROOT))) {
      if (!(name in env)) {
        const v = process.env[name] ?? value;
        if (v !== undefined) clean[name] = v;
      } else if (env[name] === undefined) delete clean[name];
    }
    const child = spawn(process.execPath, opts.args ?? ['--import', 'tsx', 'src/main.ts'], { cwd: opts.cwd ?? ROOT, env: clean, stdio: ['ignore', 'pipe', 'pipe'] });
    return new BotProcess(child);
  }

  private notify(): void {
    for (const l of this.listeners) l();
  }

  async waitForLog(predicate: (l: LogLine) => boolean, timeoutMs = 30_000, what = 'log line'): Promise<LogLine> {
    const find = () => this.logs.find(predicate);
    const hit = find();
    if (hit) return hit;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        reject(new Error(`bot: no ${what} within ${timeoutMs} ms. stderr: ${this.stderr.join('').slice(-2000)}\nlast logs: ${this.logs.slice(-8).map((l) => JSON.stringify(l)).join('\n')}`));
      }, timeoutMs);
      const check = () => {
        const l = find();
        if (l) {
          clearTimeout(timer);
          this.listeners.delete(check);
          resolve(l);
        } else if (this.exitCode !== null) {
          clearTimeout(timer);
          this.listeners.delete(check);
          reject(new Error(`bot exited (${this.exitCode}) before ${what}. stderr: ${this.stderr.join('').slice(-2000)}\nlast logs: ${this.logs.slice(-8).map((l) => JSON.stringify(l)).join('\n')}`));
        }
      };
      this.listeners.add(check);
    });
  }

  ready(timeoutMs = 60_000): Promise<LogLine> {
    return this.waitForLog((l) => l.msg === 'ready', timeoutMs, '"ready"');
  }

  /** Sends a signal and waits for the exit code. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.exitCode === null) this.child.kill(signal);
    return this.exited;
  }
}

/** The glibc allocator settings a checkout's `npm start` gives (undefined: glibc's default). */
export function allocatorSettings(dir: string): Record<'MALLOC_ARENA_MAX' | 'MALLOC_MMAP_THRESHOLD_', string | undefined> {
  const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const setting = (name: string) => new RegExp(`${name}=\\$\\{${name}:-(\\d+)\\}`).exec(pkg.scripts.start)?.[1];
  return { MALLOC_ARENA_MAX: setting('MALLOC_ARENA_MAX'), MALLOC_MMAP_THRESHOLD_: setting('MALLOC_MMAP_THRESHOLD_') };
}

/** Environment for a bot talking to the fake Discord. */
export function botEnv(apiUrl: string, databaseUrl: string | undefined, extra: Record<string, string> = {}): Record<string, string | undefined> {
  return {
    DISCORD_TOKEN: 'fake-token.for-tests',
    DISCORD_API_URL: apiUrl,
    DATABASE_URL: databaseUrl,
    METRICS_PORT: '0',
    LOG_LEVEL: 'info',
    ...extra,
  };
}
