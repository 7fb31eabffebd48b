import { createCanvas, loadImage } from '@napi-rs/canvas';

export interface DecodedImage {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

/** Decodes a PNG into RGBA pixels (real decoding, via Skia). */
export async function decodePng(png: Buffer): Promise<DecodedImage> {
  expect8(png);
  const img = await loadImage(png);
  const canvas = createCanvas(img.width, img.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(img, 0, 0);
  const { data } = ctx.getImageData(0, 0, img.width, img.height);
  return { width: img.width, height: img.height, data };
}

function expect8(png: Buffer): void {
  if (png.subarray(0, 8).toString('hex') !== '89504e470d0a1a0a') throw new Error('not a PNG');
}

export const hex = (h: string): [number, number, number] => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)];

/** Share of pixels within `tolerance` (per channel) of the colour. */
export function colourShare(img: DecodedImage, rgb: [number, number, number], tolerance = 8): number {
  let hits = 0;
  const n = img.width * img.height;
  for (let i = 0; i < n; i++) {
    const o = i * 4;
    if (Math.abs(img.data[o]! - rgb[0]) <= tolerance && Math.abs(img.data[o + 1]! - rgb[1]) <= tolerance && Math.abs(img.data[o + 2]! - rgb[2]) <= tolerance) hits++;
  }
  return hits / n;
}

/** Number of distinct colours (quantised to 4 bits a channel): a blank image has one or two. */
export function distinctColours(img: DecodedImage): number {
  const seen = new Set<number>();
  for (let o = 0; o < img.data.length; o += 4) seen.add(((img.data[o]! >> 4) << 8) | ((img.data[o + 1]! >> 4) << 4) | (img.data[o + 2]! >> 4));
  return seen.size;
}
