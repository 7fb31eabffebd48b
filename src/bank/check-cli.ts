// `npm run bank:check [--json]`: validates every topic file, parses every formula, prints counts.
import { BankError, loadBank } from './load.js';

const json = process.argv.includes('--json');
try {
  const bank = loadBank();
  const rows = bank.topics.map((t) => {
    const prompts = t.chains.flatMap((c) => c.prompts);
    return {
      topic: t.id,
      chains: t.chains.length,
      prompts: prompts.length,
      L4: prompts.filter((p) => p.level === 'L4').length,
      L5: prompts.filter((p) => p.level === 'L5').length,
      L6: prompts.filter((p) => p.level === 'L6').length,
      formulas: prompts.reduce((n, p) => n + (p.formulas?.length ?? 0), 0),
    };
  });
  const total = { topic: 'TOTAL', chains: 0, prompts: 0, L4: 0, L5: 0, L6: 0, formulas: 0 };
  for (const r of rows) for (const k of ['chains', 'prompts', 'L4', 'L5', 'L6', 'formulas'] as const) total[k] += r[k];
  if (json) console.log(JSON.stringify({ ok: true, topics: rows, total }, null, 2));
  else console.table([...rows, total]);
} catch (err) {
  if (err instanceof BankError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}
