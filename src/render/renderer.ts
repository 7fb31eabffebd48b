/**
 * The rendering service the rest of the product uses. Inputs are validated here, on the
 * main thread (bad input is refused at once); drawing happens in the worker pool; results
 * are cached by content, and identical concurrent requests share one render.
 */
import { RenderError } from './errors.js';
import { isThemeName, type ThemeName } from './theme.js';
import type { LRUCache } from 'lru-cache';
import { boundedCache, hashKey } from './cache.js';
import { RenderPool, type PoolOptions, type PoolStats } from './pool.js';
import { MAX_CAPTION_LENGTH, checkTex, packBinaryData } from './limits.js';
import {
  leaderboardSpec,
  masterySpec,
  parseSpec,
  questionCardSpec,
  summaryCardSpec,
  whiteboardSpec,
  type LeaderboardSpec,
  type MasterySpec,
  type QuestionCardSpec,
  type SummaryCardSpec,
  type WhiteboardSpec,
} from './specs.js';
import type { CardJob, JobResult, RenderJob } from './jobs.js';
import type { RenderedImage } from './draw.js';
import type { CurveMetrics } from './plots.js';

import type { Figure } from '../drills/types.js';
import { FIGURE_LIMITS, checkFigure } from './figures.js';

export type { RenderedImage, CurveMetrics };

export interface ThemeOptions {
  theme: ThemeName;
}

export interface TexOptions extends ThemeOptions {
  /** Display style (default true); false renders inline (text) style. */
  display?: boolean;
  /** Plain text under the formula (at most 300 characters). */
  caption?: string;
}

export interface CurveOptions extends ThemeOptions {
  /** Mark the operating point for "positive when score >= threshold". */
  threshold?: number;
  title?: string;
}

export interface DrillFigureOptions extends ThemeOptions {
  title?: string;
  /** Drawn with the worked solution (Drill.solutionFigure): may state the answer. Default false. */
  solution?: boolean;
}

export interface CurveRender extends RenderedImage {
  metrics: CurveMetrics;
}

/** Labels: 0/1 or booleans; scores: finite numbers. Arrays or typed arrays. */
export type LabelList = ArrayLike<number | boolean>;
export type ScoreList = ArrayLike<number>;

export interface RendererStats extends PoolStats {
  cacheEntries: number;
  cacheBytes: number;
  cacheHits: number;
  cacheMisses: number;
}

/** Everything that draws images. All methods reject with RenderError. */
export interface Renderer {
  /** A TeX formula. */
  tex(tex: string, options: TexOptions): Promise<RenderedImage>;
  /** ROC and precision-recall side by side (the /roc command), with AUC / AP / prevalence. */
  rocPr(labels: LabelList, scores: ScoreList, options: CurveOptions): Promise<CurveRender>;
  roc(labels: LabelList, scores: ScoreList, options: CurveOptions): Promise<CurveRender>;
  pr(labels: LabelList, scores: ScoreList, options: CurveOptions): Promise<CurveRender>;
  questionCard(spec: QuestionCardSpec, options: ThemeOptions): Promise<RenderedImage>;
  summaryCard(spec: SummaryCardSpec, options: ThemeOptions): Promise<RenderedImage>;
  masteryChart(spec: MasterySpec, options: ThemeOptions): Promise<RenderedImage>;
  leaderboard(spec: LeaderboardSpec, options: ThemeOptions): Promise<RenderedImage>;
  whiteboard(spec: WhiteboardSpec, options: ThemeOptions): Promise<RenderedImage>;
  /**
   * The figure a numeric drill comes with (ROC curve, bars, reliability diagram, confusion
   * matrix). By default it is drawn for the question and states nothing that is asked (a ROC
   * curve without its AUC); `solution: true` draws it for the worked solution (with the AUC, the ECE).
   */
  drillFigure(figure: Figure, options: DrillFigureOptions): Promise<RenderedImage>;
  stats(): RendererStats;
  /** Stop the workers. Pending jobs reject with kind 'closed'. */
  close(): Promise<void>;
}

export interface RendererOptions extends PoolOptions {
  /** Cached images kept (default 500). */
  cacheEntries?: number;
  /** Total PNG bytes kept in the cache (default 64 MB). */
  cacheBytes?: number;
}

function checkTheme(options: unknown): ThemeName {
  const theme = (options as { theme?: unknown } | undefined)?.theme;
  if (!isThemeName(theme)) throw new RenderError('invalid-input', 'theme must be "dark" or "light"');
  return theme;
}

function optionalText(v: unknown, name: string, max: number): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new RenderError('invalid-input', `${name} must be text`);
  if (v.length > max) throw new RenderError('invalid-input', `${name} is too long (${v.length} characters; the limit is ${max})`);
  return v;
}

function optionalThreshold(v: unknown): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new RenderError('invalid-input', 'The threshold must be a finite number');
  return v;
}

/** Renderer backed by a worker pool and an LRU cache. */
export class PooledRenderer implements Renderer {
  private readonly pool: RenderPool;
  /** Null when caching is turned off (`cacheEntries: 0`, for benches and fault tests). */
  private readonly cache: LRUCache<string, JobResult> | null;
  private readonly inFlight = new Map<string, Promise<JobResult>>();
  private hits = 0;
  private misses = 0;

  constructor(options: RendererOptions = {}) {
    this.pool = new RenderPool(options);
    const entries = options.cacheEntries ?? 500;
    const bytes = options.cacheBytes ?? 64 * 1024 * 1024;
    this.cache = entries > 0 && bytes > 0 ? boundedCache<JobResult>(entries, bytes, (r) => r.png.byteLength + 200) : null;
  }

  /** Resolves once the workers have loaded MathJax and canvas. */
  whenReady(): Promise<void> {
    return this.pool.whenReady();
  }

  async tex(tex: string, options: TexOptions): Promise<RenderedImage> {
    const theme = checkTheme(options);
    const source = checkTex(tex);
    const caption = optionalText(options.caption, 'caption', MAX_CAPTION_LENGTH);
    if (options.display !== undefined && typeof options.display !== 'boolean') throw new RenderError('invalid-input', 'display must be true or false');
    const r = await this.run({ kind: 'tex', theme, tex: source, display: options.display ?? true, ...(caption ? { caption } : {}) });
    return image(r);
  }

  async rocPr(labels: LabelList, scores: ScoreList, options: CurveOptions): Promise<CurveRender> {
    return this.curve('roc-pr', labels, scores, options);
  }

  async roc(labels: LabelList, scores: ScoreList, options: CurveOptions): Promise<CurveRender> {
    return this.curve('roc', labels, scores, options);
  }

  async pr(labels: LabelList, scores: ScoreList, options: CurveOptions): Promise<CurveRender> {
    return this.curve('pr', labels, scores, options);
  }

  async questionCard(spec: QuestionCardSpec, options: ThemeOptions): Promise<RenderedImage> {
    return this.card({ kind: 'card', card: 'question', theme: checkTheme(options), spec: parseSpec(questionCardSpec, spec, 'question card') });
  }

  async summaryCard(spec: SummaryCardSpec, options: ThemeOptions): Promise<RenderedImage> {
    return this.card({ kind: 'card', card: 'summary', theme: checkTheme(options), spec: parseSpec(summaryCardSpec, spec, 'summary card') });
  }

  async masteryChart(spec: MasterySpec, options: ThemeOptions): Promise<RenderedImage> {
    return this.card({ kind: 'card', card: 'mastery', theme: checkTheme(options), spec: parseSpec(masterySpec, spec, 'mastery chart') });
  }

  async leaderboard(spec: LeaderboardSpec, options: ThemeOptions): Promise<RenderedImage> {
    return this.card({ kind: 'card', card: 'leaderboard', theme: checkTheme(options), spec: parseSpec(leaderboardSpec, spec, 'leaderboard') });
  }

  async whiteboard(spec: WhiteboardSpec, options: ThemeOptions): Promise<RenderedImage> {
    const theme = checkTheme(options);
    return image(await this.run({ kind: 'whiteboard', theme, spec: parseSpec(whiteboardSpec, spec, 'whiteboard') }));
  }

  async drillFigure(figure: Figure, options: DrillFigureOptions): Promise<RenderedImage> {
    const theme = checkTheme(options);
    const title = optionalText(options.title, 'title', FIGURE_LIMITS.title);
    if (options.solution !== undefined && typeof options.solution !== 'boolean') throw new RenderError('invalid-input', 'solution must be true or false');
    const job = { kind: 'figure', theme, figure: checkFigure(figure), solution: options.solution === true, ...(title === undefined ? {} : { title }) } as const;
    return image(await this.run(job));
  }

  stats(): RendererStats {
    return { ...this.pool.stats(), cacheEntries: this.cache?.size ?? 0, cacheBytes: this.cache?.calculatedSize ?? 0, cacheHits: this.hits, cacheMisses: this.misses };
  }

  async close(): Promise<void> {
    this.cache?.clear();
    await this.pool.close();
  }

  private async card(job: CardJob): Promise<RenderedImage> {
    return image(await this.run(job));
  }

  private async curve(plot: 'roc' | 'pr' | 'roc-pr', labels: LabelList, scores: ScoreList, options: CurveOptions): Promise<CurveRender> {
    const theme = checkTheme(options);
    const data = packBinaryData(labels, scores);
    const threshold = optionalThreshold(options.threshold);
    const title = optionalText(options.title, 'title', 120);
    const r = await this.run({ kind: 'plot', plot, theme, ...data, ...(threshold === undefined ? {} : { threshold }), ...(title ? { title } : {}) });
    if (!r.meta || !('curve' in r.meta)) throw new RenderError('internal', 'Missing curve metrics');
    return { ...image(r), metrics: structuredClone(r.meta.curve) };
  }

  /** Cache lookup, in-flight sharing, then the pool. Errors are not cached. */
  private run(job: RenderJob): Promise<JobResult> {
    const key = hashKey(job);
    const cached = this.cache?.get(key);
    if (cached) {
      this.hits++;
      return Promise.resolve(cached);
    }
    const pending = this.inFlight.get(key);
    if (pending) {
      this.hits++;
      return pending;
    }
    this.misses++;
    const promise = this.pool.run(job).then(
      (result) => {
        this.inFlight.delete(key);
        this.cache?.set(key, result);
        return result;
      },
      (err: unknown) => {
        this.inFlight.delete(key);
        throw err;
      },
    );
    this.inFlight.set(key, promise);
    return promise;
  }
}

/** A fresh object per call; the PNG Buffer itself is shared with the cache (read-only). */
function image(r: JobResult): RenderedImage {
  return { png: r.png, width: r.width, height: r.height };
}

export function createRenderer(options: RendererOptions = {}): PooledRenderer {
  return new PooledRenderer(options);
}
