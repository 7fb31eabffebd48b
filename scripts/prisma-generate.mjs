// Runs `prisma generate` offline: Prisma's schema engine binary cannot be downloaded on
// machines without internet, and generate does not need it when this variable points at
// any existing file. The update check is disabled so no DNS lookup is attempted.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const env = { ...process.env, CHECKPOINT_DISABLE: '1', PRISMA_HIDE_UPDATE_MESSAGE: '1' };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY && existsSync('/bin/false')) env.PRISMA_SCHEMA_ENGINE_BINARY = '/bin/false';
const result = spawnSync('npx', ['--no-install', 'prisma', 'generate'], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
