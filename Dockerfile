# syntax=docker/dockerfile:1
#
# The origin image: `noesis-origin serve` on $PORT (default 8080), as a non-root user.
# Build from the repo root: docker build -t noesis-origin .
#
# Stages: cargo-chef plans the dependency graph from the manifests alone, so the layer that
# compiles dependencies is rebuilt only when Cargo.toml or Cargo.lock change, not on every
# source edit; the runtime stage carries the binary and nothing of the toolchain.

ARG RUST_VERSION=1.95
ARG DEBIAN_RELEASE=trixie

FROM rust:${RUST_VERSION}-slim-${DEBIAN_RELEASE} AS chef
RUN cargo install --locked cargo-chef@0.1.78
WORKDIR /app

FROM chef AS planner
COPY . .
RUN cargo chef prepare --bin noesis-origin --recipe-path recipe.json

FROM chef AS builder
COPY --from=planner /app/recipe.json recipe.json
RUN cargo chef cook --release --locked --bin noesis-origin --recipe-path recipe.json
COPY . .
RUN cargo build --release --locked --bin noesis-origin

FROM debian:${DEBIAN_RELEASE}-slim AS runtime
# The CA roots: outgoing HTTPS (PostHog) verifies against the system store.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --system --user-group --uid 10001 --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin noesis \
    && install -d -o noesis -g noesis /var/lib/noesis
COPY --from=builder /app/target/release/noesis-origin /usr/local/bin/noesis-origin
# The probe is plain bash (/dev/tcp), which every Debian image has: no curl needed.
COPY scripts/container-healthcheck /usr/local/bin/noesis-healthcheck
USER noesis:noesis
# Production sets DATABASE_URL (Postgres); without it the origin keeps an SQLite file here,
# which lasts only as long as the container unless a volume is mounted on /var/lib/noesis.
ENV PORT=8080 \
    LOG_FORMAT=json \
    NOESIS_SQLITE_PATH=/var/lib/noesis/noesis.sqlite
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["noesis-healthcheck"]
CMD ["noesis-origin", "serve"]
