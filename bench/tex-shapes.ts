/**
 * Formulas drawn straight onto the canvas from their shapes (src/render/tex.ts, the default
 * for every formula that uses only glyphs, rules, bars and solid table lines) against Skia's
 * SVG renderer drawing the same MathJax SVG (the fallback). `npm run bench:tex-shapes` draws
 * every formula of the bank both ways, on a dark canvas at the bot's size, and prints one
 * JSON object: how many take each path, time per formula for each, and how far the pixels
 * differ (share of pixels off by more than 16 levels in a channel, ink difference).
 */
import { createCanvas } from '@napi-rs/canvas';
import { loadBank } from '../src/bank/load.js';
import { splitMath } from '../src/render/richtext.js';
import { boxPixelSize, drawBox, texToBox, warmUpTex, type TexBox } from '../src/render/tex.js';

const EM_PX = 40; // the bot's formula size: 20 px per em at 2x

const bank = loadBank();
const formulas: { tex: string; display: boolean }[] = [];
for (const p of bank.prompts) {
  p.formulas?.forEach((f) => formulas.push({ tex: f.tex, display: true }));
  for (const text of [p.question, p.answer, p.choice.correct, p.choice.explanation, ...p.choice.distractors]) {
    for (const seg of splitMath(text)) if (seg.kind !== 'text') formulas.push({ tex: seg.tex, display: seg.kind === 'display' });
  }
}
warmUpTex();

function draw(box: TexBox): { px: Uint8ClampedArray; ms: number } {
  const t0 = performance.now();
  const { width, height } = boxPixelSize(box, EM_PX);
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#313338';
  ctx.fillRect(0, 0, width, height);
  drawBox(ctx, box, 0, 0, EM_PX, 1);
  const ms = performance.now() - t0;
  return { px: ctx.getImageData(0, 0, width, height).data, ms };
}

const round = (v: number, d = 3) => Math.round(v * 10 ** d) / 10 ** d;
let shapesMs = 0;
let svgMs = 0;
const compared: { tex: string; differ: number; ink: number }[] = [];
const fallback: string[] = [];
for (const f of formulas) {
  const box = texToBox(f.tex, { display: f.display, color: '#dbdee1' });
  if (!box.shapes) {
    fallback.push(f.tex);
    continue;
  }
  const a = draw(box);
  const b = draw({ ...box, shapes: undefined });
  shapesMs += a.ms;
  svgMs += b.ms;
  let differ = 0;
  let inkA = 0;
  let inkB = 0;
  for (let i = 0; i < a.px.length; i += 4) {
    if (Math.max(Math.abs(a.px[i]! - b.px[i]!), Math.abs(a.px[i + 1]! - b.px[i + 1]!), Math.abs(a.px[i + 2]! - b.px[i + 2]!)) > 16) differ++;
    inkA += a.px[i]! - 0x31;
    inkB += b.px[i]! - 0x31;
  }
  compared.push({ tex: f.tex, differ: differ / (a.px.length / 4), ink: inkB > 0 ? (inkA - inkB) / inkB : 0 });
}
compared.sort((x, y) => y.differ - x.differ);
const n = compared.length;
console.log(
  JSON.stringify(
    {
      formulas: formulas.length,
      drawnFromShapes: n,
      svgFallback: fallback.length,
      fallbackExamples: fallback.slice(0, 5),
      msPerFormula: { shapes: round(shapesMs / n), svg: round(svgMs / n) },
      pixelsDiffering: { median: round(compared[Math.floor(n / 2)]!.differ, 5), max: round(compared[0]!.differ, 5), worst: compared[0]!.tex },
      inkDifferenceMax: round(Math.max(...compared.map((c) => Math.abs(c.ink))), 5),
    },
    null,
    2,
  ),
);
