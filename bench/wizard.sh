#!/usr/bin/env bash
# The wizard's benchmark of the README: the wizard driven with keys and no terminal on a
# generated file where one line in twenty fails on its language, in a release build. An
# ignored test of the binary (src/tui/bench.rs), so `cargo test` never runs it.
#
#   bench/wizard.sh [ROWS] [PRESSES]      (default 1000000 rows, 200 presses of each key)
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-1000000}"
cargo build --release --quiet --example generate
source bench/common.sh
generate "$rows" --broken 5 --only language
INTAKE_BENCH_FILE="$file" INTAKE_BENCH_PRESSES="${2:-200}" \
    cargo test --release --quiet --bin intake wizard_benchmark -- --ignored --nocapture
