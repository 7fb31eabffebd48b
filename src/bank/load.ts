import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { projectPath } from '../platform/paths.js';
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
  /** The file as plain data before validation (what the cache keeps). */
  raw?: unknown;
  problems: string[];
}

/** Parses and validates one topic file's text. Never throws. */
export function parseTopicFile(file: string, source: string): ParsedFile {
  const doc = parseDocument(source, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length) {
    return { file, problems: doc.errors.map((e) => `${file}: YAML: ${e.message.split('\n')[0]}`) };
  }
  return validateTopic(file, doc.toJS());
}

/** Validates one file's data (from YAML or the cache). Never throws. */
export function validateTopic(file: string, raw: unknown): ParsedFile {
  const result = topicFileSchema.safeParse(raw);
  if (!result.success) return { file, raw, problems: result.error.issues.map((i) => formatZodIssue(file, i, raw)) };
  const expected = path.basename(file).replace(/\.ya?ml$/, '');
  if (result.data.topic !== expected) {
    return { file, raw, problems: [`${file}: topic: is "${result.data.topic}" but the file is named ${expected}.yaml (they must match)`] };
  }
  return { file, raw, data: result.data, problems: [] };
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

/**
 * Where parsed banks are cached. YAML parsing dominates loading (about 0.5 s cold for the
 * 1.2 MB bank); the cache holds the parsed files as JSON keyed by a hash of every file's
 * name and text, so any edit is a miss. Validation (zod) still runs on every load.
 */
export const BANK_CACHE_DIR = projectPath('node_modules', '.cache', 'backprop');

/** Reads every `*.yaml` in the folder. Throws a BankError naming every problem found. */
export function loadBank(dir: string = DEFAULT_BANK_DIR, opts: { cache?: boolean } = {}): Bank {
  const names = readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort();
  if (names.length === 0) throw new BankError([`${dir}: no topic files (*.yaml) found`]);
  const sources = names.map((n) => ({ file: path.join(path.basename(dir), n), text: readFileSync(path.join(dir, n), 'utf8') }));
  const useCache = opts.cache ?? true;
  const hash = createHash('sha256');
  for (const s of sources) hash.update(s.file).update('\0').update(s.text).update('\0');
  const cacheFile = path.join(BANK_CACHE_DIR, `bank-${hash.digest('hex').slice(0, 32)}.json`);
  let raws: unknown[] | undefined;
  if (useCache) {
    try {
      raws = JSON.parse(readFileSync(cacheFile, 'utf8')) as unknown[];
    } catch {
      raws = undefined;
    }
  }
  const parsed = sources.map((s, i) => (raws ? validateTopic(s.file, raws[i]) : parseTopicFile(s.file, s.text)));
  const problems = parsed.flatMap((p) => p.problems);
  if (problems.length) throw new BankError(problems);
  if (useCache && !raws) {
    try {
      mkdirSync(BANK_CACHE_DIR, { recursive: true });
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(parsed.map((p) => p.raw)));
      renameSync(tmp, cacheFile); // atomic: a concurrent reader sees all or nothing
    } catch {
      /* a read-only install just parses every time */
    }
  }
  return buildBank(parsed.map((p) => ({ file: p.file, data: p.data! })));
}

