# syntax=docker/dockerfile:1
# Build stage: compiles node-canvas from source (its prebuilt binaries live on GitHub),
# generates the Prisma client and compiles TypeScript to dist/.
FROM node:20-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential pkg-config python3 \
      libcairo2-dev libpango1.0-dev libjpeg-dev libgif-dev librsvg2-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json prisma.config.ts ./
COPY scripts ./scripts
COPY prisma ./prisma
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY commands ./commands
COPY question-bank ./question-bank
RUN npm run build && npm run bank:check && npm prune --omit=dev

# Runtime stage: only the shared libraries canvas links against, fonts, and the app.
FROM node:20-bookworm-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends libcairo2 libpango-1.0-0 libpangocairo-1.0-0 \
      libjpeg62-turbo libgif7 librsvg2-2 fontconfig fonts-dejavu-core fonts-noto-cjk fonts-noto-color-emoji tini \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production DATA_DIR=/app/data METRICS_PORT=9464
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/question-bank ./question-bank
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 9464
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
  CMD node -e "fetch('http://127.0.0.1:'+process.env.METRICS_PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# tini forwards SIGTERM so the bot can finish in-flight interactions and exit 0.
ENTRYPOINT ["tini", "--"]
# Same start-up as `npm start` (migrations, then Discord), from compiled JavaScript.
CMD ["node", "dist/src/main.js"]
