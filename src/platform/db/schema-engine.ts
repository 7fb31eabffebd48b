// Loads Prisma's schema engine compiled to WebAssembly (a dev dependency). It lets us diff
// datamodels offline, where Prisma's native engine binary cannot be downloaded. The
// package targets bundlers (`import * as wasm from "../../db/x.wasm"`), which Node cannot load,
// so we instantiate the module ourselves and hand it to the wasm-bindgen glue.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

type DiffTarget = { tag: 'empty' } | { tag: 'schemaDatamodel'; files: { path: string; content: string }[] };

interface Engine {
  diff(params: unknown): Promise<{ exitCode: number; stdout?: string | null }>;
}

interface WasmApi {
  compile(bytes: Uint8Array): Promise<object>;
  instantiate(module: object, imports: Record<string, object>): Promise<{ exports: Record<string, unknown> }>;
}

let enginePromise: Promise<Engine> | undefined;

/**
 * The engine insists on a live connection even for datamodel-to-datamodel diffs (it never
 * writes there). Pass host/port/user/database fields, not a connection string: with a string,
 * adapter-pg 7.10 points the engine's shadow-database work at the main database.
 */
export interface EngineConnection {
  host: string;
  port: number;
  user: string;
  password?: string;
  database: string;
}

export function connectionFromUrl(url: string): EngineConnection {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username || 'postgres'),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    database: decodeURIComponent(u.pathname.slice(1) || 'postgres'),
  };
}

async function load(connection: EngineConnection): Promise<Engine> {
  const require = createRequire(import.meta.url);
  const dir = path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg'));
  const glue = (await import(path.join(dir, 'schema_engine_bg.js'))) as Record<string, unknown> & {
    __wbg_set_wasm(w: unknown): void;
    SchemaEngine: { new: (opts: unknown, log: (...a: unknown[]) => void, adapter: object) => Promise<Engine> };
  };
  // Node has WebAssembly; TypeScript's lib without DOM does not declare it.
  const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  const module = await wasmApi.compile(readFileSync(path.join(dir, 'schema_engine_bg.wasm')));
  const instance = await wasmApi.instantiate(module, { './schema_engine_bg.js': glue });
  glue.__wbg_set_wasm(instance.exports);
  (instance.exports as { __wbindgen_start?: () => void }).__wbindgen_start?.();
  // The engine needs to know its provider even for offline diffs; it connects but only reads.
  const { PrismaPg } = await import('@prisma/adapter-pg');
  const { bindMigrationAwareSqlAdapterFactory } = await import('@prisma/driver-adapter-utils');
  const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPg(connection));
  return glue.SchemaEngine.new({ datamodels: undefined }, () => {}, adapter);
}

/** SQL that turns a database shaped like `from` into one shaped like `to` (PostgreSQL). */
export async function diffDatamodels(connection: EngineConnection, from: string | null, to: string): Promise<string> {
  enginePromise ??= load(connection);
  const engine = await enginePromise;
  const target = (content: string | null): DiffTarget =>
    content === null ? { tag: 'empty' } : { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content }] };
  const result = await engine.diff({
    from: target(from),
    to: target(to),
    script: true,
    exitCode: null,
    filters: { externalTables: [], externalEnums: [] },
  });
  return result.stdout ?? '';
}
