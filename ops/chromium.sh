#!/usr/bin/env bash
# Debian's chromium, for the end-to-end test that resumes a gate in the Prefect UI
# (tests/flows/test_ui_resume.py drives it headless through Playwright; no browser download).
#
#   ops/chromium.sh           install it if missing (as root), then print the browser's path
#
# Safe to run again: nothing is installed when the browser is already there.
# Settings (environment):
#   MENTORFLOW_CHROMIUM     the browser to use (default /usr/bin/chromium)
set -euo pipefail

CHROMIUM="${MENTORFLOW_CHROMIUM:-/usr/bin/chromium}"

say() { echo "chromium.sh: $*" >&2; }
die() { say "$*"; exit 1; }

if [ ! -x "$CHROMIUM" ]; then
    [ "$(id -u)" = 0 ] || die "$CHROMIUM is missing; run as root to install it, or: sudo apt-get install chromium"
    say "installing Debian's chromium package"
    export DEBIAN_FRONTEND=noninteractive
    # A fresh image has no package lists; a failed install may only mean stale ones.
    apt-get install -y -qq chromium >&2 || { apt-get update -qq >&2 && apt-get install -y -qq chromium >&2; }
    [ -x "$CHROMIUM" ] || die "apt-get installed chromium but $CHROMIUM is not there"
fi
"$CHROMIUM" --version >&2 || die "$CHROMIUM is there but does not start"
echo "$CHROMIUM"
