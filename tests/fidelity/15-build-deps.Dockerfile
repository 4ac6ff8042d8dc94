# A compiler toolchain, then apt-get clean (which the slim image's docker-clean already does).
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev make && apt-get clean && rm -rf /var/lib/apt/lists/*
