import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateEce, generateIps, generateNdcg, generateSnips } from '../../../src/drills/kinds/ranking.js';

const seeds = fc.integer({ min: 0, max: 0xffffffff });
const runs = { numRuns: 300 };

describe('ndcg', () => {
  // Independent: explicit loops, and the ideal order by repeated selection of the maximum (no sort).
  const dcg = (rels: number[], k: number) => {
    let total = 0;
    for (let i = 1; i <= Math.min(k, rels.length); i++) total += (Math.pow(2, rels[i - 1]!) - 1) / (Math.log(i + 1) / Math.LN2);
    return total;
  };
  const idealOrder = (rels: number[]) => {
    const left = [...rels];
    const out: number[] = [];
    while (left.length) {
      let best = 0;
      for (let i = 1; i < left.length; i++) if (left[i]! > left[best]!) best = i;
      out.push(left.splice(best, 1)[0]!);
    }
    return out;
  };

  it('matches DCG / IDCG computed with explicit loops', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        const d = generateNdcg(seed);
        const { relevances, k } = d.inputs;
        expect(d.answer).toBeCloseTo(dcg(relevances, k) / dcg(idealOrder(relevances), k), 12);
        expect(d.answer).toBeGreaterThan(0);
        expect(d.answer).toBeLessThanOrEqual(1);
        expect(k).toBeLessThanOrEqual(relevances.length);
      }),
      runs,
    );
  });

  it('states the gain and discount convention', () => {
    const q = generateNdcg(1).question;
    expect(q).toContain('2^{rel} - 1');
    expect(q).toContain('\\log_2(i+1)');
  });

  it('is usually an imperfect ranking', () => {
    const perfect = Array.from({ length: 200 }, (_, s) => generateNdcg(s).answer).filter((a) => a === 1).length;
    expect(perfect).toBeLessThan(5);
  });
});

describe('ece', () => {
  it('matches ECE computed over individual predictions', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        const d = generateEce(seed);
        // Expand each bin into its predictions: `correct` right ones, the rest wrong, all at the bin's mean confidence.
        const predictions: { bin: number; confidence: number; right: boolean }[] = [];
        d.inputs.bins.forEach((b, bin) => {
          for (let i = 0; i < b.count; i++) predictions.push({ bin, confidence: b.confidence, right: i < b.correct });
        });
        const N = predictions.length;
        let ece = 0;
        for (let bin = 0; bin < d.inputs.bins.length; bin++) {
          const inBin = predictions.filter((p) => p.bin === bin);
          const gap = inBin.reduce((acc, p) => acc + (p.right ? 1 : 0) - p.confidence, 0);
          ece += Math.abs(gap) / N;
        }
        expect(d.answer).toBeCloseTo(ece, 12);
      }),
      runs,
    );
  });

  it('has consistent bins and figure', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        const d = generateEce(seed);
        const filled = d.inputs.bins.filter((b) => b.count > 0);
        expect(filled.length).toBeGreaterThanOrEqual(2);
        for (const b of d.inputs.bins) {
          expect(b.correct).toBeGreaterThanOrEqual(0);
          expect(b.correct).toBeLessThanOrEqual(b.count);
          expect(b.confidence).toBeGreaterThanOrEqual(b.lo);
          expect(b.confidence).toBeLessThan(b.hi);
        }
        expect(d.figure?.type).toBe('reliability');
        if (d.figure?.type === 'reliability') {
          expect(d.figure.bins.map((b) => b.count)).toEqual(filled.map((b) => b.count));
          d.figure.bins.forEach((b, i) => expect(b.accuracy).toBeCloseTo(filled[i]!.correct / filled[i]!.count, 12));
        }
      }),
      runs,
    );
  });
});

describe('ips and snips', () => {
  it('IPS matches the mean of reweighted rewards, SNIPS equals IPS over the mean weight', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        const ips = generateIps(seed);
        const snips = generateSnips(seed);
        expect(snips.inputs).toEqual(ips.inputs);
        let weighted = 0;
        let weights = 0;
        for (const r of ips.inputs.rows) {
          weighted += r.reward === 1 ? r.target / r.propensity : 0;
          weights += r.target / r.propensity;
        }
        const n = ips.inputs.rows.length;
        expect(ips.answer).toBeCloseTo(weighted / n, 12);
        expect(weights).toBeGreaterThan(0);
        expect(snips.answer).toBeCloseTo(ips.answer / (weights / n), 12);
        expect(snips.answer).toBeGreaterThan(0);
        expect(snips.answer).toBeLessThanOrEqual(1);
      }),
      runs,
    );
  });

  it('uses valid propensities and target probabilities', () => {
    for (let seed = 0; seed < 200; seed++) {
      for (const r of generateIps(seed).inputs.rows) {
        expect(r.propensity).toBeGreaterThan(0);
        expect(r.propensity).toBeLessThanOrEqual(1);
        expect(r.target).toBeGreaterThanOrEqual(0);
        expect(r.target).toBeLessThanOrEqual(1);
      }
    }
  });
});
