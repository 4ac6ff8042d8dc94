# A file removed in a later RUN still costs its size in the earlier layer.
FROM debian:bookworm-slim
RUN dd if=/dev/zero of=/big.bin bs=1M count=50
RUN rm /big.bin
