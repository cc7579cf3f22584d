#!/usr/bin/env bash
# The benchmark of the README: intake check and import on a generated file, each next to its
# baseline measured in the same run. Needs GNU time (Debian package `time`).
#
#   bench/run.sh [ROWS]          (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-1000000}"
cargo build --release --quiet --bin intake --example generate --example bare_parse --example bare_sled
source bench/common.sh
generate "$rows"

read -r parse_s parse_mb < <(measure "$bin/examples/bare_parse" "$file")
read -r check_s check_mb < <(measure "$bin/intake" --store "$work/none" check "$file")
read -r sled_s sled_mb < <(measure "$bin/examples/bare_sled" "$rows" "$work/sled")
read -r import_s import_mb < <(measure "$bin/intake" --store "$work/store" import --yes "$file")
read -r again_s again_mb < <(measure "$bin/intake" --store "$work/store" import --yes "$file")

echo
echo "| run | time (s) | peak memory (MiB) | rows/s vs baseline |"
echo "|-----|---------:|------------------:|-------------------:|"
echo "| bare csv parse (baseline) | $parse_s | $parse_mb | 1 |"
echo "| intake check | $check_s | $check_mb | $(ratio "$parse_s" "$check_s") |"
echo "| bare sled insert + flush (baseline) | $sled_s | $sled_mb | 1 |"
echo "| intake import, empty store | $import_s | $import_mb | $(ratio "$sled_s" "$import_s") |"
echo "| intake import, same file again | $again_s | $again_mb | $(ratio "$sled_s" "$again_s") |"
