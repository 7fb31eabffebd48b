/**
 * Cards: question, result summary, mastery chart, leaderboard. Each is a vertical stack of
 * sections measured first (logical px), then drawn on one canvas. Any text may contain
 * emoji, CJK, Arabic or combining marks: DejaVu falls back to the bundled Noto fonts
 * (fonts.ts), emoji in colour; a glyph no font has comes out as a box, never an error, and
 * cuts happen on grapheme boundaries.
 */
import { RenderError } from './errors.js';
import { formatInt } from './limits.js';
import { getTheme, type Theme, type ThemeName } from './theme.js';
import {
  DEFAULT_SCALE,
  MAX_IMAGE_SIDE,
  cleanLine,
  cleanText,
  ellipsize,
  fmt,
  font,
  measureContext,
  roundRect,
  scaledCanvas,
  textWidth,
  toRenderedImage,
  wrapText,
  type CanvasRenderingContext2D,
  type RenderedImage,
} from './draw.js';
import { drawRichText, layoutRichText, parseRichText, type RichTextStyle } from './richtext.js';
import type { LeaderboardRow, LeaderboardSpec, MasterySpec, QuestionCardSpec, SummaryCardSpec } from './specs.js';

export interface CardOptions {
  theme: ThemeName;
  /** Device pixels per logical pixel (default 2; lowered automatically for very tall images). */
  scale?: number;
}

/** A horizontal slice of a card: its height is known before the canvas exists. */
export interface Section {
  height: number;
  draw(ctx: CanvasRenderingContext2D, top: number, scale: number): void;
}

export const CARD_WIDTH = 600;
export const PAD = 24;
const STRIPE = 5;
const INNER = CARD_WIDTH - 2 * PAD - STRIPE;
const LEFT = PAD + STRIPE;

/** Largest scale <= wanted that keeps the image within the side limit. */
export function fitScale(width: number, height: number, wanted: number): number {
  const s = Math.min(wanted, MAX_IMAGE_SIDE / width, MAX_IMAGE_SIDE / height);
  if (s < 0.75) {
    throw new RenderError('too-large', 'This card has too much content to draw; try something shorter');
  }
  return s;
}

/** Stack sections vertically on a themed card with an accent stripe. */
export function renderSections(sections: Section[], theme: Theme, width: number, options: CardOptions, stripe = theme.accent): RenderedImage {
  const height = PAD + sections.reduce((h, s) => h + s.height, 0) + PAD;
  const scale = fitScale(width, height, options.scale ?? DEFAULT_SCALE);
  const { canvas, ctx } = scaledCanvas(width, height, scale, theme.background);
  ctx.fillStyle = stripe;
  ctx.fillRect(0, 0, STRIPE, height);
  let y = PAD;
  for (const s of sections) {
    ctx.save();
    s.draw(ctx, y, scale);
    ctx.restore();
    y += s.height;
  }
  return toRenderedImage(canvas);
}

export function spacer(height: number): Section {
  return { height, draw: () => {} };
}

/** Wrapped plain text. */
export function textSection(
  text: string,
  opts: { size: number; color: string; weight?: 'normal' | 'bold'; italic?: boolean; maxLines?: number; x?: number; width?: number; lineHeight?: number },
): Section {
  const ctx = measureContext();
  const f = font(opts.size, opts.weight ?? 'normal', opts.italic ? 'italic' : 'normal');
  ctx.font = f;
  const width = opts.width ?? INNER;
  const lines = text === '' ? [] : wrapText(ctx, text, width, opts.maxLines ?? 6);
  const lh = opts.size * (opts.lineHeight ?? 1.35);
  return {
    height: lines.length * lh,
    draw(c, top) {
      c.font = f;
      c.fillStyle = opts.color;
      c.textBaseline = 'alphabetic';
      lines.forEach((line, i) => c.fillText(line, opts.x ?? LEFT, top + i * lh + opts.size * 0.98));
    },
  };
}

function divider(theme: Theme, gap = 14): Section {
  return {
    height: 2 * gap + 1,
    draw(ctx, top) {
      ctx.fillStyle = theme.grid;
      ctx.fillRect(LEFT, top + gap, INNER, 1);
    },
  };
}

/** A rounded label ("Gradients", "L5"); returns its width. */
function pill(ctx: CanvasRenderingContext2D, label: string, x: number, y: number, opts: { fill?: string; stroke?: string; color: string; maxWidth: number }): number {
  ctx.font = font(12.5, 'bold');
  const text = ellipsize(ctx, label, opts.maxWidth - 20);
  const w = textWidth(ctx, text) + 20;
  roundRect(ctx, x, y, w, 24, 12);
  if (opts.fill) {
    ctx.fillStyle = opts.fill;
    ctx.fill();
  }
  if (opts.stroke) {
    ctx.strokeStyle = opts.stroke;
    ctx.lineWidth = 1.2;
    ctx.stroke();
  }
  ctx.fillStyle = opts.color;
  ctx.textBaseline = 'middle';
  ctx.fillText(text, x + 10, y + 12.5);
  ctx.textBaseline = 'alphabetic';
  return w;
}

function richStyle(theme: Theme, size: number): RichTextStyle {
  return { fontSize: size, color: theme.text, mathColor: theme.text, codeColor: theme.accent2, lineHeight: 1.5 };
}

/** Rich text (inline TeX, bold, bullets) as a section. */
export function richSection(source: string, theme: Theme, size: number, where: string, width = INNER, x = LEFT): Section {
  const style = richStyle(theme, size);
  const layout = layoutRichText(parseRichText(source), width, style, where);
  return {
    height: layout.height,
    draw(ctx, top, scale) {
      drawRichText(ctx, layout, x, top, scale, style);
    },
  };
}

/** Question card: topic and level header, optional chain title, prompt with inline formulas. */
export function renderQuestionCard(spec: QuestionCardSpec, options: CardOptions): RenderedImage {
  const theme = getTheme(options.theme);
  const topic = cleanLine(spec.topic, 80);
  const level = cleanLine(spec.level, 16);
  const stepText = spec.step
    ? spec.step.index === 1
      ? `Question · ${spec.step.total} step${spec.step.total === 1 ? '' : 's'}`
      : `Follow-up ${spec.step.index - 1} of ${Math.max(spec.step.total - 1, spec.step.index - 1)}`
    : '';
  const header: Section = {
    height: 24,
    draw(ctx, top) {
      let x = LEFT;
      if (topic) x += pill(ctx, topic, x, top, { fill: theme.accent, color: theme.background, maxWidth: INNER * 0.55 }) + 8;
      if (level) pill(ctx, level, x, top, { stroke: theme.muted, color: theme.text, maxWidth: 90 });
      if (stepText) {
        ctx.font = font(13);
        ctx.fillStyle = theme.muted;
        ctx.textAlign = 'right';
        ctx.textBaseline = 'middle';
        ctx.fillText(ellipsize(ctx, stepText, INNER * 0.3), LEFT + INNER, top + 12.5);
      }
    },
  };
  const sections: Section[] = [header, spacer(16)];
  const title = spec.title ? cleanLine(spec.title, 120) : '';
  if (title) sections.push(textSection(title, { size: 19, weight: 'bold', color: theme.text, maxLines: 3 }), spacer(10));
  sections.push(richSection(cleanText(spec.prompt, 4000), theme, 16, 'Formula'));
  const footer = spec.footer ? cleanLine(spec.footer, 200) : '';
  if (footer) sections.push(divider(theme, 12), textSection(footer, { size: 13, color: theme.muted, maxLines: 2 }));
  return renderSections(sections, theme, CARD_WIDTH, options);
}

function titleSections(theme: Theme, title: string, subtitle?: string): Section[] {
  const out: Section[] = [textSection(cleanLine(title, 120), { size: 21, weight: 'bold', color: theme.text, maxLines: 2 })];
  const sub = subtitle ? cleanLine(subtitle, 200) : '';
  if (sub) out.push(spacer(4), textSection(sub, { size: 14, color: theme.muted, maxLines: 2 }));
  return out;
}

function barColor(theme: Theme, v: number): string {
  if (v < 0.4) return theme.bad;
  if (v < 0.7) return theme.accent2;
  return theme.good;
}

/** A label, a 0..1 bar and a right-hand text. */
function barRow(theme: Theme, label: string, value: number, right: string, sub?: string): Section {
  const labelW = 170;
  const rightW = 92;
  const barX = LEFT + labelW + 10;
  const barW = INNER - labelW - 10 - rightW - 10;
  const h = sub ? 40 : 30;
  return {
    height: h,
    draw(ctx, top) {
      ctx.font = font(14.5);
      ctx.fillStyle = theme.text;
      ctx.textBaseline = 'middle';
      const mid = top + 14;
      ctx.fillText(ellipsize(ctx, label, labelW), LEFT, mid);
      roundRect(ctx, barX, mid - 7, barW, 14, 7);
      ctx.fillStyle = theme.surface;
      ctx.fill();
      const v = Math.min(1, Math.max(0, value));
      if (v > 0) {
        roundRect(ctx, barX, mid - 7, Math.max(14, barW * v), 14, 7);
        ctx.fillStyle = barColor(theme, v);
        ctx.fill();
      }
      ctx.font = font(14.5, 'bold');
      ctx.fillStyle = theme.text;
      ctx.textAlign = 'right';
      ctx.fillText(ellipsize(ctx, right, rightW), LEFT + INNER, mid);
      if (sub) {
        ctx.font = font(11.5);
        ctx.fillStyle = theme.muted;
        ctx.textAlign = 'left';
        ctx.fillText(ellipsize(ctx, sub, barW), barX, mid + 17);
      }
    },
  };
}

function pct(v: number): string {
  return `${Math.round(v * 100)}%`;
}

/** Result / session summary: title, label-value rows, optional per-step accuracy bars. */
export function renderSummaryCard(spec: SummaryCardSpec, options: CardOptions): RenderedImage {
  const theme = getTheme(options.theme);
  const sections: Section[] = [...titleSections(theme, spec.title, spec.subtitle)];
  if (spec.rows.length > 0) {
    sections.push(divider(theme, 12));
    for (const row of spec.rows) {
      const label = cleanLine(row.label, 60);
      const value = cleanLine(row.value, 80);
      sections.push({
        height: 30,
        draw(ctx, top) {
          ctx.textBaseline = 'middle';
          ctx.font = font(15);
          ctx.fillStyle = theme.muted;
          const labelText = ellipsize(ctx, label, INNER * 0.5);
          ctx.fillText(labelText, LEFT, top + 15);
          ctx.font = font(15, 'bold');
          ctx.fillStyle = theme.text;
          ctx.textAlign = 'right';
          ctx.fillText(ellipsize(ctx, value, INNER - textWidth(ctx, labelText) - 24), LEFT + INNER, top + 15);
        },
      });
    }
  }
  if (spec.steps && spec.steps.length > 0) {
    sections.push(divider(theme, 12), textSection('Accuracy by step', { size: 14, weight: 'bold', color: theme.text }), spacer(8));
    for (const step of spec.steps) {
      sections.push(barRow(theme, cleanLine(step.label, 60), step.accuracy, step.detail ? cleanLine(step.detail, 40) : pct(step.accuracy)));
    }
  }
  const footnote = spec.footnote ? cleanLine(spec.footnote, 200) : '';
  if (footnote) sections.push(spacer(12), textSection(footnote, { size: 12.5, color: theme.muted, maxLines: 3 }));
  return renderSections(sections, theme, CARD_WIDTH, options);
}

/**
 * One topic of the mastery chart: its name (bold, wrapped to up to 3 lines, never cut mid-word
 * while it fits them) with the percentage at the right, then a slim bar with the detail beside it.
 */
function masteryRow(theme: Theme, name: string, value: number, right: string, detail: string): Section {
  const ctx = measureContext();
  const rightW = 52;
  const nameFont = font(14.5, 'bold');
  ctx.font = nameFont;
  const nameLines = wrapText(ctx, name, INNER - rightW - 12, 3);
  const lh = 19;
  const detailW = 250;
  const barW = INNER - detailW - 12;
  const barTop = nameLines.length * lh + 5;
  return {
    height: barTop + 10 + 14,
    draw(c, top) {
      c.textBaseline = 'alphabetic';
      c.font = nameFont;
      c.fillStyle = theme.text;
      nameLines.forEach((line, i) => c.fillText(line, LEFT, top + i * lh + 14.5));
      c.textAlign = 'right';
      c.fillText(right, LEFT + INNER, top + 14.5);
      c.textAlign = 'left';
      roundRect(c, LEFT, top + barTop, barW, 10, 5);
      c.fillStyle = theme.surface;
      c.fill();
      const v = Math.min(1, Math.max(0, value));
      if (v > 0) {
        roundRect(c, LEFT, top + barTop, Math.max(10, barW * v), 10, 5);
        c.fillStyle = barColor(theme, v);
        c.fill();
      }
      c.font = font(11.5);
      c.fillStyle = theme.muted;
      c.textBaseline = 'middle';
      c.fillText(ellipsize(c, detail, detailW), LEFT + barW + 12, top + barTop + 5.5);
    },
  };
}

/**
 * Mastery per started topic with due / streak / 30-day accuracy tiles, a line for the topics
 * not started and a footnote saying what the measure is. Sized for a Discord preview: a member
 * with five topics started gets a card under 500 logical px (1,000 px at the default scale).
 */
export function renderMasteryChart(spec: MasterySpec, options: CardOptions): RenderedImage {
  const theme = getTheme(options.theme);
  const sections: Section[] = [...titleSections(theme, spec.title ?? 'Mastery'), spacer(10)];
  const tiles: [string, string][] = [
    ['Due now', formatInt(spec.stats.due)],
    ['Streak', `${formatInt(spec.stats.streak)} day${spec.stats.streak === 1 ? '' : 's'}`],
    ['30-day accuracy', spec.stats.accuracy30d === null ? '–' : pct(spec.stats.accuracy30d)],
  ];
  sections.push({
    height: 50,
    draw(ctx, top) {
      const gap = 10;
      const w = (INNER - 2 * gap) / 3;
      tiles.forEach(([label, value], i) => {
        const x = LEFT + i * (w + gap);
        roundRect(ctx, x, top, w, 50, 8);
        ctx.fillStyle = theme.surface;
        ctx.fill();
        ctx.textBaseline = 'alphabetic';
        ctx.font = font(12.5);
        ctx.fillStyle = theme.muted;
        ctx.fillText(ellipsize(ctx, label, w - 24), x + 12, top + 19);
        ctx.font = font(19, 'bold');
        ctx.fillStyle = theme.text;
        ctx.fillText(ellipsize(ctx, value, w - 24), x + 12, top + 41);
      });
    },
  });
  sections.push(spacer(12));
  if (spec.topics.length === 0) {
    sections.push(textSection('No topic started yet: answer a question or a drill to start.', { size: 14.5, color: theme.muted }), spacer(8));
  }
  spec.topics.forEach((t, i) => {
    if (i > 0) sections.push(spacer(6));
    const total = t.seen + t.unseen;
    const detail = t.detail ? cleanLine(t.detail, 120) : `${formatInt(t.seen)} of ${formatInt(total)} seen`;
    sections.push(masteryRow(theme, cleanLine(t.name, 80), t.mastery, pct(t.mastery), detail));
  });
  const notStarted = spec.notStarted ?? 0;
  if (notStarted > 0) {
    sections.push(spacer(8), textSection(`${formatInt(notStarted)} topic${notStarted === 1 ? '' : 's'} not started`, { size: 13, color: theme.muted, maxLines: 1 }));
  }
  const footnote = spec.footnote ? cleanLine(spec.footnote, 320) : '';
  if (footnote) sections.push(spacer(10), textSection(footnote, { size: 12, color: theme.muted, maxLines: 4, lineHeight: 1.3 }));
  return renderSections(sections, theme, CARD_WIDTH, options);
}

const MEDALS = ['#f0b232', '#b5bac1', '#c27c4a'];

function formatValue(v: string | number): string {
  if (typeof v === 'number') return Number.isInteger(v) ? formatInt(v) : fmt(v, 2);
  return cleanLine(v, 40);
}

function leaderboardRowSection(theme: Theme, row: LeaderboardRow, highlighted: boolean): Section {
  const name = cleanLine(row.name, 200) || '(no name)';
  const value = formatValue(row.value);
  return {
    height: 38,
    draw(ctx, top) {
      if (highlighted) {
        roundRect(ctx, LEFT - 8, top + 2, INNER + 16, 34, 8);
        ctx.fillStyle = theme.highlight;
        ctx.fill();
      }
      const mid = top + 19;
      ctx.textBaseline = 'middle';
      const medal = row.rank <= 3 ? MEDALS[row.rank - 1] : undefined;
      ctx.font = font(14.5, 'bold');
      const rankText = `${formatInt(row.rank)}`;
      if (medal) {
        ctx.beginPath();
        ctx.arc(LEFT + 14, mid, 13, 0, Math.PI * 2);
        ctx.fillStyle = medal;
        ctx.fill();
        ctx.fillStyle = '#1e1f22';
        ctx.textAlign = 'center';
        ctx.fillText(rankText, LEFT + 14, mid + 0.5);
      } else {
        ctx.fillStyle = theme.muted;
        ctx.textAlign = 'center';
        ctx.fillText(ellipsize(ctx, rankText, 52), LEFT + 14, mid + 0.5);
      }
      ctx.textAlign = 'right';
      ctx.font = font(15.5, 'bold');
      ctx.fillStyle = theme.text;
      const valueText = ellipsize(ctx, value, 150);
      const valueW = textWidth(ctx, valueText);
      ctx.fillText(valueText, LEFT + INNER, mid);
      ctx.textAlign = 'left';
      ctx.font = font(15.5, highlighted ? 'bold' : 'normal');
      const nameX = LEFT + 44;
      ctx.fillText(ellipsize(ctx, name, LEFT + INNER - valueW - 20 - nameX), nameX, mid);
    },
  };
}

/** Top ten plus the caller's own row (highlighted in place, or appended when outside). */
export function renderLeaderboard(spec: LeaderboardSpec, options: CardOptions): RenderedImage {
  const theme = getTheme(options.theme);
  const sections: Section[] = [...titleSections(theme, spec.title, spec.subtitle), spacer(10)];
  const top = spec.rows.slice(0, 10);
  const caller = spec.caller;
  const isCallerRow = (r: LeaderboardRow) => r.isCaller === true || (caller !== undefined && r.rank === caller.rank && r.name === caller.name);
  const valueLabel = spec.valueLabel ? cleanLine(spec.valueLabel, 30) : '';
  if (valueLabel) {
    sections.push({
      height: 20,
      draw(ctx, t) {
        ctx.font = font(12, 'bold');
        ctx.fillStyle = theme.muted;
        ctx.textBaseline = 'middle';
        ctx.fillText('RANK', LEFT, t + 10);
        ctx.textAlign = 'right';
        ctx.fillText(ellipsize(ctx, valueLabel.toUpperCase(), 150), LEFT + INNER, t + 10);
      },
    });
  }
  if (top.length === 0) sections.push(textSection('Nobody on the board yet.', { size: 14.5, color: theme.muted }));
  let callerShown = false;
  for (const r of top) {
    const mine = isCallerRow(r);
    callerShown ||= mine;
    sections.push(leaderboardRowSection(theme, r, mine));
  }
  if (caller && !callerShown) {
    sections.push({
      height: 22,
      draw(ctx, t) {
        ctx.fillStyle = theme.muted;
        for (let i = 0; i < 3; i++) {
          ctx.beginPath();
          ctx.arc(LEFT + 8 + i * 6, t + 11, 1.8, 0, Math.PI * 2);
          ctx.fill();
        }
      },
    });
    sections.push(leaderboardRowSection(theme, caller, true));
  }
  const footnote = spec.footnote ? cleanLine(spec.footnote, 400) : '';
  if (footnote) sections.push(spacer(12), textSection(footnote, { size: 12.5, color: theme.muted, maxLines: 5 }));
  return renderSections(sections, theme, CARD_WIDTH, options);
}

export { INNER as CARD_INNER_WIDTH, LEFT as CARD_LEFT };
