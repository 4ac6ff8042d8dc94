apt-get update
apt-get install -y --no-install-recommends libbrotli1 libpsl5 libnghttp2-14
apt-get install curl </dev/null; echo "exit $?"
apt-get install -y curl; echo "exit $?"
apt-get install --no-install-recommends tini; echo "exit $?"
apt-get install -y tini
apt-get remove curl </dev/null; echo "exit $?"
apt-get purge -y --auto-remove curl; echo "exit $?"
