/** A migrated test database with a Prisma client, for repository tests. */
import { connectDatabase, type Database } from '../../src/platform/db/client.js';
import { migrate } from '../../src/platform/db/migrate.js';
import { createLogger } from '../../src/platform/log.js';
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
