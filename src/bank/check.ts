import { RenderError } from '../render/errors.js';
import { splitMath } from '../render/richtext.js';
import { texToBox } from '../render/tex.js';
import { gradeFreeText } from '../quiz/grade.js';
import type { Bank } from './load.js';

export interface BankFinding {
  where: string;
  message: string;
}

/**
 * Checks that need more than the schema: every formula and every inline `$...$` in
 * questions, answers and options parses with MathJax (with the same restricted package set
 * the bot renders with), no two prompts ask the same question, and each model answer
 * grades as correct against its own key points (so the accepted phrasings are realistic:
 * a member who writes the model answer in their own words is not marked down).
 */
export function checkBankContent(bank: Bank): BankFinding[] {
  const findings: BankFinding[] = [];
  const parse = (tex: string, where: string, display: boolean) => {
    try {
      texToBox(tex, { display, color: '#000000' });
    } catch (err) {
      findings.push({ where, message: `MathJax: ${err instanceof RenderError ? err.message : String(err)}: ${tex.slice(0, 120)}` });
    }
  };
  const seenQuestions = new Map<string, string>();
  for (const p of bank.prompts) {
    const at = `${p.topic}.yaml: ${p.chainId} > ${p.id}`;
    p.formulas?.forEach((f, i) => parse(f.tex, `${at}: formulas.${i}`, true));
    const texts: [string, string][] = [
      ['question', p.question],
      ['answer', p.answer],
      ['choice.correct', p.choice.correct],
      ['choice.explanation', p.choice.explanation],
      ...p.choice.distractors.map((d, i): [string, string] => [`choice.distractors.${i}`, d]),
    ];
    for (const [field, text] of texts) {
      for (const seg of splitMath(text)) if (seg.kind !== 'text') parse(seg.tex, `${at}: ${field}`, seg.kind === 'display');
    }
    const self = gradeFreeText(p.answer, p.keyPoints);
    if (self.verdict !== 'correct') {
      findings.push({ where: at, message: `the model answer does not hit its own key points (${self.missed.map((k) => `"${k.point}"`).join(', ')}): add the phrasings it uses to accept` });
    }
    const key = p.question.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
    const prior = seenQuestions.get(key);
    if (prior) findings.push({ where: at, message: `asks the same question as ${prior}` });
    else seenQuestions.set(key, p.id);
  }
  return findings;
}
