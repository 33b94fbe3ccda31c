#!/usr/bin/env bash
# Debian's Chromium for the browser tests (Playwright cannot download browsers here),
# and CJK fonts so screenshots show Chinese instead of empty boxes.
set -euo pipefail
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk >/dev/null
