#!/bin/sh
# Install Debian's chromium for the headless review-page test (tests/test_report.py).
# Needs root and apt (Debian/Ubuntu); does nothing when a chromium is already on PATH.
set -eu
for name in chromium chromium-browser google-chrome; do
    if command -v "$name" >/dev/null 2>&1; then
        echo "found $(command -v "$name")"
        exit 0
    fi
done
if [ "$(id -u)" != "0" ]; then
    echo "install_chromium.sh: run as root (apt-get install chromium)" >&2
    exit 1
fi
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
command -v chromium
