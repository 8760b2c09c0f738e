#!/usr/bin/env bash
# Installs everything the project needs from its own files: the malware engine
# (Debian's clamav-daemon, if missing), the Python tools (AWS emulator,
# cargo-lambda, cfn-lint, test runner) into .venv, then builds every function. Safe to run again; both README commands call it.
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
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/pip install --quiet --disable-pip-version-check -r infra/requirements.txt
cargo build --workspace --locked
