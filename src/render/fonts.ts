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
 * Memory: a TTF registered by path is memory-mapped (only the pages read count, and they can
 * be dropped again), a WOFF2 is decompressed into the process's own memory the first time its
 * family is used: 16-17 MB for each CJK font, 18 MB more for their bold instances. The emoji
 * font is a TTF package for that reason (53 MB as Fontsource's WOFF2). The Fontsource fonts
 * have no TTF package of a reasonable size (Expo's Noto Sans SC ships ten weights), so
 * `prepareFonts` decompresses their WOFF2 slices once, into TTFs in a cache directory
 * (16 MB, ~0.3 s; `npm install` runs it, and so does the bot's start-up if the cache is
 * missing). Without the cache the WOFF2 files are registered: the same images, more memory.
 */
import { createRequire } from 'node:module';
import { lstatSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
  /** The npm package it comes from (for the Fontsource WOFF2 files, which are cached as TTFs). */
  pkg?: string;
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
    .map((f) => ({ file: path.join(dir, f), family, weight, pkg }));
}

/** Every font file the bundled packages provide, with its family (WOFF2 as shipped). */
export function packagedFontFiles(): FontFile[] {
  const numberedSlice = (f: string) => /-\d+-wght-normal\.woff2$/.test(f);
  return [
    ...dejavu(),
    ...fontsource('@fontsource-variable/noto-sans-sc', FAMILIES.cjk, numberedSlice, '100 900'),
    ...fontsource('@fontsource-variable/noto-sans-kr', FAMILIES.korean, numberedSlice, '100 900'),
    ...fontsource('@fontsource-variable/noto-sans-arabic', FAMILIES.arabic, (f) => f.includes('-arabic-wght-'), '100 900'),
    { file: path.join(packageDir('@expo-google-fonts/noto-color-emoji'), '400Regular', 'NotoColorEmoji_400Regular.ttf'), family: FAMILIES.emoji },
  ];
}

// --- TTF cache for the WOFF2 fonts -------------------------------------------------------

/** Written last into a cache directory: the files it lists, with their sizes. */
const MANIFEST = 'complete.json';

interface Manifest {
  files: Record<string, number>;
}

/**
 * Directories the TTFs may be cached in, most preferred first: beside the packages (written
 * by `npm install`, read-only in the Docker image), then a private one in the temp directory
 * (for an install whose node_modules cannot be written).
 */
export function fontCacheDirs(): string[] {
  const nodeModules = path.resolve(packageDir('dejavu-fonts-ttf'), '..');
  const uid = typeof process.getuid === 'function' ? process.getuid() : 'user';
  return [path.join(nodeModules, '.cache', 'backprop-fonts'), path.join(tmpdir(), `backprop-fonts-${uid}`)];
}

/** One cache folder per set of font packages: a new package version gets a new folder. */
function cacheKey(woff2: FontFile[]): string {
  const packages = [...new Set(woff2.flatMap((f) => (f.pkg ? [f.pkg] : [])))];
  return packages
    .map((pkg) => {
      const { version } = JSON.parse(readFileSync(path.join(packageDir(pkg), 'package.json'), 'utf8')) as { version: string };
      return `${pkg.split('/').at(-1)}@${version}`;
    })
    .join('+');
}

/** Write then rename: a reader never sees half a file. */
function writeWhole(target: string, data: string | Uint8Array): void {
  const partial = `${target}.${process.pid}.partial`;
  writeFileSync(partial, data);
  renameSync(partial, target);
}

const ttfName = (woff2: string) => path.basename(woff2).replace(/\.woff2$/, '.ttf');

/** The cache directory holding a TTF for every WOFF2 in `woff2`, if one is complete. */
function completeCache(woff2: FontFile[]): string | undefined {
  const key = cacheKey(woff2);
  for (const base of fontCacheDirs()) {
    const dir = path.join(base, key);
    try {
      if (!ownedDirectory(base) || !ownedDirectory(dir)) continue;
      const manifest = JSON.parse(readFileSync(path.join(dir, MANIFEST), 'utf8')) as Manifest;
      if (woff2.every((f) => statSync(path.join(dir, ttfName(f.file))).size === manifest.files[ttfName(f.file)])) return dir;
    } catch {
      // Missing or partial: try the next one.
    }
  }
  return undefined;
}

/** A real directory (not a link) owned by this user: nobody else can plant fonts in it. */
function ownedDirectory(dir: string): boolean {
  const st = lstatSync(dir);
  if (!st.isDirectory()) return false;
  return typeof process.getuid !== 'function' || st.uid === process.getuid() || st.uid === 0;
}

type Decompress = (woff2: Uint8Array) => Promise<Uint8Array>;

/**
 * Makes sure a TTF cache of the WOFF2 fonts exists (idempotent; a no-op when one does).
 * Returns the directory, and how many files were written now; undefined if no directory
 * could be written (the WOFF2 files are then registered as they are).
 */
export async function prepareFonts(): Promise<{ dir: string; written: number } | undefined> {
  const woff2 = packagedFontFiles().filter((f) => f.file.endsWith('.woff2'));
  const existing = completeCache(woff2);
  if (existing) return { dir: existing, written: 0 };
  let decompress: Decompress;
  try {
    // Google's WOFF2 decoder compiled to WebAssembly (wawoff2, from fontello): no native code.
    decompress = require('wawoff2/decompress.js') as Decompress;
  } catch {
    return undefined;
  }
  const key = cacheKey(woff2);
  for (const base of fontCacheDirs()) {
    const dir = path.join(base, key);
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      if (!ownedDirectory(base) || !ownedDirectory(dir)) continue;
      const files: Record<string, number> = {};
      for (const f of woff2) {
        const ttf = await decompress(readFileSync(f.file));
        writeWhole(path.join(dir, ttfName(f.file)), ttf);
        files[ttfName(f.file)] = ttf.byteLength;
      }
      writeWhole(path.join(dir, MANIFEST), JSON.stringify({ files } satisfies Manifest));
      return { dir, written: woff2.length };
    } catch {
      // Not writable (a read-only image, a full disk): try the next directory.
    }
  }
  return undefined;
}

/**
 * Every font file the renderer registers: the packaged files, with each WOFF2 replaced by
 * its cached TTF when `prepareFonts` has made the cache.
 */
export function fontFiles(): FontFile[] {
  const files = packagedFontFiles();
  const cache = completeCache(files.filter((f) => f.file.endsWith('.woff2')));
  if (!cache) return files;
  return files.map((f) => (f.file.endsWith('.woff2') ? { ...f, file: path.join(cache, ttfName(f.file)) } : f));
}

let registered = false;

/**
 * Register the bundled fonts with Skia (once per process; called before the first drawing,
 * not at import, so that start-up can run `prepareFonts` first). Throws if a font package
 * is missing or unreadable: images drawn without their fonts would be boxes.
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
