#!/usr/bin/env bash
# The wizard's benchmark of the README: the wizard driven with keys and no terminal on a
# generated file where one line in twenty fails on its language, in a release build. An
# ignored test of the binary (src/tui/bench.rs), so `cargo test` never runs it.
#
#   bench/wizard.sh [ROWS] [PRESSES]      (default 1000000 rows, 200 presses of each key)
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-1000000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet --example generate
file="$work/customers.csv"
target/release/examples/generate "$rows" --broken 5 --only language > "$file"
echo "file: $rows rows, $(du -h "$file" | cut -f1)"
INTAKE_BENCH_FILE="$file" INTAKE_BENCH_PRESSES="${2:-200}" \
    cargo test --release --quiet --bin intake wizard_benchmark -- --ignored --nocapture
