/** Google's WOFF2 decoder (wawoff2, WebAssembly), as src/render/fonts.ts loads it. */
import { createRequire } from 'node:module';

export const decompress = createRequire(import.meta.url)('wawoff2/decompress.js') as (woff2: Uint8Array) => Promise<Uint8Array>;
