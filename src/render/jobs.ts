/**
 * Render jobs: plain data that crosses the worker boundary, and the one function that runs
 * them. Jobs are built and validated on the main thread (renderer.ts); `runJob` runs inside
 * a worker.
 */
import { RenderError } from './errors.js';
import { isThemeName, type ThemeName } from './theme.js';
import type { RenderedImage } from './draw.js';
import { renderTex } from './tex.js';
import { renderPr, renderRoc, renderRocPr, type CurveMetrics } from './plots.js';
import { renderLeaderboard, renderMasteryChart, renderQuestionCard, renderSummaryCard } from './cards.js';
import { renderWhiteboard } from './whiteboard.js';
import { renderDrillFigure } from './figures.js';
import type { Figure } from '../drills/types.js';
import type { LeaderboardSpec, MasterySpec, QuestionCardSpec, SummaryCardSpec, WhiteboardSpec } from './specs.js';

export interface TexJob {
  kind: 'tex';
  theme: ThemeName;
  tex: string;
  display: boolean;
  caption?: string;
}

export interface CurvePlotJob {
  kind: 'plot';
  plot: 'roc' | 'pr' | 'roc-pr';
  theme: ThemeName;
  /** 0/1 per item. */
  labels: Uint8Array;
  scores: Float64Array;
  threshold?: number;
  title?: string;
}

export type CardJob =
  | { kind: 'card'; card: 'question'; theme: ThemeName; spec: QuestionCardSpec }
  | { kind: 'card'; card: 'summary'; theme: ThemeName; spec: SummaryCardSpec }
  | { kind: 'card'; card: 'mastery'; theme: ThemeName; spec: MasterySpec }
  | { kind: 'card'; card: 'leaderboard'; theme: ThemeName; spec: LeaderboardSpec };

export interface WhiteboardJob {
  kind: 'whiteboard';
  theme: ThemeName;
  spec: WhiteboardSpec;
}

/** A drill's figure, drawn for the question (nothing that gives the answer away) or for the solution. */
export interface FigureJob {
  kind: 'figure';
  theme: ThemeName;
  figure: Figure;
  solution: boolean;
  title?: string;
}

export type RenderJob = TexJob | CurvePlotJob | CardJob | WhiteboardJob | FigureJob;

/** Extra numbers some jobs compute on the way (so callers can quote them in text). */
export interface JobMeta {
  curve: CurveMetrics;
}

export interface JobResult extends RenderedImage {
  meta?: JobMeta;
}

/** Run a job synchronously. Throws RenderError. */
export function runJob(job: RenderJob): JobResult {
  if (!isThemeName(job.theme)) throw new RenderError('invalid-input', 'Unknown theme');
  switch (job.kind) {
    case 'tex':
      return renderTex(job.tex, { theme: job.theme, display: job.display, ...(job.caption === undefined ? {} : { caption: job.caption }) });
    case 'plot': {
      const options = {
        theme: job.theme,
        ...(job.threshold === undefined ? {} : { threshold: job.threshold }),
        ...(job.title === undefined ? {} : { title: job.title }),
      };
      const draw = job.plot === 'roc' ? renderRoc : job.plot === 'pr' ? renderPr : renderRocPr;
      const r = draw(job.labels, job.scores, options);
      return { png: r.png, width: r.width, height: r.height, meta: { curve: r.metrics } };
    }
    case 'card':
      switch (job.card) {
        case 'question':
          return renderQuestionCard(job.spec, { theme: job.theme });
        case 'summary':
          return renderSummaryCard(job.spec, { theme: job.theme });
        case 'mastery':
          return renderMasteryChart(job.spec, { theme: job.theme });
        case 'leaderboard':
          return renderLeaderboard(job.spec, { theme: job.theme });
        default:
          throw new RenderError('invalid-input', 'Unknown card type');
      }
    case 'whiteboard':
      return renderWhiteboard(job.spec, { theme: job.theme });
    case 'figure': {
      const r = renderDrillFigure(job.figure, { theme: job.theme, solution: job.solution, ...(job.title === undefined ? {} : { title: job.title }) });
      return { png: r.png, width: r.width, height: r.height };
    }
    default:
      throw new RenderError('invalid-input', 'Unknown render job');
  }
}
