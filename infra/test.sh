#!/usr/bin/env bash
# The test command: the same set-up as the run command, then every test —
# domain unit tests (no I/O), then the integration tests over HTTP against the
# local stack (which also run cfn-lint and the template/router/resource checks).
set -euo pipefail
cd "$(dirname "$0")/.."
bash infra/setup.sh
cargo test --workspace --locked
.venv/bin/python infra/local.py test "$@"
