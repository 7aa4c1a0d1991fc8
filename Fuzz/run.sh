#!/usr/bin/env bash
# Fuzzes the input path with libFuzzer and AddressSanitizer:  bash Fuzz/run.sh [seconds]   (default 600)
# Half the time goes to the CSV and JSON readers, half to the workbook readers.
# Seeds come from samples/, the csv-spectrum cases and the workbook fixtures; new inputs and any crash are kept
# under .build-fuzz/. The workbook fuzzer needs ZIPFoundation's sources, which `swift build` checks out.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
half=$(( (seconds + 1) / 2 ))
out=.build-fuzz
mkdir -p "$out/corpus" "$out/sheets-corpus" "$out/crashes" "$out/modules"
flags=(-O -g -sanitize=fuzzer,address -parse-as-library -package-name mailbox_onboard)

# The input path is the OnboardInput target, whole: Package.swift keeps it free of SQLite and NIO.
swiftc "${flags[@]}" -module-name OnboardInput $(find Sources/OnboardInput -name '*.swift' | sort) Fuzz/FuzzInput.swift \
    -o "$out/fuzz-input"
# A seed is a format byte (0: detect) followed by the file.
for file in samples/* Tests/OnboardInputTests/Fixtures/csv-spectrum/csvs/*.csv; do
    { printf '\000'; cat "$file"; } > "$out/corpus/seed-$(basename "$file")"
done
"$out/fuzz-input" "$out/corpus" -max_total_time="$half" -max_len=65536 -rss_limit_mb=2048 \
    -artifact_prefix="$out/crashes/" -print_final_stats=1

# The workbook readers: ZIPFoundation, OnboardInput and OnboardSheets as the modules they are in the package, with
# zlib and libxml2 from the system.
zip=.build/checkouts/ZIPFoundation/Sources
modules="$out/modules"
system=(-I "$zip/CZLib" -I Sources/CLibXML2 $(pkg-config --cflags libxml-2.0 | sed 's/-I/-Xcc -I/g'))
library() { # name, sources...
    local name="$1"
    shift
    swiftc "${flags[@]}" -I "$modules" "${system[@]}" -Xcc -D_GNU_SOURCE=1 -emit-library -static -emit-module \
        -module-name "$name" -emit-module-path "$modules/$name.swiftmodule" -o "$modules/lib$name.a" "$@"
}
library ZIPFoundation $(find "$zip/ZIPFoundation" -name '*.swift' | sort)
library OnboardInput $(find Sources/OnboardInput -name '*.swift' | sort)
library OnboardSheets $(find Sources/OnboardSheets -name '*.swift' | sort)
swiftc "${flags[@]}" -I "$modules" "${system[@]}" -module-name FuzzSheets Fuzz/FuzzSheets.swift \
    -L "$modules" -lOnboardSheets -lOnboardInput -lZIPFoundation -lz -lxml2 -o "$out/fuzz-sheets"
# A seed is a part's number (see FuzzSheets.swift) followed by that part from a fixture; 6 is a whole file.
fixtures=Tests/OnboardSheetsTests/Fixtures
part() { # book, part: prints the part, or fails when the book has none
    python3 -c 'import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))' "$1" "$2" 2>/dev/null
}
number=0
for part in xl/workbook.xml xl/_rels/workbook.xml.rels xl/styles.xml xl/sharedStrings.xml xl/worksheets/sheet1.xml content.xml; do
    for book in "$fixtures"/openpyxl.xlsx "$fixtures"/libreoffice.xlsx "$fixtures"/libreoffice.ods "$fixtures"/odfpy.ods; do
        if text=$(part "$book" "$part"); then
            { printf "\\$(printf '%03o' "$number")"; printf '%s' "$text"; } > "$out/sheets-corpus/seed-$number-$(basename "$book")"
        fi
    done
    number=$((number + 1))
done
for book in "$fixtures"/libreoffice.xlsx "$fixtures"/odfpy.ods; do
    { printf '\006'; cat "$book"; } > "$out/sheets-corpus/seed-file-$(basename "$book")"
done
# Leak detection is off here: ZIPFoundation keeps a few bytes per archive it opens, whatever the input.
ASAN_OPTIONS=detect_leaks=0 "$out/fuzz-sheets" "$out/sheets-corpus" -max_total_time="$half" -max_len=65536 \
    -rss_limit_mb=2048 -detect_leaks=0 -artifact_prefix="$out/crashes/" -print_final_stats=1
