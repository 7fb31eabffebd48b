/** Colours matching Discord's own themes, so images sit flush in the chat. */
export const themeNames = ['dark', 'light'] as const;
export type ThemeName = (typeof themeNames)[number];

export interface Theme {
  name: ThemeName;
  /** Image background (Discord's chat background). */
  background: string;
  /** Main text and formula colour. */
  text: string;
  /** Secondary text: captions, axis labels, footnotes. */
  muted: string;
  /** Panels and bar tracks. */
  surface: string;
  /** Grid lines and separators. */
  grid: string;
  /** Axis lines. */
  axis: string;
  /** First data series (ROC/PR curve, bars). */
  accent: string;
  /** Second series / operating point. */
  accent2: string;
  good: string;
  bad: string;
  /** Row highlight (the caller's own leaderboard row). */
  highlight: string;
}

export const themes: Record<ThemeName, Theme> = {
  dark: {
    name: 'dark',
    background: '#313338',
    text: '#dbdee1',
    muted: '#a3a8b0',
    surface: '#2b2d31',
    grid: '#43454b',
    axis: '#80848e',
    accent: '#8c9eff',
    accent2: '#f0b232',
    good: '#3ba55d',
    bad: '#ed4245',
    highlight: '#404578',
  },
  light: {
    name: 'light',
    background: '#ffffff',
    text: '#313338',
    muted: '#5c5e66',
    surface: '#f2f3f5',
    grid: '#e3e5e8',
    axis: '#80848e',
    accent: '#4752c4',
    accent2: '#c27c0e',
    good: '#248046',
    bad: '#da373c',
    highlight: '#dfe2ff',
  },
};

export function isThemeName(v: unknown): v is ThemeName {
  return v === 'dark' || v === 'light';
}

export function getTheme(name: ThemeName): Theme {
  return themes[name];
}
