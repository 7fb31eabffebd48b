/**
 * Grading answers: multiple choice, free text against a prompt's key points, and numbers.
 * Pure: no clock (response times are passed in), no global state, randomness only from a
 * seed. No function here throws, whatever string it is given.
 */
import { Rating, type Grade } from 'ts-fsrs';
import type { Choice, KeyPoint } from '../bank/schema.js';
import { createRng } from '../drills/random.js';
import type { Tolerance } from '../drills/types.js';
import { formatNumber, NUMBER_HINT, parseNumber, quoteForMessage, type ParsedNumber } from './number.js';
import { MAX_ANSWER_CHARS, makeToken, tokenize, tokensMatch, type Token } from './text.js';

export { formatNumber, parseNumber, quoteForMessage, NUMBER_HINT, type ParsedNumber };
export { MAX_ANSWER_CHARS, normalizeText, stem, tokenize, editDistance, typoBudget } from './text.js';

export type { Tolerance };

export type Verdict = 'correct' | 'partial' | 'wrong';

/** How long the answer took, and what counts as fast or slow for this kind of question. */
export interface Timing {
  /** Time from showing the question to the answer, in milliseconds. Ignored unless finite and >= 0. */
  responseMs?: number;
  /** A right answer at or under this time suggests Easy. Without it, a right answer is never Easy. */
  fastMs?: number;
  /** A right answer over this time suggests Hard. */
  slowMs?: number;
}

/**
 * The FSRS rating an auto-graded answer suggests (product rule): wrong → Again; partial → Hard;
 * right → Good, or Easy when fast, or Hard when slow.
 */
export function suggestRating(verdict: Verdict, timing: Timing = {}): Grade {
  if (verdict === 'wrong') return Rating.Again;
  if (verdict === 'partial') return Rating.Hard;
  const t = timing.responseMs;
  if (typeof t === 'number' && Number.isFinite(t) && t >= 0) {
    if (typeof timing.slowMs === 'number' && t > timing.slowMs) return Rating.Hard;
    if (typeof timing.fastMs === 'number' && t <= timing.fastMs) return Rating.Easy;
  }
  return Rating.Good;
}

// ---------------------------------------------------------------------------------------------
// Multiple choice

export type ChoiceData = Pick<Choice, 'correct' | 'distractors'> & { explanation?: string };

/** One button. `id` is the option's index in `[correct, ...distractors]`: 0 is always the right one. */
export interface ChoiceOption {
  id: number;
  text: string;
  correct: boolean;
}

/**
 * The options of a multiple-choice prompt in display order, shuffled by `seed`: the same seed
 * always gives the same order, so a session can store the seed (or derive it with `seedFrom`)
 * and rebuild its buttons after a restart.
 */
export function choiceOptions(choice: ChoiceData, seed: number): ChoiceOption[] {
  const options = [choice.correct, ...choice.distractors].map((text, id) => ({ id, text, correct: id === 0 }));
  return createRng(seed).shuffle(options);
}

export interface ChoiceGrade {
  verdict: 'correct' | 'wrong';
  correct: boolean;
  rating: Grade;
  pickedId: number;
  correctText: string;
  explanation?: string;
}

/** Grades a picked option by its id (see `ChoiceOption.id`). Unknown ids (stale or forged buttons) are wrong. */
export function gradeChoice(choice: ChoiceData, pickedId: number, timing: Timing = {}): ChoiceGrade {
  const correct = pickedId === 0;
  const verdict = correct ? 'correct' : 'wrong';
  return {
    verdict,
    correct,
    rating: suggestRating(verdict, timing),
    pickedId,
    correctText: choice.correct,
    ...(choice.explanation !== undefined ? { explanation: choice.explanation } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Free text against key points

export interface FreeTextOptions extends Timing {
  /** Share of key points needed for "correct" (default 0.75). */
  correctAt?: number;
  /** Share of key points needed for "partial" (default 0.25; at least one hit is always required). */
  partialAt?: number;
  /** How many unrelated words may sit between consecutive words of a phrase (default 2; stopwords are free). */
  maxGap?: number;
}

export interface FreeTextGrade {
  hit: KeyPoint[];
  missed: KeyPoint[];
  /** For each hit key point (same order), the accepted phrasing that matched. */
  matchedBy: string[];
  /** hit / all key points, in [0, 1]. */
  score: number;
  verdict: Verdict;
  rating: Grade;
  /** The answer was longer than `MAX_ANSWER_CHARS` and only its beginning was read. */
  truncated: boolean;
}

/** Words allowed between a negator and what it negates: "not a convex", "not necessarily convex". */
const NEGATION_FILLERS = new Set(['a', 'an', 'the', 'be', 'been', 'very', 'always', 'necessarily', 'really', 'too', 'so', 'that', 'is', 'are']);

interface Phrase {
  text: string;
  tokens: Token[];
  /** tokens[j] + tokens[j + 1] written as one word, for answers that close up compounds. */
  joined: Token[];
  negated: boolean;
}

function compilePhrase(text: string): Phrase {
  const all = tokenize(text);
  const content = all.filter((t) => !t.stop);
  const tokens = content.length ? content : all;
  const joined = tokens.slice(1).map((t, j) => makeToken((tokens[j] as Token).raw + t.raw));
  return { text, tokens, joined, negated: tokens.some((t) => t.negator) };
}

/**
 * The answer, tokenised once. Phrases are matched against its non-stopword tokens; for each
 * distinct phrase word, which answer positions match it is computed once and shared by all
 * phrases (answers and accept lists repeat words a lot).
 */
class AnswerIndex {
  /** Non-stopword tokens, in order. */
  readonly content: Token[];
  /** content[i] + content[i + 1] written as one word, for phrases that split a compound the answer closes up. */
  readonly pairs: Token[];
  /** Whether content[i] follows a negator ("not convex", "non-convex", "isn't convex"). */
  readonly negated: Uint8Array;
  private readonly rows = new Map<string, Uint8Array>();
  private readonly pairRows = new Map<string, Uint8Array>();

  constructor(text: string) {
    const all = tokenize(text);
    const positions: number[] = [];
    all.forEach((t, i) => {
      if (!t.stop) positions.push(i);
    });
    this.content = positions.map((i) => all[i] as Token);
    this.pairs = this.content.slice(1).map((t, i) => makeToken((this.content[i] as Token).raw + t.raw));
    this.negated = new Uint8Array(positions.length);
    positions.forEach((pos, c) => {
      for (let i = pos - 1, fillers = 0; i >= 0 && fillers <= 2; i--, fillers++) {
        const t = all[i] as Token;
        if (t.negator) {
          this.negated[c] = 1;
          break;
        }
        if (!NEGATION_FILLERS.has(t.raw)) break;
      }
    });
  }

  private static row(tokens: readonly Token[], p: Token): Uint8Array {
    const row = new Uint8Array(tokens.length);
    const seen = new Map<string, number>();
    tokens.forEach((a, i) => {
      let v = seen.get(a.raw);
      if (v === undefined) {
        v = tokensMatch(a, p) ? 1 : 0;
        seen.set(a.raw, v);
      }
      row[i] = v;
    });
    return row;
  }

  /** row[i] = 1 when content[i] matches the phrase word p. */
  matches(p: Token): Uint8Array {
    let row = this.rows.get(p.raw);
    if (!row) this.rows.set(p.raw, (row = AnswerIndex.row(this.content, p)));
    return row;
  }

  /** row[i] = 1 when content[i] + content[i + 1] matches the phrase word p. */
  pairMatches(p: Token): Uint8Array {
    let row = this.pairRows.get(p.raw);
    if (!row) this.pairRows.set(p.raw, (row = AnswerIndex.row(this.pairs, p)));
    return row;
  }
}

/**
 * Whether the phrase occurs in the answer as a token sequence: words in order, each matched
 * exactly, by stem or within the typo budget, with at most `maxGap` other words between two of
 * them (stopwords are free). Compounds match either way ("logloss" ~ "log loss", "mini batch" ~
 * "minibatch"). An occurrence right after a negator ("not", "non-", "isn't") does not count
 * unless the phrase itself is negative. Dynamic programming over (phrase word, answer word):
 * O(words x phrase length x gap).
 */
function phraseOccurs(answer: AnswerIndex, phrase: Phrase, maxGap: number): boolean {
  const m = phrase.tokens.length;
  const n = answer.content.length;
  if (m === 0 || n === 0) return false;
  const single = phrase.tokens.map((t) => answer.matches(t));
  const splitInAnswer = phrase.tokens.map((t) => answer.pairMatches(t));
  const joinedInAnswer = phrase.joined.map((t) => answer.matches(t));
  // memo[j * n + i]: 0 unknown, 1 yes, 2 no: can phrase words j.. match starting exactly at answer word i?
  const memo = new Uint8Array(m * n);

  const continueFrom = (nj: number, ni: number): boolean => {
    if (nj === m) return true;
    for (let g = 0; g <= maxGap && ni + g < n; g++) if (from(nj, ni + g)) return true;
    return false;
  };
  const from = (j: number, i: number): boolean => {
    const key = j * n + i;
    const known = memo[key];
    if (known) return known === 1;
    const ok =
      ((single[j] as Uint8Array)[i] === 1 && continueFrom(j + 1, i + 1)) ||
      (j + 1 < m && (joinedInAnswer[j] as Uint8Array)[i] === 1 && continueFrom(j + 2, i + 1)) ||
      (i + 1 < n && (splitInAnswer[j] as Uint8Array)[i] === 1 && continueFrom(j + 1, i + 2));
    memo[key] = ok ? 1 : 2;
    return ok;
  };

  for (let start = 0; start < n; start++) {
    if (!phrase.negated && answer.negated[start] === 1) continue;
    if (from(0, start)) return true;
  }
  return false;
}

function clampShare(x: number | undefined, fallback: number): number {
  return typeof x === 'number' && Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : fallback;
}

/**
 * Grades a free-text answer against key points: a key point is hit when any of its `accept`
 * phrasings occurs in the answer (after normalisation, stemming and typo tolerance).
 * score = hits / key points; correct at `correctAt`, partial at `partialAt` with at least one hit.
 * Only the first `MAX_ANSWER_CHARS` characters are read.
 */
export function gradeFreeText(answer: string, keyPoints: readonly KeyPoint[], options: FreeTextOptions = {}): FreeTextGrade {
  const text = typeof answer === 'string' ? answer : '';
  const truncated = text.length > MAX_ANSWER_CHARS;
  const index = new AnswerIndex(text);
  const maxGap = typeof options.maxGap === 'number' && Number.isFinite(options.maxGap) ? Math.max(0, Math.min(5, Math.floor(options.maxGap))) : 2;
  const hit: KeyPoint[] = [];
  const missed: KeyPoint[] = [];
  const matchedBy: string[] = [];
  const points: readonly KeyPoint[] = Array.isArray(keyPoints) ? keyPoints : [];
  for (const kp of points) {
    const accepts = kp && Array.isArray(kp.accept) ? kp.accept : [];
    const match = accepts.find((phrase) => typeof phrase === 'string' && phraseOccurs(index, compilePhrase(phrase), maxGap));
    if (match !== undefined) {
      hit.push(kp);
      matchedBy.push(match);
    } else missed.push(kp);
  }
  const score = points.length ? hit.length / points.length : 0;
  const correctAt = clampShare(options.correctAt, 0.75);
  const partialAt = clampShare(options.partialAt, 0.25);
  const verdict: Verdict = hit.length > 0 && score >= correctAt ? 'correct' : hit.length > 0 && score >= partialAt ? 'partial' : 'wrong';
  return { hit, missed, matchedBy, score, verdict, rating: suggestRating(verdict, options), truncated };
}

// ---------------------------------------------------------------------------------------------
// Numbers

/** What a numeric answer is checked against. A `Drill` fits as is. */
export interface NumericTarget {
  answer: number;
  tolerance?: Tolerance;
  unit?: string;
  /** How to show the answer (e.g. "0.733"); defaults to the answer with 6 significant digits. */
  answerText?: string;
}

export type NumericGrade =
  | { ok: true; value: number; verdict: 'correct' | 'wrong'; correct: boolean; rating: Grade; error: number; message: string }
  | { ok: false; reason: string; verdict: 'wrong'; correct: false; rating: Grade; message: string };

/** The largest accepted |value - answer|: the larger of `abs` and `rel * |answer|` (exact up to rounding noise when neither is set). */
export function allowedError(answer: number, tolerance: Tolerance = {}): number {
  const abs = typeof tolerance.abs === 'number' && tolerance.abs > 0 ? tolerance.abs : 0;
  const rel = typeof tolerance.rel === 'number' && tolerance.rel > 0 ? tolerance.rel * Math.abs(answer) : 0;
  const noise = 1e-9 * Math.max(1, Math.abs(answer));
  return Math.max(abs, rel) + noise;
}

function describeTolerance(tolerance: Tolerance = {}): string {
  const parts: string[] = [];
  if (typeof tolerance.abs === 'number' && tolerance.abs > 0) parts.push(`±${formatNumber(tolerance.abs)}`);
  if (typeof tolerance.rel === 'number' && tolerance.rel > 0) parts.push(`±${formatNumber(tolerance.rel * 100)}%`);
  return parts.length ? ` (${parts.join(' or ')})` : '';
}

/**
 * Grades a typed number. `ok: false` means the text could not be read: `message` says why and
 * how to type it, and the verdict is wrong so a timed round can still count it; a patient
 * flow should ask again instead.
 */
export function gradeNumeric(text: string, target: NumericTarget, timing: Timing = {}): NumericGrade {
  const parsed = parseNumber(text);
  if (!parsed.ok) {
    return { ok: false, reason: parsed.reason, verdict: 'wrong', correct: false, rating: Rating.Again, message: parsed.reason };
  }
  const value = parsed.value;
  const answer = target.answer;
  const error = Math.abs(value - answer);
  const allowed = allowedError(answer, target.tolerance);
  const correct = Number.isFinite(answer) && error <= allowed;
  const verdict = correct ? 'correct' : 'wrong';
  const unit = target.unit ? ` ${target.unit}` : '';
  const shown = target.answerText ?? formatNumber(answer);
  let message: string;
  if (correct) {
    message = `✅ ${formatNumber(value)}${unit} is right: the answer is ${shown}${unit}${describeTolerance(target.tolerance)}.`;
  } else {
    message = `❌ You entered ${formatNumber(value)}${unit}; the answer is ${shown}${unit}${describeTolerance(target.tolerance)}.`;
    const typedPercent = /%/.test(text);
    if (!typedPercent && Math.abs(value / 100 - answer) <= allowed) {
      message += ` It looks like a percentage: enter ${formatNumber(value / 100)} or ${formatNumber(value)}%.`;
    } else if (Math.abs(value * 100 - answer) <= allowed) {
      message += ` Off by a factor of 100: the answer is expressed in percent here.`;
    }
  }
  return { ok: true, value, verdict, correct, rating: suggestRating(verdict, timing), error, message };
}
