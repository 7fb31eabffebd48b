/**
 * The figures numeric drills come with: bars, a reliability diagram, a 2×2 confusion matrix
 * and a ROC curve, in the house style of plots.ts (same fonts, grid, legend and themes).
 *
 * A figure is drawn for one of two moments: with the question (`solution: false`, the
 * default), when it must not give the answer away, or with the worked solution. Every string
 * a figure draws comes from `figureTexts`, a pure function, so a test can check what a member
 * will read on the image without OCR; `renderDrillFigure` also records the strings it actually
 * drew (after any ellipsis) to prove it draws nothing else.
 */
import type { Figure, ReliabilityBin } from '../drills/types.js';
import { RenderError } from './errors.js';
import { getTheme, type Theme, type ThemeName } from './theme.js';
import {
  cleanLine,
  ellipsize,
  fmt,
  font,
  measureContext,
  scaledCanvas,
  toRenderedImage,
  wrapText,
  type CanvasRenderingContext2D,
  type RenderedImage,
} from './draw.js';
import {
  LABEL_FONT,
  LEGEND_ROW,
  TICK_FONT,
  UNIT_TICKS,
  clipTo,
  drawAxes,
  drawDiagonal,
  drawLegend,
  drawRocArea,
  drawTitle,
  px,
  py,
  summarize,
  type LegendEntry,
  type Rect,
} from './plots.js';

export interface FigureOptions {
  theme: ThemeName;
  /** Drawn with the worked solution: it may state what was asked (the AUC of a ROC curve, the ECE). */
  solution?: boolean;
  /** Replaces the figure's own title. */
  title?: string;
  /** Device pixels per logical pixel (default 2). */
  scale?: number;
}

/** Every string a figure draws, by role. */
export interface FigureTexts {
  title: string;
  xLabel: string;
  yLabel: string;
  /** Axis tick labels. */
  ticks: string[];
  /** Category labels (bars), row and column headers (confusion), bin counts (reliability). */
  labels: string[];
  /** Numbers printed on the data: bar values, confusion-matrix counts. */
  values: string[];
  legend: string[];
}

/** The texts as one list (what a member can read on the image). */
export function allFigureTexts(t: FigureTexts): string[] {
  return [t.title, t.xLabel, t.yLabel, ...t.ticks, ...t.labels, ...t.values, ...t.legend].filter((s) => s !== '');
}

// ---- limits and validation ------------------------------------------------------------------

export const FIGURE_LIMITS = { rocPoints: 10_000, bars: 24, bins: 20, label: 60, title: 120 } as const;

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;

function refuse(message: string): never {
  throw new RenderError('invalid-input', `Invalid figure: ${message}`);
}

/** Checks a figure before it is queued (bad input is refused at once) and returns a plain copy of it. */
export function checkFigure(figure: unknown): Figure {
  if (!figure || typeof figure !== 'object') refuse('not an object');
  const f = figure as Record<string, unknown>;
  switch (f.type) {
    case 'roc': {
      const { labels, scores } = f;
      if (!Array.isArray(labels) || !Array.isArray(scores)) refuse('labels and scores must be lists');
      if (labels.length !== scores.length) refuse('labels and scores differ in length');
      if (labels.length === 0 || labels.length > FIGURE_LIMITS.rocPoints) refuse(`between 1 and ${FIGURE_LIMITS.rocPoints} points`);
      if (!labels.every((y) => y === 0 || y === 1)) refuse('labels must be 0 or 1');
      if (!scores.every(isFiniteNumber)) refuse('scores must be finite numbers');
      return { type: 'roc', labels: [...(labels as number[])], scores: [...(scores as number[])] };
    }
    case 'bars': {
      const { title, labels, values, xLabel, yLabel } = f;
      if (!isText(title, FIGURE_LIMITS.title)) refuse(`title must be text of at most ${FIGURE_LIMITS.title} characters`);
      if (!Array.isArray(labels) || !Array.isArray(values) || labels.length !== values.length) refuse('labels and values must be lists of one length');
      if (values.length === 0 || values.length > FIGURE_LIMITS.bars) refuse(`between 1 and ${FIGURE_LIMITS.bars} bars`);
      if (!labels.every((l) => isText(l, FIGURE_LIMITS.label))) refuse(`bar labels must be text of at most ${FIGURE_LIMITS.label} characters`);
      if (!values.every(isFiniteNumber)) refuse('bar values must be finite numbers');
      if (xLabel !== undefined && !isText(xLabel, FIGURE_LIMITS.label)) refuse('xLabel is too long');
      if (yLabel !== undefined && !isText(yLabel, FIGURE_LIMITS.label)) refuse('yLabel is too long');
      return {
        type: 'bars',
        title,
        labels: [...(labels as string[])],
        values: [...(values as number[])],
        ...(xLabel === undefined ? {} : { xLabel: xLabel as string }),
        ...(yLabel === undefined ? {} : { yLabel: yLabel as string }),
      };
    }
    case 'reliability': {
      const { bins } = f;
      if (!Array.isArray(bins) || bins.length === 0 || bins.length > FIGURE_LIMITS.bins) refuse(`between 1 and ${FIGURE_LIMITS.bins} bins`);
      const unit = (v: unknown) => isFiniteNumber(v) && v >= 0 && v <= 1;
      const out: ReliabilityBin[] = bins.map((b: unknown) => {
        const x = (b ?? {}) as Record<string, unknown>;
        if (!unit(x.lo) || !unit(x.hi) || !((x.lo as number) < (x.hi as number))) refuse('each bin needs 0 <= lo < hi <= 1');
        if (!unit(x.confidence) || !unit(x.accuracy)) refuse('confidence and accuracy must be between 0 and 1');
        if (!Number.isInteger(x.count) || (x.count as number) < 1) refuse('each bin holds at least one prediction');
        return { lo: x.lo as number, hi: x.hi as number, count: x.count as number, confidence: x.confidence as number, accuracy: x.accuracy as number };
      });
      return { type: 'reliability', bins: out };
    }
    case 'confusion': {
      const cells = [f.tp, f.fp, f.fn, f.tn];
      if (!cells.every((c) => Number.isInteger(c) && (c as number) >= 0 && (c as number) <= 1e9)) refuse('counts must be whole numbers from 0');
      return { type: 'confusion', tp: f.tp as number, fp: f.fp as number, fn: f.fn as number, tn: f.tn as number };
    }
    default:
      return refuse('unknown type');
  }
}

// ---- the texts --------------------------------------------------------------------------------

/** A number on a bar or an axis: at most `decimals` decimals, trailing zeros dropped, no "-0". */
export function figureNumber(v: number, decimals = 3): string {
  const s = fmt(v, decimals);
  const trimmed = s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
  return trimmed === '-0' ? '0' : trimmed;
}

/** Round tick positions covering [lo, hi] (lo <= 0 <= hi for bars), about five of them. */
export function niceTicks(lo: number, hi: number, integers = false): { values: number[]; step: number } {
  if (!(hi > lo)) hi = lo + 1;
  const raw = Math.max((hi - lo) / 4, integers ? 1 : 0);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw - 1e-12) ?? 10 * mag);
  const first = Math.floor(lo / step + 1e-9);
  const last = Math.ceil(hi / step - 1e-9);
  const values: number[] = [];
  for (let i = first; i <= last; i++) values.push(Number((i * step).toPrecision(12)));
  return { values, step };
}

function tickDecimals(step: number): number {
  return Math.max(0, Math.ceil(-Math.log10(step) - 1e-9) + (Math.abs(step / 10 ** Math.floor(Math.log10(step)) - 2.5) < 1e-9 ? 1 : 0));
}

function barScale(values: readonly number[]): { values: number[]; labels: string[]; lo: number; hi: number } {
  const lo = Math.min(0, ...values);
  const hi = Math.max(0, ...values);
  const t = niceTicks(lo, hi === lo ? lo + 1 : hi, values.every((v) => Number.isInteger(v)));
  const decimals = tickDecimals(t.step);
  return { values: t.values, labels: t.values.map((v) => figureNumber(v, decimals)), lo: t.values[0]!, hi: t.values.at(-1)! };
}

/** Expected calibration error of a reliability diagram's bins (count-weighted mean gap). */
export function eceOf(bins: readonly ReliabilityBin[]): number {
  const total = bins.reduce((n, b) => n + b.count, 0);
  return bins.reduce((s, b) => s + (b.count / total) * Math.abs(b.accuracy - b.confidence), 0);
}

const CONFUSION_HEADERS = ['Predicted +', 'Predicted −', 'Actual +', 'Actual −'];
const CONFUSION_NAMES = ['TP', 'FN', 'FP', 'TN'];

/** Every string the figure will draw, for the moment it is drawn for. Pure. */
export function figureTexts(figure: Figure, options: { solution?: boolean; title?: string } = {}): FigureTexts {
  const solution = options.solution === true;
  const title = (fallback: string) => cleanLine(options.title ?? fallback, FIGURE_LIMITS.title);
  switch (figure.type) {
    case 'roc': {
      // Before the answer the curve is only a shape: no AUC, not even the chance line's 0.5.
      let legend = ['ROC curve', 'Chance'];
      if (solution) {
        const { s } = summarize(figure.labels, figure.scores, undefined);
        legend = [`ROC (AUC = ${fmt(s.auc)})`, 'Chance (AUC = 0.5)'];
      }
      return { title: title('ROC curve'), xLabel: 'False positive rate', yLabel: 'True positive rate', ticks: [...UNIT_TICKS], labels: [], values: [], legend };
    }
    case 'bars': {
      const scale = barScale(figure.values);
      return {
        title: title(figure.title),
        xLabel: cleanLine(figure.xLabel ?? '', FIGURE_LIMITS.label),
        yLabel: cleanLine(figure.yLabel ?? '', FIGURE_LIMITS.label),
        ticks: scale.labels,
        labels: figure.labels.map((l) => cleanLine(l, FIGURE_LIMITS.label)),
        values: figure.values.map((v) => figureNumber(v)),
        legend: [],
      };
    }
    case 'reliability': {
      const legend = ['Accuracy per bin', 'Gap to mean confidence', 'Perfect calibration'];
      if (solution) legend.push(`ECE = ${fmt(eceOf(figure.bins))}`);
      return {
        title: title('Reliability diagram'),
        xLabel: 'Confidence',
        yLabel: 'Accuracy',
        ticks: [...UNIT_TICKS],
        labels: figure.bins.map((b) => `n=${b.count}`),
        values: [],
        legend,
      };
    }
    case 'confusion': {
      const { tp, fn, fp, tn } = figure;
      return {
        title: title('Confusion matrix'),
        xLabel: '',
        yLabel: '',
        ticks: [],
        labels: [...CONFUSION_HEADERS, ...CONFUSION_NAMES],
        values: [tp, fn, fp, tn].map((n) => String(n)),
        legend: [],
      };
    }
  }
}

// ---- drawing ----------------------------------------------------------------------------------

export interface FigureImage extends RenderedImage {
  /** The strings drawn on the image, in drawing order, as drawn (ellipsized or wrapped pieces included). */
  drawn: string[];
}

/** A context that forwards everything to `ctx` and records the text it is asked to fill. */
function recording(ctx: CanvasRenderingContext2D, drawn: string[]): CanvasRenderingContext2D {
  return new Proxy(ctx, {
    get(target, key) {
      if (key === 'fillText' || key === 'strokeText') {
        return (text: string, ...rest: [number, number, number?]) => {
          drawn.push(text);
          return key === 'fillText' ? target.fillText(text, ...rest) : target.strokeText(text, ...rest);
        };
      }
      const v = Reflect.get(target, key, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
    set(target, key, value) {
      return Reflect.set(target, key, value, target);
    },
  });
}

const WIDTH = 520;
const TITLE_Y = 26;
const VALUE_FONT = 11.5;
const CATEGORY_FONT = 11.5;

/** Draws a drill figure (throws RenderError on bad input). Runs inside a render worker. */
export function renderDrillFigure(input: Figure, options: FigureOptions): FigureImage {
  const figure = checkFigure(input);
  const theme = getTheme(options.theme);
  const texts = figureTexts(figure, options);
  const scale = options.scale ?? 2;
  const drawn: string[] = [];
  switch (figure.type) {
    case 'roc':
      return drawRoc(figure, texts, theme, scale, drawn);
    case 'bars':
      return drawBars(figure, texts, theme, scale, drawn);
    case 'reliability':
      return drawReliability(figure, texts, theme, scale, drawn);
    case 'confusion':
      return drawConfusion(figure, texts, theme, scale, drawn);
  }
}

function canvasFor(width: number, height: number, scale: number, theme: Theme, drawn: string[]) {
  const c = scaledCanvas(width, height, scale, theme.background);
  return { canvas: c.canvas, ctx: recording(c.ctx, drawn) };
}

function legendEntries(texts: FigureTexts, kinds: Omit<LegendEntry, 'label'>[]): LegendEntry[] {
  return texts.legend.map((label, i) => ({ label, ...(kinds[i] ?? { color: 'transparent', kind: 'box' }) }));
}

// Square plots (ROC, reliability): the geometry of plots.ts's single panel.
const SQ_LEFT = 58;
const SQ_RIGHT = 24;
const SQ_TOP = 40;
const SQ_SIDE = 300;
const AXIS_BELOW = 44;
const LEGEND_GAP = 8;

function squareLayout(legendRows: number) {
  const width = SQ_LEFT + SQ_SIDE + SQ_RIGHT;
  const height = SQ_TOP + SQ_SIDE + AXIS_BELOW + LEGEND_GAP + legendRows * LEGEND_ROW + 10;
  const r: Rect = { x: SQ_LEFT, y: SQ_TOP, w: SQ_SIDE, h: SQ_SIDE };
  return { width, height, r, legendY: r.y + r.h + AXIS_BELOW + LEGEND_GAP };
}

function drawRoc(figure: Extract<Figure, { type: 'roc' }>, texts: FigureTexts, theme: Theme, scale: number, drawn: string[]): FigureImage {
  const { s } = summarize(figure.labels, figure.scores, undefined);
  const { width, height, r, legendY } = squareLayout(texts.legend.length);
  const { canvas, ctx } = canvasFor(width, height, scale, theme, drawn);
  drawTitle(ctx, theme, texts.title, 14, TITLE_Y, width - 28);
  drawRocArea(ctx, theme, r, s, undefined, scale);
  drawLegend(ctx, legendEntries(texts, [{ color: theme.accent, kind: 'line' }, { color: theme.axis, kind: 'dash' }]), r.x, legendY, r.w, theme);
  return { ...toRenderedImage(canvas), drawn };
}

function drawReliability(figure: Extract<Figure, { type: 'reliability' }>, texts: FigureTexts, theme: Theme, scale: number, drawn: string[]): FigureImage {
  const { width, height, r, legendY } = squareLayout(texts.legend.length);
  const { canvas, ctx } = canvasFor(width, height, scale, theme, drawn);
  drawTitle(ctx, theme, texts.title, 14, TITLE_Y, width - 28);
  drawAxes(ctx, theme, r, texts.xLabel, texts.yLabel);
  ctx.save();
  clipTo(ctx, r);
  figure.bins.forEach((b, i) => {
    const x0 = px(r, b.lo) + 2;
    const x1 = px(r, b.hi) - 2;
    // Accuracy: a solid bar from 0.
    ctx.globalAlpha = 0.55;
    ctx.fillStyle = theme.accent;
    ctx.fillRect(x0, py(r, b.accuracy), x1 - x0, py(r, 0) - py(r, b.accuracy));
    // The gap between accuracy and mean confidence, in the "bad" colour.
    ctx.globalAlpha = 0.35;
    ctx.fillStyle = theme.bad;
    const top = Math.max(b.accuracy, b.confidence);
    const bottom = Math.min(b.accuracy, b.confidence);
    ctx.fillRect(x0, py(r, top), x1 - x0, py(r, bottom) - py(r, top));
    ctx.globalAlpha = 1;
    ctx.strokeStyle = theme.bad;
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(x0, py(r, b.confidence));
    ctx.lineTo(x1, py(r, b.confidence));
    ctx.stroke();
    // How many predictions the bin holds, above the bar.
    ctx.fillStyle = theme.muted;
    ctx.font = font(VALUE_FONT);
    ctx.textAlign = 'center';
    ctx.textBaseline = 'bottom';
    const label = ellipsize(ctx, texts.labels[i] ?? '', x1 - x0 + 4);
    ctx.fillText(label, (x0 + x1) / 2, Math.max(r.y + 14, py(r, top) - 3));
  });
  // Perfect calibration: the diagonal.
  drawDiagonal(ctx, theme, r);
  ctx.restore();
  drawLegend(
    ctx,
    legendEntries(texts, [
      { color: theme.accent, kind: 'box' },
      { color: theme.bad, kind: 'box' },
      { color: theme.axis, kind: 'dash' },
      { color: theme.background, kind: 'box' },
    ]),
    r.x,
    legendY,
    r.w,
    theme,
  );
  return { ...toRenderedImage(canvas), drawn };
}

function drawBars(figure: Extract<Figure, { type: 'bars' }>, texts: FigureTexts, theme: Theme, scale: number, drawn: string[]): FigureImage {
  const n = figure.values.length;
  const left = texts.yLabel ? 70 : 52;
  const right = 20;
  const top = 48;
  const plotH = 220;
  const plotW = WIDTH - left - right;
  const slot = plotW / n;
  // Category labels wrap onto at most two lines under their bar.
  const measure = measureContext();
  measure.font = font(CATEGORY_FONT);
  const categoryLines = texts.labels.map((l) => wrapText(measure, l.replace(/ \(/, '\n('), slot - 4, 2).filter((s) => s !== ''));
  const lineRows = Math.max(1, ...categoryLines.map((ls) => ls.length));
  const below = 8 + lineRows * 14 + (texts.xLabel ? 22 : 4);
  const height = top + plotH + below + 10;
  const { canvas, ctx } = canvasFor(WIDTH, height, scale, theme, drawn);
  drawTitle(ctx, theme, texts.title, 14, TITLE_Y, WIDTH - 28);

  const scaleY = barScale(figure.values);
  const y = (v: number) => top + ((scaleY.hi - v) / (scaleY.hi - scaleY.lo)) * plotH;
  // Grid and ticks.
  ctx.lineWidth = 1;
  ctx.font = font(TICK_FONT);
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  scaleY.values.forEach((v, i) => {
    ctx.strokeStyle = theme.grid;
    ctx.beginPath();
    ctx.moveTo(left, y(v));
    ctx.lineTo(left + plotW, y(v));
    ctx.stroke();
    ctx.fillStyle = theme.muted;
    ctx.fillText(texts.ticks[i] ?? '', left - 6, y(v));
  });
  // Bars, with their value above (below for negative values).
  figure.values.forEach((v, i) => {
    const x0 = left + i * slot + slot * 0.18;
    const w = slot * 0.64;
    ctx.fillStyle = v < 0 ? theme.accent2 : theme.accent;
    const y0 = y(Math.max(0, v));
    const y1 = y(Math.min(0, v));
    ctx.fillRect(x0, y0, w, Math.max(1, y1 - y0));
    ctx.fillStyle = theme.text;
    ctx.font = font(VALUE_FONT, 'bold');
    ctx.textAlign = 'center';
    ctx.textBaseline = v < 0 ? 'top' : 'bottom';
    ctx.fillText(ellipsize(ctx, texts.values[i] ?? '', slot), x0 + w / 2, v < 0 ? y1 + 3 : y0 - 3);
  });
  // The zero line and the frame's left edge.
  ctx.strokeStyle = theme.axis;
  ctx.lineWidth = 1.2;
  ctx.beginPath();
  ctx.moveTo(left, y(0));
  ctx.lineTo(left + plotW, y(0));
  ctx.moveTo(left, top);
  ctx.lineTo(left, top + plotH);
  ctx.stroke();
  // Category labels.
  ctx.fillStyle = theme.text;
  ctx.font = font(CATEGORY_FONT);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  categoryLines.forEach((lines, i) => lines.forEach((line, k) => ctx.fillText(line, left + (i + 0.5) * slot, top + plotH + 8 + k * 14)));
  // Axis labels.
  ctx.font = font(LABEL_FONT);
  if (texts.xLabel) ctx.fillText(ellipsize(ctx, texts.xLabel, plotW), left + plotW / 2, top + plotH + 8 + lineRows * 14 + 4);
  if (texts.yLabel) {
    ctx.save();
    ctx.translate(left - 44, top + plotH / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textBaseline = 'bottom';
    ctx.fillText(ellipsize(ctx, texts.yLabel, plotH), 0, 0);
    ctx.restore();
  }
  return { ...toRenderedImage(canvas), drawn };
}

function drawConfusion(figure: Extract<Figure, { type: 'confusion' }>, texts: FigureTexts, theme: Theme, scale: number, drawn: string[]): FigureImage {
  const width = 440;
  const headW = 96;
  const top = 50;
  const headH = 28;
  const cell = (width - headW - 28) / 2;
  const cellH = 96;
  const height = top + headH + 2 * cellH + 20;
  const { canvas, ctx } = canvasFor(width, height, scale, theme, drawn);
  drawTitle(ctx, theme, texts.title, 14, TITLE_Y, width - 28);
  const x0 = 14 + headW;
  const y0 = top + headH;
  const [predPos, predNeg, actPos, actNeg] = texts.labels;
  ctx.fillStyle = theme.muted;
  ctx.font = font(LABEL_FONT, 'bold');
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(predPos ?? '', x0 + cell / 2, top + headH / 2);
  ctx.fillText(predNeg ?? '', x0 + cell * 1.5, top + headH / 2);
  ctx.textAlign = 'left';
  ctx.fillText(actPos ?? '', 14, y0 + cellH / 2);
  ctx.fillText(actNeg ?? '', 14, y0 + cellH * 1.5);
  const counts = [figure.tp, figure.fn, figure.fp, figure.tn];
  const max = Math.max(1, ...counts);
  counts.forEach((count, i) => {
    const cx = x0 + (i % 2) * cell;
    const cy = y0 + Math.floor(i / 2) * cellH;
    const right = i === 0 || i === 3;
    ctx.fillStyle = theme.surface;
    ctx.fillRect(cx + 2, cy + 2, cell - 4, cellH - 4);
    ctx.globalAlpha = 0.15 + 0.55 * (count / max);
    ctx.fillStyle = right ? theme.accent : theme.accent2;
    ctx.fillRect(cx + 2, cy + 2, cell - 4, cellH - 4);
    ctx.globalAlpha = 1;
    ctx.fillStyle = theme.text;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.font = font(26, 'bold');
    ctx.fillText(texts.values[i] ?? '', cx + cell / 2, cy + cellH / 2 - 6);
    ctx.font = font(LABEL_FONT);
    ctx.fillStyle = theme.muted;
    ctx.fillText(texts.labels[4 + i] ?? '', cx + cell / 2, cy + cellH / 2 + 22);
  });
  return { ...toRenderedImage(canvas), drawn };
}
