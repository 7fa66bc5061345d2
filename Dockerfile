# Multi-stage build: compile with the full toolchain, ship a small image that runs as a
# non-root user and keeps its database on a volume.
FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock build.rs ./
# How SQLite is compiled (fdatasync, no memory statistics): read by libsqlite3-sys.
COPY .cargo ./.cargo
COPY src ./src
COPY benches ./benches
COPY migrations ./migrations
COPY prompts ./prompts
COPY assets ./assets
COPY link ./link
# The release profile leaves out debug info and strips what the standard library brings, keeping
# symbols so that a panic's backtrace still names its functions.
RUN cargo build --release --locked --bin mentorbot

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /data --create-home mentorbot
COPY --from=build /src/target/release/mentorbot /usr/local/bin/mentorbot
USER mentorbot
WORKDIR /data
VOLUME ["/data"]
ENV DATABASE_URL=sqlite:/data/mentorbot.db \
    RUST_LOG=info
# GET /healthz, the web view (with MENTORBOT_PUBLIC_URL) and Slack's routes over HTTP, when
# MENTORBOT_HTTP_ADDR is set (for example 0.0.0.0:8080).
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/mentorbot"]
