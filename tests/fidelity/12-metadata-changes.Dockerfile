# chmod and chown re-add whole files to the layer; a symlink counts its target's length.
FROM debian:bookworm-slim
WORKDIR /app
RUN cp -r /etc/apt /app/apt-copy && echo hello > /app/greeting && ln -s /usr/share/doc /app/docs
RUN chmod 600 /usr/bin/perl /etc/passwd
RUN chown -R nobody /app/apt-copy
