#!/usr/bin/env bash
# Packages every function for `sam deploy`: release builds by cargo-lambda,
# arm64 when the aarch64 target is installed, x86-64 otherwise (or as told:
# `bash infra/package.sh --x86-64`). Not part of the test command (a cold
# release build with fat LTO takes about 50 minutes on 2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."
bash infra/setup.sh
export PATH="$PWD/.venv/bin:$PATH"
if [ "${1:-}" = "--x86-64" ] || [ "${1:-}" = "--arm64" ]; then
  arch=("$1")
elif rustup target list --installed 2>/dev/null | grep -q '^aarch64-unknown-linux-gnu$'; then
  arch=(--arm64)
else
  echo "aarch64-unknown-linux-gnu is not installed: building x86-64 (set Architectures: [x86_64] to deploy these)" >&2
  arch=(--x86-64)
fi
binaries=$(.venv/bin/python -c 'import sys; sys.path.insert(0, "infra"); import cfn; t = cfn.load_template(); print(" ".join(cfn.binary(s) for s in cfn.functions(t).values()))')
bins=()
for binary in $binaries; do bins+=(--bin "$binary"); done
# No unwind tables in release code: with panic = "abort" nothing unwinds, and
# they are about a tenth of a binary (scan-evidence 8.05 MB to 7.95). Set here,
# not in .cargo/config.toml, because tests (debug, panic = "unwind") need them;
# with --target given, as cargo-lambda always does, build scripts are untouched.
export RUSTFLAGS="${RUSTFLAGS:-} -C force-unwind-tables=no"
cargo lambda build --release "${arch[@]}" "${bins[@]}" --output-format zip
printf '%-24s %12s %12s\n' function "binary bytes" "zip bytes"
for binary in $binaries; do
  zip="target/lambda/$binary/bootstrap.zip"
  printf '%-24s %12s %12s\n' "$binary" "$(unzip -l "$zip" | awk 'NR==4 {print $1}')" "$(stat -c %s "$zip")"
done
