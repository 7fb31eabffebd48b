import pg from 'pg';

/** Everything about a database's shape that a migration can change, as sorted text lines. */
export async function schemaSnapshot(url: string): Promise<string[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const q = async (sql: string) => (await c.query(sql)).rows.map((r) => Object.values(r).join(' | '));
    const lines = [
      ...(await q(`SELECT 'column', table_name, column_name, data_type, udt_name, is_nullable, coalesce(column_default,''),
                        coalesce(character_maximum_length::text,''), coalesce(numeric_precision::text,''), coalesce(datetime_precision::text,'')
                   FROM information_schema.columns WHERE table_schema = current_schema() AND table_name <> '_prisma_migrations'`)),
      ...(await q(`SELECT 'constraint', rel.relname, con.conname, pg_get_constraintdef(con.oid)
                   FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid JOIN pg_namespace n ON n.oid = rel.relnamespace
                   WHERE n.nspname = current_schema() AND rel.relname <> '_prisma_migrations'`)),
      ...(await q(`SELECT 'index', tablename, indexname, indexdef FROM pg_indexes
                   WHERE schemaname = current_schema() AND tablename <> '_prisma_migrations'`)),
      ...(await q(`SELECT 'enum', t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
                   FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
                   WHERE n.nspname = current_schema() GROUP BY t.typname`)),
    ];
    return lines.sort();
  } finally {
    await c.end();
  }
}
