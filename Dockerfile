# Bazaar: one image for every process. `bazaar-entrypoint` picks what runs:
#   catalog|inventory|ordering|customer [command|projector|query|<comma list>|all]
#   gateway
#   cli <bazaar arguments>            (e.g. `cli migrate`, the Helm chart's hook Job)
# BASE_IMAGE: any Debian-based image with Node 24 and npm (default the official slim image);
# deploy/image/build.sh assembles one locally where no registry is reachable.
ARG BASE_IMAGE=node:24-slim

FROM ${BASE_IMAGE} AS build
WORKDIR /src
ENV TURBO_TELEMETRY_DISABLED=1 NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false
COPY . .
# Every workspace's dependencies (dev too: tsc, buf, ts-proto, turbo) and the runtime's build.
# A secret `ca` (optional) is a CA bundle to trust for the registry, e.g. behind a TLS-inspecting
# proxy (deploy/image/build.sh passes the machine's); it is mounted for the step only, never stored.
RUN --mount=type=cache,target=/root/.npm --mount=type=secret,id=ca \
    if [ -s /run/secrets/ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/ca; fi && \
    npm ci
RUN npx turbo run build --output-logs=errors-only \
      --filter=@bazaar/cli --filter=@bazaar/gateway \
      --filter=@bazaar/catalog --filter=@bazaar/inventory --filter=@bazaar/ordering --filter=@bazaar/customer \
      --filter=@bazaar/console
# What the runtime stage takes: every workspace's package.json (npm ci checks the lock against
# all of them), the built output of those that run, and the web console's static assets (the
# gateway serves console/dist at /console).
RUN mkdir -p /out && \
    for ws in packages/* services/* gateway cli console benchmarks loadtests; do \
      mkdir -p "/out/$ws" && cp "$ws/package.json" "/out/$ws/"; \
    done && \
    for ws in packages/core packages/contracts packages/event-store packages/messaging packages/projections \
              packages/runtime packages/service-kit services/* gateway cli; do \
      cp -r "$ws/dist" "/out/$ws/"; \
    done && \
    cp packages/contracts/descriptors.binpb /out/packages/contracts/ && \
    cp -r console/dist /out/console/ && \
    cp package.json package-lock.json /out/

FROM ${BASE_IMAGE} AS runtime
ENV NODE_ENV=production NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false
WORKDIR /app
COPY --from=build /out/ /app/
# Production dependencies of the workspaces that run (not the test and benchmark ones); no
# install scripts: none of them needs one at runtime. npm's cache is a build cache, not a layer.
RUN --mount=type=cache,target=/root/.npm --mount=type=secret,id=ca \
    if [ -s /run/secrets/ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/ca; fi && \
    npm ci --omit=dev --ignore-scripts --include-workspace-root=false \
      -w packages/core -w packages/contracts -w packages/event-store -w packages/messaging \
      -w packages/projections -w packages/runtime -w packages/service-kit \
      -w services/catalog -w services/inventory -w services/ordering -w services/customer \
      -w gateway -w cli
COPY deploy/image/bazaar-entrypoint /usr/local/bin/bazaar-entrypoint
RUN chmod 0755 /usr/local/bin/bazaar-entrypoint && \
    groupadd --gid 10001 bazaar && \
    useradd --uid 10001 --gid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin bazaar
# The code stays root's and read-only to the process (runs with a read-only root filesystem).
USER 10001:10001
EXPOSE 8080 50051 50052 50053 50054 9464 9465 9466 9467
ENTRYPOINT ["/usr/local/bin/bazaar-entrypoint"]
CMD ["gateway"]
