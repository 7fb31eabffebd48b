import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { projectPath } from '../paths.js';
import { topicFileSchema, type ChainData, type Level, type PromptData, type TopicFile } from './schema.js';

export const DEFAULT_BANK_DIR = projectPath('question-bank');

/** A prompt as the rest of the product sees it: data plus where it sits in its chain. */
export interface Prompt extends PromptData {
  topic: string;
  chainId: string;
  /** 0 for the root question, 1.. for follow-ups. */
  step: number;
}

export interface Chain {
  id: string;
  topic: string;
  title: string;
  prompts: Prompt[];
}

export interface Topic {
  id: string;
  title: string;
  summary: string;
  chains: Chain[];
}

export interface Bank {
  topics: Topic[];
  chains: Chain[];
  prompts: Prompt[];
  topicById: Map<string, Topic>;
  chainById: Map<string, Chain>;
  promptById: Map<string, Prompt>;
}

/** Thrown when any file of the bank is invalid; `problems` lists every finding as "file: path: message". */
export class BankError extends Error {
  constructor(readonly problems: string[]) {
    super(`question bank is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'BankError';
  }
}

function formatZodIssue(file: string, issue: z.core.$ZodIssue, data: unknown): string {
  const where = issue.path.length ? issue.path.map(String).join('.') : '(file)';
  // Name the chain / prompt the issue sits in, so the author finds it without counting.
  let cursor: unknown = data;
  const names: string[] = [];
  for (const key of issue.path) {
    if (cursor === null || typeof cursor !== 'object') break;
    cursor = (cursor as Record<PropertyKey, unknown>)[key as PropertyKey];
    if (cursor && typeof cursor === 'object' && 'id' in cursor && typeof (cursor as { id: unknown }).id === 'string') {
      names.push((cursor as { id: string }).id);
    }
  }
  const context = names.length ? ` (in ${names.join(' > ')})` : '';
  return `${file}: ${where}${context}: ${issue.message}`;
}

export interface ParsedFile {
  file: string;
  data?: TopicFile;
  problems: string[];
}

/** Parses and validates one topic file's text. Never throws. */
export function parseTopicFile(file: string, source: string): ParsedFile {
  const doc = parseDocument(source, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length) {
    return { file, problems: doc.errors.map((e) => `${file}: YAML: ${e.message.split('\n')[0]}`) };
  }
  const raw: unknown = doc.toJS();
  const result = topicFileSchema.safeParse(raw);
  if (!result.success) return { file, problems: result.error.issues.map((i) => formatZodIssue(file, i, raw)) };
  const expected = path.basename(file).replace(/\.ya?ml$/, '');
  if (result.data.topic !== expected) {
    return { file, problems: [`${file}: topic: is "${result.data.topic}" but the file is named ${expected}.yaml (they must match)`] };
  }
  return { file, data: result.data, problems: [] };
}

/** Builds the in-memory bank from validated files, checking cross-file rules (unique ids). */
export function buildBank(files: { file: string; data: TopicFile }[]): Bank {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  const claim = (id: string, what: string, file: string) => {
    const prior = seen.get(id);
    if (prior) problems.push(`${file}: duplicate id "${id}" (${what}); already used in ${prior}`);
    else seen.set(id, file);
  };
  const topics: Topic[] = [];
  for (const { file, data } of files) {
    claim(data.topic, 'topic', file);
    const chains = data.chains.map((c: ChainData): Chain => {
      claim(c.id, 'chain', file);
      return {
        id: c.id,
        topic: data.topic,
        title: c.title,
        prompts: c.prompts.map((p, step) => {
          claim(p.id, 'prompt', file);
          return { ...p, topic: data.topic, chainId: c.id, step };
        }),
      };
    });
    topics.push({ id: data.topic, title: data.title, summary: data.summary, chains });
  }
  if (problems.length) throw new BankError(problems);
  topics.sort((a, b) => a.id.localeCompare(b.id));
  const chains = topics.flatMap((t) => t.chains);
  const prompts = chains.flatMap((c) => c.prompts);
  return {
    topics,
    chains,
    prompts,
    topicById: new Map(topics.map((t) => [t.id, t])),
    chainById: new Map(chains.map((c) => [c.id, c])),
    promptById: new Map(prompts.map((p) => [p.id, p])),
  };
}

/** Reads every `*.yaml` in the folder. Throws a BankError naming every problem found. */
export function loadBank(dir: string = DEFAULT_BANK_DIR): Bank {
  const names = readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort();
  if (names.length === 0) throw new BankError([`${dir}: no topic files (*.yaml) found`]);
  const parsed = names.map((n) => parseTopicFile(path.join(path.basename(dir), n), readFileSync(path.join(dir, n), 'utf8')));
  const problems = parsed.flatMap((p) => p.problems);
  if (problems.length) throw new BankError(problems);
  return buildBank(parsed.map((p) => ({ file: p.file, data: p.data! })));
}

export function levelsOf(bank: Bank): Record<Level, number> {
  const out: Record<Level, number> = { L4: 0, L5: 0, L6: 0 };
  for (const p of bank.prompts) out[p.level]++;
  return out;
}
