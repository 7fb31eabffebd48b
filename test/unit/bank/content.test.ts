import { describe, expect, it } from 'vitest';
import { checkBankContent } from '../../../src/bank/check.js';
import { loadBank } from '../../../src/bank/load.js';

const bank = loadBank();

describe('the question bank', () => {
  it('has the volume the product needs', () => {
    expect(bank.chains.length).toBeGreaterThanOrEqual(45);
    expect(bank.prompts.length).toBeGreaterThanOrEqual(220);
    for (const level of ['L4', 'L5', 'L6']) expect(bank.prompts.some((p) => p.level === level)).toBe(true);
  });

  it('covers every area of the study notes', () => {
    const required = [
      'ensembles', 'regularisation', 'optimisers', 'data-drift', 'losses-optimisation', 'normalisation', 'transformers',
      'quantisation', 'distillation', 'gradients', 'initialisation', 'object-detection', 'roc-auc', 'linear-regression',
      'xgboost', 'temporal', 'evaluation-metrics', 'calibration', 'ranking', 'embeddings',
    ];
    expect(bank.topics.map((t) => t.id)).toEqual(expect.arrayContaining(required));
    for (const t of bank.topics) expect(t.chains.length, t.id).toBeGreaterThanOrEqual(1);
  });

  it('gives every prompt a multiple-choice form and gradable key points', () => {
    for (const p of bank.prompts) {
      expect(p.choice.distractors.length, p.id).toBeGreaterThanOrEqual(3);
      expect(p.keyPoints.every((k) => k.accept.some((a) => a.trim().length > 0)), p.id).toBe(true);
    }
  });

  it('parses every formula with MathJax and asks no question twice', () => {
    expect(checkBankContent(bank)).toEqual([]);
  }, 60_000);
});
