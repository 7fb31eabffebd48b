# syntax=docker/dockerfile:1
# One stage: nothing is compiled natively any more. Skia (@napi-rs/canvas) is a prebuilt
# binary from the npm registry and every font is an npm package, so the image needs no build
# tools, no cairo/pango and no font packages: the slim Node image plus tini.
FROM node:20-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json prisma.config.ts tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY prisma ./prisma
COPY src ./src
COPY commands ./commands
COPY question-bank ./question-bank
# One layer: install (postinstall generates the Prisma client offline and caches the CJK
# fonts as TTFs), compile TypeScript to dist/, check the bank, drop the dev dependencies and
# npm's cache (fonts:prepare again: a no-op unless the prune took the font cache).
RUN npm ci --no-audit --no-fund \
 && npm run build \
 && npm run bank:check \
 && npm prune --omit=dev --no-audit --no-fund \
 && npm run fonts:prepare \
 && npm cache clean --force \
 && mkdir -p /app/data && chown node:node /app/data
# The allocator as `npm start` sets it: glibc's per-thread malloc arenas cost the bot and its
# render worker threads 60-100 MB of RSS otherwise, and a fixed 128 KB mmap threshold gives
# freed canvases back at once (glibc's dynamic threshold kept 100 MB more after 1,000 renders).
ENV NODE_ENV=production DATA_DIR=/app/data METRICS_PORT=9464 MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=131072
USER node
EXPOSE 9464
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
  CMD node -e "fetch('http://127.0.0.1:'+process.env.METRICS_PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# tini forwards SIGTERM so the bot can finish in-flight interactions and exit 0.
ENTRYPOINT ["tini", "--"]
# The same start-up as `npm start` (migrations, then Discord), from compiled JavaScript.
# The flags as in package.json's start: a 1 MB young generation and WebAssembly (Prisma's
# query compiler) compiled function by function when first called: 25-35 MB less RSS idle.
CMD ["node", "--max-semi-space-size=1", "--wasm-lazy-compilation", "dist/src/main.js"]
