/**
 * `npm install` runs this (postinstall): the WOFF2 fonts are decompressed once into TTFs,
 * which Skia memory-maps instead of decompressing into every bot process (src/render/fonts.ts).
 * It never fails the install: without the cache the bot draws the same images with more
 * memory, and its start-up tries again.
 */
import { prepareFonts } from '../src/render/fonts.js';

const t0 = performance.now();
try {
  const done = await prepareFonts();
  if (!done) console.warn('backprop: fonts: no writable cache directory; the WOFF2 fonts will be decompressed in memory');
  else if (done.written > 0) console.log(`backprop: fonts: ${done.written} TTFs written to ${done.dir} in ${Math.round(performance.now() - t0)} ms`);
} catch (err) {
  console.warn(`backprop: fonts: could not prepare the TTF cache: ${err instanceof Error ? err.message : String(err)}`);
}
