#!/usr/bin/env bash
# The run command: the whole system on this machine (emulated AWS, functions,
# dispatcher, demo data). Prints where to go and how to sign in. Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash infra/setup.sh
exec .venv/bin/python infra/local.py up
