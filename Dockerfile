# syntax=docker/dockerfile:1
# One image for every G-Mart service. Build once, choose the service at run time:
#   docker build -t gmart .
#   docker run --read-only --tmpfs /tmp -e KAFKA_BROKERS=kafka:19092 gmart masking
# or bake a default: docker build --build-arg SERVICE=rewards -t gmart-rewards .
ARG NODE_IMAGE=node:22-bookworm-slim

# --- manifests: only the package.json files (and the dependency patches `npm ci` applies through
# patch-package), so dependency layers are cached across source edits ---
FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN mkdir /out \
 && find . -name package.json -not -path '*/node_modules/*' -exec sh -c 'mkdir -p "/out/$(dirname "$1")" && cp "$1" "/out/$1"' _ {} \; \
 && cp package-lock.json /out/ \
 && cp -R patches /out/

# --- build: all dependencies, compile every workspace (nx: tsc -p tsconfig.build.json into dist/) ---
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY --from=manifests /out/ ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build \
 && mkdir /dist-out \
 && for d in libs/* apps/* deploy; do \
      if [ -d "$d/dist" ]; then mkdir -p "/dist-out/$d" && cp -R "$d/dist" "/dist-out/$d/"; fi; \
    done

# --- prod-deps: production dependencies only ---
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY --from=manifests /out/ ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# --- runtime ---
FROM ${NODE_IMAGE} AS runtime
ARG SERVICE=""
# glibc malloc: two arenas for V8's and libuv's threads instead of up to 8 per core (deploy/README.md, glibc malloc).
ENV NODE_ENV=production \
    GMART_SERVICE=${SERVICE} \
    STATE_DIR=/var/lib/gmart/state \
    MALLOC_ARENA_MAX=2
WORKDIR /app
COPY --from=prod-deps --chown=root:root /app/ ./
COPY --from=build --chown=root:root /dist-out/ ./
COPY --chown=root:root deploy/topics.yaml deploy/topics.yaml
COPY --chown=root:root deploy/docker/entrypoint.sh /usr/local/bin/gmart
COPY --chown=root:root deploy/docker/healthcheck.js /usr/local/lib/gmart/healthcheck.js
# Code is owned by root and read-only for the app user; the only writable places are the state volume
# and /tmp (mount a tmpfs there when the root filesystem is read-only).
RUN chmod 0755 /usr/local/bin/gmart \
 && mkdir -p /var/lib/gmart/state \
 && chown 10001:10001 /var/lib/gmart/state
VOLUME ["/var/lib/gmart/state"]
USER 10001:10001
EXPOSE 8081 8082 8083 8084 8085 8086
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "/usr/local/lib/gmart/healthcheck.js"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/gmart"]
CMD []
