/**
 * Fonts come from npm packages, not from the machine: every image is drawn with the same
 * faces on a developer's laptop, in CI and in a container with no fonts installed.
 *
 * - DejaVu Sans, Sans Mono and Serif (`dejavu-fonts-ttf`): Latin, Greek, Cyrillic, symbols;
 *   Serif for text inside formulas, next to MathJax's serif glyphs.
 * - Noto Sans SC and KR (Fontsource's variable WOFF2 slices): Chinese, Japanese kana and
 *   kanji, Korean. One variable file covers every weight, so bold is real bold.
 * - Noto Sans Arabic: joined Arabic script in names.
 * - Noto Color Emoji (COLRv1, Expo's package of the Google Fonts file): emoji in colour.
 *
 * Skia's font collection is process-wide (worker threads share it), so registering once per
 * process is enough; `registerFonts` is idempotent and cheap after the first call.
 *
 * Memory: a TTF registered by path is memory-mapped (only the glyphs drawn are read), a
 * WOFF2 is decompressed into memory the first time its family is used. The emoji font is a
 * TTF for that reason: as Fontsource's WOFF2 slices it cost 53 MB of RSS, as a TTF 5 MB.
 * The CJK fonts stay WOFF2 (19 MB of RSS each once used) because their TTFs would add about
 * 100 MB to the install.
 */
import { createRequire } from 'node:module';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { GlobalFonts } from '@napi-rs/canvas';

/** Family names in fallback order: a character comes from the first family that has it. */
export const FAMILIES = {
  sans: 'DejaVu Sans',
  mono: 'DejaVu Sans Mono',
  serif: 'DejaVu Serif',
  cjk: 'Noto Sans SC',
  korean: 'Noto Sans KR',
  arabic: 'Noto Sans Arabic',
  emoji: 'Noto Color Emoji',
} as const;

/** The CSS font-family list every text in every image uses (after its own first family). */
export const FALLBACK_FAMILIES = [FAMILIES.cjk, FAMILIES.korean, FAMILIES.arabic, FAMILIES.emoji]
  .map((f) => `"${f}"`)
  .join(', ');

const require = createRequire(import.meta.url);

function packageDir(name: string): string {
  try {
    return path.dirname(require.resolve(`${name}/package.json`));
  } catch {
    // Fontsource packages export only their CSS: the package's main file is at its root.
    return path.dirname(require.resolve(name));
  }
}

interface FontFile {
  file: string;
  family: string;
  weight?: number | string;
  style?: 'normal' | 'italic';
}

function dejavu(): FontFile[] {
  const dir = path.join(packageDir('dejavu-fonts-ttf'), 'ttf');
  const face = (file: string, family: string, weight: number, style: 'normal' | 'italic'): FontFile => ({ file: path.join(dir, file), family, weight, style });
  return [
    face('DejaVuSans.ttf', FAMILIES.sans, 400, 'normal'),
    face('DejaVuSans-Bold.ttf', FAMILIES.sans, 700, 'normal'),
    face('DejaVuSans-Oblique.ttf', FAMILIES.sans, 400, 'italic'),
    face('DejaVuSans-BoldOblique.ttf', FAMILIES.sans, 700, 'italic'),
    face('DejaVuSansMono.ttf', FAMILIES.mono, 400, 'normal'),
    face('DejaVuSansMono-Bold.ttf', FAMILIES.mono, 700, 'normal'),
    face('DejaVuSerif.ttf', FAMILIES.serif, 400, 'normal'),
    face('DejaVuSerif-Bold.ttf', FAMILIES.serif, 700, 'normal'),
    face('DejaVuSerif-Italic.ttf', FAMILIES.serif, 400, 'italic'),
    face('DejaVuSerif-BoldItalic.ttf', FAMILIES.serif, 700, 'italic'),
  ];
}

/**
 * Fontsource splits each font into unicode-range slices. `keep` picks the slices this
 * family is for (Latin slices are left out: DejaVu draws Latin, and a second Latin face in
 * the fallback list would only cost memory).
 */
function fontsource(pkg: string, family: string, keep: (file: string) => boolean, weight: string): FontFile[] {
  const dir = path.join(packageDir(pkg), 'files');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.woff2') && keep(f))
    .sort()
    .map((f) => ({ file: path.join(dir, f), family, weight }));
}

/** Every font file the renderer registers, with its family. */
export function fontFiles(): FontFile[] {
  const numberedSlice = (f: string) => /-\d+-wght-normal\.woff2$/.test(f);
  return [
    ...dejavu(),
    ...fontsource('@fontsource-variable/noto-sans-sc', FAMILIES.cjk, numberedSlice, '100 900'),
    ...fontsource('@fontsource-variable/noto-sans-kr', FAMILIES.korean, numberedSlice, '100 900'),
    ...fontsource('@fontsource-variable/noto-sans-arabic', FAMILIES.arabic, (f) => f.includes('-arabic-wght-'), '100 900'),
    { file: path.join(packageDir('@expo-google-fonts/noto-color-emoji'), '400Regular', 'NotoColorEmoji_400Regular.ttf'), family: FAMILIES.emoji },
  ];
}

let registered = false;

/**
 * Register the bundled fonts with Skia (once per process). Throws if a font package is
 * missing or unreadable: images drawn without their fonts would be boxes.
 */
export function registerFonts(): void {
  if (registered) return;
  // Another thread of this process (the pool's main thread, or a sibling worker) did it.
  if (GlobalFonts.has(FAMILIES.emoji) && GlobalFonts.has(FAMILIES.sans) && GlobalFonts.has(FAMILIES.cjk)) {
    registered = true;
    return;
  }
  const failed: string[] = [];
  for (const f of fontFiles()) {
    const descriptors = { weight: f.weight ?? 'normal', style: f.style ?? 'normal' } as const;
    if (!GlobalFonts.registerFromPath(f.file, f.family, descriptors)) failed.push(path.basename(f.file));
  }
  if (failed.length > 0) throw new Error(`Could not load fonts: ${failed.slice(0, 5).join(', ')}${failed.length > 5 ? ` and ${failed.length - 5} more` : ''}`);
  registered = true;
}
