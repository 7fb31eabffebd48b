/** A migrated test database with a Prisma client, for repository tests. */
import { connectDatabase, type Database } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';
import { createLogger } from '../../src/log.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export interface MigratedDatabase extends Database {
  url: string;
  drop(): Promise<void>;
}

export async function migratedDatabase(label: string): Promise<MigratedDatabase> {
  const test: TestDatabase = await createTestDatabase(label);
  await migrate(test.url);
  const db = connectDatabase(test.url, { poolSize: 8, log: createLogger('silent') });
  return {
    ...db,
    url: test.url,
    async drop() {
      await db.close();
      await test.drop();
    },
  };
}
