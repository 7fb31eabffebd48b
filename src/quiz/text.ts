/**
 * Text normalisation, stemming and fuzzy token comparison for grading free-text answers.
 * Pure functions over strings; none of them throws on any string.
 */

/** Grading only looks at this many UTF-16 code units of an answer, so a 1 MB paste costs no more than a paragraph. */
export const MAX_ANSWER_CHARS = 5_000;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Removes unpaired UTF-16 surrogates (invalid text that some APIs choke on). */
export function dropLoneSurrogates(text: string): string {
  return text.replace(LONE_SURROGATE, '');
}

const GREEK_NAMES: Record<string, string> = {
  α: 'alpha', β: 'beta', γ: 'gamma', δ: 'delta', ε: 'epsilon', ϵ: 'epsilon', ζ: 'zeta', η: 'eta', θ: 'theta',
  ι: 'iota', κ: 'kappa', λ: 'lambda', μ: 'mu', ν: 'nu', ξ: 'xi', π: 'pi', ρ: 'rho', σ: 'sigma', ς: 'sigma',
  τ: 'tau', υ: 'upsilon', φ: 'phi', ϕ: 'phi', χ: 'chi', ψ: 'psi', ω: 'omega',
};

/**
 * Normalises text for matching: drops code fences, Markdown links, Discord mentions and URLs,
 * applies Unicode NFKC and case folding, strips Latin diacritics, spells out lone Greek letters
 * (λ → lambda), turns punctuation and symbols into spaces (keeping decimal points inside numbers)
 * and collapses whitespace. Returns space-separated tokens.
 */
export function normalizeText(input: string): string {
  if (typeof input !== 'string' || input.length === 0) return '';
  let s = dropLoneSurrogates(input.length > MAX_ANSWER_CHARS ? input.slice(0, MAX_ANSWER_CHARS) : input);
  // Invisible format characters (zero-width space/joiner, bidi marks, BOM, soft hyphen) join what they split.
  s = s.replace(/\p{Cf}/gu, '');
  // Code fences: drop the fence and its language tag, keep the code.
  s = s.replace(/(?:```|~~~)[\w+#.-]*[ \t]*(?=\r?\n)|```|~~~/g, ' ');
  // Control characters (including NUL, used below as a placeholder) become spaces.
  s = s.replace(/\p{Cc}/gu, ' ');
  // Markdown links and images keep their text; bare URLs, Discord mentions, channels, custom emoji and timestamps go.
  s = s.replace(/!?\[([^\]\n]{0,500})\]\([^)\n]{0,2000}\)/g, '$1');
  s = s.replace(/https?:\/\/\S+/gi, ' ');
  s = s.replace(/<(?:@[!&]?|#)\d+>|<a?:\w+:\d+>|<t:-?\d+(?::\w)?>/g, ' ');
  s = s.normalize('NFKC').toLowerCase().replace(/ß/g, 'ss');
  // Strip accents from Latin letters only (naïve → naive), leaving marks that other scripts need.
  s = s.normalize('NFD').replace(/(\p{Script=Latin})\p{M}+/gu, '$1').normalize('NFC');
  // Apostrophes inside words join them: "doesn't" → "doesnt".
  s = s.replace(/(\p{L})['’ʼ](?=\p{L})/gu, '$1');
  // Keep the decimal point of numbers, everything else that is not a letter, digit or mark becomes a space.
  s = s.replace(/(\d)\.(?=\d)/g, '$1\u0000');
  s = s.replace(/[^\p{L}\p{N}\p{M}\u0000]+/gu, ' ');
  // Combining marks left with no letter to sit on (NFKC turns the Greek tonos "΄" into a space and a mark).
  s = s.replace(/(?<![\p{L}\p{N}\p{M}])\p{M}+/gu, '');
  s = s.replace(/\u0000/g, '.');
  // A lone Greek letter is spelled out (λ → lambda); Greek words stay. Done after the
  // punctuation pass, so that a Greek sign removed there cannot leave a letter alone that the
  // next pass would spell out (normalising twice must change nothing).
  s = s.replace(/(?<![\p{Script=Greek}\p{M}])\p{Script=Greek}(?![\p{Script=Greek}\p{M}])/gu, (ch) => {
    const name = GREEK_NAMES[ch];
    return name ? ` ${name} ` : ch;
  });
  return s.replace(/ {2,}/g, ' ').trim();
}

/** Words dropped before phrase matching: they carry no meaning for key points and vary freely. */
export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    'a an the of to in on for by with at from as is are was were be been being it its this that these those ' +
    'and or which then so into than can could will would should may might we you i they their our your he she ' +
    'has have had do does did there here also just some any such how what when where why who'
  ).split(' '),
);

/** Words that flip the meaning of the words after them ("not convex", "non-convex", "isn't calibrated"). */
export const NEGATORS: ReadonlySet<string> = new Set(
  'not no never without cannot cant isnt arent wasnt werent doesnt dont didnt wont shouldnt couldnt wouldnt non neither nor hardly'.split(' '),
);

// British spellings folded onto American ones before suffix stripping. Applied to both sides, so an
// over-eager fold (noise → noize) is harmless: it only matters that both spellings land on the same stem.
const SPELLING: [RegExp, string][] = [
  [/isation(s?)$/, 'ization$1'],
  [/is(e|ed|es|ing)$/, 'iz$1'],
  [/ys(e|ed|es|ing)$/, 'yz$1'],
  [/our(s?)$/, 'or$1'],
  [/tre(s?)$/, 'ter$1'],
  [/ogue(s?)$/, 'og$1'],
];

// Words that merely look inflected.
const UNSTEMMED: ReadonlySet<string> = new Set(['embed', 'speed', 'breed', 'shred', 'hundred', 'series', 'species', 'news']);

// First matching suffix wins; the remaining stem must keep at least three letters.
const SUFFIXES: [string, string][] = [
  ['izations', 'iz'], ['ization', 'iz'], ['ations', 'at'], ['ation', 'at'],
  ['nesses', ''], ['ness', ''], ['ingly', ''], ['edly', ''], ['ying', 'y'], ['ings', ''], ['ing', ''],
  ['ies', 'y'], ['ied', 'y'], ['ed', ''], ['ly', ''], ['es', ''], ['s', ''],
];

/**
 * A deliberately small English stemmer: folds British/American spelling (-ise/-ize,
 * -isation/-ization, -our/-or, -tre/-ter), strips one inflectional or derivational suffix
 * (-ization, -ation, -ness, -ing, -ed, -es, -s, -ly...), then a final -e and a doubled final
 * consonant. Only lower-case Latin words of four or more letters are touched. Not a real
 * stemmer: it only has to map the usual variants of a word onto the same string, and the
 * fuzzy comparison absorbs what it misses.
 */
export function stem(word: string): string {
  if (word.length < 4 || !/^[a-z]+$/.test(word) || UNSTEMMED.has(word)) return word;
  let w = word;
  if (w.length >= 5) for (const [re, to] of SPELLING) w = w.replace(re, to);
  // modelled → modeled, labelling → labeling (short words like "filled" keep their double l).
  if (w.length >= 8) w = w.replace(/([aeiou])ll(ed|ing)$/, '$1l$2');
  for (const [suffix, to] of SUFFIXES) {
    if (w.endsWith(suffix) && w.length - suffix.length >= 3) {
      // "-s" after s/u/i/a is usually part of the word: loss, focus, analysis, bias.
      if (suffix === 's' && /[suia]s$/.test(w)) continue;
      // "-ly" after p/a/i/b/o is part of the word: multiply, apply, anomaly, family, assembly, monopoly.
      if (suffix === 'ly' && /[paibo]ly$/.test(w)) continue;
      w = w.slice(0, w.length - suffix.length) + to;
      break;
    }
  }
  if (w.length > 3 && w.endsWith('e')) w = w.slice(0, -1);
  if (w.length > 3 && /([b-df-hj-np-rtv-z])\1$/.test(w) && !/(ll|ss|zz)$/.test(w)) w = w.slice(0, -1);
  return w;
}

/** Allowed typos for a word of this many characters: none up to 3, one for 4-7, two for longer. */
export function typoBudget(length: number): number {
  if (length <= 3) return 0;
  if (length <= 7) return 1;
  return 2;
}

/**
 * Damerau-Levenshtein distance (optimal string alignment: insertions, deletions, substitutions
 * and transpositions of adjacent characters), over code points. With `max`, stops early and
 * returns max + 1 as soon as the distance must exceed it.
 */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  const s = Array.from(a);
  const t = Array.from(b);
  if (Math.abs(s.length - t.length) > max) return max + 1;
  if (s.length === 0) return t.length;
  if (t.length === 0) return s.length;
  const width = t.length + 1;
  let prev2 = new Array<number>(width).fill(0);
  let prev = Array.from({ length: width }, (_, j) => j);
  let cur = new Array<number>(width).fill(0);
  for (let i = 1; i <= s.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d = Math.min(d, (prev2[j - 2] as number) + 1);
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[t.length] as number;
}

export interface Token {
  /** The normalised word. */
  raw: string;
  stem: string;
  /** Only letters: eligible for fuzzy comparison (numbers and codes like "l2" must match exactly). */
  alpha: boolean;
  stop: boolean;
  negator: boolean;
}

export function makeToken(raw: string): Token {
  return { raw, stem: stem(raw), alpha: /^\p{L}+$/u.test(raw), stop: STOPWORDS.has(raw), negator: NEGATORS.has(raw) };
}

/** Normalises and splits text into tokens. */
export function tokenize(text: string): Token[] {
  const norm = normalizeText(text);
  return norm ? norm.split(' ').map(makeToken) : [];
}

/**
 * Whether an answer token stands for a phrase token: same word, same stem, or within the typo
 * budget of the phrase word's length (comparing stems, or surface forms, each with the budget
 * of its own length). Fuzzy matches must
 * share the first letter: typos rarely hit it, and it keeps "decision" from passing for "precision".
 */
export function tokensMatch(answer: Token, phrase: Token): boolean {
  if (answer.raw === phrase.raw || answer.stem === phrase.stem) return true;
  if (!answer.alpha || !phrase.alpha) return false;
  if (answer.raw.codePointAt(0) !== phrase.raw.codePointAt(0)) return false;
  // The budget follows the length of what is compared: stems are shorter, so they get less slack.
  const within = (a: string, p: string) => {
    const budget = typoBudget(Array.from(p).length);
    return budget > 0 && editDistance(a, p, budget) <= budget;
  };
  return within(answer.stem, phrase.stem) || within(answer.raw, phrase.raw);
}
