/** Decode PNGs and inspect real pixels (test helper). */
import { decodePng, type DecodedImage } from '../../support/png.js';

export { decodePng };
export type Pixels = DecodedImage;

export function hexToRgb(hex: string): [number, number, number] {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new Error(`bad colour ${hex}`);
  return [parseInt(m[1]!, 16), parseInt(m[2]!, 16), parseInt(m[3]!, 16)];
}

/** Pixels within `tolerance` (per channel) of `hex` and fully opaque. */
export function countColor(p: Pixels, hex: string, tolerance = 2): number {
  const [r, g, b] = hexToRgb(hex);
  let n = 0;
  for (let i = 0; i < p.data.length; i += 4) {
    if (
      p.data[i + 3] === 255 &&
      Math.abs(p.data[i]! - r) <= tolerance &&
      Math.abs(p.data[i + 1]! - g) <= tolerance &&
      Math.abs(p.data[i + 2]! - b) <= tolerance
    ) {
      n++;
    }
  }
  return n;
}

export function pixelAt(p: Pixels, x: number, y: number): [number, number, number, number] {
  const i = (y * p.width + x) * 4;
  return [p.data[i]!, p.data[i + 1]!, p.data[i + 2]!, p.data[i + 3]!];
}

/** Number of distinct colours (a blank image has one). */
export function distinctColors(p: Pixels, limit = 1000): number {
  const seen = new Set<number>();
  for (let i = 0; i < p.data.length && seen.size < limit; i += 4) {
    seen.add((p.data[i]! << 24) | (p.data[i + 1]! << 16) | (p.data[i + 2]! << 8) | p.data[i + 3]!);
  }
  return seen.size;
}

/** Pixels far from grey: emoji are colourful; text and formulas on a theme are not. */
export function colourfulPixels(p: Pixels): number {
  let n = 0;
  for (let i = 0; i < p.data.length; i += 4) {
    const [r, g, b] = [p.data[i]!, p.data[i + 1]!, p.data[i + 2]!];
    if (Math.max(r, g, b) - Math.min(r, g, b) > 80) n++;
  }
  return n;
}

/** Pixels darker than mid-grey in every channel (ink on the light theme). */
export function darkPixels(p: Pixels): number {
  let n = 0;
  for (let i = 0; i < p.data.length; i += 4) if (p.data[i]! < 128 && p.data[i + 1]! < 128 && p.data[i + 2]! < 128) n++;
  return n;
}
