/**
 * ROC and precision-recall plots drawn with the canvas API (Skia).
 *
 * Layout is in logical pixels sized for Discord (~500-600 px wide) and drawn at ~2x.
 * Metrics are computed on the full data; only the drawn polyline is thinned (sub-pixel
 * moves dropped), so 100,000 points draw fast and AUC/AP are unchanged.
 */
import {
  MetricsInputError,
  binarySummary,
  operatingPoint,
  thinCurve,
  type BinarySummary,
  type Labels,
  type OperatingPoint,
} from '../metrics/curves.js';
import { RenderError } from './errors.js';
import { MAX_PLOT_POINTS, formatInt } from './limits.js';
import { getTheme, type Theme, type ThemeName } from './theme.js';
import { cleanLine, ellipsize, fmt, font, scaledCanvas, toRenderedImage, type CanvasRenderingContext2D, type RenderedImage } from './draw.js';

export { MAX_PLOT_POINTS };

export interface CurvePlotOptions {
  theme: ThemeName;
  /** Mark the operating point for predicting positive when score >= threshold. */
  threshold?: number;
  /** Replaces the default title. */
  title?: string;
  /** Device pixels per logical pixel (default 1.8 for the two-panel image, 2 otherwise). */
  scale?: number;
}

export interface CurveMetrics {
  auc: number;
  averagePrecision: number;
  prevalence: number;
  n: number;
  positives: number;
  operatingPoint?: OperatingPoint;
}

export interface CurveImage extends RenderedImage {
  metrics: CurveMetrics;
}



export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface LegendEntry {
  label: string;
  color: string;
  kind: 'line' | 'dash' | 'marker' | 'box';
}

export const TITLE_FONT = 15;
export const TICK_FONT = 12;
export const LABEL_FONT = 13;
const LEGEND_FONT = 12.5;
export const LEGEND_ROW = 19;

function withMetricsErrors<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof MetricsInputError) throw new RenderError('invalid-input', err.message);
    throw err;
  }
}

function checkPlotInput(labels: Labels, scores: ArrayLike<number>): void {
  if (labels && typeof labels.length === 'number' && labels.length > MAX_PLOT_POINTS) {
    throw new RenderError('invalid-input', `Too many points to plot (${formatInt(labels.length)}; the limit is ${formatInt(MAX_PLOT_POINTS)})`);
  }
  if (scores && typeof scores.length === 'number' && scores.length > MAX_PLOT_POINTS) {
    throw new RenderError('invalid-input', `Too many points to plot (limit ${formatInt(MAX_PLOT_POINTS)})`);
  }
}

function checkThreshold(threshold: number | undefined): void {
  if (threshold !== undefined && (typeof threshold !== 'number' || !Number.isFinite(threshold))) {
    throw new RenderError('invalid-input', 'The threshold must be a finite number');
  }
}

export const px = (r: Rect, x: number) => r.x + x * r.w;
export const py = (r: Rect, y: number) => r.y + (1 - y) * r.h;

/** The tick labels of a unit axis (0.0, 0.2, ..., 1.0), as drawAxes writes them. */
export const UNIT_TICKS: readonly string[] = [0, 1, 2, 3, 4, 5].map((i) => fmt(i / 5, 1));

/** Grid, frame, ticks at 0, 0.2, ..., 1 and axis labels around a unit-square plot area. */
export function drawAxes(ctx: CanvasRenderingContext2D, theme: Theme, r: Rect, xLabel: string, yLabel: string, yTicks = true): void {
  ctx.save();
  ctx.lineWidth = 1;
  ctx.strokeStyle = theme.grid;
  for (let i = 0; i <= 5; i++) {
    const t = i / 5;
    ctx.beginPath();
    ctx.moveTo(px(r, t), r.y);
    ctx.lineTo(px(r, t), r.y + r.h);
    ctx.moveTo(r.x, py(r, t));
    ctx.lineTo(r.x + r.w, py(r, t));
    ctx.stroke();
  }
  ctx.strokeStyle = theme.axis;
  ctx.lineWidth = 1.2;
  ctx.strokeRect(r.x, r.y, r.w, r.h);

  ctx.fillStyle = theme.muted;
  ctx.font = font(TICK_FONT);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (let i = 0; i <= 5; i++) ctx.fillText(UNIT_TICKS[i]!, px(r, i / 5), r.y + r.h + 5);
  if (yTicks) {
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (let i = 0; i <= 5; i++) ctx.fillText(UNIT_TICKS[i]!, r.x - 6, py(r, i / 5));
  }

  ctx.fillStyle = theme.text;
  ctx.font = font(LABEL_FONT);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  ctx.fillText(xLabel, r.x + r.w / 2, r.y + r.h + 8 + TICK_FONT);
  ctx.save();
  ctx.translate(r.x - 30 - (yTicks ? 0 : -18), r.y + r.h / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textBaseline = 'bottom';
  ctx.fillText(yLabel, 0, 0);
  ctx.restore();
  ctx.restore();
}

export function drawTitle(ctx: CanvasRenderingContext2D, theme: Theme, text: string, x: number, y: number, maxWidth: number): void {
  ctx.save();
  ctx.fillStyle = theme.text;
  ctx.font = font(TITLE_FONT, 'bold');
  ctx.textAlign = 'left';
  ctx.textBaseline = 'alphabetic';
  ctx.fillText(ellipsize(ctx, text, maxWidth), x, y);
  ctx.restore();
}

export function drawLegend(ctx: CanvasRenderingContext2D, entries: LegendEntry[], x: number, y: number, maxWidth: number, theme: Theme): void {
  ctx.save();
  ctx.font = font(LEGEND_FONT);
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'left';
  entries.forEach((e, i) => {
    const cy = y + i * LEGEND_ROW + LEGEND_ROW / 2;
    ctx.strokeStyle = e.color;
    ctx.fillStyle = e.color;
    ctx.lineWidth = 2.5;
    if (e.kind === 'line' || e.kind === 'dash') {
      ctx.setLineDash(e.kind === 'dash' ? [5, 4] : []);
      ctx.beginPath();
      ctx.moveTo(x, cy);
      ctx.lineTo(x + 22, cy);
      ctx.stroke();
      ctx.setLineDash([]);
    } else if (e.kind === 'marker') {
      ctx.beginPath();
      ctx.arc(x + 11, cy, 5, 0, Math.PI * 2);
      ctx.fill();
    } else {
      ctx.globalAlpha = 0.55;
      ctx.fillRect(x + 4, cy - 6, 14, 12);
      ctx.globalAlpha = 1;
    }
    ctx.fillStyle = theme.text;
    ctx.fillText(ellipsize(ctx, e.label, maxWidth - 30), x + 30, cy);
  });
  ctx.restore();
}

/** Stroke a polyline in data coordinates, thinned to sub-pixel precision for this plot size. */
function strokeCurve(ctx: CanvasRenderingContext2D, r: Rect, xs: ArrayLike<number>, ys: ArrayLike<number>, scale: number): void {
  const devicePx = Math.max(r.w, r.h) * scale;
  const thin = thinCurve(xs, ys, 0.5 / devicePx);
  ctx.beginPath();
  for (let i = 0; i < thin.xs.length; i++) {
    const x = px(r, thin.xs[i]!);
    const y = py(r, thin.ys[i]!);
    if (i === 0) ctx.moveTo(x, y);
    else ctx.lineTo(x, y);
  }
  ctx.stroke();
}

export function clipTo(ctx: CanvasRenderingContext2D, r: Rect): void {
  ctx.beginPath();
  // A little slack so lines on the frame (tpr = 1) are not cut in half.
  ctx.rect(r.x - 3, r.y - 3, r.w + 6, r.h + 6);
  ctx.clip();
}

function drawMarker(ctx: CanvasRenderingContext2D, theme: Theme, x: number, y: number, color: string): void {
  ctx.beginPath();
  ctx.arc(x, y, 5.5, 0, Math.PI * 2);
  ctx.fillStyle = color;
  ctx.fill();
  ctx.lineWidth = 2;
  ctx.strokeStyle = theme.background;
  ctx.stroke();
}

/** Step polyline matching the AP definition: precision P_k holds over (R_{k-1}, R_k]. */
function prSteps(recall: Float64Array, precision: Float64Array): { xs: Float64Array; ys: Float64Array } {
  const m = recall.length;
  const xs = new Float64Array(2 * m - 1);
  const ys = new Float64Array(2 * m - 1);
  xs[0] = recall[0]!;
  ys[0] = precision[0]!;
  for (let k = 1; k < m; k++) {
    xs[2 * k - 1] = recall[k - 1]!;
    ys[2 * k - 1] = precision[k]!;
    xs[2 * k] = recall[k]!;
    ys[2 * k] = precision[k]!;
  }
  return { xs, ys };
}

function rocLegend(theme: Theme, s: BinarySummary, op: OperatingPoint | undefined): LegendEntry[] {
  const entries: LegendEntry[] = [
    { label: `ROC (AUC = ${fmt(s.auc)})`, color: theme.accent, kind: 'line' },
    { label: 'Chance (AUC = 0.5)', color: theme.axis, kind: 'dash' },
  ];
  if (op && op.tpr !== null && op.fpr !== null) {
    entries.push({ label: `t = ${fmtThreshold(op.threshold)}: TPR ${fmt(op.tpr, 2)}, FPR ${fmt(op.fpr, 2)}`, color: theme.accent2, kind: 'marker' });
  }
  return entries;
}

function prLegend(theme: Theme, s: BinarySummary, op: OperatingPoint | undefined): LegendEntry[] {
  const entries: LegendEntry[] = [
    { label: `PR (AP = ${fmt(s.averagePrecision)})`, color: theme.accent, kind: 'line' },
    { label: `Baseline (prevalence ${fmt(s.prevalence)})`, color: theme.axis, kind: 'dash' },
  ];
  if (op && op.tpr !== null) {
    entries.push({
      label: `t = ${fmtThreshold(op.threshold)}: P ${op.precision === null ? 'n/a' : fmt(op.precision, 2)}, R ${fmt(op.tpr, 2)}`,
      color: theme.accent2,
      kind: 'marker',
    });
  }
  return entries;
}

function fmtThreshold(t: number): string {
  if (Number.isInteger(t)) return String(t);
  const abs = Math.abs(t);
  if (abs >= 1e4 || abs < 1e-3) return t.toExponential(2);
  return String(Number(t.toPrecision(3)));
}

/** The dashed diagonal from (0, 0) to (1, 1): chance on a ROC curve, perfect calibration on a reliability diagram. */
export function drawDiagonal(ctx: CanvasRenderingContext2D, theme: Theme, r: Rect): void {
  ctx.strokeStyle = theme.axis;
  ctx.lineWidth = 1.5;
  ctx.setLineDash([5, 4]);
  ctx.beginPath();
  ctx.moveTo(px(r, 0), py(r, 0));
  ctx.lineTo(px(r, 1), py(r, 1));
  ctx.stroke();
  ctx.setLineDash([]);
}

export function drawRocArea(ctx: CanvasRenderingContext2D, theme: Theme, r: Rect, s: BinarySummary, op: OperatingPoint | undefined, scale: number): void {
  drawAxes(ctx, theme, r, 'False positive rate', 'True positive rate');
  ctx.save();
  clipTo(ctx, r);
  drawDiagonal(ctx, theme, r);
  ctx.strokeStyle = theme.accent;
  ctx.lineWidth = 2.5;
  ctx.lineJoin = 'round';
  strokeCurve(ctx, r, s.roc.fpr, s.roc.tpr, scale);
  ctx.restore();
  if (op && op.tpr !== null && op.fpr !== null) drawMarker(ctx, theme, px(r, op.fpr), py(r, op.tpr), theme.accent2);
}

function drawPrArea(ctx: CanvasRenderingContext2D, theme: Theme, r: Rect, s: BinarySummary, op: OperatingPoint | undefined, scale: number): void {
  drawAxes(ctx, theme, r, 'Recall', 'Precision');
  ctx.save();
  clipTo(ctx, r);
  ctx.strokeStyle = theme.axis;
  ctx.lineWidth = 1.5;
  ctx.setLineDash([5, 4]);
  ctx.beginPath();
  ctx.moveTo(px(r, 0), py(r, s.prevalence));
  ctx.lineTo(px(r, 1), py(r, s.prevalence));
  ctx.stroke();
  ctx.setLineDash([]);
  ctx.strokeStyle = theme.accent;
  ctx.lineWidth = 2.5;
  ctx.lineJoin = 'round';
  const steps = prSteps(s.pr.recall, s.pr.precision);
  strokeCurve(ctx, r, steps.xs, steps.ys, scale);
  ctx.restore();
  if (op && op.tpr !== null && op.precision !== null) drawMarker(ctx, theme, px(r, op.tpr), py(r, op.precision), theme.accent2);
}

export function summarize(labels: Labels, scores: ArrayLike<number>, threshold: number | undefined): { s: BinarySummary; op: OperatingPoint | undefined } {
  checkPlotInput(labels, scores);
  checkThreshold(threshold);
  return withMetricsErrors(() => {
    const s = binarySummary(labels, scores);
    const op = threshold === undefined ? undefined : operatingPoint(labels, scores, threshold);
    return { s, op };
  });
}

function curveMetrics(s: BinarySummary, op: OperatingPoint | undefined): CurveMetrics {
  return {
    auc: s.auc,
    averagePrecision: s.averagePrecision,
    prevalence: s.prevalence,
    n: s.n,
    positives: s.roc.positives,
    ...(op ? { operatingPoint: op } : {}),
  };
}

// Single-panel geometry (logical px).
const MARGIN_LEFT = 58;
const MARGIN_RIGHT = 24;
const MARGIN_TOP = 40;
const AXIS_BELOW = 44;
const LEGEND_GAP = 8;

function singlePanel(
  kind: 'roc' | 'pr',
  labels: Labels,
  scores: ArrayLike<number>,
  options: CurvePlotOptions,
): CurveImage {
  const theme = getTheme(options.theme);
  const scale = options.scale ?? 2;
  const { s, op } = summarize(labels, scores, options.threshold);
  const legend = kind === 'roc' ? rocLegend(theme, s, op) : prLegend(theme, s, op);
  const side = 300;
  const width = MARGIN_LEFT + side + MARGIN_RIGHT;
  const height = MARGIN_TOP + side + AXIS_BELOW + LEGEND_GAP + legend.length * LEGEND_ROW + 10;
  const { canvas, ctx } = scaledCanvas(width, height, scale, theme.background);
  const r: Rect = { x: MARGIN_LEFT, y: MARGIN_TOP, w: side, h: side };
  const defaultTitle = kind === 'roc' ? 'ROC curve' : 'Precision-recall curve';
  drawTitle(ctx, theme, options.title ? cleanLine(options.title, 120) : defaultTitle, 14, 26, width - 28);
  if (kind === 'roc') drawRocArea(ctx, theme, r, s, op, scale);
  else drawPrArea(ctx, theme, r, s, op, scale);
  drawLegend(ctx, legend, r.x, r.y + r.h + AXIS_BELOW + LEGEND_GAP, r.w, theme);
  return { ...toRenderedImage(canvas), metrics: curveMetrics(s, op) };
}

export function renderRoc(labels: Labels, scores: ArrayLike<number>, options: CurvePlotOptions): CurveImage {
  return singlePanel('roc', labels, scores, options);
}

export function renderPr(labels: Labels, scores: ArrayLike<number>, options: CurvePlotOptions): CurveImage {
  return singlePanel('pr', labels, scores, options);
}

/** ROC and precision-recall side by side, for the /roc command. */
export function renderRocPr(labels: Labels, scores: ArrayLike<number>, options: CurvePlotOptions): CurveImage {
  const theme = getTheme(options.theme);
  const scale = options.scale ?? 1.8;
  const { s, op } = summarize(labels, scores, options.threshold);
  const rocEntries = rocLegend(theme, s, op);
  const prEntries = prLegend(theme, s, op);
  const side = 250;
  const panelW = MARGIN_LEFT + side + MARGIN_RIGHT;
  const width = 2 * panelW;
  const headerH = 58;
  const legendRows = Math.max(rocEntries.length, prEntries.length);
  const height = headerH + side + AXIS_BELOW + LEGEND_GAP + legendRows * LEGEND_ROW + 10;
  const { canvas, ctx } = scaledCanvas(width, height, scale, theme.background);

  drawTitle(ctx, theme, options.title ? cleanLine(options.title, 120) : 'ROC and precision-recall', 14, 24, width - 28);
  ctx.fillStyle = theme.muted;
  ctx.font = font(LABEL_FONT);
  const sub = `n = ${formatInt(s.n)} · ${formatInt(s.roc.positives)} positive · prevalence ${fmt(s.prevalence)}`;
  ctx.fillText(ellipsize(ctx, sub, width - 28), 14, 44);

  const rocRect: Rect = { x: MARGIN_LEFT, y: headerH, w: side, h: side };
  const prRect: Rect = { x: panelW + MARGIN_LEFT, y: headerH, w: side, h: side };
  drawRocArea(ctx, theme, rocRect, s, op, scale);
  drawPrArea(ctx, theme, prRect, s, op, scale);
  const legendY = headerH + side + AXIS_BELOW + LEGEND_GAP;
  drawLegend(ctx, rocEntries, rocRect.x - 20, legendY, side + 36, theme);
  drawLegend(ctx, prEntries, prRect.x - 20, legendY, side + 36, theme);
  return { ...toRenderedImage(canvas), metrics: curveMetrics(s, op) };
}


function compactCount(n: number): string {
  if (n >= 1e6) return `${fmt(n / 1e6, 1)}M`;
  if (n >= 1e4) return `${Math.round(n / 1e3)}k`;
  if (n >= 1e3) return `${fmt(n / 1e3, 1)}k`;
  return String(n);
}
