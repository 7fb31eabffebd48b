/**
 * The whole bank and every drill kind through the pipeline members see: readable() over every
 * text (question, options, explanation, model answer, key points, what was tested, drill
 * question and worked solution), then cut to Discord's limits. 0 raw TeX, every formula left
 * for an image accepted by the renderer (and drawn, for a sample), 0 words cut or lost.
 */
import { describe, expect, it } from 'vitest';
import { loadBank } from '../../../src/bank/load.js';
import { drillKinds } from '../../../src/drills/index.js';
import { clip, paginate } from '../../../src/platform/discord/text.js';
import { checkTex } from '../../../src/render/limits.js';
import { readable, segments, texAltText } from '../../../src/render/readable.js';
import { renderTex, texToBox, warmUpTex } from '../../../src/render/tex.js';
import { themes } from '../../../src/render/theme.js';
import { findMidWordCuts, findRawTex } from '../../support/visible-text.js';
import { countColor, decodePng, distinctColors } from '../render/pixels.js';

const SEEDS_PER_KIND = 50;

interface Source {
  where: string;
  text: string;
}

const bank = loadBank();
const sources: Source[] = [];
for (const t of bank.topics) sources.push({ where: `${t.id}: title`, text: t.title }, { where: `${t.id}: summary`, text: t.summary });
for (const c of bank.chains) sources.push({ where: `${c.id}: title`, text: c.title });
for (const p of bank.prompts) {
  const at = `${p.topic}.yaml > ${p.chainId} > ${p.id}`;
  sources.push(
    { where: `${at}: question`, text: p.question },
    { where: `${at}: testing`, text: p.testing },
    { where: `${at}: answer`, text: p.answer },
    { where: `${at}: choice.correct`, text: p.choice.correct },
    ...p.choice.distractors.map((d, i) => ({ where: `${at}: choice.distractors.${i}`, text: d })),
    { where: `${at}: choice.explanation`, text: p.choice.explanation },
    ...p.keyPoints.map((k, i) => ({ where: `${at}: keyPoints.${i}`, text: k.point })),
    ...(p.formulas ?? []).flatMap((f, i) => (f.caption ? [{ where: `${at}: formulas.${i}.caption`, text: f.caption }] : [])),
  );
}
for (const kind of drillKinds) {
  for (let seed = 0; seed < SEEDS_PER_KIND; seed++) {
    const d = kind.generate(seed);
    sources.push(
      { where: `drill ${kind.id} #${seed}: title`, text: d.title },
      { where: `drill ${kind.id} #${seed}: question`, text: d.question },
      { where: `drill ${kind.id} #${seed}: solution`, text: d.solution },
    );
  }
}

const results = sources.map((s) => ({ ...s, ...readable(s.text) }));
/** Formulas the bank asks to draw: those readable() leaves for images plus each prompt's `formulas`. */
const images = [...new Set([...results.flatMap((r) => r.formulas), ...bank.prompts.flatMap((p) => (p.formulas ?? []).map((f) => f.tex))])];

const words = (s: string) => s.split(/\s+/).filter(Boolean);

describe('every bank and drill text, made readable', () => {
  it('covers the bank and every drill kind', () => {
    expect(bank.prompts.length).toBeGreaterThanOrEqual(220);
    expect(sources.length).toBeGreaterThan(bank.prompts.length * 10 + drillKinds.length * SEEDS_PER_KIND * 2);
    // The pipeline has work to do: most texts' inline maths becomes Unicode, the rest images.
    const inline = sources.flatMap((s) => segments(s.text)).filter((g) => g.kind === 'inline').length;
    const inlineImages = results.reduce((n, r) => n + r.formulas.length, 0) - sources.flatMap((s) => segments(s.text)).filter((g) => g.kind === 'display').length;
    expect(inline).toBeGreaterThan(5000);
    expect(inlineImages).toBeLessThan(inline * 0.05);
  });

  it('has no raw TeX left in any text', () => {
    const hits = results.flatMap((r) => findRawTex(r.text).map((h) => `${r.where}: ${h.kind}: ${h.fragment}`));
    expect(hits).toEqual([]);
  });

  it('has no raw TeX in plain text either (button labels, option lists, thread names)', () => {
    const hits = sources.flatMap((s) => findRawTex(readable(s.text, { plain: true }).text).map((h) => `${s.where}: ${h.kind}: ${h.fragment}`));
    expect(hits).toEqual([]);
  });

  it('refers to every image it leaves, in order', () => {
    for (const r of results) {
      const refs = [...r.text.matchAll(/\(formula (\d+) below\)/g)].map((m) => Number(m[1]));
      expect(refs, r.where).toEqual(r.formulas.map((_, i) => i + 1));
    }
  });

  it('leaves only formulas the renderer accepts, with alt text that has no TeX', () => {
    const refused: string[] = [];
    for (const tex of images) {
      try {
        checkTex(tex);
      } catch (err) {
        refused.push(`${(err as Error).message}: ${tex.slice(0, 80)}`);
      }
      const alt = texAltText(tex);
      expect(alt, tex).not.toMatch(/\\/);
      expect(alt.length, tex).toBeGreaterThan(0);
    }
    expect(refused).toEqual([]);
  });

  it('leaves only formulas MathJax parses, and a sample of them draws', async () => {
    warmUpTex();
    const failed: string[] = [];
    for (const tex of images) {
      try {
        texToBox(tex, { display: true, color: '#000000' });
      } catch (err) {
        failed.push(`${(err as Error).message}: ${tex.slice(0, 80)}`);
      }
    }
    expect(failed).toEqual([]);
    // Real pixels for a spread of them: the drill tables, the bank's displays, an inline formula too long for text.
    const sample = [images.find((t) => t.startsWith('\\begin{array}'))!, ...images.filter((_, i) => i % Math.ceil(images.length / 5) === 0)];
    for (const tex of sample) {
      const img = renderTex(tex, { theme: 'dark' });
      const px = await decodePng(img.png);
      expect(px.width, tex).toBeGreaterThan(40);
      expect(distinctColors(px), tex).toBeGreaterThan(5); // text drawn, not a blank background
      expect(countColor(px, themes.dark.background), tex).toBeGreaterThan(px.width * px.height * 0.3);
    }
  }, 60_000);
});

describe('every bank and drill text, cut to Discord’s limits', () => {
  const long = results.filter((r) => r.text.length > 200);

  it('has long texts to cut', () => {
    expect(long.length).toBeGreaterThan(500);
    expect(Math.max(...results.map((r) => r.text.length))).toBeGreaterThan(1024);
  });

  it('paginates without cutting or losing a word (a whole message, a field, a short card)', () => {
    for (const limit of [4000, 1024, 300]) {
      for (const r of long) {
        const pages = paginate(r.text, limit);
        for (const p of pages) {
          expect(p.length, r.where).toBeLessThanOrEqual(limit);
          expect(findMidWordCuts(p), `${r.where} at ${limit}`).toEqual([]);
        }
        expect(words(pages.join('\n')), `${r.where} at ${limit}`).toEqual(words(r.text));
      }
    }
  });

  it('clips to a preview with whole words only, the kept words those the text starts with', () => {
    for (const limit of [1024, 200, 60]) {
      for (const r of long) {
        const out = clip(r.text, limit);
        expect(out.length).toBeLessThanOrEqual(limit);
        expect(findMidWordCuts(out), `${r.where} at ${limit}`).toEqual([]);
        const kept = words(out.replace(/ …$/, ''));
        expect(kept, `${r.where} at ${limit}`).toEqual(words(r.text).slice(0, kept.length));
      }
    }
  });
});
