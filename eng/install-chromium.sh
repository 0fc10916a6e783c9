#!/usr/bin/env bash
# Installs headless Chromium for the widget's browser tests (Debian package 'chromium', which
# Playwright drives at /usr/bin/chromium). Idempotent: does nothing when it is already there.
# Needs root (or passwordless sudo) and apt.
set -euo pipefail

say() { echo "[chromium-setup] $*"; }

if [ -x /usr/bin/chromium ]; then
  say "chromium is installed: $(/usr/bin/chromium --version 2>/dev/null | head -n 1)"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    say "need root or passwordless sudo to install packages"; exit 3; fi
fi
command -v apt-get >/dev/null 2>&1 || { say "apt-get not found: this is not a Debian-like machine"; exit 3; }

say "apt-get update"
$SUDO apt-get update -qq
say "installing chromium"
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
[ -x /usr/bin/chromium ] || { say "chromium installed but /usr/bin/chromium is missing"; exit 4; }
say "installed $(/usr/bin/chromium --version 2>/dev/null | head -n 1)"
