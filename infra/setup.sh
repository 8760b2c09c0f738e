#!/usr/bin/env bash
# Installs everything the project needs from its own files: the malware engine
# (Debian's clamav-daemon, if missing), Chromium for the browser tests, the
# Python tools (AWS emulator, cargo-lambda, cfn-lint, test runner, Playwright)
# into .venv, the web client (npm ci from its lock, then built), and every
# function. Safe to run again; both README commands call it.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cargo >/dev/null; then
  echo "Rust (cargo) is required: https://rustup.rs" >&2
  exit 1
fi
# The malware engine the local stack scans evidence with (Debian's ClamAV).
if ! command -v clamd >/dev/null && [ ! -x /usr/sbin/clamd ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "clamd is missing: run 'sudo apt-get install --no-install-recommends clamav-daemon' and try again" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends clamav-daemon >/dev/null \
    || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends clamav-daemon >/dev/null; }
fi
# The browser the web client's tests drive (Debian's Chromium; no browser downloads).
if ! command -v chromium >/dev/null && [ "$(id -u)" -eq 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends chromium >/dev/null \
    || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends chromium >/dev/null; }
fi
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/pip install --quiet --disable-pip-version-check -r infra/requirements.txt
# The web client, from its committed lock, built into web/dist.
if [ ! web/node_modules/.package-lock.json -nt web/package-lock.json ]; then
  (cd web && npm ci --no-audit --no-fund --loglevel=error)
fi
(cd web && npm run --silent build)
cargo build --workspace --locked
