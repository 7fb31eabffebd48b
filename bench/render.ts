/**
 * Rendering benchmark: `npm run bench:render` prints one JSON object.
 *
 * Latencies are end to end through the worker pool (validation, hashing, structured clone,
 * MathJax, Skia, PNG encoding, transfer back), one job in flight unless stated. The idle
 * bot's RSS is read off the real bot process (render workers included), started against the
 * fake Discord.
 *
 * `--baseline DIR` (or BENCH_BASELINE): DIR is a checkout of an earlier commit with its own
 * node_modules (e.g. `git worktree add ../baseline <commit> && (cd ../baseline && npm ci)`).
 * Its own bench/render.ts and its own bot run first, on the same machine, in the same run,
 * and the output has `before` beside the figures of this checkout.
 * `--quick` runs 1,000 mixed renders instead of 10,000; `--measure-only` skips the idle bot.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { commands } from '../commands/index.js';
import { commandLine } from '../src/platform/cli.js';
import { createRenderer } from '../src/render/index.js';
import { BotProcess, allocatorSettings, botEnv } from '../test/support/bot-process.js';
import { FakeDiscord } from '../test/support/fake-discord.js';
import { benchDatabase } from './support.js';

const { values: args } = commandLine(
  { options: { quick: { type: 'boolean', default: false }, baseline: { type: 'string' }, 'measure-only': { type: 'boolean', default: false } } },
  'npm run bench:render [-- --quick] [--baseline DIR] [--measure-only]',
);

const FORMULAS: string[] = [
  // XGBoost split gain and leaf weight
  String.raw`\mathrm{Gain} = \frac{1}{2}\left[\frac{G_L^2}{H_L+\lambda} + \frac{G_R^2}{H_R+\lambda} - \frac{(G_L+G_R)^2}{H_L+H_R+\lambda}\right] - \gamma`,
  String.raw`w_j^* = -\frac{\sum_{i \in I_j} g_i}{\sum_{i \in I_j} h_i + \lambda}`,
  // softmax, cross-entropy
  String.raw`\operatorname{softmax}(z)_i = \frac{e^{z_i}}{\sum_{j=1}^{K} e^{z_j}}`,
  String.raw`\mathcal{L}_{\mathrm{CE}} = -\frac{1}{N}\sum_{n=1}^{N}\sum_{k=1}^{K} y_{nk}\log \hat{p}_{nk}`,
  // Adam
  String.raw`\begin{aligned} m_t &= \beta_1 m_{t-1} + (1-\beta_1) g_t \\ v_t &= \beta_2 v_{t-1} + (1-\beta_2) g_t^2 \\ \hat m_t &= \frac{m_t}{1-\beta_1^t},\quad \hat v_t = \frac{v_t}{1-\beta_2^t} \\ \theta_t &= \theta_{t-1} - \eta\,\frac{\hat m_t}{\sqrt{\hat v_t}+\epsilon} \end{aligned}`,
  // batch norm, layer norm
  String.raw`\hat x_i = \frac{x_i - \mu_B}{\sqrt{\sigma_B^2 + \epsilon}}, \qquad y_i = \gamma \hat x_i + \beta`,
  String.raw`\mathrm{LN}(x) = \gamma \odot \frac{x - \mu(x)}{\sqrt{\frac{1}{d}\sum_{i=1}^{d}(x_i-\mu(x))^2 + \epsilon}} + \beta`,
  // attention
  String.raw`\operatorname{Attention}(Q,K,V) = \operatorname{softmax}\!\left(\frac{QK^\top}{\sqrt{d_k}}\right)V`,
  // NDCG
  String.raw`\mathrm{NDCG@}k = \frac{1}{\mathrm{IDCG@}k}\sum_{i=1}^{k} \frac{2^{\mathrm{rel}_i}-1}{\log_2(i+1)}`,
  // logistic regression gradient, ridge
  String.raw`\nabla_w \mathcal{L} = \frac{1}{n} X^\top\big(\sigma(Xw) - y\big) + \lambda w`,
  String.raw`\hat\beta_{\mathrm{ridge}} = (X^\top X + \lambda I)^{-1} X^\top y`,
  // KL, ELBO
  String.raw`D_{\mathrm{KL}}(P\,\Vert\,Q) = \sum_{x} P(x)\log\frac{P(x)}{Q(x)}`,
  String.raw`\log p(x) \ge \mathbb{E}_{q_\phi(z\mid x)}\big[\log p_\theta(x\mid z)\big] - D_{\mathrm{KL}}\big(q_\phi(z\mid x)\,\Vert\,p(z)\big)`,
  // bias-variance
  String.raw`\mathbb{E}\big[(y-\hat f(x))^2\big] = \mathrm{Bias}\big[\hat f(x)\big]^2 + \mathrm{Var}\big[\hat f(x)\big] + \sigma^2`,
  // AUC as Mann-Whitney
  String.raw`\mathrm{AUC} = \frac{1}{n_+ n_-}\sum_{i:y_i=1}\sum_{j:y_j=0}\Big(\mathbb{1}[s_i > s_j] + \tfrac12\,\mathbb{1}[s_i = s_j]\Big)`,
  // focal loss, GELU
  String.raw`\mathrm{FL}(p_t) = -\alpha_t (1-p_t)^{\gamma}\log(p_t)`,
  String.raw`\mathrm{GELU}(x) = x\,\Phi(x) \approx \tfrac12 x\left(1+\tanh\!\left[\sqrt{2/\pi}\,(x+0.044715x^3)\right]\right)`,
  // PSI, F1, momentum
  String.raw`\mathrm{PSI} = \sum_{i=1}^{B} (a_i - e_i)\,\ln\frac{a_i}{e_i}`,
  String.raw`F_1 = \frac{2\,\mathrm{precision}\cdot\mathrm{recall}}{\mathrm{precision}+\mathrm{recall}} = \frac{2TP}{2TP+FP+FN}`,
  String.raw`\begin{cases} v_{t+1} = \mu v_t - \eta \nabla f(\theta_t + \mu v_t) \\ \theta_{t+1} = \theta_t + v_{t+1} \end{cases}`,
];

const quick = args.quick;
const MIXED = Number(process.env.BENCH_RENDERS ?? (quick ? 1000 : 10_000));

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

function binaryData(n: number, seed: number): { labels: Uint8Array; scores: Float64Array } {
  const rand = lcg(seed);
  const labels = new Uint8Array(n);
  const scores = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const y = rand() < 0.3 ? 1 : 0;
    labels[i] = y;
    const z = (rand() + rand() + rand() - 1.5) * 1.5 + (y ? 1.2 : 0);
    scores[i] = 1 / (1 + Math.exp(-z));
  }
  return { labels, scores };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

function summary(samples: number[]): { n: number; p50: number; p99: number; mean: number } {
  const s = [...samples].sort((a, b) => a - b);
  const round = (v: number) => Math.round(v * 100) / 100;
  return { n: s.length, p50: round(percentile(s, 50)), p99: round(percentile(s, 99)), mean: round(s.reduce((a, b) => a + b, 0) / s.length) };
}

const tick = () => new Promise<void>((r) => setImmediate(r));
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

async function time<T>(fn: () => Promise<T>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

interface IdleRss {
  /** Idle after start-up (the workers started at boot before, and start with the first image now). */
  rssMb: number;
  samplesMb: number[];
  /** Idle again right after one /tex (with CJK): the render workers running and warm. */
  withWorkersMb: number;
}

/** Median of five RSS readings of a process, a second apart (MB). */
async function sampleRss(pid: number): Promise<{ median: number; samples: number[] }> {
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    samples.push(Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 102.4) / 10);
    await new Promise((r) => setTimeout(r, 1_000));
  }
  return { median: [...samples].sort((a, b) => a - b)[2]!, samples };
}

/**
 * RSS (MB) of the real bot as `npm start` runs it from `root`: idle after start-up, and with
 * its render workers warm. A checkout whose `npm start` runs the compiled build (dist/) is
 * built first and run from there; an earlier one ran `node --import tsx src/main.ts`.
 */
async function idleBotRssMb(root: string, env: Record<string, string | undefined>): Promise<IdleRss & { entry: string }> {
  const prod = /\bnode ((?:--\S+ )*)dist\/src\/main\.js/.exec(startScript(root));
  if (prod) {
    const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    if (build.status !== 0) throw new Error(`idle bot: npm run build failed in ${root}: ${build.stdout}${build.stderr}`);
  }
  // With the node flags the start script gives.
  const args = prod ? [...prod[1]!.split(' ').filter(Boolean), 'dist/src/main.js'] : ['--import', 'tsx', 'src/main.ts'];
  const discord = await FakeDiscord.start({ commands: commands.map((c) => c.data.toJSON()) as never, guilds: [{ name: 'Idle', channels: ['general'] }] });
  const db = await benchDatabase('idle_rss');
  const bot = BotProcess.start({ ...botEnv(discord.apiUrl, db.url, { LOG_LEVEL: 'warn' }), ...env }, { cwd: root, args });
  try {
    await discord.waitForBot(120_000);
    // Let start-up finish (the old code starts its workers at boot), garbage be collected and
    // the scheduler settle into its idle tick.
    await new Promise((r) => setTimeout(r, 15_000));
    const idle = await sampleRss(bot.child.pid!);
    // No emoji: the earlier code refused them in formulas.
    const res = await discord.slash(discord.user('idle'), 'tex', { formula: String.raw`\text{损失 한} = \frac{1}{2}` }, { timeoutMs: 60_000 });
    if (res.files.length === 0) throw new Error(`idle bot: /tex drew nothing: ${res.text}`);
    await new Promise((r) => setTimeout(r, 5_000));
    const warm = await sampleRss(bot.child.pid!);
    return { entry: `node ${args.join(' ')}`, rssMb: idle.median, samplesMb: idle.samples, withWorkersMb: warm.median };
  } finally {
    await bot.stop();
    await discord.close();
    await db.drop();
  }
}

/** A checkout's `npm start` script. */
function startScript(dir: string): string {
  return (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
}

/** The baseline checkout's own bench/render.ts, run there, in its own process, with the allocator setting its `npm start` had. */
function baselineRender(dir: string, allocator: Record<string, string | undefined>): unknown {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: '' };
  for (const [name, value] of Object.entries(allocator)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/render.ts', ...(quick ? ['--quick'] : [])], {
    cwd: dir,
    encoding: 'utf8',
    env,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`baseline bench failed (exit ${run.status}): ${run.stderr.slice(-2000)}`);
  return JSON.parse(run.stdout.slice(run.stdout.indexOf('{')));
}

async function measure(): Promise<Record<string, unknown>> {
  // Cold start: pool creation to the first finished render.
  const t0 = performance.now();
  const renderer = createRenderer({ cacheEntries: 0 });
  await renderer.tex('x', { theme: 'dark' });
  const coldStartMs = performance.now() - t0;
  await renderer.whenReady();

  // Warm formulas (image cache disabled, and every formula new to the workers' layout
  // cache, so every call runs MathJax and Skia).
  for (const f of FORMULAS) await renderer.tex(f, { theme: 'dark' });
  const formulaMs: number[] = [];
  // 1,000 samples, so that p99 is the 10th slowest rather than the 2nd (one hiccup of the
  // machine moved it by 10 ms in runs of 200).
  for (let round = 0; round < 50; round++) {
    for (const f of FORMULAS) {
      formulaMs.push(await time(() => renderer.tex(`${f} + ${round}`, { theme: round % 2 ? 'light' : 'dark' })));
      await tick();
    }
  }

  const roc1k = binaryData(1000, 1);
  const roc100k = binaryData(100_000, 2);
  await renderer.rocPr(roc1k.labels, roc1k.scores, { theme: 'dark' });
  const roc1kMs: number[] = [];
  for (let i = 0; i < 30; i++) {
    roc1kMs.push(await time(() => renderer.rocPr(roc1k.labels, roc1k.scores, { theme: i % 2 ? 'light' : 'dark', threshold: 0.5 })));
    await tick();
  }
  const roc100kMs: number[] = [];
  for (let i = 0; i < 12; i++) {
    roc100kMs.push(await time(() => renderer.rocPr(roc100k.labels, roc100k.scores, { theme: i % 2 ? 'light' : 'dark', threshold: 0.5 })));
    await tick();
  }

  const boardOf = (steps: number, variant: number) => ({
    title: 'Deriving the XGBoost leaf weight',
    steps: Array.from({ length: steps }, (_, i) => ({
      tex: `${FORMULAS[i % FORMULAS.length]!} + ${variant}`,
      author: `member${i}`,
      ...(i % 3 === 0 ? { note: 'Expand to second order and collect terms per leaf' } : {}),
    })),
  });
  const board = boardOf(20, 0);
  // Cold: 20 steps none of which a worker has laid out before.
  const whiteboardMs: number[] = [];
  for (let i = 0; i < 24; i++) {
    whiteboardMs.push(await time(() => renderer.whiteboard(boardOf(20, 1000 + i), { theme: i % 2 ? 'light' : 'dark' })));
    await tick();
  }
  // `/whiteboard add`: the board of 19 steps was drawn before, step 20 is new.
  const whiteboardAddMs: number[] = [];
  for (let i = 0; i < 12; i++) {
    const before = boardOf(19, 2000 + i);
    await renderer.whiteboard(before, { theme: 'dark' });
    const added = { ...before, steps: [...before.steps, { tex: `${FORMULAS[19 % FORMULAS.length]!} - ${i}`, author: 'member19' }] };
    whiteboardAddMs.push(await time(() => renderer.whiteboard(added, { theme: 'dark' })));
    await tick();
  }
  // Emoji inside a formula (node-canvas + librsvg: 1-5 s each, so they were refused).
  const emojiFormulaMs: number[] = [];
  for (let i = 0; i < 20; i++) {
    const row = String.raw`\text{${'🦊🔥🇫🇷👍🏽'.repeat(8)}}`;
    emojiFormulaMs.push(await time(() => renderer.tex(String.raw`\begin{gathered}${row} \\ ${row} + ${i}\end{gathered}`, { theme: i % 2 ? 'light' : 'dark' })));
    await tick();
  }
  await renderer.close();

  // Cached hits (default cache).
  const cached = createRenderer();
  await cached.whenReady();
  await cached.tex(FORMULAS[0]!, { theme: 'dark' });
  await cached.rocPr(roc1k.labels, roc1k.scores, { theme: 'dark' });
  const cachedTexMs: number[] = [];
  const cachedRocMs: number[] = [];
  for (let i = 0; i < 1000; i++) {
    cachedTexMs.push(await time(() => cached.tex(FORMULAS[0]!, { theme: 'dark' })));
    if (i < 200) cachedRocMs.push(await time(() => cached.rocPr(roc1k.labels, roc1k.scores, { theme: 'dark' })));
  }

  // Memory: many mixed renders, two in flight, yielding to the event loop between renders.
  global.gc?.();
  await new Promise((r) => setTimeout(r, 200));
  const rssBefore = process.memoryUsage().rss;
  const rand = lcg(42);
  let failures = 0;
  const mixedStart = performance.now();
  let next = 0;
  const one = async (i: number): Promise<void> => {
    const theme = rand() < 0.5 ? 'dark' : 'light';
    const r = rand();
    try {
      if (r < 0.6) {
        // A realistic spread of distinct formulas (most are cache misses).
        await cached.tex(`${FORMULAS[i % FORMULAS.length]!} + ${i}`, { theme });
      } else if (r < 0.72) {
        const d = binaryData(1000, i);
        await cached.rocPr(d.labels, d.scores, { theme });
      } else if (r < 0.8) {
        await cached.questionCard({ topic: 'Gradients', level: 'L5', prompt: `Question ${i}: why does $\\sigma'(x) \\le \\tfrac14$ make deep sigmoid nets hard to train?` }, { theme });
      } else if (r < 0.88) {
        await cached.leaderboard({ title: `Week ${i}`, rows: Array.from({ length: 10 }, (_, k) => ({ rank: k + 1, name: `user ${k} 🦊`, value: 1000 - k })), caller: { rank: 20 + (i % 50), name: 'me', value: 3 } }, { theme });
      } else if (r < 0.94) {
        await cached.masteryChart({ stats: { due: i % 30, streak: i % 9, accuracy30d: (i % 100) / 100 }, topics: [{ name: 'Gradients', mastery: (i % 10) / 10, seen: 3, unseen: 7 }, { name: 'XGBoost', mastery: 0.5, seen: 5, unseen: 5 }] }, { theme });
      } else {
        await cached.whiteboard({ title: `Board ${i}`, steps: board.steps.slice(0, 4) }, { theme });
      }
    } catch {
      failures++;
    }
  };
  // RSS once every kind of render has run many times (fonts such as Noto CJK/emoji loaded in
  // both workers, caches warm): growth after this point is what a leak would look like.
  const warm = Math.min(1000, Math.floor(MIXED / 10));
  let rssWarm = 0;
  const rssSamples: number[] = [];
  const lanes = Array.from({ length: 2 }, async () => {
    while (next < MIXED) {
      const i = next++;
      await one(i);
      if (i === warm) rssWarm = process.memoryUsage().rss;
      if (i > 0 && i % 2500 === 0) rssSamples.push(mb(process.memoryUsage().rss));
      await tick();
    }
  });
  await Promise.all(lanes);
  const mixedSeconds = (performance.now() - mixedStart) / 1000;
  const rssAfter = process.memoryUsage().rss;
  global.gc?.();
  await new Promise((r) => setTimeout(r, 500));
  const rssAfterSettle = process.memoryUsage().rss;
  const stats = cached.stats();
  await cached.close();

  return {
    mallocArenaMax: process.env.MALLOC_ARENA_MAX ?? 'unset (glibc default)',
    mallocMmapThreshold: process.env.MALLOC_MMAP_THRESHOLD_ ?? 'unset (glibc default: dynamic)',
    machine: { cpus: (await import('node:os')).cpus().length, node: process.version, loadavg: (await import('node:os')).loadavg().map((v) => Math.round(v * 100) / 100) },
    coldStartMs: Math.round(coldStartMs),
    formulaTexToPngMs: summary(formulaMs),
    cachedHitMs: { tex: summary(cachedTexMs), rocPr1k: summary(cachedRocMs) },
    rocPr1kMs: summary(roc1kMs),
    rocPr100kMs: summary(roc100kMs),
    /** 20 steps, every formula new to the worker (the target's figure). */
    whiteboard20StepsMs: summary(whiteboardMs),
    /** The same board when 19 of its steps were drawn before (what `/whiteboard add` does). */
    whiteboardAddStep20Ms: summary(whiteboardAddMs),
    /** A formula with 64 emoji in two rows of \\text{} (4 kinds, flags and skin tones included). */
    emojiFormula64Ms: summary(emojiFormulaMs),
    memory: {
      renders: MIXED,
      failures,
      seconds: Math.round(mixedSeconds * 10) / 10,
      rssBeforeMb: mb(rssBefore),
      rssAfterMb: mb(rssAfter),
      rssAfterSettleMb: mb(rssAfterSettle),
      rssGrowthMb: mb(rssAfter - rssBefore),
      rssAfterWarmUpMb: mb(rssWarm),
      /** Growth over the renders after the first `warm` ones: a leak grows here, font loading does not. */
      rssGrowthAfterWarmUpMb: mb(rssAfter - rssWarm),
      warmUpRenders: warm,
      /** RSS every 2,500 renders: flat (or saw-toothed) is healthy, a steady climb is a leak. */
      rssEvery2500Mb: rssSamples,
      cacheEntries: stats.cacheEntries,
      cacheMb: mb(stats.cacheBytes),
      workerTimeouts: stats.timeouts,
      workerCrashes: stats.crashes,
    },
  };
}

async function main(): Promise<void> {
  const baseline = args.baseline ?? process.env.BENCH_BASELINE;
  if (baseline && !existsSync(path.join(baseline, 'node_modules'))) throw new Error(`--baseline ${baseline}: no node_modules there (run npm ci in it first)`);
  const root = path.resolve(import.meta.dirname, '..');
  // Before first, then after: each alone on the machine.
  // Each checkout with the allocator settings its own `npm start` has (none for the earlier
  // one, unless its package.json sets them; npm run bench:render sets this one's for this
  // process).
  const before = baseline ? { commit: gitHead(baseline), ...(baselineRender(baseline, allocatorSettings(baseline)) as object) } : undefined;
  const beforeIdle = baseline && !args['measure-only'] ? await idleBotRssMb(path.resolve(baseline), allocatorSettings(baseline)) : undefined;
  const after = await measure();
  const afterIdle = args['measure-only'] ? undefined : await idleBotRssMb(root, allocatorSettings(root));
  const result = {
    commit: gitHead(root),
    ...after,
    ...(afterIdle ? { idleBot: afterIdle } : {}),
    ...(before ? { before: { ...before, ...(beforeIdle ? { idleBot: beforeIdle } : {}) } } : { before: 'not measured: pass --baseline DIR (a checkout of the earlier commit with node_modules)' }),
    targets: {
      formulaTexToPngMs: 'p50 <= 8, p99 <= 20',
      rocPr1kMs: 'p50 <= 20',
      rocPr100kMs: 'p50 <= 60',
      whiteboard20StepsMs: 'p50 <= 150 (every step new)',
      emojiFormula64Ms: 'p50 < 50',
      cachedHitMs: 'p50 <= 1',
      idleBotRssMb: '<= 200 (render workers included)',
      memory: '0 worker crashes; RSS flat after the warm-up (rssEvery2500Mb)',
    },
  };
  console.log(JSON.stringify(result, null, 2));
}

function gitHead(dir: string): string | undefined {
  const r = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: dir, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

await main();
