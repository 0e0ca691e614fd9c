#!/usr/bin/env bash
# One-command set-up on a fresh Debian-like machine with Rust installed: builds the release
# binary, installs Chromium for the HTML-report tests, and prepares the notebooks' Python
# environment. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")"
cargo build --release
bash .ci/browser.sh
python3 -m venv .venv-notebooks
.venv-notebooks/bin/python -m pip install --quiet --disable-pip-version-check -r notebooks/requirements.txt
echo "set-up done: ./target/release/stance --help"
