#!/usr/bin/env bash
# Make sure Debian's Chromium is installed for `npm run test:ui` (the npm registry cannot download
# browsers). Safe to run again and again; installs from Debian only where it is missing.
set -u

if ! command -v chromium >/dev/null 2>&1; then
  echo "browser: installing chromium from Debian"
  apt-get update -qq >/dev/null 2>&1
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null 2>&1 \
    || { echo "browser: apt-get install chromium failed" >&2; exit 1; }
fi
echo "browser: $(chromium --version 2>/dev/null | head -n 1) at $(command -v chromium)"
