#!/usr/bin/env bash
# The browser tests drive Debian's Chromium through playwright-core (no browser download), the QR
# code tests decode the served images with zbarimg (Debian's zbar-tools), and the Chinese page's
# screenshots need a CJK font (fonts-wqy-microhei). Installs whichever is missing from Debian's
# packages when we may (root); otherwise says how.
set -euo pipefail
missing=()
if ! command -v chromium >/dev/null 2>&1 && [ ! -x "${CHROMIUM_PATH:-/nonexistent}" ]; then missing+=(chromium); fi
if ! command -v zbarimg >/dev/null 2>&1; then missing+=(zbar-tools); fi
if ! fc-list :lang=zh 2>/dev/null | grep -q .; then missing+=(fonts-wqy-microhei); fi
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" = 0 ]; then
  echo "Installing Debian's ${missing[*]} for the browser and QR code tests…"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null \
    || { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null; }
else
  echo "missing ${missing[*]}: run 'sudo apt-get install ${missing[*]}' (or set CHROMIUM_PATH) for the browser and QR code tests." >&2
  exit 1
fi
