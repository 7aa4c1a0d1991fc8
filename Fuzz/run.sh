#!/usr/bin/env bash
# Fuzzes the input path with libFuzzer and AddressSanitizer:  bash Fuzz/run.sh [seconds]   (default 600)
# Seeds come from samples/ and the csv-spectrum cases; new inputs and any crash are kept under .build-fuzz/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
out=.build-fuzz
mkdir -p "$out/corpus" "$out/crashes"
# The input path is the OnboardInput target, whole: Package.swift keeps it free of SQLite and NIO.
swiftc -O -g -sanitize=fuzzer,address -parse-as-library -module-name OnboardInput -package-name mailbox_onboard \
    $(find Sources/OnboardInput -name '*.swift' | sort) Fuzz/FuzzInput.swift -o "$out/fuzz-input"
# A seed is a format byte (0: detect) followed by the file.
for file in samples/* Tests/OnboardInputTests/Fixtures/csv-spectrum/csvs/*.csv; do
    { printf '\000'; cat "$file"; } > "$out/corpus/seed-$(basename "$file")"
done
"$out/fuzz-input" "$out/corpus" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 \
    -artifact_prefix="$out/crashes/" -print_final_stats=1
