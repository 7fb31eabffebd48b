// Runs once before all test files: makes sure the generated Prisma client exists.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

export default async function setup(): Promise<void> {
  if (!existsSync('src/generated/prisma/client.ts')) {
    execFileSync('node', ['scripts/prisma-generate.mjs'], { stdio: 'inherit' });
  }
}
