/**
 * Which engine should draw MathJax's SVG: Skia's own SVG renderer (@napi-rs/canvas `Image`,
 * what src/render/tex.ts uses) or @resvg/resvg-js? `npm run bench:rasterizers` draws every
 * formula of the bank (each `formulas` entry and every `$...$` in questions, answers and
 * options) with both, onto a themed canvas as a card does, and prints one JSON object:
 * time per formula for each, and how far their pixels differ (alpha, per formula). Both get
 * the same SVG: the one texToBox makes, with the text MathJax has no glyphs for already taken
 * out (the renderer draws that with canvas fillText either way).
 */
import { Image, ImageData, createCanvas } from '@napi-rs/canvas';
import { Resvg } from '@resvg/resvg-js';
import { loadBank } from '../src/bank/load.js';
import { splitMath } from '../src/render/richtext.js';
import { boxPixelSize, texToBox, warmUpTex } from '../src/render/tex.js';
import { pct } from './support.js';

const EM_PX = 40; // the bot's formula size: 20 px per em at 2x

const bank = loadBank();
const formulas: { tex: string; display: boolean; where: string }[] = [];
for (const p of bank.prompts) {
  p.formulas?.forEach((f) => formulas.push({ tex: f.tex, display: true, where: p.id }));
  for (const text of [p.question, p.answer, p.choice.correct, p.choice.explanation, ...p.choice.distractors]) {
    for (const seg of splitMath(text)) if (seg.kind !== 'text') formulas.push({ tex: seg.tex, display: seg.kind === 'display', where: p.id });
  }
}
warmUpTex();
const svgs = formulas.map((f) => {
  const box = texToBox(f.tex, { display: f.display, color: '#dbdee1' });
  const { width, height } = boxPixelSize(box, EM_PX);
  return { ...f, width, height, svg: box.markup.replace('{{W}}', `${width}px`).replace('{{H}}', `${height}px`) };
});

type Item = (typeof svgs)[number];
/** Each engine draws the formula onto a fresh dark canvas and returns its pixels. */
const engines: Record<string, (s: Item) => Uint8ClampedArray> = {
  skiaImage(s) {
    const canvas = createCanvas(s.width, s.height);
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#313338';
    ctx.fillRect(0, 0, s.width, s.height);
    const img = new Image();
    img.src = Buffer.from(s.svg);
    ctx.drawImage(img, 0, 0, s.width, s.height);
    return ctx.getImageData(0, 0, s.width, s.height).data;
  },
  resvg(s) {
    const canvas = createCanvas(s.width, s.height);
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#313338';
    ctx.fillRect(0, 0, s.width, s.height);
    const r = new Resvg(s.svg, { fitTo: { mode: 'width', value: s.width }, font: { loadSystemFonts: false } }).render();
    // resvg gives a premultiplied RGBA pixmap; ImageData is straight alpha, and drawing it
    // over the background needs a canvas of its own.
    const px = new Uint8ClampedArray(r.pixels.buffer, r.pixels.byteOffset, r.pixels.length);
    for (let i = 0; i < px.length; i += 4) {
      const a = px[i + 3]!;
      if (a > 0 && a < 255) {
        px[i] = (px[i]! * 255) / a;
        px[i + 1] = (px[i + 1]! * 255) / a;
        px[i + 2] = (px[i + 2]! * 255) / a;
      }
    }
    const layer = createCanvas(r.width, r.height);
    layer.getContext('2d').putImageData(new ImageData(px, r.width, r.height), 0, 0);
    ctx.drawImage(layer, 0, 0);
    return ctx.getImageData(0, 0, s.width, s.height).data;
  },
};

const timings: Record<string, number[]> = { skiaImage: [], resvg: [] };
const pixels: Record<string, Uint8ClampedArray[]> = { skiaImage: [], resvg: [] };
// Two rounds, alternating engines; the second is timed.
for (let round = 0; round < 2; round++) {
  for (const s of svgs) {
    for (const name of round === 0 ? ['skiaImage', 'resvg'] : ['resvg', 'skiaImage']) {
      const t0 = performance.now();
      const px = engines[name]!(s);
      const ms = performance.now() - t0;
      if (round === 1) {
        timings[name]!.push(ms);
        pixels[name]!.push(px);
      }
    }
  }
}

/** Mean absolute difference in luminance, as a share of the formula's own ink. */
function difference(a: Uint8ClampedArray, b: Uint8ClampedArray): number {
  let diff = 0;
  let ink = 0;
  for (let i = 0; i < a.length; i += 4) {
    const la = a[i]! + a[i + 1]! + a[i + 2]!;
    const lb = b[i]! + b[i + 1]! + b[i + 2]!;
    diff += Math.abs(la - lb);
    ink += Math.max(la, lb) - 3 * 0x33;
  }
  return ink > 0 ? diff / ink : 0;
}
const diffs = svgs.map((s, i) => ({ where: s.where, tex: s.tex.slice(0, 100), diff: Number(difference(pixels.skiaImage![i]!, pixels.resvg![i]!).toFixed(3)) }));
diffs.sort((x, y) => y.diff - x.diff);
const summary = (xs: number[]) => ({ p50: pct(xs, 50), p99: pct(xs, 99), max: pct(xs, 100), totalMs: Math.round(xs.reduce((a, b) => a + b, 0)) });
console.log(
  JSON.stringify(
    {
      formulas: svgs.length,
      emPx: EM_PX,
      msPerFormula: { skiaImage: summary(timings.skiaImage!), resvg: summary(timings.resvg!) },
      pixelDifference: {
        note: 'luminance difference between the two as a share of the formula ink; 0 = identical',
        p50: pct(diffs.map((d) => d.diff), 50),
        p99: pct(diffs.map((d) => d.diff), 99),
        over10Percent: diffs.filter((d) => d.diff > 0.1).length,
        worst: diffs.slice(0, 5),
      },
    },
    null,
    2,
  ),
);
