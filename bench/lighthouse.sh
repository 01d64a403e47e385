#!/usr/bin/env bash
# Lighthouse over five main pages of the demo site: prints the accessibility, best-practices and performance
# scores of each (targets: 95, 95, 90) and, as its last line, one JSON object with them.
#
# Run from anywhere: `bench/lighthouse.sh [--preset desktop] [--runs N]` (extra arguments go to
# bench/lighthouse.py). Lighthouse comes from npm at the pinned version below, installed once into a cache
# directory (LIGHTHOUSE_CACHE, default ~/.cache/peerflow/lighthouse-VERSION), never globally; it drives
# Debian's Chromium (CHROME_PATH=`which chromium`, headless, no sandbox). The pages are served by gunicorn
# from a fresh demo database (bench/demo_site.py); the signed-in pages get the officer's session cookie.
set -euo pipefail
cd "$(dirname "$0")/.."

LIGHTHOUSE_VERSION=12.8.2  # the last line for Node 18-20; 13.x needs Node 22.19
CACHE=${LIGHTHOUSE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/peerflow/lighthouse-$LIGHTHOUSE_VERSION}

if ! CHROME_PATH=$(command -v chromium); then
    echo "bench/lighthouse.sh needs Chromium: no \`chromium\` on PATH (Debian: apt-get install chromium)" >&2
    exit 1
fi
if [ ! -x "$CACHE/node_modules/.bin/lighthouse" ]; then
    command -v npm >/dev/null || { echo "bench/lighthouse.sh needs npm (Debian: apt-get install npm)" >&2; exit 1; }
    echo "Installing lighthouse@$LIGHTHOUSE_VERSION into $CACHE" >&2
    mkdir -p "$CACHE"
    npm install --prefix "$CACHE" --no-audit --no-fund --loglevel=error "lighthouse@$LIGHTHOUSE_VERSION" >&2
fi

export CHROME_PATH LIGHTHOUSE="$CACHE/node_modules/.bin/lighthouse"
PYTHON=${PYTHON:-.venv/bin/python}
exec "$PYTHON" bench/lighthouse.py "$@"
