// `npm run bench`: runs every benchmark that exists, each in its own process, and writes one
// JSON report (bench/results/latest.json) plus a short table on stdout.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';

const suites = ['bank', 'render', 'answers', 'leaderboard', 'drops', 'compete'].filter((s) => existsSync(`bench/${s}.ts`));
const report: Record<string, unknown> = {
  at: new Date().toISOString(),
  machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
};
for (const suite of suites) {
  const t0 = Date.now();
  const run = spawnSync(process.execPath, ['--import', 'tsx', `bench/${suite}.ts`], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const json = run.stdout.slice(run.stdout.indexOf('{'));
  try {
    report[suite] = JSON.parse(json);
  } catch {
    report[suite] = { error: `exit ${run.status}`, stderr: run.stderr.slice(-2000) };
  }
  console.error(`${suite}: ${((Date.now() - t0) / 1000).toFixed(1)} s, exit ${run.status}`);
}
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/latest.json', JSON.stringify(report, null, 2));
console.log(JSON.stringify(report, null, 2));
