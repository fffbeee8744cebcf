# syntax=docker/dockerfile:1
# One build of every service; SERVICE picks the binary a runtime image carries:
#   docker build --build-arg SERVICE=register -t housing/register:0.1.0 .
#   buildah build --build-arg SERVICE=register -t housing/register:0.1.0 .
# The build stage does not depend on SERVICE, so the five images share it.

# Kubernetes probes the gRPC health service; the runtime image has no shell or client that
# a HEALTHCHECK could run.
# checkov:skip=CKV_DOCKER_2:Kubernetes probes the gRPC health service instead

FROM docker.io/library/rust:1-slim-bookworm AS build
WORKDIR /src
COPY . .
# protox compiles the protos inside cargo: no protoc. The cache mounts keep the registry
# and incremental artefacts between builds; the binaries are copied out of them.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked --bins \
        -p register -p temporary-accommodation -p nominations -p rent -p documents \
 && mkdir -p /out \
 && for service in register temporary-accommodation nominations rent documents; do \
        cp "target/release/$service" /out/; \
    done

FROM build AS pick
ARG SERVICE
RUN case "$SERVICE" in \
      register|temporary-accommodation|nominations|rent|documents) ;; \
      *) echo "--build-arg SERVICE= must name a service: register, temporary-accommodation, nominations, rent or documents" >&2; exit 1 ;; \
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
# distroless's nonroot user; the manifests run as the same id.
USER 65532:65532
ENTRYPOINT ["/app/service"]
CMD ["serve"]
