// `npm run db:new-migration <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql
// with the SQL that takes the schema as of the last committed migration to the current
// prisma/schema.prisma. Uses Prisma's schema engine (WebAssembly), so it works offline where
// `prisma migrate dev` cannot. Needs a reachable PostgreSQL (DATABASE_URL or the local
// default): the engine connects but only reads.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { commandLine } from '../src/platform/cli.js';
import { connectionFromUrl, diffDatamodels } from '../src/platform/db/schema-engine.js';

const USAGE = 'npm run db:new-migration <name>   (lower-case letters, digits and _)';
const name = commandLine({ options: {}, allowPositionals: true }, USAGE).positionals[0];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error(`usage: ${USAGE}`);
  process.exit(2);
}
const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8' }).trim();
const lastMigrationCommit = git('log', '-1', '--format=%H', '--', 'prisma/migrations');
const previous = lastMigrationCommit ? git('show', `${lastMigrationCommit}:prisma/schema.prisma`) : null;
const current = readFileSync('prisma/schema.prisma', 'utf8');
const url = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
let sql = await diffDatamodels(connectionFromUrl(url), previous, current);
sql = sql.replace(/-- CreateSchema\nCREATE SCHEMA IF NOT EXISTS "public";\n\n/, '');
if (!sql.trim() || sql.trim() === '-- This is an empty migration.') {
  console.error('schema.prisma has no changes since the last migration');
  process.exit(1);
}
const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
const dir = path.join('prisma/migrations', `${stamp}_${name}`);
mkdirSync(dir, { recursive: true });
writeFileSync(path.join(dir, 'migration.sql'), sql);
console.log(`wrote ${dir}/migration.sql`);
