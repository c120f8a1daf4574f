# One image for every function, the relay, the chain source and the migration Job; the command picks
# which (knative/base). The bundle (build.mjs) carries every runtime dependency, so the image holds
# no node_modules at all: dist/, the launcher and the migrations. test/functions/image-layout.test.ts
# lays a folder out as the last stage does and starts the bundle from it.
# Node 24: the maintained LTS (Node 20 reached its end of life in April 2026).

FROM node:24-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# npm ci applies the fixes the project carries for its dependencies (patches/, package.json's postinstall).
COPY patches ./patches
RUN npm ci --no-audit --no-fund
COPY . .
# Prisma's CLI only generates here; the schema engine it would download is never run (Makefile).
ENV PRISMA_SCHEMA_ENGINE_BINARY=/src/package.json
RUN npx prisma generate && node build.mjs
# The V8 code cache, written here because the last stage's root file system may be read-only: one
# function started (no database needed to start), its cache written after warm-up (bin/launch.js).
RUN KNPAY_WRITE_CODE_CACHE=1 DATABASE_URL=postgresql://build@127.0.0.1:1/none PORT=0 node bin/launch.js cron

FROM node:24-bookworm-slim
ENV NODE_ENV=production MALLOC_ARENA_MAX=1 MALLOC_MMAP_THRESHOLD_=262144
WORKDIR /app
COPY --from=build /src/dist ./dist
COPY --from=build /src/bin/launch.js ./bin/launch.js
COPY --from=build /src/prisma/migrations ./prisma/migrations
# The node user of the official image (uid 1000): nothing here is writable by it, so the root file
# system can be mounted read-only (the launcher then runs without writing its code cache).
USER 1000
EXPOSE 8080
CMD ["node", "--v8-pool-size=1", "bin/launch.js"]
