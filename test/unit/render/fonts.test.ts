import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { GlobalFonts, createCanvas } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { decompress } from '../../support/woff2.js';
import { fontFiles, packagedFontFiles, prepareFonts } from '../../../src/render/fonts.js';

/** `text` drawn in `family` (black on white, 96 px), as raw RGBA. */
function draw(family: string, text: string, weight = 'normal'): Uint8ClampedArray {
  const canvas = createCanvas(260, 120);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, 260, 120);
  ctx.fillStyle = '#000000';
  ctx.font = `${weight} 96px "${family}"`;
  ctx.fillText(text, 10, 100);
  return ctx.getImageData(0, 0, 260, 120).data;
}

const ink = (px: Uint8ClampedArray) => px.filter((v, i) => i % 4 === 0 && v < 128).length;

describe('fonts: WOFF2 slices cached as TTFs (memory-mapped by Skia instead of decompressed into the process)', () => {
  it('prepareFonts caches a TTF for every WOFF2 (idempotent), and fontFiles registers those instead', async () => {
    const first = await prepareFonts();
    expect(first).toBeDefined();
    const again = await prepareFonts();
    expect(again).toEqual({ dir: first!.dir, written: 0 });
    const woff2 = packagedFontFiles().filter((f) => f.file.endsWith('.woff2'));
    expect(woff2.length).toBeGreaterThan(150); // the CJK fonts come as ~100 slices each
    const files = fontFiles();
    expect(files.filter((f) => f.file.endsWith('.woff2'))).toEqual([]);
    expect(files).toHaveLength(packagedFontFiles().length);
    for (const f of files) expect(existsSync(f.file), f.file).toBe(true);
    // Each TTF is its WOFF2 decompressed: a TrueType header, not WOFF2's 'wOF2'.
    const ttf = files.find((f) => f.family === 'Noto Sans SC')!;
    expect(readFileSync(ttf.file).subarray(0, 4)).toEqual(Buffer.from([0, 1, 0, 0]));
  });

  it('a cached TTF draws exactly what its WOFF2 draws, regular and bold (variable weight)', async () => {
    await prepareFonts();
    // The first Chinese slice with an ideograph in its basic cmap, and that character.
    const sc = packagedFontFiles().filter((f) => f.family === 'Noto Sans SC');
    let woff2 = '';
    let text: string | undefined;
    for (const f of sc) {
      text = await firstIdeographOf(f.file);
      woff2 = f.file;
      if (text) break;
    }
    expect(text).toBeDefined();
    const ttf = fontFiles().find((f) => path.basename(f.file, '.ttf') === path.basename(woff2, '.woff2'))!.file;
    expect(ttf.endsWith('.ttf')).toBe(true);
    expect(GlobalFonts.registerFromPath(woff2, 'Test SC woff2', { weight: '100 900', style: 'normal' })).toBeTruthy();
    expect(GlobalFonts.registerFromPath(ttf, 'Test SC ttf', { weight: '100 900', style: 'normal' })).toBeTruthy();
    for (const weight of ['normal', 'bold']) {
      const a = draw('Test SC woff2', text!, weight);
      expect(ink(a), `${weight}: the glyph is drawn`).toBeGreaterThan(300);
      expect(Buffer.from(draw('Test SC ttf', text!, weight)).equals(Buffer.from(a)), weight).toBe(true);
    }
    expect(ink(draw('Test SC ttf', text!, 'bold'))).toBeGreaterThan(ink(draw('Test SC ttf', text!, 'normal')));
  });
});

/** The first CJK ideograph a font file maps in its format-4 cmap (read from the decompressed TTF). */
async function firstIdeographOf(woff2File: string): Promise<string | undefined> {
  const ttf = Buffer.from(await decompress(readFileSync(woff2File)));
  const tables = ttf.readUInt16BE(4);
  for (let i = 0; i < tables; i++) {
    const rec = 12 + i * 16;
    if (ttf.toString('latin1', rec, rec + 4) !== 'cmap') continue;
    const cmap = ttf.readUInt32BE(rec + 8);
    for (let j = 0; j < ttf.readUInt16BE(cmap + 2); j++) {
      const sub = cmap + ttf.readUInt32BE(cmap + 4 + j * 8 + 4);
      if (ttf.readUInt16BE(sub) !== 4) continue;
      const segs = ttf.readUInt16BE(sub + 6) / 2;
      for (let k = 0; k < segs; k++) {
        const end = ttf.readUInt16BE(sub + 14 + k * 2);
        const start = ttf.readUInt16BE(sub + 16 + segs * 2 + k * 2);
        for (let c = start; c <= end && c !== 0xffff; c++) if (c >= 0x4e00 && c <= 0x9fff) return String.fromCodePoint(c);
      }
    }
  }
  return undefined;
}
