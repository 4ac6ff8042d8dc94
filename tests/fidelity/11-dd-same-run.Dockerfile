# Made and removed in one RUN: nothing in the layer.
FROM debian:bookworm-slim
RUN dd if=/dev/zero of=/big.bin bs=1M count=50 && rm /big.bin
RUN mkdir -p /data && dd if=/dev/zero of=/data/blob bs=4096 count=300 && truncate -s 2M /data/sparse
