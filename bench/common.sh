# What the benchmarks share, sourced from the repository's root after the release build: a
# scratch folder removed on exit, the generated file, and a run measured with GNU time.

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
bin=target/release
file="$work/customers.csv"

# Writes the generated file to $file: ROWS, then the generator's further arguments.
generate() {
    "$bin/examples/generate" "$@" > "$file"
    echo "file: $1 rows, $(du -h "$file" | cut -f1)"
}

# Runs a command, prints "seconds max_rss_mib".
measure() {
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" > /dev/null 2>&1 || true
    awk '{ printf "%.2f %.0f\n", $1, $2 / 1024 }' "$work/time"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
