# syntax=docker/dockerfile:1
# One build of every service and the officer console; SERVICE picks the binary a runtime
# image carries:
#   docker build --build-arg SERVICE=register -t housing/register:0.1.0 .
#   buildah build --build-arg SERVICE=register -t housing/register:0.1.0 .
# The build stage does not depend on SERVICE, so the six images share it.

# Kubernetes probes the gRPC health service; the runtime image has no shell or client that
# a HEALTHCHECK could run.
# checkov:skip=CKV_DOCKER_2:Kubernetes probes the gRPC health service instead

# The console's GOV.UK Design System and MoJ patterns, from npm by the committed lock file.
FROM docker.io/library/node:20-bookworm-slim AS assets
WORKDIR /assets
COPY services/console/package.json services/console/package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM docker.io/library/rust:1-slim-bookworm AS build
WORKDIR /src
COPY . .
# protox compiles the protos inside cargo: no protoc. The cache mounts keep the registry
# and incremental artefacts between builds; the binaries are copied out of them.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked --bins \
        -p register -p temporary-accommodation -p nominations -p rent -p documents -p console \
 && mkdir -p /out \
 && for service in register temporary-accommodation nominations rent documents console; do \
        cp "target/release/$service" /out/; \
    done

FROM build AS pick
ARG SERVICE
RUN case "$SERVICE" in \
      register|temporary-accommodation|nominations|rent|documents|console) ;; \
      *) echo "--build-arg SERVICE= must name a service: register, temporary-accommodation, nominations, rent, documents or console" >&2; exit 1 ;; \
    esac \
 && cp "/out/$SERVICE" /service

# Debian 12, as the builder, so the binaries find the glibc they were linked against.
FROM gcr.io/distroless/cc-debian12:nonroot
ARG SERVICE
LABEL org.opencontainers.image.title="housing-${SERVICE}" \
      org.opencontainers.image.description="Housing allocations platform: the ${SERVICE} service" \
      org.opencontainers.image.licenses="AGPL-3.0-or-later"
WORKDIR /app
COPY --from=pick /service /app/service
# The register's example allocations scheme (HOUSING__SERVICE__SCHEME_FILE); harmless in
# the other images, and the same path everywhere keeps one Dockerfile.
COPY services/register/schemes/ /app/schemes/
# The console's front end (HOUSING__SERVICE__ASSETS_DIR=/app/assets), likewise everywhere.
COPY --from=assets /assets/node_modules/govuk-frontend/dist/ /app/assets/govuk-frontend/dist/
COPY --from=assets /assets/node_modules/@ministryofjustice/frontend/moj/ /app/assets/@ministryofjustice/frontend/moj/
# distroless's nonroot user; the manifests run as the same id.
USER 65532:65532
ENTRYPOINT ["/app/service"]
CMD ["serve"]
