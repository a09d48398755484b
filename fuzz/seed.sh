#!/usr/bin/env bash
# Lays the seed corpora in fuzz/corpus/<target>/ from the project's own files (fuzz/corpus/ is
# not committed; the fuzzer grows it): for check_note, the fixture and blind-evaluation notes,
# each prefixed with the option byte the target reads first (once with no options, once with
# all), and the check_note-* inputs of tests/fuzz_regressions/; for load_pack, the built-in
# packs, the new-pack template and the load_pack-* inputs. load_pack_structured mutates the
# built-in packs itself: its seed is the empty input (a pack unchanged).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p fuzz/corpus/check_note fuzz/corpus/load_pack fuzz/corpus/load_pack_structured
for f in fixtures/*/*.md fixtures/*/*.txt eval/*/notes/*.md eval/*/notes/*.txt; do
  [ -f "$f" ] || continue
  name=$(echo "$f" | tr '/' '_')
  { printf '\x00'; cat "$f"; } > "fuzz/corpus/check_note/$name"
  { printf '\x3f'; cat "$f"; } > "fuzz/corpus/check_note/all-$name"
done
for f in rules/*.toml src/templates/pack.toml; do
  cp "$f" "fuzz/corpus/load_pack/$(echo "$f" | tr '/' '_')"
done
for f in tests/fuzz_regressions/check_note-* ; do
  [ -f "$f" ] && cp "$f" fuzz/corpus/check_note/
done
for f in tests/fuzz_regressions/load_pack-* ; do
  [ -f "$f" ] && cp "$f" fuzz/corpus/load_pack/
done
: > fuzz/corpus/load_pack_structured/empty
ls fuzz/corpus/* -d | while read -r d; do echo "$d: $(ls "$d" | wc -l) files"; done
