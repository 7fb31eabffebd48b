// `npm run bank:check [--json]`: validates every topic file (schema, unique ids), parses every
// formula with MathJax, and prints counts per topic and level.
import { commandLine } from '../platform/cli.js';
import { checkBankContent } from './check.js';
import { BankError, loadBank, type Bank } from './load.js';

export function bankTable(bank: Bank) {
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
  return { rows, total };
}

const { json } = commandLine({ options: { json: { type: 'boolean', default: false } } }, 'npm run bank:check [-- --json]').values;
try {
  const bank = loadBank();
  const findings = checkBankContent(bank);
  if (findings.length) {
    console.error(`question bank has ${findings.length} problem${findings.length === 1 ? '' : 's'}:\n${findings.map((f) => `  - ${f.where}: ${f.message}`).join('\n')}`);
    process.exit(1);
  }
  const { rows, total } = bankTable(bank);
  if (json) console.log(JSON.stringify({ ok: true, topics: rows, total }, null, 2));
  else {
    console.table([...rows, total]);
    console.log(`ok: ${total.chains} chains, ${total.prompts} prompts in ${rows.length} topics; every formula parses`);
  }
} catch (err) {
  if (err instanceof BankError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}
