/**
 * readable(): bank Markdown with TeX made readable in Discord. Inline maths becomes Unicode
 * where that is faithful, everything else becomes a numbered image the text refers to.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_ALT_TEXT, formulaReference, readable, texAltText, texToUnicode } from '../../../src/render/readable.js';
import { findRawTex } from '../../support/visible-text.js';

const tex = String.raw;

describe('texToUnicode: faithful conversions', () => {
  const table: [string, string][] = [
    // The model answer.
    [tex`\Omega(f) = \gamma T + \tfrac12\lambda\sum_j w_j^2`, 'Ω(f) = γT + ½λ∑ⱼ wⱼ²'],
    // The worked solution.
    [tex`w^* = -\frac{G}{H+\lambda} = -\frac{-0.4}{0.3 + 1} = 1.4894`, 'w* = -G/(H + λ) = -(-0.4)/(0.3 + 1) = 1.4894'],
    // Greek, operators and relations.
    [tex`\lambda, \Omega, \alpha, \varepsilon, \pi`, 'λ, Ω, α, ε, π'],
    [tex`a \le b \ge c \ne d \approx e`, 'a ≤ b ≥ c ≠ d ≈ e'],
    [tex`2 \cdot 3 \times 4 \pm 1`, '2 · 3 × 4 ± 1'],
    [tex`-x + (-1) \cdot {\pm 2}`, '-x + (-1) · ±2'],
    [tex`\mathrm{round}(\cdot), f(\cdot)`, 'round(·), f(·)'],
    [tex`n \to \infty`, 'n → ∞'],
    [tex`x \in S`, 'x ∈ S'],
    [tex`\partial f, \nabla f`, '∂f, ∇f'],
    [tex`\prod_i p_i`, '∏ᵢ pᵢ'],
    [tex`\int f`, '∫ f'],
    [tex`P(A \mid B)`, 'P(A | B)'],
    [tex`\|w\|_2`, '‖w‖₂'],
    [tex`\lVert x\rVert^2`, '‖x‖²'],
    [tex`\lvert 0.7544 - 0.89 \rvert = 0.1356`, '|0.7544 - 0.89| = 0.1356'],
    // Roots.
    [tex`\sqrt{2}`, '√2'],
    [tex`\sqrt{1-h_{ii}}`, '√(1 - hᵢᵢ)'],
    [tex`\sqrt{\text{VIF}_j} = \sqrt{12.5000} = 3.5355`, '√VIFⱼ = √12.5000 = 3.5355'],
    // Fractions.
    [tex`\frac{TP}{TP+FP} = \frac{69}{91} = 0.7582`, 'TP/(TP + FP) = 69/91 = 0.7582'],
    [tex`\dfrac{a+b}{2}`, '(a + b)/2'],
    [tex`\frac12 + \frac{1}{4} + \tfrac{3}{4}`, '½ + ¼ + ¾'],
    [tex`\frac{\partial \mathcal{L}}{\partial w}`, '∂ℒ/∂w'],
    [tex`\frac{1}{n}\sum_i x_i`, '(1/n)∑ᵢ xᵢ'],
    [tex`\log\frac{\eta(x)}{1-\eta(x)}`, 'log(η(x)/(1 - η(x)))'],
    [tex`\frac{(G_L+G_R)^2}{H+\lambda}`, '(G_L + G_R)²/(H + λ)'],
    [tex`\frac{0.4^2}{0.5 + 0.5} = \frac{1}{10^{-3}}`, '0.4²/(0.5 + 0.5) = 1/10⁻³'],
    // Sub- and superscripts.
    [tex`x^2`, 'x²'],
    [tex`w_j`, 'wⱼ'],
    [tex`\sum_i`, '∑ᵢ'],
    [tex`e^{-x}`, 'e⁻ˣ'],
    [tex`10^{-3}`, '10⁻³'],
    [tex`X^\top X`, 'XᵀX'],
    [tex`\sum_{i=1}^{n}`, '∑ᵢ₌₁ⁿ'],
    [tex`\pi'`, 'π′'],
    // No Unicode subscript capitals: written with an underscore, unambiguous.
    [tex`C_{FP}`, 'C_FP'],
    [tex`\hat V_{\text{SNIPS}} = \frac{3.2}{8.7}`, 'V̂_SNIPS = 3.2/8.7'],
    [tex`\sigma_B^2`, 'σ²_B'],
    [tex`C_{FN}\pi`, 'C_(FN)π'],
    [tex`e^{-x^2/2}`, 'e^(-x²/2)'],
    [tex`PE_{(pos, 2i)}`, 'PE_(pos,2i)'],
    // Accents (combining marks), fonts, words.
    [tex`\hat p`, 'p̂'],
    [tex`\bar x`, 'x̄'],
    [tex`\tilde y`, 'ỹ'],
    [tex`\hat{\sigma}`, 'σ̂'],
    [tex`\text{acc} = \frac{3}{5} = \frac{3}{10}`, 'acc = ⅗ = 3/10'],
    [tex`\mathrm{Var}(X) = \operatorname{Cov}(X, X)`, 'Var(X) = Cov(X, X)'],
    [tex`\mathbf{x}`, 'x'],
    [tex`\mathcal{L}`, 'ℒ'],
    [tex`\mathbb{E}[X]`, '𝔼[X]'],
    [tex`\log p + \exp(x) + \max(0, x) + \min_x f(x)`, 'log p + exp(x) + max(0, x) + minₓ f(x)'],
    [tex`\arg\max_x f(x)`, 'arg maxₓ f(x)'],
    [tex`-\ln 0.55 = 0.5978`, '-ln 0.55 = 0.5978'],
    // Spacing commands dropped, escapes.
    [tex`a\,b\;c\!d\quad e`, 'a b cd e'],
    [tex`\{1, 2\}`, '{1, 2}'],
    [tex`5\%`, '5%'],
    [tex`\left(\frac{a}{b}\right)^2`, '(a/b)²'],
    [tex`\big((a) + (b)\big)`, '((a) + (b))'],
    // Braces group without showing: the grouping is kept with parentheses.
    [tex`\frac{{a+b}}{c} + {x+1}^2 + \sqrt{{n-1}}`, '(a + b)/c + (x + 1)² + √(n - 1)'],
    [tex`\frac{\mathrm{Var}}{2}`, 'Var/2'],
  ];
  it.each(table)('%s → %s', (input, expected) => {
    expect(texToUnicode(input)).toBe(expected);
  });

  it('writes every conversion above without TeX', () => {
    for (const [, out] of table) expect(findRawTex(out)).toEqual([]);
  });
});

describe('texToUnicode: null where Unicode cannot be faithful', () => {
  const unfaithful = [
    tex`\begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}`,
    tex`\begin{array}{l|cc} \text{y} & 1 & 0 \end{array}`,
    tex`f(x) = \begin{cases} 1 & x > 0 \\ 0 & \text{else} \end{cases}`,
    tex`a & b`,
    tex`a \\ b`,
    tex`\frac{\frac{a}{b}}{c}`, // nested fractions
    tex`\binom{n}{k}`,
    tex`\widehat{\log y}`, // an accent over several letters
    tex`\mathcal{ab}`,
    tex`\sqrt[5]{x}`,
    tex`\foo{x}`, // unknown command
    tex`\constructor`, // not fooled by Object.prototype
    tex`\frac{a}`, // missing argument
    tex`x^{}`,
    tex`{a`,
    tex`\$5`,
    '',
  ];
  it.each(unfaithful)('%s → null', (input) => {
    expect(texToUnicode(input)).toBeNull();
  });
});

describe('readable', () => {
  it('turns faithful inline maths into Unicode, escaped for Discord markdown', () => {
    const r = readable(tex`The optimum is $w^* = -G/(H+\lambda)$ and $b^*$; costs are $C_{FP}$ and $C_{FN}$.`);
    expect(r).toEqual({ text: 'The optimum is w\\* = -G/(H + λ) and b\\*; costs are C\\_FP and C\\_FN.', formulas: [] });
  });

  it('keeps an operator that opens a formula apart from the words before it', () => {
    expect(readable(tex`posterior odds = prior odds $\times \frac{\text{TPR}}{\text{FPR}} = 0.05 \times 70$`).text).toBe(
      'posterior odds = prior odds × TPR/FPR = 0.05 × 70',
    );
  });

  it('the issue’s model answer reads as Unicode', () => {
    const r = readable(tex`XGBoost adds $\Omega(f) = \gamma T + \tfrac12\lambda\sum_j w_j^2$ to the loss.`);
    expect(r.text).toBe('XGBoost adds Ω(f) = γT + ½λ∑ⱼ wⱼ² to the loss.');
    expect(r.formulas).toEqual([]);
  });

  it('draws the drill table ($$\\begin{array}…$$) and refers to it on its own line', () => {
    const table = tex`\begin{array}{l|cccc} \text{y} & 1 & 0 & 0 & 0 \\ \text{p} & 0.4 & 0.45 & 0.25 & 0.55 \end{array}`;
    const r = readable(`A model predicted $p = P(y=1)$ for 4 examples:\n\n$$${table}$$\n\nCompute the mean log-loss.`);
    expect(r.formulas).toEqual([table]);
    expect(r.text).toBe('A model predicted p = P(y = 1) for 4 examples:\n\n(formula 1 below)\n\nCompute the mean log-loss.');
  });

  it('the issue’s worked solution keeps its numbers in text and draws the display formula', () => {
    const r = readable(
      tex`$w^* = -\frac{G}{H+\lambda} = -\frac{-0.6}{0.4 + 1} = 0.4286$ so $$\text{Gain} = \frac12\left[\frac{G_L^2}{H_L+\lambda} + \frac{G_R^2}{H_R+\lambda} - \frac{(G_L+G_R)^2}{H_L+H_R+\lambda}\right] - \gamma$$`,
      { firstFormula: 3 },
    );
    expect(r.text).toBe('w\\* = -G/(H + λ) = -(-0.6)/(0.4 + 1) = 0.4286 so (formula 3 below)');
    expect(r.formulas).toHaveLength(1);
    expect(r.formulas[0]).toMatch(/^\\text\{Gain\}/);
  });

  it('numbers images from firstFormula, in order, and refers to each', () => {
    const r = readable(tex`First $\begin{smallmatrix}a\end{smallmatrix}$, then $$x$$ and $\binom{n}{k}$.`, { firstFormula: 4 });
    expect(r.formulas).toEqual([tex`\begin{smallmatrix}a\end{smallmatrix}`, 'x', tex`\binom{n}{k}`]);
    expect(r.text).toBe(`First ${formulaReference(4)}, then ${formulaReference(5)} and ${formulaReference(6)}.`);
  });

  it('draws inline formulas too long or too nested to read in a sentence', () => {
    const gain = tex`\text{Gain} = \tfrac12\big[\frac{G_L^2}{H_L+\lambda} + \frac{G_R^2}{H_R+\lambda} - \frac{(G_L+G_R)^2}{H_L+H_R+\lambda}\big] - \gamma`;
    expect(texToUnicode(gain)).not.toBeNull(); // faithful, but three parenthesised fractions in a row
    expect(readable(`The gain is $${gain}$.`)).toEqual({ text: 'The gain is (formula 1 below).', formulas: [gain] });
    const nested = tex`L = -\log \dfrac{\exp(\cos(u,v_{i^+})/\tau)}{\exp(\cos(u,v_{i^+})/\tau) + \sum_{j} \exp(\cos(u,v_j)/\tau)}`;
    expect(readable(`$${nested}$`).formulas).toEqual([nested]);
    const sum = Array.from({ length: 40 }, (_, i) => `x_{${i}}`).join(' + ');
    expect(readable(`$${sum}$`).formulas).toEqual([sum]);
  });

  it('leaves money and escaped dollars alone (Pandoc’s delimiter rule)', () => {
    for (const s of ['It costs $5 and $10 a month.', 'Between $5 and $ 10.', 'A fee of $20,000.', 'Pay \\$5 now, \\$6 later.', 'One $ sign.', 'Cash: $5.']) {
      expect(readable(s)).toEqual({ text: s, formulas: [] });
      expect(findRawTex(readable(s).text)).toEqual([]);
    }
    // A closing dollar followed by a digit is not a closer: "$5 to $10" is money even with no space before it.
    expect(readable('from $5 to$10').formulas).toEqual([]);
    // Maths next to money: only the maths changes.
    expect(readable('At $5 each, $n^2$ items cost more.').text).toBe('At $5 each, n² items cost more.');
    // The bank's money-looking maths is maths: a closing $ preceded by a non-space.
    expect(readable('the odds are $0.6/0.4 = 1.5$, so').text).toBe('the odds are 0.6/0.4 = 1.5, so');
  });

  it('keeps TeX in code spans and blocks (shown on purpose)', () => {
    const s = 'Type `$x^2$` or\n```\n$$\\frac{a}{b}$$\n```\nthen $x^2$.';
    expect(readable(s)).toEqual({ text: 'Type `$x^2$` or\n```\n$$\\frac{a}{b}$$\n```\nthen x².', formulas: [] });
  });

  it('does not take a spoiler-making `||` or markdown from the maths', () => {
    expect(readable(tex`$|a||b|$`)).toEqual({ text: formulaReference(1), formulas: ['|a||b|'] });
    expect(readable(tex`$x_1 \sim y_1$`).text).toBe('x₁ ∼ y₁'); // ∼, not a ~ that could strike through
  });

  it('plain: for labels and names, no markdown escapes and no images (the maths read out instead)', () => {
    expect(readable(tex`Set $w^* = -G/(H+\lambda)$ from $$\begin{array}{cc} 1 & 2 \end{array}$$`, { plain: true })).toEqual({
      text: 'Set w* = -G/(H + λ) from 1, 2',
      formulas: [],
    });
    // Long inline maths stays text when there can be no image.
    const gain = tex`\text{Gain} = \tfrac12\big[\frac{G_L^2}{H_L+\lambda} + \frac{G_R^2}{H_R+\lambda} - \frac{(G_L+G_R)^2}{H_L+H_R+\lambda}\big] - \gamma`;
    expect(readable(`$${gain}$`, { plain: true }).text).toBe(texToUnicode(gain));
  });

  it('is pure and fast: 2,000 texts of the bank’s kind in well under a second', () => {
    const s = tex`Precision $P = \frac{TP}{TP+FP} = \frac{5}{8} = 0.6250$; recall $R = \frac{TP}{TP+FN} = \frac{5}{45} = 0.1111$ and $$\begin{array}{c|cc} & + & - \end{array}$$`;
    const first = readable(s);
    const t0 = performance.now();
    for (let i = 0; i < 2000; i++) readable(s);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(readable(s)).toEqual(first);
  });
});

describe('readable: no raw TeX for any text whose maths is delimited', () => {
  // Prose: anything without TeX's special characters (no $, \, {, }, ^, _, backticks).
  const prose = fc.stringMatching(/^[A-Za-z0-9 .,;:!?()'"*+=<>|\n-]*$/, { maxLength: 40 });
  // TeX: any string over TeX's alphabet, including commands this module does not know.
  const texAtom = fc.constantFrom(
    ...'abcxyzABC0123456789+-=<>()[]|,.!\'/ '.split(''),
    '{', '}', '^', '_', '&', '\\\\', '\\frac', '\\tfrac', '\\sqrt', '\\sum', '\\lambda', '\\Omega', '\\hat', '\\text', '\\mathrm',
    '\\mathcal', '\\mathbb', '\\left(', '\\right)', '\\begin{array}{cc}', '\\end{array}', '\\{', '\\}', '\\%', '\\,', '\\cdot',
    '\\le', '\\infty', '\\foo', '\\', '\\|', '\\lvert', '\\rvert', '\\binom', '\\operatorname', '\\log', '\\$', '\\_',
  );
  const texBody = fc.array(texAtom, { minLength: 1, maxLength: 14 }).map((a) => a.join(''));
  // Inline maths as the bank writes it: no space just inside the dollars, not ending in a backslash.
  const inline = texBody.filter((t) => /^\S/.test(t) && /[^\s\\]$/.test(t) && !t.includes('$')).map((t) => `$${t}$`);
  const display = texBody.filter((t) => t.trim() !== '' && !t.includes('$') && !t.endsWith('\\')).map((t) => `$$${t}$$`);
  // Each formula is set off from the prose by a space (a closing $ followed by a digit would not close).
  const text = fc.array(fc.oneof(prose, inline, display), { maxLength: 8 }).map((parts) => parts.join(' '));

  it('readable(s).text has no findRawTex hit', () => {
    fc.assert(
      fc.property(text, (s) => {
        const r = readable(s);
        expect(findRawTex(r.text)).toEqual([]);
        // Every formula that became an image is referred to exactly once, in order.
        const refs = [...r.text.matchAll(/\(formula (\d+) below\)/g)].map((m) => Number(m[1]));
        expect(refs).toEqual(r.formulas.map((_, i) => i + 1));
        // Plain text (labels, names) has no TeX and no images either.
        const plain = readable(s, { plain: true });
        expect(findRawTex(plain.text)).toEqual([]);
        expect(plain.formulas).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });

  it('texAltText never has a backslash (nor a brace the TeX did not write as \\{ or \\}), for any TeX, within Discord’s alt text limit', () => {
    fc.assert(
      fc.property(fc.oneof(texBody, fc.string({ maxLength: 60 })), (t) => {
        const alt = texAltText(t);
        expect(alt).not.toMatch(/\\/);
        if (!/\\[{}]|\\[lr]brace/.test(t)) expect(alt).not.toMatch(/[{}]/);
        expect(alt.length).toBeLessThanOrEqual(MAX_ALT_TEXT);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('texAltText', () => {
  it('is the Unicode when that is faithful', () => {
    expect(texAltText(tex`\Omega(f) = \gamma T + \tfrac12\lambda\sum_j w_j^2`)).toBe('Ω(f) = γT + ½λ∑ⱼ wⱼ²');
  });

  it('reads a table as rows of cells', () => {
    const t = tex`\begin{array}{l|cccc} \text{y} & 1 & 0 & 0 & 0 \\ \text{p} & 0.4 & 0.45 & 0.25 & 0.55 \end{array}`;
    expect(texAltText(t)).toBe('y, 1, 0, 0, 0; p, 0.4, 0.45, 0.25, 0.55');
  });

  it('reads a confusion matrix with \\hline and empty cells', () => {
    const t = tex`\begin{array}{c|cc} & \text{predicted } + & \text{predicted } - \\ \hline \text{actual } + & 5 & 40 \\ \text{actual } - & 3 & 146 \end{array}`;
    expect(texAltText(t)).toBe('predicted +, predicted -; actual +, 5, 40; actual -, 3, 146');
  });

  it('cleans up what is not faithful: nested fractions, unknown commands, matrices', () => {
    expect(texAltText(tex`\frac{\frac{a}{b}}{c}`)).toBe('(a/b)/c');
    expect(texAltText(tex`\binom{n}{k}`)).toBe('(n choose k)');
    expect(texAltText(tex`\foo{x} + \bar{xy}`)).toBe('foo x + x̅y̅');
    expect(texAltText(tex`\begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}`)).toBe('1, 2; 3, 4');
  });

  it('clips very long formulas on a word boundary', () => {
    const long = Array.from({ length: 400 }, (_, i) => `x_{${i}}`).join(' + ');
    const alt = texAltText(long);
    expect(alt.length).toBeLessThanOrEqual(MAX_ALT_TEXT);
    expect(alt.endsWith('…')).toBe(true);
    expect(alt).not.toMatch(/\\/);
  });
});
