# syntax=docker/dockerfile:1
# pg-backup-guard webhook (and CLI) image. Not built in this repository's CI machine (no Docker engine
# there); build with: docker build -t pg-backup-guard:dev .
# ---- build: compile TypeScript to dist/ and bundle the CLI into dist/cli.mjs (scripts/build-cli.ts) ----
FROM node:24-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# Scripts are skipped: "prepare" builds, which needs the sources copied below.
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts/build-cli.ts ./scripts/
RUN npm run build

# ---- production dependencies only ---------------------------------------------------------------------
FROM node:24-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force

# ---- runtime: distroless Node 24, non-root, nothing but node, dist/ and production node_modules ----
FROM gcr.io/distroless/nodejs24-debian12:nonroot
WORKDIR /app
ENV NODE_ENV=production
COPY --from=deps --chown=65532:65532 /app/node_modules ./node_modules
COPY --from=build --chown=65532:65532 /src/dist ./dist
COPY --chown=65532:65532 package.json ./
COPY --chown=65532:65532 bin ./bin
USER 65532:65532
EXPOSE 8443
# The distroless entrypoint is node itself. Node flags NODE_OPTIONS refuses (e.g. --optimize-for-size, measured in
# bench/RESULTS.md "Webhook at cluster scale": less memory, more CPU per request; not the default) go between node and
# the script: the chart's nodeFlags value overrides the command that way.
ENTRYPOINT ["/nodejs/bin/node", "/app/bin/pg-backup-guard.js"]
CMD ["serve", "--tls-cert=/etc/pg-backup-guard/tls/tls.crt", "--tls-key=/etc/pg-backup-guard/tls/tls.key"]
