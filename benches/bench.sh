#!/usr/bin/env bash
# notelint benchmark: throughput and peak memory on 1,000 and 100,000 generated notes (warm page
# cache), against the time `cat` needs to read the same files (the I/O floor), and the time to
# check one note from process start. Run by hand: `bash benches/bench.sh` (takes a few minutes).
# Figures go to docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --example gen_notes
cargo build --release --quiet
bin=target/release/notelint
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
echo "notelint $($bin --version | awk '{print $2}'), $(rustc --version)"
for n in 1000 100000; do
  dir="$work/n$n"
  target/release/examples/gen_notes "$dir" "$n" 2026
  size=$(du -sh --apparent-size "$dir" | cut -f1)
  find "$dir" -type f -print0 | xargs -0 cat > /dev/null   # warm the page cache
  floor=$( { /usr/bin/time -f %e sh -c "find '$dir' -type f -print0 | xargs -0 cat > /dev/null"; } 2>&1 )
  # Best of three runs, all cores; peak resident memory from GNU time. With the audits across
  # notes (the default) and without them (--no-cross-note).
  for variant in "" "--no-cross-note"; do
    best=""
    for _ in 1 2 3; do
      out=$( { /usr/bin/time -f "%e %M" "$bin" check --format json --quiet $variant "$dir" > /dev/null || true; } 2>&1 | tail -1 )
      t=${out% *}
      if [ -z "$best" ] || awk "BEGIN {exit !($t < ${best% *})}"; then best=$out; fi
    done
    t=${best% *}; mem=${best#* }
    rate=$(awk "BEGIN {printf \"%.0f\", $n / $t}")
    echo "$n notes ($size) ${variant:-with cross-note audits}: ${t} s, ${rate} notes/s, peak ${mem} KB; reading them with cat: ${floor} s"
  done
done

# One note from process start (what a pre-commit hook or an editor pays): median of 50 runs.
one="fixtures/97110/compliant-ortho-tka-toml-dpt.md"
for _ in $(seq 50); do
  { /usr/bin/time -f %e "$bin" check --format json "$one" >/dev/null || true; } 2>&1 | tail -1
done | sort -n | awk '{a[NR]=$1} END {printf "one note from process start: median %.0f ms (50 runs)\n", a[int((NR+1)/2)]*1000}'
