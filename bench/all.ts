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

// A short table of the headline figures (targets from the issues).
type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const r = report as Any;
const get = (path: string): unknown => path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Any)[k] : undefined), r);
const rows: [string, string, string][] = [
  ['bank: cold load (ms)', String(get('bank.load.firstMs') ?? '-'), '< 200'],
  ['render: formula p50 / p99 (ms)', `${get('render.formulaTexToPngMs.p50')} / ${get('render.formulaTexToPngMs.p99')}`, 'p50 <= 8, p99 <= 20'],
  ['render: ROC+PR 1k p50 (ms)', String(get('render.rocPr1kMs.p50')), '<= 20'],
  ['render: ROC+PR 100k p50 (ms)', String(get('render.rocPr100kMs.p50')), '<= 60'],
  ['render: 20-step whiteboard, every step new, p50 (ms)', String(get('render.whiteboard20StepsMs.p50')), '<= 150'],
  ['render: whiteboard after /whiteboard add (19 steps drawn before) p50 (ms)', String(get('render.whiteboardAddStep20Ms.p50')), ''],
  ['render: idle bot RSS, after start-up / with a render worker warm (MB)', `${get('render.idleBot.rssMb')} / ${get('render.idleBot.withWorkersMb')}`, '<= 200'],
  ['render: cached p50 (ms)', String(get('render.cachedHitMs.tex.p50')), '<= 1'],
  ['render: RSS growth over 10k renders (MB), whole run / after the first 1,000', `${get('render.memory.rssGrowthMb')} / ${get('render.memory.rssGrowthAfterWarmUpMb')}`, '<= 100 (flat after warm-up)'],
  ['answers: record p99 (ms)', String(get('answers.record.ms.p99')), '<= 15'],
  ['answers: /mastery p99 (ms)', String(get('answers.mastery.parallelMs.p99')), '<= 30'],
  ['answers: /review p99 (ms)', String(get('answers.review.heavyMemberMs.p99')), '<= 10'],
  ['drops: 10k fan-out (s, floor)', `${get('drops.fanOut.secondsFromSlotUntilAllPosted')} (${get('drops.fanOut.floorSeconds')})`, 'near the floor'],
  ['drops: idle tick CPU p99 (ms, 100k schedules)', String(get('drops.idle.tickCpuMs.p99')), 'small'],
  ['drops: interaction p99 during fan-out (ms)', String(get('drops.fanOut.interactionMs.p99')), '< 3000'],
  ['drops: deferred reply p99 during fan-out (ms)', String(get('drops.fanOut.deferredReplyMs.p99')), '< 3000'],
  ['compete: ack p99 / max (ms)', `${get('compete.ackMs.p99')} / ${get('compete.ackMs.max')}`, '< 3000'],
  ['compete: private answer p50 / p99 (ms)', `${get('compete.responseMs.p50')} / ${get('compete.responseMs.p99')}`, 'p99 < 3000'],
  ['answers: sustained (per s, errors)', `${get('answers.sustained.achievedPerSecond')} (${get('answers.sustained.errors')})`, '500, 0'],
  ['compete: errors', String(get('compete.errors')), '0'],
  ['leaderboard: worst served p99 (ms)', String(Math.max(...Object.values((get('leaderboard.served.byBoard') as Record<string, { ms: { p99: number } }> | undefined) ?? {}).map((v) => v.ms.p99))), '<= 20'],
];
console.log(JSON.stringify(report, null, 2));
console.log(['', '| figure | value | target |', '|---|---|---|', ...rows.map((x) => `| ${x.join(' | ')} |`)].join('\n'));
