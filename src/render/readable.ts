/**
 * Bank text (Markdown with `$…$` inline and `$$…$$` display TeX) made readable in Discord,
 * where text is text: inline maths becomes Unicode where that is faithful (λ, x², ∑ᵢ, √, ≤,
 * subscripts); what cannot be written faithfully, and every display formula, is left for an
 * image, and the text says where ("formula 1 below"). Pure: no canvas, no MathJax.
 *
 * Delimiters follow Pandoc's rule, so money is not maths: an inline formula opens with a `$`
 * followed by a non-space and closes with a `$` preceded by a non-space and not followed by a
 * digit ("$5 and $10" is text); `\$` is a literal dollar; code spans and blocks are left alone.
 */

export interface Readable {
  /** Discord markdown with no TeX left in it. */
  text: string;
  /** TeX (without delimiters) of the formulas to draw as images, numbered from `firstFormula`. */
  formulas: string[];
}

export interface ReadableOptions {
  /** Number of the first formula this text refers to (when several texts share one card's images). Default 1. */
  firstFormula?: number;
  /**
   * For text that is neither markdown nor shown with images (button labels, select options,
   * thread names, modal titles): no markdown escapes, and maths that would be an image is
   * written as its texAltText instead, so `formulas` is always empty. Default false.
   */
  plain?: boolean;
}

/** How the text refers to formula `n`, drawn as an image under the text. */
export const formulaReference = (n: number): string => `(formula ${n} below)`;

/**
 * An inline formula whose Unicode is longer than this, or that needs more than
 * MAX_PAREN_FRACTIONS fractions with parenthesised parts, or MAX_NESTING levels of brackets,
 * reads better as an image.
 */
export const MAX_INLINE_UNICODE = 110;
export const MAX_PAREN_FRACTIONS = 2;
/** Brackets nested deeper than this (log(exp(cos(u, v)))…) read better drawn. */
export const MAX_NESTING = 3;

// ---------------------------------------------------------------------------------------------
// Tables

const GREEK: Record<string, string> = {
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ϵ', varepsilon: 'ε', zeta: 'ζ', eta: 'η',
  theta: 'θ', vartheta: 'ϑ', iota: 'ι', kappa: 'κ', lambda: 'λ', mu: 'μ', nu: 'ν', xi: 'ξ', pi: 'π',
  varpi: 'ϖ', rho: 'ρ', varrho: 'ϱ', sigma: 'σ', varsigma: 'ς', tau: 'τ', upsilon: 'υ', phi: 'ϕ',
  varphi: 'φ', chi: 'χ', psi: 'ψ', omega: 'ω', Gamma: 'Γ', Delta: 'Δ', Theta: 'Θ', Lambda: 'Λ',
  Xi: 'Ξ', Pi: 'Π', Sigma: 'Σ', Upsilon: 'Υ', Phi: 'Φ', Psi: 'Ψ', Omega: 'Ω',
};

type Cls = 'ord' | 'bin' | 'rel' | 'open' | 'close' | 'punct' | 'op' | 'fn' | 'space';

/** Symbols by command name, with their TeX class (which decides spacing). */
const SYMBOLS: Record<string, [string, Cls]> = {
  le: ['≤', 'rel'], leq: ['≤', 'rel'], ge: ['≥', 'rel'], geq: ['≥', 'rel'], ne: ['≠', 'rel'], neq: ['≠', 'rel'],
  approx: ['≈', 'rel'], sim: ['∼', 'rel'], simeq: ['≃', 'rel'], cong: ['≅', 'rel'], equiv: ['≡', 'rel'],
  propto: ['∝', 'rel'], ll: ['≪', 'rel'], gg: ['≫', 'rel'], lesssim: ['≲', 'rel'], gtrsim: ['≳', 'rel'],
  to: ['→', 'rel'], rightarrow: ['→', 'rel'], leftarrow: ['←', 'rel'], gets: ['←', 'rel'], mapsto: ['↦', 'rel'],
  Rightarrow: ['⇒', 'rel'], Leftarrow: ['⇐', 'rel'], implies: ['⟹', 'rel'], iff: ['⟺', 'rel'],
  leftrightarrow: ['↔', 'rel'], Leftrightarrow: ['⇔', 'rel'], longrightarrow: ['⟶', 'rel'],
  in: ['∈', 'rel'], notin: ['∉', 'rel'], ni: ['∋', 'rel'], subset: ['⊂', 'rel'], subseteq: ['⊆', 'rel'],
  supset: ['⊃', 'rel'], supseteq: ['⊇', 'rel'], mid: ['|', 'rel'], perp: ['⊥', 'rel'], coloneqq: ['≔', 'rel'],
  cdot: ['·', 'bin'], times: ['×', 'bin'], div: ['÷', 'bin'], pm: ['±', 'bin'], mp: ['∓', 'bin'],
  ast: ['∗', 'bin'], star: ['⋆', 'bin'], circ: ['∘', 'bin'], odot: ['⊙', 'bin'], otimes: ['⊗', 'bin'],
  oplus: ['⊕', 'bin'], cap: ['∩', 'bin'], cup: ['∪', 'bin'], setminus: ['∖', 'bin'], wedge: ['∧', 'bin'],
  vee: ['∨', 'bin'], land: ['∧', 'bin'], lor: ['∨', 'bin'], bullet: ['∙', 'bin'],
  infty: ['∞', 'ord'], partial: ['∂', 'ord'], nabla: ['∇', 'ord'], ell: ['ℓ', 'ord'], hbar: ['ℏ', 'ord'],
  emptyset: ['∅', 'ord'], varnothing: ['∅', 'ord'], forall: ['∀', 'ord'], exists: ['∃', 'ord'],
  neg: ['¬', 'ord'], lnot: ['¬', 'ord'], top: ['⊤', 'ord'], bot: ['⊥', 'ord'], intercal: ['⊺', 'ord'],
  prime: ['′', 'ord'], dagger: ['†', 'ord'], angle: ['∠', 'ord'], triangle: ['△', 'ord'], checkmark: ['✓', 'ord'],
  dots: ['…', 'ord'], ldots: ['…', 'ord'], cdots: ['⋯', 'ord'], vdots: ['⋮', 'ord'], ddots: ['⋱', 'ord'],
  sum: ['∑', 'op'], prod: ['∏', 'op'], coprod: ['∐', 'op'], int: ['∫', 'op'], iint: ['∬', 'op'], oint: ['∮', 'op'],
  bigcup: ['⋃', 'op'], bigcap: ['⋂', 'op'],
  lvert: ['|', 'open'], rvert: ['|', 'close'], vert: ['|', 'ord'], lVert: ['‖', 'open'], rVert: ['‖', 'close'],
  Vert: ['‖', 'ord'], '|': ['‖', 'ord'], langle: ['⟨', 'open'], rangle: ['⟩', 'close'], lceil: ['⌈', 'open'],
  rceil: ['⌉', 'close'], lfloor: ['⌊', 'open'], rfloor: ['⌋', 'close'], '{': ['{', 'open'], '}': ['}', 'close'],
  lbrace: ['{', 'open'], rbrace: ['}', 'close'], '%': ['%', 'ord'], '#': ['#', 'ord'], '&': ['&', 'ord'], '_': ['_', 'ord'],
  colon: [':', 'punct'],
};

/** Operator names written as words (\log x → "log x"). */
const FUNCTIONS = new Set([
  'log', 'ln', 'lg', 'exp', 'max', 'min', 'arg', 'sup', 'inf', 'lim', 'liminf', 'limsup', 'sin', 'cos', 'tan',
  'sec', 'csc', 'cot', 'sinh', 'cosh', 'tanh', 'coth', 'arcsin', 'arccos', 'arctan', 'det', 'dim', 'ker', 'deg',
  'gcd', 'hom', 'Pr', 'argmax', 'argmin',
]);

/** Commands with no visible output of their own. */
const IGNORED = new Set(['displaystyle', 'textstyle', 'scriptstyle', 'limits', 'nolimits', 'left', 'right', 'middle']);
const SIZED = new Set(['big', 'Big', 'bigg', 'Bigg', 'bigl', 'bigr', 'Bigl', 'Bigr', 'biggl', 'biggr', 'Biggl', 'Biggr', 'bigm', 'Bigm']);
const SPACES = new Set([',', ':', ';', ' ', '>', 'quad', 'qquad', 'enspace', 'thinspace', 'medspace', 'thickspace', 'space']);

/** Combining marks for accents on one letter. */
const ACCENTS: Record<string, string> = {
  hat: '\u0302', widehat: '\u0302', bar: '\u0304', overline: '\u0305', tilde: '\u0303', widetilde: '\u0303',
  vec: '\u20D7', dot: '\u0307', ddot: '\u0308', check: '\u030C', breve: '\u0306', acute: '\u0301', grave: '\u0300',
};

const TEXT_COMMANDS = new Set(['text', 'textrm', 'textnormal', 'mbox', 'textit', 'textbf', 'textsf', 'texttt', 'textup', 'hbox']);
const MATH_FONTS = new Set(['mathrm', 'mathbf', 'mathit', 'mathsf', 'mathtt', 'mathnormal', 'boldsymbol', 'bm', 'pmb', 'mathup']);

const letters = (from: string, to: string) => Object.fromEntries([...from].map((c, i) => [c, [...to][i]!]));
const CALLIGRAPHIC = letters('ABCDEFGHIJKLMNOPQRSTUVWXYZ', '𝒜ℬ𝒞𝒟ℰℱ𝒢ℋℐ𝒥𝒦ℒℳ𝒩𝒪𝒫𝒬ℛ𝒮𝒯𝒰𝒱𝒲𝒳𝒴𝒵');
const BLACKBOARD = letters('ABCDEFGHIJKLMNOPQRSTUVWXYZ1', '𝔸𝔹ℂ𝔻𝔼𝔽𝔾ℍ𝕀𝕁𝕂𝕃𝕄ℕ𝕆ℙℚℝ𝕊𝕋𝕌𝕍𝕎𝕏𝕐ℤ𝟙');

const SUPERSCRIPT: Record<string, string> = {
  ...letters('0123456789+-=()', '⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾'),
  ...letters('abcdefghijklmnoprstuvwxyz', 'ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ'),
  ...letters('ABDEGHIJKLMNOPRTUVW', 'ᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂ'),
  ...letters('αβγδεθιϕφχ', 'ᵅᵝᵞᵟᵋᶿᶥᶲᵠᵡ'),
  '⊤': 'ᵀ', '⊺': 'ᵀ', '∗': '*', '′': '′', '″': '″', '†': '†', '·': 'ᐧ',
};
const SUBSCRIPT: Record<string, string> = {
  ...letters('0123456789+-=()', '₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎'),
  ...letters('aehijklmnoprstuvx', 'ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ'),
  ...letters('βγρϕφχ', 'ᵦᵧᵨᵩᵩᵪ'),
};

/** ½, ⅓, …: a fraction of two digits that has one character. */
const VULGAR: Record<string, string> = {
  '1/2': '½', '1/3': '⅓', '2/3': '⅔', '1/4': '¼', '3/4': '¾', '1/5': '⅕', '2/5': '⅖', '3/5': '⅗', '4/5': '⅘',
  '1/6': '⅙', '5/6': '⅚', '1/7': '⅐', '1/8': '⅛', '3/8': '⅜', '5/8': '⅝', '7/8': '⅞', '1/9': '⅑',
};

// ---------------------------------------------------------------------------------------------
// The converter: a small recursive-descent reading of TeX into rendered items.

/** Thrown when the TeX cannot be written faithfully as Unicode. */
class Unfaithful extends Error {}
const refuse = (why: string): never => {
  throw new Unfaithful(why);
};

interface Item {
  s: string;
  cls: Cls;
  /** A `{…}` group of several atoms (a + b): parenthesised as a fraction's part, a root's body or a script's base. */
  compound?: boolean;
  /** A fraction written with a slash: parenthesised when juxtaposed with what follows. */
  frac?: boolean;
  /** A square root written without parentheses (√2): parenthesised before an ord. */
  root?: string;
  /** A sub/superscript written as `_X`/`^X`: given parentheses when a letter or another script follows. */
  bare?: { base: string; mark: string; body: string };
  /** Fractions with a parenthesised part inside this item. */
  parenFracs?: number;
  /** Fractions inside this item (to refuse nested ones). */
  fracs?: number;
}

interface Mode {
  /** Best effort for alt text: never refuses, writes unknown commands as words. */
  lenient: boolean;
  /** Inside a sub/superscript: no spaces. */
  compact: boolean;
}

class Reader {
  pos = 0;
  constructor(
    readonly src: string,
    readonly mode: Mode,
  ) {}

  private peek(): string | undefined {
    return this.src[this.pos];
  }

  /** `\name` or `\x` at pos (pos on the backslash); returns the name and advances. */
  private readCommand(): string {
    const m = /^\\([a-zA-Z]+|[^a-zA-Z]?)/.exec(this.src.slice(this.pos))!;
    this.pos += m[0].length;
    if (/^[a-zA-Z]/.test(m[1]!)) while (this.peek() === ' ' || this.peek() === '\n' || this.peek() === '\t') this.pos++; // a control word eats the spaces after it
    return m[1]!;
  }

  private skipSpaces(): void {
    while (/\s/.test(this.peek() ?? '')) this.pos++;
  }

  /** The raw text of a `{…}` group (braces balanced), or one token. */
  private rawArg(): string {
    this.skipSpaces();
    const c = this.peek();
    if (c === undefined) return refuse('missing argument');
    if (c === '{') {
      let depth = 0;
      const start = this.pos;
      for (; this.pos < this.src.length; this.pos++) {
        const ch = this.src[this.pos];
        if (ch === '\\') {
          this.pos++;
          continue;
        }
        if (ch === '{') depth++;
        else if (ch === '}' && --depth === 0) {
          this.pos++;
          return this.src.slice(start + 1, this.pos - 1);
        }
      }
      return refuse('unbalanced braces');
    }
    if (c === '\\') {
      const start = this.pos;
      this.readCommand();
      return this.src.slice(start, this.pos).trimEnd();
    }
    this.pos++;
    return c;
  }

  /** An argument read as maths, in `mode`. */
  private mathArg(mode: Mode = this.mode): Item[] {
    return new Reader(this.rawArg(), mode).sequence();
  }

  /** Text-mode content (\text{…}): letters as they are, a few escapes. */
  private textArg(): string {
    const raw = this.rawArg();
    let out = '';
    for (let i = 0; i < raw.length; i++) {
      const ch = raw[i]!;
      if (ch === '\\') {
        const m = /^\\([a-zA-Z]+|.)/.exec(raw.slice(i));
        const name = m?.[1] ?? '';
        i += (m?.[0].length ?? 1) - 1;
        if ('%&#_{}'.includes(name) && name.length === 1) out += name;
        else if (name === ' ' || name === ',' || name === ';' || name === 'quad') out += ' ';
        else if (this.mode.lenient) out += name.length > 1 ? name : '';
        else refuse(`\\${name} in text`);
      } else if (ch === '$') {
        if (!this.mode.lenient) refuse('maths inside \\text');
      } else if (ch === '{' || ch === '}') {
        /* grouping only */
      } else if (ch === '~') out += ' ';
      else out += ch;
    }
    return out;
  }

  /** Items up to the end of the source (or a stray `}`). */
  sequence(): Item[] {
    const items: Item[] = [];
    while (this.pos < this.src.length) {
      const c = this.src[this.pos]!;
      if (/\s/.test(c)) {
        this.skipSpaces();
        items.push({ s: ' ', cls: 'space' });
        continue;
      }
      if (c === '^' || c === '_') {
        this.pos++;
        this.script(items, c);
        continue;
      }
      if (c === "'") {
        let n = 0;
        while (this.peek() === "'") {
          this.pos++;
          n++;
        }
        attachScript(items, n === 2 ? '″' : n === 3 ? '‴' : '′'.repeat(n), '', '');
        continue;
      }
      const item = this.atom();
      if (item) items.push(item);
    }
    return items;
  }

  /** One item (or null for things with no output), at pos. */
  private atom(): Item | null {
    const c = this.src[this.pos]!;
    if (c === '{') {
      const inner = new Reader(this.rawArg(), this.mode).sequence();
      return group(inner, this.mode);
    }
    if (c === '}') {
      this.pos++;
      return this.mode.lenient ? null : refuse('unbalanced braces');
    }
    if (c === '\\') return this.command();
    this.pos++;
    if (c === '&') return this.mode.lenient ? { s: ', ', cls: 'punct' } : refuse('alignment');
    if (c === '$' || c === '#' || c === '`') return this.mode.lenient ? null : refuse(c);
    if (c === '~') return { s: ' ', cls: 'space' };
    if (c === '+' || c === '-') return { s: c, cls: 'bin' };
    if (c === '*') return { s: '∗', cls: 'bin' };
    if (c === '=' || c === '<' || c === '>') return { s: c, cls: 'rel' };
    if (c === ',' || c === ';' || c === ':' || c === '!' || c === '?') return { s: c, cls: 'punct' };
    if (c === '(' || c === '[') return { s: c, cls: 'open' };
    if (c === ')' || c === ']') return { s: c, cls: 'close' };
    return { s: c, cls: 'ord' };
  }

  private command(): Item | null {
    const name = this.readCommand();
    const lenient = this.mode.lenient;
    if (name === '') return lenient ? null : refuse('lone backslash');
    if (name === '\\') return lenient ? { s: '; ', cls: 'punct' } : refuse('line break');
    if (Object.hasOwn(GREEK, name)) return { s: GREEK[name]!, cls: 'ord' };
    if (Object.hasOwn(SYMBOLS, name)) {
      const [s, cls] = SYMBOLS[name]!;
      return { s, cls };
    }
    if (FUNCTIONS.has(name)) return { s: name === 'argmax' ? 'arg max' : name === 'argmin' ? 'arg min' : name, cls: 'fn' };
    if (SPACES.has(name)) return this.mode.compact ? null : { s: ' ', cls: 'space' };
    if (name === '!' || name === '/') return null;
    if (IGNORED.has(name) || SIZED.has(name)) {
      if (name === 'left' || name === 'right' || name === 'middle' || SIZED.has(name)) {
        this.skipSpaces();
        if (this.peek() === '.') {
          this.pos++;
          return null;
        }
        const d = this.atom();
        if (d && name === 'left') d.cls = 'open';
        if (d && name === 'right') d.cls = 'close';
        return d;
      }
      return null;
    }
    if (TEXT_COMMANDS.has(name)) return { s: this.textArg(), cls: 'ord' };
    if (name === 'operatorname' || name === 'operatorname*') {
      if (this.peek() === '*') this.pos++;
      return { s: this.textArg(), cls: 'fn' };
    }
    if (MATH_FONTS.has(name)) {
      const inner = this.mathArg();
      const g = group(inner, this.mode);
      if (inner.every((i) => i.cls === 'ord' && !i.bare)) g.compound = false; // \mathrm{Var} is one word
      return g;
    }
    if (name === 'mathcal' || name === 'mathscr' || name === 'mathbb') {
      const table = name === 'mathbb' ? BLACKBOARD : CALLIGRAPHIC;
      const arg = this.rawArg().trim();
      const out = [...arg].map((ch) => table[ch] ?? (lenient ? ch : refuse(`\\${name}{${arg}}`))).join('');
      return { s: out, cls: 'ord' };
    }
    if (name === 'frac' || name === 'tfrac' || name === 'dfrac' || name === 'cfrac') return this.fraction();
    if (name === 'sqrt') return this.root();
    if (Object.hasOwn(ACCENTS, name)) return this.accent(name);
    if (lenient) {
      // Alt text: environments as rows and cells, anything else as its name.
      if (name === 'begin' || name === 'end') {
        const env = this.rawArg();
        if (name === 'begin' && /^(array|tabular)\*?$/.test(env)) this.rawArg(); // column spec
        return name === 'begin' ? null : { s: ' ', cls: 'space' };
      }
      if (name === 'hline' || name === 'cline' || name === 'color' || name === 'label' || name === 'tag') {
        if (name !== 'hline') this.rawArg();
        return null;
      }
      if (name === 'binom') {
        const n = groupText(this.mathArg());
        const k = groupText(this.mathArg());
        return { s: `(${n} choose ${k})`, cls: 'ord' };
      }
      return { s: name, cls: 'fn' }; // set off like a word: \foo{x} → "foo x"
    }
    return refuse(`\\${name}`);
  }

  private fraction(): Item {
    const num = this.mathArg();
    const den = this.mathArg();
    const fracs = countFracs(num) + countFracs(den);
    if (fracs > 0 && !this.mode.lenient) refuse('nested fraction');
    const n = groupText(num).trim();
    const d = groupText(den).trim();
    const vulgar = VULGAR[`${n}/${d}`];
    if (vulgar) return { s: vulgar, cls: 'ord' };
    if (n === '' || d === '') return this.mode.lenient ? { s: `${n}/${d}`, cls: 'ord' } : refuse('empty fraction part');
    const nParen = isCompound(num);
    const dParen = isCompound(den);
    const s = `${nParen ? `(${n})` : n}/${dParen ? `(${d})` : d}`;
    return { s, cls: 'ord', frac: true, fracs: 1 + fracs, parenFracs: nParen || dParen ? 1 : 0 };
  }

  private root(): Item {
    this.skipSpaces();
    let index = '';
    if (this.peek() === '[') {
      const close = this.src.indexOf(']', this.pos);
      if (close < 0) return refuse('unclosed root index');
      index = this.src.slice(this.pos + 1, close).trim();
      this.pos = close + 1;
    }
    const sign = index === '' || index === '2' ? '√' : index === '3' ? '∛' : index === '4' ? '∜' : this.mode.lenient ? `${index}√` : refuse('root index');
    const body = this.mathArg();
    const text = groupText(body).trim();
    if (text === '') return this.mode.lenient ? { s: sign, cls: 'ord' } : refuse('empty root');
    const inner = { fracs: countFracs(body), parenFracs: countParenFracs(body) };
    if (isCompound(body) || body.some((i) => i.frac)) return { s: `${sign}(${text})`, cls: 'ord', ...inner };
    return { s: `${sign}${text}`, cls: 'ord', root: `${sign}(${text})`, ...inner };
  }

  private accent(name: string): Item {
    const body = groupText(this.mathArg()).trim();
    const mark = ACCENTS[name]!;
    const chars = [...body];
    if (chars.length === 1 && /[\p{L}\p{N}]/u.test(body)) return { s: body + mark, cls: 'ord' };
    if ((name === 'overline' || name === 'bar') && chars.length > 1 && chars.every((ch) => /[\p{L}\p{N}]/u.test(ch))) {
      return { s: chars.map((ch) => ch + '\u0305').join(''), cls: 'ord' };
    }
    return this.mode.lenient ? { s: `${name} ${body}`, cls: 'ord' } : refuse(`\\${name} on "${body}"`);
  }

  /** A `^` or `_` (already consumed) attached to the last item. */
  private script(items: Item[], mark: '^' | '_'): void {
    const body = this.mathArg({ lenient: this.mode.lenient, compact: true });
    const text = join(body, { lenient: true, compact: true }).trim();
    if (text === '') {
      if (!this.mode.lenient) refuse('empty script');
      return;
    }
    if (body.some((i) => i.frac) && !this.mode.lenient && countFracs(body) > 1) refuse('fractions in a script');
    const table = mark === '^' ? SUPERSCRIPT : SUBSCRIPT;
    const chars = [...text];
    const unicode = text === '*' ? '*' : chars.every((ch) => Object.hasOwn(table, ch)) ? chars.map((ch) => table[ch]).join('') : undefined;
    attachScript(items, unicode, mark, text);
  }
}

/** Adds a script to the last item (parenthesising a fraction or compound base). */
function attachScript(items: Item[], unicode: string | undefined, mark: string, text: string): void {
  let i = items.length - 1;
  while (i >= 0 && items[i]!.cls === 'space' && mark !== '') i--; // x _i is x_i in TeX
  if (mark !== '') items.length = i + 1;
  const base = items[i];
  let baseText = base ? base.s : '';
  if (base?.frac || base?.compound) baseText = `(${baseText})`;
  if (base?.root) baseText = base.root;
  if (base?.bare) baseText = `${base.bare.base}${base.bare.mark}(${base.bare.body})`;
  let next: Item;
  if (unicode !== undefined && mark === '^' && base?.bare?.mark === '_') {
    // σ_B then ²: σ²_B (TeX stacks both on σ; σ_B² could be read as σ with B² below).
    const b = { base: base.bare.base + unicode, mark: '_', body: base.bare.body };
    next = { s: `${b.base}_${b.body}`, cls: 'ord', bare: b };
  } else if (unicode !== undefined && mark === '_' && base?.bare?.mark === '^') {
    // ŵ^OLS then ⱼ: ŵⱼ^OLS.
    const b = { base: base.bare.base + unicode, mark: '^', body: base.bare.body };
    next = { s: `${b.base}^${b.body}`, cls: 'ord', bare: b };
  } else if (unicode !== undefined) next = { s: baseText + unicode, cls: 'ord' };
  else if (/^[\p{L}\p{N}.]+$/u.test(text) && ![...text].some((ch) => ch === '.' && text.length === 1)) {
    next = { s: `${baseText}${mark}${text}`, cls: 'ord', bare: { base: baseText, mark, body: text } };
  } else next = { s: `${baseText}${mark}${wrapped(text) ? text : `(${text})`}`, cls: 'ord' };
  if (base) {
    next.fracs = base.fracs;
    next.parenFracs = base.parenFracs;
    if (base.cls === 'op' || base.cls === 'fn' || base.cls === 'close') next.cls = base.cls; // (a + b)² still closes its group
    items[i] = next;
  } else items.push(next);
}

/** Whether the text is one parenthesised group already: (pos, 2i). */
function wrapped(text: string): boolean {
  if (!text.startsWith('(') || !text.endsWith(')')) return false;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0 && i < text.length - 1) return false;
  }
  return depth === 0;
}

/** Deepest nesting of brackets in the text. */
function nesting(text: string): number {
  let depth = 0;
  let max = 0;
  for (const ch of text) {
    if (ch === '(' || ch === '[' || ch === '⟨') max = Math.max(max, ++depth);
    else if (ch === ')' || ch === ']' || ch === '⟩') depth--;
  }
  return max;
}

/** A `{…}` group as one item. */
function group(inner: Item[], mode: Mode): Item {
  const s = join(inner, mode);
  const meaningful = inner.filter((i) => i.cls !== 'space');
  if (meaningful.length === 1) return { ...meaningful[0]!, s: s.trim() };
  return { s, cls: 'ord', compound: isCompound(inner), fracs: countFracs(inner), parenFracs: countParenFracs(inner) };
}

const countFracs = (items: Item[]): number => items.reduce((n, i) => n + (i.fracs ?? 0), 0);
const countParenFracs = (items: Item[]): number => items.reduce((n, i) => n + (i.parenFracs ?? 0), 0);

/**
 * Whether a fraction's part needs parentheses: more than one atom. A run of digits (a
 * number) or of capitals (an abbreviation like TP) is one atom; so are f(x) and (a + b).
 * A leading minus makes a part compound: -(-1.2)/2, not --1.2/2.
 */
function isCompound(items: Item[]): boolean {
  const parts = items.filter((i) => i.cls !== 'space');
  const rest = parts;
  if (rest.length === 0) return false;
  if (rest.length === 1) return rest[0]!.cls === 'bin' || rest[0]!.cls === 'rel' || rest[0]!.frac === true || rest[0]!.compound === true;
  // ∂ℒ, ∂x², ∇f: a differential of one atom is one atom.
  if (rest.length === 2 && /^[∂∇]/.test(rest[0]!.s) && rest[0]!.cls === 'ord' && rest[1]!.cls === 'ord' && !rest[1]!.frac) return false;
  // A whole parenthesised group reads as one atom: (a+b); so does a function applied to one: f(x), log₂(i+1).
  if (rest[0]!.cls === 'open' && rest.at(-1)!.cls === 'close' && balancedOnce(rest)) return false;
  if ((rest[0]!.cls === 'ord' || rest[0]!.cls === 'fn') && !rest[0]!.frac && rest[1]!.cls === 'open' && rest.at(-1)!.cls === 'close' && balancedOnce(rest.slice(1))) return false;
  const s = rest.map((i) => i.s).join('');
  if (rest.every((i) => i.cls === 'ord' && !i.frac && !i.bare)) {
    if (/^\d+(?:\.\d+)?[⁰¹²³⁴⁵⁶⁷⁸⁹⁻₀₁₂₃₄₅₆₇₈₉]*$/.test(s)) return false; // 0.4², 10⁻³
    if (/^[A-Z]{2,}$/.test(s)) return false;
  }
  return true;
}

/** The first open item closes at the last item. */
function balancedOnce(items: Item[]): boolean {
  let depth = 0;
  for (const [k, i] of items.entries()) {
    if (i.cls === 'open') depth++;
    else if (i.cls === 'close') depth--;
    if (depth === 0 && k < items.length - 1) return false;
  }
  return depth === 0;
}

const groupText = (items: Item[]): string => join(items, { lenient: true, compact: false });

/** The items as text, with TeX's spacing around operators and relations. */
function join(items: Item[], mode: Mode): string {
  // The next non-space item after each position, and whether a space separates them.
  const nextSolid: (Item | undefined)[] = new Array(items.length + 1);
  for (let k = items.length - 1; k >= 0; k--) nextSolid[k] = items[k]!.cls === 'space' ? nextSolid[k + 1] : items[k];
  const out: string[] = [];
  let prev: Item | undefined;
  for (let k = 0; k < items.length; k++) {
    const item = items[k]!;
    const next = nextSolid[k + 1];
    if (item.cls === 'space') {
      // No space just inside brackets: |0.75 - 0.89|, not | 0.75 - 0.89 |.
      if (!mode.compact && prev && prev.cls !== 'open' && next && next.cls !== 'close') out.push(' ');
      continue;
    }
    const touching = items[k + 1] === next; // no space between this item and the next
    const before = (x: Item | undefined, ...classes: Cls[]) => x !== undefined && classes.includes(x.cls);
    let s = item.s;
    if (item.frac && (before(prev, 'fn') || prev?.s.endsWith('/') || before(next, 'ord', 'open', 'fn', 'op'))) s = `(${s})`;
    else if (item.root && before(next, 'ord', 'fn', 'op')) s = item.root;
    else if (item.bare && next && touching && /^[\p{L}\p{N}(]/u.test(next.s)) s = `${item.bare.base}${item.bare.mark}(${item.bare.body})`;
    if (!mode.compact) {
      // Only signs are unary (-x, ±1); × or · at the start joins the formula to the words before it.
      const unary = /^[-+±∓]$/.test(item.s) && (!prev || before(prev, 'open', 'bin', 'rel', 'punct', 'op', 'fn'));
      if (item.cls === 'rel' || (item.cls === 'bin' && !unary)) {
        // Spaced like TeX, except against a bracket: round(·), not round( · ).
        s = `${prev && !before(prev, 'open') ? ' ' : ''}${s}${next && !before(next, 'close', 'punct') ? ' ' : ''}`;
      }
      else if (item.cls === 'fn' && before(prev, 'ord', 'close')) s = ` ${s}`;
      // log p, ∑ xᵢ: a word or big operator is set off from an ord it touches.
      if (before(item, 'fn', 'op') && touching && before(next, 'ord', 'fn', 'op') && !next!.frac) s = `${s} `;
    }
    out.push(s);
    prev = item;
  }
  return out.join('').replace(/ {2,}/g, ' ');
}

function convert(tex: string, lenient: boolean): { text: string; parenFracs: number } {
  const items = new Reader(tex, { lenient, compact: false }).sequence();
  return { text: join(items, { lenient, compact: false }).trim(), parenFracs: countParenFracs(items) };
}

/** The Unicode of `tex` and how many fractions needed parentheses, or null when not faithful. */
function strict(tex: string): { text: string; parenFracs: number } | null {
  let r: { text: string; parenFracs: number };
  try {
    r = convert(tex, false);
    r.text = r.text.normalize('NFC'); // ỹ as one character where Unicode has one
  } catch (err) {
    if (err instanceof Unfaithful) return null;
    throw err;
  }
  // Braces in the output come from \{ \}; a backslash, `||` (a Discord spoiler) or `_{` would not read as maths.
  return r.text === '' || /\\|\|\||[_^]\{/.test(r.text) ? null : r;
}

/**
 * Unicode for inline TeX, or null when it cannot be written faithfully (arrays, cases,
 * nested fractions, unknown commands…): then it should be drawn.
 * The result is plain text; readable() escapes it for Discord markdown.
 */
export function texToUnicode(tex: string): string | null {
  return strict(tex)?.text ?? null;
}

/** Longest alt text Discord keeps for a gallery item. */
export const MAX_ALT_TEXT = 1000;

/**
 * A plain description of a formula for an image's alt text: its Unicode where that is
 * faithful, else a cleaned-up reading (tables as rows of cells, unknown commands as their
 * names) with no backslashes or braces.
 */
export function texAltText(tex: string): string {
  let out = texToUnicode(tex);
  if (out === null) {
    try {
      out = convert(tex, true).text;
    } catch {
      out = tex;
    }
    out = out
      .replace(/\\([a-zA-Z]+)/g, ' $1 ')
      .replace(/[\\{}&]/g, ' ')
      .replace(/\s+([,;])/g, '$1')
      .replace(/\s*;\s*(;\s*)*/g, '; ')
      .replace(/^[;,\s]+|[;,\s]+$/g, '');
  }
  out = out.replace(/\s+/g, ' ').trim();
  if (out.length > MAX_ALT_TEXT) {
    const space = out.lastIndexOf(' ', MAX_ALT_TEXT - 1);
    out = `${out.slice(0, space > MAX_ALT_TEXT / 2 ? space : MAX_ALT_TEXT - 1).trimEnd()}…`;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Finding the maths in Markdown.

type Segment = { kind: 'text'; s: string } | { kind: 'code'; s: string } | { kind: 'inline' | 'display'; tex: string; raw: string };

/** The text split into prose, code and maths (Pandoc's delimiter rules, see the module comment). */
export function segments(source: string): Segment[] {
  const out: Segment[] = [];
  let text = '';
  const flush = () => {
    if (text) out.push({ kind: 'text', s: text });
    text = '';
  };
  let i = 0;
  const n = source.length;
  while (i < n) {
    const c = source[i]!;
    if (c === '\\' && source[i + 1] === '$') {
      text += '\\$';
      i += 2;
      continue;
    }
    if (c === '`') {
      const fence = /^`+/.exec(source.slice(i))![0];
      const end = source.indexOf(fence, i + fence.length);
      if (end >= 0) {
        flush();
        out.push({ kind: 'code', s: source.slice(i, end + fence.length) });
        i = end + fence.length;
        continue;
      }
      text += fence;
      i += fence.length;
      continue;
    }
    if (c === '$' && source[i + 1] === '$') {
      const end = findClose(source, i + 2, '$$');
      if (end >= 0 && source.slice(i + 2, end).trim() !== '') {
        flush();
        out.push({ kind: 'display', tex: source.slice(i + 2, end).trim(), raw: source.slice(i, end + 2) });
        i = end + 2;
        continue;
      }
      text += '$$';
      i += 2;
      continue;
    }
    if (c === '$' && i + 1 < n && !/\s/.test(source[i + 1]!)) {
      let j = i + 1;
      let end = -1;
      for (; j < n; j++) {
        const ch = source[j]!;
        if (ch === '\n' && source[j + 1] === '\n') break; // not across paragraphs
        if (ch === '\\') {
          j++;
          continue;
        }
        if (ch === '$') {
          if (!/\s/.test(source[j - 1]!) && !/\d/.test(source[j + 1] ?? '')) end = j;
          break;
        }
      }
      if (end > i + 1) {
        flush();
        out.push({ kind: 'inline', tex: source.slice(i + 1, end), raw: source.slice(i, end + 1) });
        i = end + 1;
        continue;
      }
    }
    text += c;
    i++;
  }
  flush();
  return out;
}

function findClose(source: string, from: number, delim: string): number {
  for (let j = from; j < source.length; j++) {
    if (source[j] === '\\') {
      j++;
      continue;
    }
    if (source.startsWith(delim, j)) return j;
  }
  return -1;
}

/** Unicode maths escaped for Discord markdown (so `w*` or `C_FP` is not emphasis). */
const markdownSafe = (s: string): string => s.replace(/[*_~]/g, (c) => `\\${c}`);

/** An inline formula's Unicode when it is faithful and reads well in a sentence (else it becomes an image). */
function inlineUnicode(tex: string): string | null {
  const r = strict(tex);
  if (r === null || r.text.length > MAX_INLINE_UNICODE || r.parenFracs > MAX_PAREN_FRACTIONS || nesting(r.text) > MAX_NESTING) return null;
  return r.text;
}

/** Text with its maths made readable: see the module comment. */
export function readable(source: string, options: ReadableOptions = {}): Readable {
  const formulas: string[] = [];
  const first = options.firstFormula ?? 1;
  let text = '';
  for (const seg of segments(source)) {
    if (seg.kind === 'text' || seg.kind === 'code') {
      text += seg.s;
      continue;
    }
    if (seg.kind === 'inline') {
      const u = options.plain ? texToUnicode(seg.tex) : inlineUnicode(seg.tex);
      if (u !== null) {
        text += options.plain ? u : markdownSafe(u);
        continue;
      }
    }
    if (options.plain) {
      text += texAltText(seg.tex);
      continue;
    }
    formulas.push(seg.tex.trim());
    text += formulaReference(first + formulas.length - 1);
  }
  return { text, formulas };
}
