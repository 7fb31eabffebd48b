import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BANK_CACHE_DIR, DEFAULT_BANK_DIR, loadBank } from '../../../src/bank/load.js';

describe('bank cache', () => {
  it('gives the same bank from the cache, and notices an edit', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bp-bank-'));
    for (const f of ['distillation.yaml', 'quantisation.yaml']) cpSync(path.join(DEFAULT_BANK_DIR, f), path.join(dir, f));
    const fresh = loadBank(dir, { cache: false });
    const first = loadBank(dir); // writes the cache
    const cached = loadBank(dir); // reads it
    expect(cached.prompts).toEqual(fresh.prompts);
    expect(first.prompts).toEqual(fresh.prompts);
    expect(readdirSync(BANK_CACHE_DIR).some((f) => f.startsWith('bank-'))).toBe(true);

    const file = path.join(dir, 'distillation.yaml');
    const id = fresh.topicById.get('distillation')!.chains[0]!.prompts[0]!.id;
    writeFileSync(file, readFileSync(file, 'utf8').replace(/testing: /, 'testing: EDITED '));
    const edited = loadBank(dir);
    expect(edited.promptById.get(id)!.testing).toMatch(/^EDITED /);
    // Ids do not change when text does.
    expect(edited.prompts.map((p) => p.id)).toEqual(fresh.prompts.map((p) => p.id));
  });
});
