/**
 * Shared setup file (vitest.config.ts `setupFiles`): after every test file that started a fake
 * Discord, fail the file when the bot sent any body Discord would refuse (the published
 * OpenAPI spec and the documented limits, test/support/discord-spec.ts) or any string a member
 * reads with raw TeX or cut mid-word (test/support/visible-text.ts). One place, so no test
 * file can forget it.
 *
 * BACKPROP_VISIBLE_TEXT_OUT=dir also writes one JSON per test file into dir: every string the
 * bot showed, and the problems found (for before/after numbers over the suite).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeEach, expect } from 'vitest';
import { fakeDiscordRegistry, type Problems, type SeenText } from './fake-discord.js';
import { wholeWords } from './visible-text.js';

beforeEach(() => {
  fakeDiscordRegistry.currentTest = expect.getState().currentTestName;
});

afterAll(async () => {
  const fakes = fakeDiscordRegistry.instances.splice(0);
  fakeDiscordRegistry.currentTest = undefined;
  if (fakes.length === 0) return;
  // "…word…" is a cut on a word boundary when the word occurs whole somewhere: in what the bot
  // showed, or else in the question bank the texts come from (loaded only when needed).
  const bankWords = fakes.some((f) => f.problems().midWordCuts.length > 0) ? await questionBankWords() : undefined;
  const problems: Problems = { spec: [], rawTex: [], midWordCuts: [] };
  for (const f of fakes) {
    const p = f.problems(bankWords);
    problems.spec.push(...p.spec);
    problems.rawTex.push(...p.rawTex);
    problems.midWordCuts.push(...p.midWordCuts);
  }
  const file = path.relative(process.cwd(), expect.getState().testPath ?? 'unknown');
  const out = process.env.BACKPROP_VISIBLE_TEXT_OUT;
  if (out) {
    mkdirSync(out, { recursive: true });
    const seen = fakes.flatMap((f) => f.seenText);
    writeFileSync(
      path.join(out, `${file.replace(/[\\/]/g, '__')}.json`),
      JSON.stringify(
        {
          file,
          requests: fakes.reduce((n, f) => n + f.requests.length, 0),
          // Bodies checked, per Discord operation ("(none)": a GET or DELETE, or a path Discord does not have).
          operations: countBy(fakes.flatMap((f) => f.requests.filter((r) => r.method !== 'GET' && r.method !== 'DELETE').map((r) => r.operation ?? `(none) ${r.method} ${r.path}`))),
          strings: seen.length,
          counts: { specViolations: problems.spec.length, rawTex: problems.rawTex.length, midWordCuts: problems.midWordCuts.length },
          problems,
          seen,
        },
        null,
        1,
      ),
    );
  }
  const report = summarize(problems);
  if (report) throw new Error(`${file}: the bot sent what Discord or a member would not accept\n${report}`);
});

async function questionBankWords(): Promise<Set<string>> {
  const { loadBank } = await import('../../src/bank/load.js');
  const texts: string[] = [];
  const collect = (v: unknown): void => {
    if (typeof v === 'string') texts.push(v);
    else if (Array.isArray(v)) v.forEach(collect);
    else if (v && typeof v === 'object') Object.values(v).forEach(collect);
  };
  collect(loadBank().topics);
  return wholeWords(texts);
}

function countBy(keys: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of keys) out[k] = (out[k] ?? 0) + 1;
  return out;
}

const MAX = 15;
const at = (t: { test?: string }) => t.test ?? '(before the tests)';
const quote = (s: string, n = 160) => JSON.stringify(s.length > n ? `${s.slice(0, n)}…` : s);

function summarize(p: Problems): string {
  const out: string[] = [];
  const section = <T>(title: string, list: T[], line: (x: T) => string) => {
    if (list.length === 0) return;
    out.push(`${title} (${list.length}):`);
    for (const x of list.slice(0, MAX)) out.push(`  - ${line(x)}`);
    if (list.length > MAX) out.push(`  … and ${list.length - MAX} more (BACKPROP_VISIBLE_TEXT_OUT=dir writes them all)`);
  };
  section('request bodies Discord would refuse (answered 400)', p.spec, (v) => `${v.operation ?? `${v.method} ${v.path}`} in "${at(v)}": ${v.errors.join('; ')}`);
  const seen = (t: SeenText) => `${t.where} of ${t.request} in "${at(t)}"`;
  section('raw TeX a member would read', p.rawTex, (t) => `${seen(t)}: ${t.found.map((f) => `${f.kind} ${quote(f.fragment)}`).join(', ')}`);
  section('text cut mid-word', p.midWordCuts, (t) => `${seen(t)}: ${t.found.map((f) => quote(f)).join(', ')}`);
  return out.join('\n');
}
