# syntax=docker/dockerfile:1
# abs-metadata-bridge: multi-stage build. Not built on the development machines (no Docker
# engine there); see docs/service.md.

# ---- build: all dependencies, compile TypeScript, then drop dev dependencies --------------
FROM node:22-bookworm-slim AS build
WORKDIR /app
# Toolchain for native modules without a reachable prebuilt binary (sqlite3 under @keyv/sqlite).
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build \
 && npm prune --omit=dev

# ---- runtime: node, tini as PID 1, ffprobe for chapters, non-root -------------------------
FROM node:22-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini ffmpeg ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Heap limits: the bridge's live heap stays near 35 MB at any library size; without a limit V8
# lets garbage pile up to ~150 MB before collecting, and 8 MB semi-spaces keep the young
# generation small (docs/bridge.md, Measured). The bridge bench reads this line.
ENV NODE_ENV=production \
    NODE_OPTIONS="--max-old-space-size=128 --max-semi-space-size=8" \
    ABS_BRIDGE_DATA_DIR=/data \
    ABS_BRIDGE_HTTP_HOST=0.0.0.0
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 8787
# /healthz needs no token. Node's fetch, because the slim image has no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8787/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# tini forwards SIGTERM so `run` drains its queue and closes the cache on `docker stop`.
ENTRYPOINT ["/usr/bin/tini", "--", "node", "dist/cli/main.js"]
CMD ["run"]
