import fc from 'fast-check';
import { liteAdaptor } from 'mathjax-full/js/adaptors/liteAdaptor.js';
import { STATE } from 'mathjax-full/js/core/MathItem.js';
import { RegisterHTMLHandler } from 'mathjax-full/js/handlers/html.js';
import { TeX } from 'mathjax-full/js/input/tex.js';
import { AllPackages } from 'mathjax-full/js/input/tex/AllPackages.js';
import { mathjax } from 'mathjax-full/js/mathjax.js';
import { SVG } from 'mathjax-full/js/output/svg.js';
import { describe, expect, it } from 'vitest';
import { drillKindById, drillKinds, generateDrill, type Drill } from '../../../src/drills/index.js';
import { slug } from '../../../src/bank/schema.js';
import { allowedError, gradeNumeric, parseNumber } from '../../../src/quiz/grade.js';

const seeds = fc.integer({ min: 0, max: 0xffffffff });

describe('drill registry', () => {
  it('has at least 14 kinds with unique slug ids, titles and short descriptions', () => {
    expect(drillKinds.length).toBeGreaterThanOrEqual(14);
    expect(new Set(drillKinds.map((k) => k.id)).size).toBe(drillKinds.length);
    for (const k of drillKinds) {
      expect(slug.safeParse(k.id).success).toBe(true);
      expect(k.title.length).toBeGreaterThan(0);
      expect(k.title.length).toBeLessThanOrEqual(100);
      expect(k.description.length).toBeGreaterThan(0);
      expect(k.description.length).toBeLessThanOrEqual(100);
      expect(drillKindById.get(k.id)).toBe(k);
    }
  });

  it('covers the kinds the product promises', () => {
    const ids = drillKinds.map((k) => k.id);
    for (const id of ['auc-ties', 'precision-prevalence', 'prior-correction', 'xgb-leaf-weight', 'xgb-split-gain', 'weight-init', 'vif', 'log-loss', 'ndcg', 'ece', 'ips', 'snips', 'batch-norm', 'l2-step', 'adam-first-step', 'f-beta']) {
      expect(ids).toContain(id);
    }
  });

  it('generateDrill finds kinds by id and returns undefined for unknown ones', () => {
    expect(generateDrill('auc-ties', 5)).toEqual(drillKindById.get('auc-ties')!.generate(5));
    expect(generateDrill('nope', 5)).toBeUndefined();
  });
});

function finiteNumbersOnly(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(finiteNumbersOnly);
  if (value && typeof value === 'object') return Object.values(value).every(finiteNumbersOnly);
  return true;
}

describe.each(drillKinds.map((k) => [k.id, k] as const))('drill kind %s', (id, kind) => {
  it('is deterministic: the same seed gives an identical drill', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        expect(kind.generate(seed)).toEqual(kind.generate(seed));
      }),
      { numRuns: 100 },
    );
  });

  it('varies with the seed', () => {
    const questions = new Set(Array.from({ length: 40 }, (_, s) => kind.generate(s).question));
    expect(questions.size).toBeGreaterThanOrEqual(20);
  });

  it('folds odd seeds into the unsigned 32-bit range', () => {
    expect(kind.generate(-1)).toEqual(kind.generate(0xffffffff));
    expect(kind.generate(Number.NaN)).toEqual(kind.generate(0));
    expect(kind.generate(7.9)).toEqual(kind.generate(7));
    expect(kind.generate(-1).seed).toBe(0xffffffff);
  });

  it('is well formed: finite answer, sensible tolerance, instructions, serialisable', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        const d: Drill = kind.generate(seed);
        expect(d.kind).toBe(id);
        expect(d.seed).toBe(seed);
        expect(Number.isFinite(d.answer)).toBe(true);
        const abs = d.tolerance.abs ?? 0;
        const rel = d.tolerance.rel ?? 0;
        expect(abs > 0 || rel > 0).toBe(true);
        expect(abs).toBeLessThanOrEqual(0.01);
        expect(rel).toBeLessThanOrEqual(0.01);
        expect(d.question).toMatch(new RegExp(`to ${d.decimals} decimal places?\\.$`));
        expect(finiteNumbersOnly(d.inputs)).toBe(true);
        expect(finiteNumbersOnly(d.figure ?? null)).toBe(true);
        expect(finiteNumbersOnly(d.solutionFigure ?? null)).toBe(true);
        expect(JSON.parse(JSON.stringify(d))).toEqual(d);
        for (const text of [d.title, d.question, d.solution]) expect(text).not.toMatch(/NaN|undefined|Infinity|\[object|e[+-]\d/);
      }),
      { numRuns: 200 },
    );
  });

  it('solution ends with the answer, and the answer as written is graded right', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        const d = kind.generate(seed);
        expect(d.solution.trimEnd().endsWith(d.answerText)).toBe(true);
        expect(d.solution.trimEnd().split('\n').at(-1)).toBe(`**Answer:** ${d.answerText}`);
        const parsed = parseNumber(d.answerText);
        expect(parsed.ok && Math.abs(parsed.value - d.answer) <= 0.5 * 10 ** -d.decimals + 1e-12).toBe(true);
        expect(gradeNumeric(d.answerText, d).correct).toBe(true);
        // One unit more in the last asked decimal, doubled, is still not enough to be wrong...
        // but an answer off by 5% (and at least 0.01) must be wrong: the tolerance is tight.
        const off = d.answer + Math.max(0.05 * Math.abs(d.answer), 0.01);
        expect(Math.abs(off - d.answer)).toBeGreaterThan(allowedError(d.answer, d.tolerance));
      }),
      { numRuns: 200 },
    );
  });
});

describe('drill LaTeX', () => {
  const adaptor = liteAdaptor();
  RegisterHTMLHandler(adaptor);
  const doc = mathjax.document('', {
    InputJax: new TeX({
      // As the renderer should run it: no macro definitions, no loading; undefined macros are errors.
      packages: AllPackages.filter((p: string) => !['noundefined', 'newcommand', 'configmacros', 'require', 'autoload', 'html'].includes(p)),
      formatError: (_jax: unknown, err: Error) => {
        throw err;
      },
    }),
    OutputJax: new SVG({ fontCache: 'local' }),
  });

  function mathOf(markdown: string): { tex: string; display: boolean }[] {
    const out: { tex: string; display: boolean }[] = [];
    const rest = markdown.replace(/\$\$([\s\S]+?)\$\$/g, (_, tex: string) => {
      out.push({ tex, display: true });
      return ' ';
    });
    for (const m of rest.matchAll(/\$([^$]+?)\$/g)) out.push({ tex: m[1] as string, display: false });
    // Every dollar must have been consumed by a pair.
    expect(rest.replace(/\$([^$]+?)\$/g, '')).not.toContain('$');
    return out;
  }

  it('reports broken TeX (the check itself works)', () => {
    expect(() => doc.convert('\\frac{1}{', { display: true, end: STATE.COMPILED })).toThrow();
    expect(() => doc.convert('\\nosuchmacro', { display: true, end: STATE.COMPILED })).toThrow();
    expect(mathOf('a $x$ b $$y$$')).toEqual([{ tex: 'y', display: true }, { tex: 'x', display: false }]);
  });

  it.each(drillKinds.map((k) => [k.id, k] as const))('%s: every formula in question and solution parses in MathJax', (_, kind) => {
    for (let seed = 0; seed < 12; seed++) {
      const d = kind.generate(seed * 7919);
      for (const { tex, display } of [...mathOf(d.question), ...mathOf(d.solution)]) {
        // Parsing (compiling) the TeX is where MathJax reports errors; typesetting would only cost time.
        expect(() => doc.convert(tex, { display, end: STATE.COMPILED }), tex).not.toThrow();
      }
    }
  });
});
