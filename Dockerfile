# changewatch worker and command-line image.
#   docker build -t changewatch .
#   docker run --rm -e REDIS_URL=redis://host:6379 -v cw-data:/data changewatch worker --concurrency 2
# See docker-compose.yml for Redis plus several workers sharing one data volume.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would compile before the sources are here; sharp ships prebuilt
# binaries as optional dependencies and needs no install script.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY pipeline ./pipeline
COPY workers ./workers
COPY config ./config
COPY cli ./cli
COPY samples ./samples
RUN npm run build && npm prune --omit=dev --ignore-scripts --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    CHANGEWATCH_DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The sample pairs, so `submit samples/tumen/before.tif samples/tumen/after.tif` works in any container.
COPY --from=build /app/samples ./samples
# A named volume mounted here starts with this ownership, so the unprivileged user can write runs.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
ENTRYPOINT ["node", "/app/dist/cli/main.js"]
CMD ["worker"]
