import { describe, expect, it } from 'vitest';
import { renderLeaderboard, renderMasteryChart, renderQuestionCard, renderSummaryCard } from '../../../src/render/cards.js';
import { renderWhiteboard } from '../../../src/render/whiteboard.js';
import { parseRichText, splitMath } from '../../../src/render/richtext.js';
import { cleanLine, ellipsize, graphemes, measureContext, font } from '../../../src/render/draw.js';
import { RenderError } from '../../../src/render/errors.js';
import { themes } from '../../../src/render/theme.js';
import { colourfulPixels, countColor, darkPixels, decodePng } from './pixels.js';
import { drillKinds } from '../../../src/drills/index.js';
import { drillCard } from '../../../src/practice/discord/views.js';
import { questionCardSpec } from '../../../src/render/specs.js';

const HARD_NAMES = [
  '🦊🔥 foxfire 👩‍👩‍👧‍👦',
  '李小龍 Bruce Lee 田中太郎さんの非常に長い名前がここに入ります田中太郎さんの非常に長い名前',
  'محمد عبدالله',
  'Z̸̡͈a̷l̶g̸o̵ text with combining marks',
  'नमस्ते दुनिया',
  '‮reversed‬ and \u0000 control \u0007 chars',
  '👨🏽‍💻'.repeat(40),
  'x'.repeat(200),
  '',
  'Zoë Ångström',
];

describe('rich text parsing', () => {
  it('splits inline and display maths; currency stays text', () => {
    expect(splitMath('cost $5 and $10 here')).toEqual([{ kind: 'text', text: 'cost $5 and $10 here' }]);
    expect(splitMath('a $x^2$ b')).toEqual([
      { kind: 'text', text: 'a ' },
      { kind: 'inline', tex: 'x^2' },
      { kind: 'text', text: ' b' },
    ]);
    expect(splitMath('see $$\\sum_i x_i$$ now')[1]).toEqual({ kind: 'display', tex: '\\sum_i x_i' });
    expect(splitMath('an escaped \\$ sign')).toEqual([{ kind: 'text', text: 'an escaped $ sign' }]);
    expect(splitMath('$a$,$b$').filter((s) => s.kind === 'inline')).toHaveLength(2);
  });

  it('bold, italic, code and bullets', () => {
    const blocks = parseRichText('Why **very deep** nets and *best case*?\n- one\n- two `code`\n\nNext');
    expect(blocks).toHaveLength(4);
    const first = blocks[0]!;
    expect(first.kind === 'para' && first.pieces.some((p) => p.kind === 'text' && p.bold && p.text === 'very deep')).toBe(true);
    expect(first.kind === 'para' && first.pieces.some((p) => p.kind === 'text' && p.italic && p.text === 'best case')).toBe(true);
    expect(blocks[1]!.kind === 'para' && blocks[1]!.bullet).toBe('•');
    expect(blocks[3]!.kind === 'para' && blocks[3]!.gapBefore).toBe(true);
    expect(parseRichText('2 * 3 * 4')[0]).toMatchObject({ pieces: [{ text: '2 * 3 * 4', italic: false }] });
  });
});

describe('text safety', () => {
  it('ellipsis never splits graphemes and control/bidi characters are removed', () => {
    const ctx = measureContext();
    ctx.font = font(15);
    for (const name of HARD_NAMES) {
      const clean = cleanLine(name, 200);
      expect(clean).not.toMatch(/[\u0000-\u001f\u202e\u202c]/);
      const cut = ellipsize(ctx, clean, 120);
      if (cut !== clean) {
        expect(cut.endsWith('…')).toBe(true);
        const body = cut.slice(0, -1);
        const g = graphemes(clean);
        // The kept part is a whole-grapheme prefix of the original.
        expect(g.slice(0, graphemes(body).length).join('').startsWith(body.trimEnd())).toBe(true);
      }
    }
    expect(graphemes('👩‍👩‍👧‍👦é')).toHaveLength(2);
  });
});

describe('cards: real pixels', () => {
  it('question card with inline formulas, both themes', async () => {
    for (const name of ['dark', 'light'] as const) {
      const img = renderQuestionCard(
        {
          topic: 'Gradients',
          level: 'L5',
          title: 'Vanishing gradients',
          prompt: 'For a layer $h_k = \\phi(W_k h_{k-1})$ the Jacobian is $\\operatorname{diag}(\\phi\'(z_k))\\,W_k$. Why does a **sigmoid** make this small?\n$$\\sigma\'(x) = \\sigma(x)(1-\\sigma(x)) \\le \\tfrac14$$',
          step: { index: 2, total: 3 },
          footer: 'Answer with /answer',
        },
        { theme: name },
      );
      const px = await decodePng(img.png);
      expect(px.width).toBe(1200);
      expect(px.height).toBeGreaterThan(300);
      expect(countColor(px, themes[name].background)).toBeGreaterThan(px.width * px.height * 0.5);
      expect(countColor(px, themes[name].text, 3)).toBeGreaterThan(2000);
      expect(countColor(px, themes[name].accent, 3)).toBeGreaterThan(500);
    }
  });

  it('a bad inline formula is a RenderError naming the formula', () => {
    expect(() => renderQuestionCard({ topic: 't', level: 'L4', prompt: 'ok $x$ then $\\foo$' }, { theme: 'dark' })).toThrow(
      /Formula 2: Undefined control sequence \\foo/,
    );
  });

  it('every drill kind has a valid question card that renders (a kind id longer than the level badge once broke /drill)', () => {
    for (const kind of drillKinds) {
      const spec = drillCard(kind.generate(7));
      expect(questionCardSpec.safeParse(spec).success, kind.id).toBe(true);
      expect(renderQuestionCard(questionCardSpec.parse(spec), { theme: 'dark' }).width).toBeGreaterThan(300);
    }
  });

  it('long text wraps instead of overflowing (taller, same width)', () => {
    const short = renderQuestionCard({ topic: 't', level: 'L4', prompt: 'Short.' }, { theme: 'dark' });
    const long = renderQuestionCard({ topic: 't', level: 'L4', prompt: 'word '.repeat(300) + 'x'.repeat(500) }, { theme: 'dark' });
    expect(long.width).toBe(short.width);
    expect(long.height).toBeGreaterThan(short.height * 3);
  });

  it('leaderboard with emoji, CJK, Arabic, combining marks, ZWJ and long names does not throw; caller highlighted', async () => {
    for (const name of ['dark', 'light'] as const) {
      const img = renderLeaderboard(
        {
          title: 'Leaderboard 🏆 本周',
          valueLabel: 'Points',
          rows: HARD_NAMES.map((n, i) => ({ rank: i + 1, name: n, value: 1000 - 50 * i })),
          caller: { rank: 57, name: '🙂 me, 自分', value: 12.5 },
          footnote: 'Resets Monday',
        },
        { theme: name },
      );
      const px = await decodePng(img.png);
      expect(px.width).toBe(1200);
      expect(countColor(px, themes[name].highlight, 2)).toBeGreaterThan(5000);
    }
  });

  it('draws CJK and Korean names with their real glyphs, not "missing glyph" boxes (fonts from npm, none from the system)', async () => {
    // Dark pixels a one-row leaderboard gains from the name: a missing glyph is a box of about
    // the same ink whatever the character; real glyphs differ (one stroke vs sixteen).
    const ink = async (name: string) => {
      return darkPixels(await decodePng(renderLeaderboard({ title: 'T', rows: [{ rank: 1, name, value: 1 }] }, { theme: 'light' }).png));
    };
    const base = await ink('x');
    const one = (await ink('一一一一一一')) - base;
    const dragon = (await ink('龍龍龍龍龍龍')) - base;
    expect(one).toBeGreaterThan(0);
    expect(dragon).toBeGreaterThan(3 * one);
    const hangulOne = (await ink('ㅡㅡㅡㅡㅡㅡ')) - base;
    const hangulMany = (await ink('뷁뷁뷁뷁뷁뷁')) - base;
    expect(hangulOne).toBeGreaterThan(0);
    expect(hangulMany).toBeGreaterThan(2 * hangulOne);
  });

  it('draws emoji in member names in colour (node-canvas drew them as grey glyphs)', async () => {
    // A rank without a medal, so the only colour a plain name's row has is the accent stripe.
    const colourful = async (name: string) => {
      return colourfulPixels(await decodePng(renderLeaderboard({ title: 'T', rows: [{ rank: 5, name, value: 1 }] }, { theme: 'light' }).png));
    };
    const plain = await colourful('fox fire');
    const emoji = await colourful('🦊🔥');
    // Two emoji at 15.5 px on a 2x canvas: about 2 x 30 x 30 pixels, most of them orange.
    expect(emoji - plain).toBeGreaterThan(800);
    const hex = (await colourful('🦊')) - plain;
    expect(hex).toBeGreaterThan(400);
  });

  it('leaderboard highlights the caller in place when in the top ten', async () => {
    const rows = Array.from({ length: 10 }, (_, i) => ({ rank: i + 1, name: `user ${i + 1}`, value: 100 - i }));
    const inPlace = renderLeaderboard({ title: 'Top', rows, caller: { rank: 3, name: 'user 3', value: 98 } }, { theme: 'dark' });
    const outside = renderLeaderboard({ title: 'Top', rows, caller: { rank: 30, name: 'me', value: 1 } }, { theme: 'dark' });
    expect(outside.height).toBeGreaterThan(inPlace.height);
    expect(countColor(await decodePng(inPlace.png), themes.dark.highlight, 2)).toBeGreaterThan(5000);
  });

  it('summary card and mastery chart', async () => {
    const summary = renderSummaryCard(
      {
        title: 'Session complete',
        rows: [{ label: 'Score', value: '3 / 4' }],
        steps: [
          { label: 'Root', accuracy: 1 },
          { label: 'Follow-up 1', accuracy: 0.2 },
        ],
      },
      { theme: 'light' },
    );
    const sp = await decodePng(summary.png);
    expect(countColor(sp, themes.light.good, 2)).toBeGreaterThan(1000);
    expect(countColor(sp, themes.light.bad, 2)).toBeGreaterThan(200);
    const mastery = renderMasteryChart(
      {
        stats: { due: 4, streak: 2, accuracy30d: null },
        topics: [
          { name: 'Gradients 🧠', mastery: 0.9, seen: 9, unseen: 1 },
          { name: 'データドリフト', mastery: 0.1, seen: 1, unseen: 20 },
        ],
      },
      { theme: 'dark' },
    );
    const mp = await decodePng(mastery.png);
    expect(countColor(mp, themes.dark.good, 2)).toBeGreaterThan(1000);
    expect(countColor(mp, themes.dark.surface, 2)).toBeGreaterThan(1000);
  });
});

describe('whiteboard', () => {
  it('numbered steps with authors; a bad step shows its message instead of failing', async () => {
    const img = renderWhiteboard(
      {
        title: 'Leaf weight',
        steps: [
          { tex: 'w_j^* = -\\frac{G_j}{H_j+\\lambda}', author: 'ada', note: 'set the derivative to zero' },
          { tex: '\\frac{1}{', author: '李小龍 👩‍👩‍👧‍👦' },
          { tex: 'x'.repeat(3000), author: 'long' },
        ],
      },
      { theme: 'dark' },
    );
    const px = await decodePng(img.png);
    expect(px.width).toBeGreaterThanOrEqual(1200);
    expect(countColor(px, themes.dark.bad, 3)).toBeGreaterThan(200);
    expect(countColor(px, themes.dark.accent, 3)).toBeGreaterThan(1000);
  });

  it('20 steps fit within the size limit (scale lowered if needed)', () => {
    const steps = Array.from({ length: 20 }, (_, i) => ({ tex: `\\sum_{k=1}^{${i + 1}} \\frac{k^2}{2^k}`, author: `p${i}` }));
    const img = renderWhiteboard({ title: 'Long board', steps }, { theme: 'light' });
    expect(img.height).toBeLessThanOrEqual(4000);
    expect(img.width).toBeLessThanOrEqual(4000);
  });

  it('a too-large formula on a board is shown as an error row, not thrown', () => {
    expect(() => renderWhiteboard({ title: 'x', steps: [{ tex: '\\rule{1em}{100000em}', author: 'a' }] }, { theme: 'dark' })).not.toThrow();
  });

  it('a question card with an absurdly tall formula is refused as too-large', () => {
    try {
      renderQuestionCard({ topic: 't', level: 'L4', prompt: 'see $\\rule{1em}{100000em}$' }, { theme: 'dark' });
      throw new Error('expected an error');
    } catch (err) {
      expect(err).toBeInstanceOf(RenderError);
      expect((err as RenderError).kind).toBe('too-large');
    }
  });
});
