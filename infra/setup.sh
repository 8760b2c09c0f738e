#!/usr/bin/env bash
# Installs everything the project needs from its own files: the Python tools
# (AWS emulator, cargo-lambda, cfn-lint, test runner) into .venv, then builds
# every function. Safe to run again; both README commands call it.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cargo >/dev/null; then
  echo "Rust (cargo) is required: https://rustup.rs" >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/pip install --quiet --disable-pip-version-check -r infra/requirements.txt
cargo build --workspace --locked
