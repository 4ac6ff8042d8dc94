# apt without cleanup: the lists stay in the layer.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y curl
