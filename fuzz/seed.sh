#!/usr/bin/env bash
# Seeds each fuzz target's corpus with the shipped files of its kind.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p fuzz/corpus/norms fuzz/corpus/incident fuzz/corpus/test_file
i=0; for f in $(find stdlib-rules examples tests/cases -type f -name '*.norm' ! -name '*.test.norm'); do i=$((i+1)); cp "$f" "fuzz/corpus/norms/$i-$(basename "$f")"; done
for f in $(find examples tests/cases -type f \( -name '*.toml' -o -name '*.json' \)); do i=$((i+1)); cp "$f" "fuzz/corpus/incident/$i-$(basename "$f")"; done
for f in $(find examples tests/cases -type f -name '*.test.norm'); do i=$((i+1)); cp "$f" "fuzz/corpus/test_file/$i-$(basename "$f")"; done
echo "corpus: $(ls fuzz/corpus/norms | wc -l) norms, $(ls fuzz/corpus/incident | wc -l) incidents, $(ls fuzz/corpus/test_file | wc -l) test files"
