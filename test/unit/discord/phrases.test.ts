import { describe, expect, it } from 'vitest';
import { answersPhrases } from '../../../src/answers/discord/phrases.js';
import { dropPhrases } from '../../../src/drop/discord/phrases.js';
import { duelPhrases } from '../../../src/duel/discord/phrases.js';
import { leaderboardPhrases } from '../../../src/leaderboard/discord/phrases.js';
import { practicePhrases } from '../../../src/practice/discord/phrases.js';
import { renderPhrases } from '../../../src/render/discord/phrases.js';
import { rocPhrases } from '../../../src/roc/discord/phrases.js';
import { schedulePhrases } from '../../../src/schedule/discord/phrases.js';
import { sprintPhrases } from '../../../src/sprint/discord/phrases.js';
import { whiteboardPhrases } from '../../../src/whiteboard/discord/phrases.js';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { MESSAGES } from '../../../src/platform/discord/router.js';
import { FORM_INCOMPLETE } from '../../../src/platform/discord/forms.js';
import { parseNumber } from '../../../src/quiz/number.js';
import { mergePhrasebooks, type ErrorParams } from '../../../src/platform/errors.js';
import { refusalProblems } from '../../support/refusal-text.js';

const books = { answersPhrases, dropPhrases, duelPhrases, leaderboardPhrases, practicePhrases, renderPhrases, rocPhrases, schedulePhrases, sprintPhrases, whiteboardPhrases };
const all = mergePhrasebooks(Object.values(books));

const unreadable = (text: string) => {
  const r = parseNumber(text);
  if (r.ok) throw new Error(`${text} reads as a number`);
  return { reason: r.reason };
};

/**
 * Sample parameters for every code, as the services throw them (src/**: `new DomainError`):
 * counts at 1 and 2 wherever a count is a parameter, every reason of a code that has reasons.
 */
const SAMPLES: Record<string, ErrorParams[]> = {
  'answers.prompt-gone': [{}],
  'drop.unknown': [{}],
  'drop.gone': [{}],
  'drop.not-posted': [{}],
  'drop.closed': [{}],
  'drop.no-option': [{}],
  'drop.running': [{}],
  'drop.unknown-topic': [{ topic: 'quantum-ml' }],
  'drop.no-chain': [{}],
  'duel.unknown': [{}],
  'duel.gone': [{}],
  'duel.drill-gone': [{}],
  'duel.prompt-gone': [{}],
  'duel.self': [{}],
  'duel.bot': [{}],
  'duel.rounds': [{ max: 20 }],
  'duel.seconds': [{ min: 5, max: 120 }],
  'duel.format': [{ formats: 'questions, drills, mixed' }],
  'duel.topic': [{ topic: 'quantum-ml' }],
  'duel.drills-filtered': [{}],
  'duel.pool': [{ available: 0 }, { available: 1 }, { available: 2 }],
  'duel.busy': [{ who: 'opponent', userId: '123456789012345678' }, { who: 'challenger' }],
  'duel.waiting': [{}],
  'duel.not-yours': [{}],
  'duel.expired': [{}],
  'duel.started': [{}],
  'duel.closed': [{}],
  'duel.round-over': [{}],
  'duel.no-option': [{}],
  'duel.wants-number': [{}],
  'duel.wants-letter': [{}],
  'duel.unreadable': [unreadable('abc'), unreadable('0,75'), unreadable(''), unreadable('1 '.repeat(60))],
  'leaderboard.unknown-time-zone': [{ zone: 'Mars/Olympus' }],
  'practice.unknown-topic': [{ topic: 'quantum-ml' }],
  'practice.no-chain': [{}],
  'practice.unknown-drill': [{ kind: 'fourier' }],
  'practice.not-a-session': [{}],
  'practice.gone': [{}],
  'practice.foreign': [{}],
  'practice.expired': [{ hours: 1 }, { hours: 24 }],
  'practice.question-gone': [{}],
  'practice.finished': [{}],
  'practice.answered': [{}],
  'practice.no-option': [{}],
  'practice.unanswered': [{}],
  'practice.drill-gone': [{}],
  'render.tex': [
    { message: 'Missing close brace' },
    { message: 'Undefined control sequence \\foo' },
    { message: 'MathJax could not read this formula (it may contain characters it cannot handle)' },
    { message: '\\DeclarePairedDelimiter is not allowed here' },
  ],
  'render.invalid-input': [{ message: 'The formula is empty' }, { message: 'This formula is too long (2,001 characters; the limit is 2,000)' }, { message: 'Invalid figure: labels must be 0 or 1' }],
  'render.too-large': [{ message: 'This card has too much content to draw; try something shorter' }, { message: 'The image would be too large to draw (9,000 × 9,000 pixels); make it smaller.' }],
  'render.timeout': [{ message: 'timed out' }],
  'render.worker-crashed': [{ message: 'worker exited' }],
  'render.busy': [{ message: 'queue full' }],
  'render.closed': [{ message: 'closed' }],
  'render.internal': [{ message: 'bad canvas size' }],
  'roc.no-input': [{}],
  'roc.count-mismatch': [
    { labels: 1, scores: 2 },
    { labels: 2, scores: 1 },
  ],
  'roc.too-many-points': [{ max: 100_000 }],
  'roc.bad-label': [
    { source: 'csv', n: 1, token: 'maybe' },
    { source: 'text', n: 2, token: '' },
  ],
  'roc.bad-score': [
    { source: 'csv', n: 3, token: 'high' },
    { source: 'text', n: 1, token: 'x'.repeat(40) },
  ],
  'roc.one-class': [
    { count: 1, label: 1 },
    { count: 2, label: 0 },
  ],
  'roc.not-csv': [{ name: 'scores.xlsx' }],
  'roc.file-too-large': [{ bytes: 5 * 1024 * 1024, maxBytes: 4 * 1024 * 1024 }],
  'roc.csv-columns': [
    { line: 2, columns: 1, needed: 2 },
    { line: 7, columns: 2, needed: 3 },
  ],
  'roc.csv-too-many-rows': [{ max: 100_000 }],
  'roc.csv-empty': [{}],
  'roc.csv-unclosed-quote': [{}],
  'roc.csv-which-columns': [
    ...['both-binary', 'no-binary', 'no-names', 'one-column'].flatMap((reason) => [
      { reason, columns: '1', header: 0 },
      { reason, columns: '2', header: 0 },
    ]),
    ...['several-labels', 'several-scores', 'no-label', 'no-score', 'no-names', 'one-column'].map((reason) => ({ reason, columns: '`a`, `b`, `c`', header: 1 })),
  ],
  'roc.csv-no-such-column': [
    { what: 'label', given: 'truth', columns: '`y`, `p`', width: 2, header: 1 },
    { what: 'score', given: '9', columns: '2', width: 2, header: 0 },
  ],
  'roc.csv-same-column': [{ column: '`y`' }, { column: 'column 2' }],
  'schedule.bad-time': [{ text: '25:99' }],
  'schedule.bad-when': [{ text: 'tomorrow' }],
  'schedule.bad-cron': [
    { text: '0 9 * * 8', reason: 'Invalid explicit day of week: 8' },
    { text: '0 9 * * 8', reason: '' },
  ],
  'schedule.too-often': [{}],
  'schedule.bad-zone': [{ zone: 'Mars/Olympus' }],
  'schedule.unknown-topics': [
    { unknown: 'quantum', known: 'xgboost,transformers' },
    { unknown: 'quantum,astro', known: 'xgboost,transformers' },
  ],
  'schedule.limit': [{ max: 1 }, { max: 10 }],
  'schedule.bad-id': [{}],
  'schedule.ambiguous-id': [{}],
  'schedule.not-found': [{ id: 'deadbeef' }],
  'sprint.not-a-sprint': [{}],
  'sprint.gone': [{}],
  'sprint.question-gone': [{}],
  'sprint.unknown-topic': [{ topic: 'quantum-ml' }],
  'sprint.rounds': [{ max: 20 }],
  'sprint.seconds': [{ min: 5, max: 120 }],
  'sprint.too-few': [{ available: 0 }, { available: 1 }, { available: 2 }],
  'sprint.running': [{}],
  'sprint.started': [{}],
  'sprint.full': [{}],
  'sprint.not-starter': [{}],
  'sprint.closed': [{}],
  'sprint.not-joined': [{}],
  'sprint.too-late': [{}],
  'sprint.no-option': [{}],
  'whiteboard.none': [{}],
  'whiteboard.title-empty': [{}],
  'whiteboard.title-too-long': [{ max: 100 }],
  'whiteboard.already-open': [
    { title: 'Backprop by hand', steps: 1 },
    { title: 'Backprop by hand', steps: 2 },
  ],
  'whiteboard.step-empty': [{}],
  'whiteboard.step-too-long': [
    { max: 500, length: 501 },
    { max: 500, length: 2_000 },
  ],
  'whiteboard.note-too-long': [{ max: 200 }],
  'whiteboard.full': [{ max: 1 }, { max: 50 }],
  'whiteboard.nothing-to-undo': [{}],
  'whiteboard.clear-forbidden': [{}],
  'whiteboard.nothing-to-show': [{ title: 'Backprop by hand' }],
  'whiteboard.nothing-to-export': [{}],
};

/**
 * The string literal starting at `at` (quotes or a template), as a member would read it: a
 * template's holes filled with a typed value ("x") or, for a count, 2. Null if none starts there.
 */
function literalAt(source: string, at: number): string | null {
  const quote = source[at];
  if (quote !== "'" && quote !== '"' && quote !== '`') return null;
  let out = '';
  for (let i = at + 1; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      out += source[++i];
    } else if (c === quote) {
      return out;
    } else if (quote === '`' && c === '$' && source[i + 1] === '{') {
      let depth = 0;
      let j = i + 1;
      for (; j < source.length; j++) {
        if (source[j] === '{') depth++;
        else if (source[j] === '}' && --depth === 0) break;
      }
      const hole = source.slice(i, j + 1);
      out += /count|length|max|limit/i.test(hole) ? '2' : /missing/.test(hole) ? '**Send Messages**' : 'x';
      i = j;
    } else {
      out += c;
    }
  }
  return null;
}

describe('every refusal a member can read', () => {
  it('has sample parameters here for every code of every phrasebook (a new code gets checked too)', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual(Object.keys(all).sort());
  });

  const cases = Object.entries(SAMPLES).flatMap(([code, samples]) => samples.map((params, i) => ({ code, params, i })));
  it.each(cases)('$code (sample $i) is one sentence, said once, with no internal code and no "1 <plural>"', ({ code, params }) => {
    const words = all[code]!(params);
    expect(refusalProblems(words), words).toEqual([]);
  });

  it('the router’s own replies read the same way', () => {
    const texts = [...Object.values(MESSAGES).map((m) => (typeof m === 'function' ? m('3f2a9c1b') : m)), FORM_INCOMPLETE];
    for (const text of texts) expect(refusalProblems(text), text).toEqual([]);
  });

  it('every refusal written into a command or an adapter (`new UserError(...)`) reads the same way', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? (e.name === 'generated' ? [] : files(join(dir, e.name))) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
    const found: string[] = [];
    for (const file of [...files('src'), ...files('commands')]) {
      const source = readFileSync(file, 'utf8');
      for (const m of source.matchAll(/new UserError\(\s*/g)) {
        const text = literalAt(source, m.index + m[0].length);
        if (text === null) continue; // a constant, checked where it is defined
        found.push(text);
        expect(refusalProblems(text), `${file}: ${text}`).toEqual([]);
      }
    }
    expect(found.length).toBeGreaterThan(15);
  });

  it('the checker catches what it is meant to catch', () => {
    expect(refusalProblems('A sprint has 1 rounds.')).toContain('"1 rounds"');
    expect(refusalProblems('Only 1 questions match.')).toContain('"1 questions"');
    expect(refusalProblems('This is over. Start again.')).toContain('2 sentences');
    expect(refusalProblems('I could not read that as a number: I couldn\'t read "x" as a number.')).toEqual(expect.arrayContaining([expect.stringMatching(/^said twice/)]));
    expect(refusalProblems('No chain matches')).toContain('no closing punctuation');
    expect(refusalProblems('Refused (duel.round-over).')).toContain('internal code "duel.round-over"');
    expect(refusalProblems('This drop ebc8b740-1f2a-4c3b-9d8e-0123456789ab is gone.')).toContain('internal id "ebc8b740-1f2a-4c3b-9d8e-0123456789ab"');
    expect(refusalProblems('Pick one, e.g. `3f2a9c1b` (i.e. the id); see `/schedule list`.')).toEqual([]);
  });
});
