import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { BankError, buildBank, parseTopicFile } from '../../../src/bank/load.js';

const prompt = (id: string, level = 'L4') => ({
  id,
  level,
  question: `What does ${id} mean?`,
  testing: 'Whether the candidate knows the definition.',
  answer: 'A precise model answer.',
  keyPoints: [
    { point: 'First idea', accept: ['first idea'] },
    { point: 'Second idea', accept: ['second idea', 'another'] },
  ],
  formulas: [{ tex: '\\frac{a}{b}', caption: 'a ratio' }],
  choice: { correct: 'Right', distractors: ['Wrong one', 'Wrong two', 'Wrong three'], explanation: 'Because.' },
});
const file = (overrides: Record<string, unknown> = {}) => ({
  topic: 'demo',
  title: 'Demo',
  summary: 'A demo topic.',
  chains: [{ id: 'demo-chain', title: 'Chain', prompts: [prompt('demo-root'), prompt('demo-follow', 'L5')] }],
  ...overrides,
});
const parse = (data: unknown, name = 'question-bank/demo.yaml') => parseTopicFile(name, typeof data === 'string' ? data : stringify(data));

describe('question bank schema', () => {
  it('accepts a well-formed topic file', () => {
    const r = parse(file());
    expect(r.problems).toEqual([]);
    const bank = buildBank([{ file: r.file, data: r.data! }]);
    expect(bank.prompts.map((p) => [p.id, p.chainId, p.step, p.topic])).toEqual([
      ['demo-root', 'demo-chain', 0, 'demo'],
      ['demo-follow', 'demo-chain', 1, 'demo'],
    ]);
  });

  it('names the file, the field path and the prompt for each problem', () => {
    const bad = file();
    const p = (bad.chains[0]!.prompts[1] as Record<string, unknown>);
    p.level = 'L9';
    (p.choice as { distractors: string[] }).distractors = ['only one'];
    delete p.testing;
    const r = parse(bad);
    expect(r.data).toBeUndefined();
    expect(r.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^question-bank\/demo\.yaml: chains\.0\.prompts\.1\.level \(in demo-chain > demo-follow\): /),
        expect.stringMatching(/chains\.0\.prompts\.1\.choice\.distractors \(in demo-chain > demo-follow\): needs at least three distractors/),
        expect.stringMatching(/chains\.0\.prompts\.1\.testing \(in demo-chain > demo-follow\)/),
      ]),
    );
  });

  it('rejects chains without follow-ups and levels that go down', () => {
    expect(parse(file({ chains: [{ id: 'c', title: 'C', prompts: [prompt('only')] }] })).problems.join()).toMatch(/at least one follow-up/);
    const down = parse(file({ chains: [{ id: 'c', title: 'C', prompts: [prompt('a', 'L6'), prompt('b', 'L4')] }] }));
    expect(down.problems.join()).toMatch(/progressively harder: L4 comes after L6/);
  });

  it('rejects ids that are not slugs, unknown fields and identical options', () => {
    const r = parse(file({ chains: [{ id: 'Bad Id', title: 'C', prompts: [{ ...prompt('a'), extra: 1 }, prompt('b')] }] }));
    expect(r.problems.join('\n')).toMatch(/chains\.0\.id.*lower-case slug/);
    expect(r.problems.join('\n')).toMatch(/Unrecognized key.*extra/);
    const same = prompt('x');
    same.choice.distractors = ['Right', 'b', 'c'];
    expect(parse(file({ chains: [{ id: 'c', title: 'C', prompts: [same, prompt('y')] }] })).problems.join()).toMatch(/options must all differ/);
  });

  it('reports YAML syntax errors and a topic that does not match the file name', () => {
    expect(parse('topic: demo\nchains: [unclosed').problems[0]).toMatch(/^question-bank\/demo\.yaml: YAML: /);
    expect(parse(file(), 'question-bank/other.yaml').problems[0]).toMatch(/file is named other\.yaml/);
  });

  it('rejects duplicate ids across files', () => {
    const a = parse(file());
    const b = parse(file({ topic: 'demo2' }), 'question-bank/demo2.yaml');
    expect(() => buildBank([{ file: a.file, data: a.data! }, { file: b.file, data: b.data! }])).toThrow(BankError);
    try {
      buildBank([{ file: a.file, data: a.data! }, { file: b.file, data: b.data! }]);
    } catch (e) {
      expect((e as BankError).problems).toContain('question-bank/demo2.yaml: duplicate id "demo-root" (prompt); already used in question-bank/demo.yaml');
    }
  });
});
