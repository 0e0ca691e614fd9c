#!/usr/bin/env bash
# Installs Chromium (Debian's `chromium` package) for the headless-browser tests in
# tests/html.rs, unless a `chromium` binary is already on PATH. Safe to run repeatedly.
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "browser.sh: no apt-get here; install Chromium so that \`chromium\` is on PATH" >&2
    exit 1
fi

# Root installs directly; anyone else goes through sudo.
run() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    else
        sudo "$@"
    fi
}

run env DEBIAN_FRONTEND=noninteractive apt-get update -q
run env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium

command -v chromium >/dev/null 2>&1 || {
    echo "browser.sh: chromium was installed but is not on PATH" >&2
    exit 1
}
