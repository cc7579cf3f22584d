#!/usr/bin/env bash
# The search benchmark of the README: a store of ROWS generated customers, what the word index
# costs its import, and per-query latency through the indexes next to the full scan search was
# before, measured in the same run. Needs GNU time (Debian package `time`).
#
#   bench/search.sh [ROWS] [BASELINE_INTAKE]   (default 1000000)
#
# BASELINE_INTAKE, a release build of intake without the word index, imports the same file
# into a store of its own, for the import-time ratio; `customers --query` is timed with both.
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-1000000}"
baseline="${2:-}"
cargo build --release --quiet --bin intake --example generate --example search_bench
source bench/common.sh
generate "$rows"

echo
echo "| run | time (s) | peak memory (MiB) | time vs baseline |"
echo "|-----|---------:|------------------:|-----------------:|"
if [ -n "$baseline" ]; then
    read -r base_s base_mb < <(measure "$baseline" --store "$work/base-store" import --yes "$file")
    echo "| import, empty store, without the word index (baseline) | $base_s | $base_mb | 1 |"
fi
read -r import_s import_mb < <(measure "$bin/intake" --store "$work/store" import --yes "$file")
echo "| import, empty store, with the word index | $import_s | $import_mb | $([ -n "$baseline" ] && ratio "$import_s" "$base_s" || echo -) |"
for query in C0000123 liege; do
    if [ -n "$baseline" ]; then
        read -r old_s old_mb < <(measure "$baseline" --store "$work/base-store" customers --query "$query")
        echo "| customers --query $query, scan (baseline) | $old_s | $old_mb | 1 |"
    fi
    read -r new_s new_mb < <(measure "$bin/intake" --store "$work/store" customers --query "$query")
    echo "| customers --query $query, indexes | $new_s | $new_mb | $([ -n "$baseline" ] && ratio "$new_s" "$old_s" || echo -) |"
done
if [ -n "$baseline" ]; then
    # This version opening the baseline's store builds its word index first, once.
    read -r build_s build_mb < <(measure "$bin/intake" --store "$work/base-store" customers --query C0000123)
    echo "| first customers --query on the baseline's store (builds the word index) | $build_s | $build_mb | - |"
    du -sh "$work/base-store" | awk '{ print "baseline store on disk, word index built since: " $1 }'
fi
du -sh "$work/store" | awk '{ print "store on disk: " $1 }'
echo
"$bin/examples/search_bench" "$work/store"
