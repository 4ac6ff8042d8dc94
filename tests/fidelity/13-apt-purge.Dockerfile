# Install, use and purge in one RUN: what purge and autoremove leave behind.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl && apt-get purge -y --auto-remove curl && rm -rf /var/lib/apt/lists/*
