# Accounts: a login user with a home, a system group and user.
FROM debian:bookworm-slim
RUN useradd -m -s /bin/bash app
RUN groupadd -r web && useradd -r -g web -d /srv/web -s /usr/sbin/nologin web
