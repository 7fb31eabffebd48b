/** Public surface of the rendering engine. */
export { createRenderer, PooledRenderer } from './renderer.js';
export { prepareFonts } from './fonts.js';
export type {
  Renderer,
  RendererOptions,
  RendererStats,
  TexOptions,
  CurveOptions,
  ThemeOptions,
  CurveRender,
  DrillFigureOptions,
  LabelList,
  ScoreList,
  RenderedImage,
  CurveMetrics,
} from './renderer.js';
export { RenderError, isRenderError, renderErrorKinds, type RenderErrorKind } from './errors.js';
export { themes, themeNames, type Theme, type ThemeName } from './theme.js';
export { MAX_TEX_LENGTH, MAX_CAPTION_LENGTH, MAX_PLOT_POINTS, checkTex, unwrapMath } from './limits.js';
export type { PoolEvent, PoolOptions } from './pool.js';
export type { QuestionCardSpec, SummaryCardSpec, MasterySpec, LeaderboardSpec, LeaderboardRow, WhiteboardSpec } from './specs.js';
