/**
 * Whiteboard: a shared derivation, one numbered step per contribution, each step's formula
 * rendered with its author's name beside it. A step whose TeX does not parse is shown with
 * MathJax's message instead of failing the whole board.
 */
import { RenderError } from './errors.js';
import { getTheme } from './theme.js';
import { MONO_FONT_FAMILY, cleanLine, ellipsize, font, measureContext, wrapText, type CanvasRenderingContext2D, type RenderedImage } from './draw.js';
import { BASE_EM_PX, drawBox, texToBox, type TexBox } from './tex.js';
import { CARD_WIDTH, PAD, renderSections, spacer, textSection, type CardOptions, type Section } from './cards.js';
import type { WhiteboardSpec } from './specs.js';

const LEFT = PAD + 5;
const NUMBER_COL = 40;
const AUTHOR_COL = 140;
const MAX_WIDTH = 1400;
/** Tallest a step's formula may be drawn (logical px); taller ones are shrunk. */
const MAX_STEP_HEIGHT = 320;
/** Below this many logical px per em a formula is unreadable: shown as an error instead. */
const MIN_EM = 4;

type StepContent = { ok: true; box: TexBox } | { ok: false; message: string; tex: string };

export function renderWhiteboard(spec: WhiteboardSpec, options: CardOptions): RenderedImage {
  const theme = getTheme(options.theme);
  const contents: StepContent[] = spec.steps.map((step) => {
    try {
      return { ok: true, box: texToBox(step.tex, { display: true, color: theme.text }) };
    } catch (err) {
      if (err instanceof RenderError && (err.kind === 'tex' || err.kind === 'invalid-input')) {
        return { ok: false, message: err.message, tex: cleanLine(step.tex, 300) };
      }
      throw err;
    }
  });
  const widest = Math.max(0, ...contents.map((c) => (c.ok ? c.box.widthEm * BASE_EM_PX : 0)));
  const chrome = LEFT + NUMBER_COL + 16 + AUTHOR_COL + PAD;
  const width = Math.min(MAX_WIDTH, Math.max(CARD_WIDTH, Math.ceil(chrome + widest)));
  const formulaMax = width - chrome;
  const inner = width - LEFT - PAD;

  const ctx = measureContext();
  const sections: Section[] = [
    textSection(cleanLine(spec.title, 120), { size: 21, weight: 'bold', color: theme.text, maxLines: 2, width: inner, x: LEFT }),
    spacer(4),
    textSection(`${spec.steps.length} step${spec.steps.length === 1 ? '' : 's'}`, { size: 13.5, color: theme.muted, width: inner, x: LEFT }),
    spacer(10),
  ];

  spec.steps.forEach((step, i) => {
    const content = contents[i]!;
    const author = cleanLine(step.author, 200) || 'someone';
    const note = step.note ? cleanLine(step.note, 300) : '';
    const x = LEFT + NUMBER_COL;
    let bodyH: number;
    let drawBody: (c: CanvasRenderingContext2D, top: number, scale: number) => void;
    const em = content.ok
      ? Math.min(BASE_EM_PX, formulaMax / Math.max(content.box.widthEm, 1e-6), MAX_STEP_HEIGHT / Math.max(content.box.heightEm, 1e-6))
      : 0;
    if (content.ok && em < MIN_EM) {
      contents[i] = { ok: false, message: 'This formula is too large to draw', tex: cleanLine(step.tex, 300) };
    }
    const shown = contents[i]!;
    if (shown.ok) {
      const content = shown;
      bodyH = Math.max(26, content.box.heightEm * em);
      const y0 = (bodyH - content.box.heightEm * em) / 2;
      drawBody = (c, top, scale) => drawBox(c, content.box, x, top + y0, em, scale);
    } else {
      const failed = shown;
      ctx.font = font(14);
      const lines = wrapText(ctx, `Could not render: ${failed.message}`, formulaMax, 3);
      ctx.font = font(12.5);
      const code = ellipsize(ctx, failed.tex, formulaMax);
      bodyH = lines.length * 19 + 20;
      drawBody = (c, top) => {
        c.font = font(14);
        c.fillStyle = theme.bad;
        lines.forEach((l, k) => c.fillText(l, x, top + 15 + k * 19));
        c.font = font(12.5, 'normal', 'normal', MONO_FONT_FAMILY);
        c.fillStyle = theme.muted;
        c.fillText(code, x, top + 15 + lines.length * 19);
      };
    }
    ctx.font = font(13.5, 'normal', 'italic');
    const noteLines = note ? wrapText(ctx, note, formulaMax, 3) : [];
    const noteH = noteLines.length * 19;
    const height = 14 + bodyH + (noteH > 0 ? 6 + noteH : 0) + 14;
    sections.push({
      height,
      draw(c, top, scale) {
        if (i > 0) {
          c.fillStyle = theme.grid;
          c.fillRect(LEFT, top, inner, 1);
        }
        const bodyTop = top + 14;
        const mid = bodyTop + Math.min(bodyH, 60) / 2;
        c.beginPath();
        c.arc(LEFT + 14, mid, 13, 0, Math.PI * 2);
        c.fillStyle = theme.accent;
        c.fill();
        c.font = font(13, 'bold');
        c.fillStyle = theme.background;
        c.textAlign = 'center';
        c.textBaseline = 'middle';
        c.fillText(String(i + 1), LEFT + 14, mid + 0.5);
        c.textAlign = 'right';
        c.font = font(13.5);
        c.fillStyle = theme.muted;
        c.fillText(ellipsize(c, author, AUTHOR_COL - 8), width - PAD, mid);
        c.textAlign = 'left';
        c.textBaseline = 'alphabetic';
        drawBody(c, bodyTop, scale);
        if (noteLines.length > 0) {
          c.font = font(13.5, 'normal', 'italic');
          c.fillStyle = theme.muted;
          noteLines.forEach((l, k) => c.fillText(l, x, bodyTop + bodyH + 6 + 14 + k * 19));
        }
      },
    });
  });
  return renderSections(sections, theme, width, options);
}
