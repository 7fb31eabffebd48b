import { describe, expect, it } from 'vitest';
import { unwrapMath } from '../../../src/render/limits.js';
import { texSource } from '../../../src/render/discord/views.js';

describe('pasted maths delimiters', () => {
  it.each([
    ['$$\\frac{a}{b}$$', '\\frac{a}{b}', true],
    ['  $$ x^2 $$\n', 'x^2', true],
    ['\\[ \\sum_i x_i \\]', '\\sum_i x_i', true],
    ['$x_i$', 'x_i', false],
    ['\\(\\sigma\\)', '\\sigma', false],
    ['\\$5 + \\$3', '\\$5 + \\$3', null],
    ['x^2', 'x^2', null],
  ])('%j → %j', (pasted, tex, display) => {
    expect(unwrapMath(pasted)).toEqual({ tex, display });
  });

  it('leaves text that is not one wrapped formula alone', () => {
    expect(unwrapMath('$a$ and $b$')).toEqual({ tex: '$a$ and $b$', display: null });
    expect(unwrapMath('$$')).toEqual({ tex: '$$', display: null });
    expect(unwrapMath('$ $')).toEqual({ tex: '$ $', display: null });
    // An escaped dollar inside is part of the formula.
    expect(unwrapMath('$\\$5$')).toEqual({ tex: '\\$5', display: false });
    // A matrix's row breaks (\\) are not \[ … \] delimiters.
    expect(unwrapMath('$$\\begin{pmatrix} a \\\\[2pt] b \\end{pmatrix}$$').tex).toBe('\\begin{pmatrix} a \\\\[2pt] b \\end{pmatrix}');
  });

  it('shows TeX source in a code block that a backtick run cannot close', () => {
    expect(texSource('x^2')).toBe('```tex\nx^2\n```');
    expect(texSource('a ``` b').match(/```/g)).toHaveLength(2);
  });
});
