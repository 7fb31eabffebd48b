/** A small, fixed bank for mastery tests (the real bank grows; these numbers must not). */
import { buildBank, type Bank } from '../../../src/bank/load.js';
import type { Level, PromptData, TopicFile } from '../../../src/bank/schema.js';

function prompt(id: string, level: Level): PromptData {
  return {
    id,
    level,
    question: `Question ${id}?`,
    testing: 'testing',
    answer: 'answer',
    keyPoints: [
      { point: 'one', accept: ['one'] },
      { point: 'two', accept: ['two'] },
    ],
    choice: { correct: 'right', distractors: ['a', 'b', 'c'], explanation: 'because' },
  };
}

const alpha: TopicFile = {
  topic: 'alpha',
  title: 'Alpha',
  summary: 'The first topic.',
  chains: [
    { id: 'a1', title: 'A1', prompts: [prompt('a1-root', 'L4'), prompt('a1-f1', 'L5'), prompt('a1-f2', 'L6')] },
    { id: 'a2', title: 'A2', prompts: [prompt('a2-root', 'L4'), prompt('a2-f1', 'L5')] },
  ],
};
const beta: TopicFile = {
  topic: 'beta',
  title: 'Beta',
  summary: 'The second topic.',
  chains: [{ id: 'b1', title: 'B1', prompts: [prompt('b1-root', 'L5'), prompt('b1-f1', 'L6')] }],
};

export function testBank(): Bank {
  return buildBank([
    { file: 'alpha.yaml', data: alpha },
    { file: 'beta.yaml', data: beta },
  ]);
}
