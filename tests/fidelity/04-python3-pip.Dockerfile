# python3-pip with its Recommends (build-essential and friends).
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y python3-pip && rm -rf /var/lib/apt/lists/*
