import { readFileSync } from 'node:fs';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { MigrationError, migrate, readMigrations } from '../../src/platform/db/migrate.js';
import { connectionFromUrl, diffDatamodels } from '../../src/platform/db/schema-engine.js';
import { adminUrl, createTestDatabase, serverReachable, type TestDatabase } from '../support/database.js';
import { schemaSnapshot } from '../support/schema-snapshot.js';

const sharedServer = await serverReachable();

const dbs: TestDatabase[] = [];
async function fresh(label: string) {
  const db = await createTestDatabase(label);
  dbs.push(db);
  return db;
}
afterAll(async () => {
  for (const db of dbs) await db.drop();
});

/**
 * A folder holding the migrations before `name` (to build a database as it was), and a way to
 * add `name` itself afterwards (to watch it upgrade rows written the old way).
 */
function migrationsBefore(name: string): { dir: string; addUpgrade: () => void } {
  const all = readMigrations().map((m) => m.name);
  const upgrade = all.indexOf(name);
  expect(upgrade).toBeGreaterThan(0);
  const dir = mkdtempSync(path.join(tmpdir(), 'bp-mig-'));
  const copy = (migration: string) => {
    mkdirSync(path.join(dir, migration));
    writeFileSync(path.join(dir, migration, 'migration.sql'), readFileSync(path.join('prisma/migrations', migration, 'migration.sql')));
  };
  all.slice(0, upgrade).forEach(copy);
  return { dir, addUpgrade: () => copy(all[upgrade]!) };
}

async function query(url: string, sql: string, params: unknown[] = []) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows;
  } finally {
    await c.end();
  }
}

describe('migrations', () => {
  it('produce exactly the schema that schema.prisma describes (no drift)', async () => {
    // Prisma's own schema engine (WebAssembly) turns schema.prisma into SQL from scratch;
    // a database built that way must look exactly like one built from our migrations.
    const canDiff = sharedServer;
    const fromMigrations = await fresh('drift_a');
    await migrate(fromMigrations.url);
    const fromSchema = await fresh('drift_b');
    const sql = await diffDatamodels(connectionFromUrl(canDiff ? adminUrl() : fromSchema.url), null, readFileSync('prisma/schema.prisma', 'utf8'));
    expect(sql).toMatch(/CREATE TABLE/);
    await query(fromSchema.url, sql);
    const [a, b] = [await schemaSnapshot(fromMigrations.url), await schemaSnapshot(fromSchema.url)];
    expect(a.length).toBeGreaterThan(10);
    expect(a).toEqual(b);
  });

  it('records history exactly as prisma migrate deploy does', async () => {
    const db = await fresh('history');
    const result = await migrate(db.url);
    expect(result.applied).toEqual(readMigrations().map((m) => m.name));
    const rows = await query(db.url, 'SELECT migration_name, checksum, applied_steps_count, finished_at, rolled_back_at, logs FROM _prisma_migrations ORDER BY migration_name');
    expect(rows).toEqual(
      readMigrations().map((m) => expect.objectContaining({ migration_name: m.name, checksum: m.checksum, applied_steps_count: 1, rolled_back_at: null, logs: null })),
    );
    expect(rows.every((r) => r.finished_at instanceof Date)).toBe(true);
    expect(readMigrations()[0]!.checksum).toMatch(/^[0-9a-f]{64}$/);
    // Running again changes nothing.
    expect(await migrate(db.url)).toEqual({ applied: [], alreadyApplied: readMigrations().length });
  });

  // The embedded database serves every connection from one PostgreSQL session (PGlite is
  // single-user), so advisory locks cannot exclude anyone there; it is single-process by
  // design (a lock file guards its data directory). Concurrency is a shared-server concern.
  it.skipIf(!sharedServer)('is safe when several processes migrate at once', async () => {
    const db = await fresh('race');
    const results = await Promise.all([1, 2, 3, 4].map(() => migrate(db.url)));
    expect(results.reduce((n, r) => n + r.applied.length, 0)).toBe(readMigrations().length);
    const rows = await query(db.url, 'SELECT count(*)::int AS n FROM _prisma_migrations');
    expect(rows[0].n).toBe(readMigrations().length);
  });

  it('refuses a non-empty database without history (P3005) and stops after a failed migration (P3009)', async () => {
    const db = await fresh('p3005');
    await query(db.url, 'CREATE TABLE unrelated (id int)');
    await expect(migrate(db.url)).rejects.toMatchObject({ code: 'P3005' });

    const dir = mkdtempSync(path.join(tmpdir(), 'bp-mig-'));
    mkdirSync(path.join(dir, '20000101000000_ok'));
    writeFileSync(path.join(dir, '20000101000000_ok', 'migration.sql'), 'CREATE TABLE a (id int);');
    mkdirSync(path.join(dir, '20000102000000_bad'));
    writeFileSync(path.join(dir, '20000102000000_bad', 'migration.sql'), 'CREATE TABLE b (id int); SELECT no_such_function();');
    const db2 = await fresh('p3009');
    const err = await migrate(db2.url, { dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MigrationError);
    expect((err as MigrationError).code).toBe('P3018');
    // The failed migration left nothing half-done (one implicit transaction)...
    expect((await query(db2.url, `SELECT to_regclass('b') AS b, to_regclass('a') AS a`))[0]).toEqual({ a: 'a', b: null });
    // ...and is recorded as failed, so the next deploy stops, as Prisma's does.
    const failed = await query(db2.url, `SELECT logs FROM _prisma_migrations WHERE migration_name = '20000102000000_bad'`);
    expect(failed[0].logs).toMatch(/no_such_function/);
    await expect(migrate(db2.url, { dir })).rejects.toMatchObject({ code: 'P3009' });
  });

  it('keys the answers stored before the event columns existed by their event and step', async () => {
    // The migrations up to the one before answer_event_columns, into a copy of the folder.
    const { dir, addUpgrade } = migrationsBefore('20261207140941_answer_event_columns');
    const db = await fresh('answer_events');
    await migrate(db.url, { dir });
    const session = '11111111-2222-4333-8444-555555555555';
    const drop = '66666666-7777-4888-9999-aaaaaaaaaaaa';
    for (const [key, mode] of [[`chain:${session}:2`, 'chain'], [`drop:${drop}:0:member-1`, 'drop'], [`drop:${drop}:13:member-2`, 'drop']]) {
      await query(db.url, `INSERT INTO answers (event_key, user_id, prompt_id, mode, given, verdict, score, answered_at) VALUES ($1, 'u', 'p', $2, 'x', 'correct', 1, now())`, [key, mode]);
    }
    addUpgrade();
    await migrate(db.url, { dir });
    expect(await query(db.url, 'SELECT event_key, event_id, event_step FROM answers ORDER BY event_key')).toEqual([
      { event_key: `chain:${session}:2`, event_id: session, event_step: 2 },
      { event_key: `drop:${drop}:0:member-1`, event_id: drop, event_step: 0 },
      { event_key: `drop:${drop}:13:member-2`, event_id: drop, event_step: 13 },
    ]);
  });

  it('re-scores the answers given before the points economy, and the boards with them', async () => {
    const { dir, addUpgrade } = migrationsBefore('20261207233000_points_economy');
    const db = await fresh('points_economy');
    await migrate(db.url, { dir });
    // Old scales: practice round(score * 100), speed games 1000 + speed bonus, late drops 1000.
    const rows: [string, string, string | null, string | null, string, number, string][] = [
      // [mode, verdict, prompt, drill kind, user, old points, at]
      ['chain', 'correct', 'p1', null, 'u1', 100, '2026-06-01T10:00:00Z'],
      ['review', 'correct', 'p1', null, 'u1', 100, '2026-06-01T12:00:00Z'], // the same prompt 2 h later: a repeat
      ['chain', 'partial', 'p2', null, 'u1', 40, '2026-06-01T13:00:00Z'],
      ['chain', 'correct', 'p1', null, 'u1', 100, '2026-06-03T12:00:00Z'], // two days later: scores again
      ['drill', 'correct', null, 'auc-ties', 'u1', 100, '2026-06-01T14:00:00Z'],
      ['sprint', 'correct', 'p3', null, 'u2', 1999, '2026-06-01T10:00:00Z'], // instant: +50 %
      ['duel', 'correct', 'p4', null, 'u2', 1500, '2026-06-01T10:05:00Z'], // halfway: +25 %
      ['drop', 'correct', 'p5', null, 'u2', 1000, '2026-06-01T10:10:00Z'], // after the reveal: 0
      ['drop', 'wrong', 'p6', null, 'u2', 0, '2026-06-01T10:15:00Z'],
    ];
    for (const [i, [mode, verdict, prompt, kind, user, points, at]] of rows.entries()) {
      await query(
        db.url,
        `INSERT INTO answers (event_key, event_id, event_step, user_id, guild_id, prompt_id, drill_kind, mode, given, verdict, score, points, answered_at)
         VALUES ($1, gen_random_uuid(), 0, $2, 'g', $3, $4, $5::"AnswerMode", 'x', $6::"Verdict", 1, $7, $8::timestamptz)`,
        [`k${i}`, user, prompt, kind, mode, verdict, points, at],
      );
    }
    addUpgrade();
    await migrate(db.url, { dir });
    const after = await query(db.url, 'SELECT points FROM answers ORDER BY event_key');
    expect(after.map((r) => r.points)).toEqual([100, 0, 50, 100, 125, 150, 125, 0, 0]);
    // The boards' aggregate moved by the same amounts, on the same days; the counts are untouched.
    const days = await query(db.url, `SELECT user_id, to_char(day, 'YYYY-MM-DD') AS day, points, answers, correct FROM daily_scores ORDER BY user_id, day`);
    expect(days).toEqual([
      { user_id: 'u1', day: '2026-06-01', points: 275, answers: 4, correct: 3 },
      { user_id: 'u1', day: '2026-06-03', points: 100, answers: 1, correct: 1 },
      { user_id: 'u2', day: '2026-06-01', points: 275, answers: 4, correct: 3 },
    ]);
  });
});
