/**
 * Benchmarks the question bank and the drills. Prints JSON.
 *   npx tsx bench/bank.ts
 * - bank.load: loadBank() repeated (median, p99 over 20 runs; target < 200 ms).
 * - bank.selfCheck: each prompt's model answer graded against its own key points. A model answer
 *   that misses its key points usually means the `accept` phrasings need another synonym.
 * - drills: mean generation time per kind, in microseconds.
 */
import { performance } from 'node:perf_hooks';
import { loadBank, type Bank } from '../src/bank/load.js';
import { drillKinds } from '../src/drills/index.js';
import { gradeFreeText } from '../src/quiz/grade.js';

const LOAD_RUNS = 20;
const LOAD_TARGET_MS = 200;
const DRILL_RUNS = 2000;

function summarise(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return {
    runs: samples.length,
    median: round(at(0.5)),
    p99: round(at(0.99)),
    min: round(sorted[0] as number),
    max: round(sorted[sorted.length - 1] as number),
    mean: round(samples.reduce((a, b) => a + b, 0) / samples.length),
  };
}

function benchLoad() {
  const times: number[] = [];
  let bank: Bank | undefined;
  try {
    for (let i = 0; i < LOAD_RUNS; i++) {
      const start = performance.now();
      bank = loadBank();
      times.push(performance.now() - start);
    }
  } catch (err) {
    const e = err as Error & { problems?: string[] };
    return {
      ok: false as const,
      error: e.message.split('\n')[0],
      problems: e.problems?.length ?? 0,
      firstProblems: e.problems?.slice(0, 5) ?? [],
    };
  }
  const ms = summarise(times);
  return {
    ok: true as const,
    bank: bank as Bank,
    result: {
      ok: true,
      topics: bank?.topics.length ?? 0,
      chains: bank?.chains.length ?? 0,
      prompts: bank?.prompts.length ?? 0,
      firstMs: Math.round((times[0] as number) * 1000) / 1000,
      ms,
      targetMs: LOAD_TARGET_MS,
      withinTarget: ms.p99 < LOAD_TARGET_MS,
    },
  };
}

function selfCheck(bank: Bank) {
  const times: number[] = [];
  const weak: { id: string; score: number; missed: string[] }[] = [];
  let total = 0;
  for (const p of bank.prompts) {
    const start = performance.now();
    const g = gradeFreeText(p.answer, p.keyPoints);
    times.push((performance.now() - start) * 1000);
    total += g.score;
    if (g.verdict !== 'correct') weak.push({ id: p.id, score: Math.round(g.score * 100) / 100, missed: g.missed.map((k) => k.point) });
  }
  weak.sort((a, b) => a.score - b.score);
  return {
    prompts: bank.prompts.length,
    meanScore: bank.prompts.length ? Math.round((total / bank.prompts.length) * 1000) / 1000 : null,
    modelAnswersNotCorrect: weak.length,
    weakest: weak.slice(0, 10),
    gradeMicros: times.length ? summarise(times) : null,
  };
}

function benchDrills() {
  const out: Record<string, { meanMicros: number; p99Micros: number }> = {};
  for (const kind of drillKinds) {
    for (let s = 0; s < 100; s++) kind.generate(s); // warm-up
    const times: number[] = [];
    for (let s = 0; s < DRILL_RUNS; s++) {
      const start = performance.now();
      kind.generate(s * 2654435761);
      times.push((performance.now() - start) * 1000);
    }
    const st = summarise(times);
    out[kind.id] = { meanMicros: Math.round(st.mean * 10) / 10, p99Micros: Math.round(st.p99 * 10) / 10 };
  }
  return out;
}

const load = benchLoad();
const report = {
  node: process.version,
  load: load.ok ? load.result : load,
  selfCheck: load.ok ? selfCheck(load.bank) : null,
  drills: { runsPerKind: DRILL_RUNS, kinds: benchDrills() },
};
console.log(JSON.stringify(report, null, 2));
