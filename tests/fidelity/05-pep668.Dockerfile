# Debian's Python is externally managed: pip refuses (PEP 668) and the build fails.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends python3-pip && rm -rf /var/lib/apt/lists/*
RUN pip install flask
