# Cleanup in a later RUN saves nothing: the lists are already in the first layer.
FROM debian:bookworm-slim
RUN apt-get update
RUN apt-get install -y --no-install-recommends python3
RUN rm -rf /var/lib/apt/lists/*
