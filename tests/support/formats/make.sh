#!/usr/bin/env bash
# MADE FILES: the golden cases tests/cases/made-{docx,odt,rtf,fb2,pdf,mobi} (and the fuzzer's samples
# of those formats) are one short story written for the project (story.md), converted here:
# pandoc for DOCX, ODT, RTF and FB2, bookbinder's own PDF writer for the PDF, and mobi7.py (a
# minimal MOBI 7 writer: uncompressed records, no EXTH) for the MOBI. Rerun, then `pytest --regen`
# and review the diff.
set -euo pipefail
cd "$(dirname "$0")"
cases=../../cases
for fmt in docx odt rtf fb2; do
  mkdir -p "$cases/made-$fmt"
  pandoc -f markdown -t "$fmt" -s story.md -o "$cases/made-$fmt/input.$fmt"
done
mkdir -p "$cases/made-pdf" "$cases/made-mobi"
python -m bookbinder build story.md -f pdf -q -o "$cases/made-pdf/input.pdf"
pandoc -f markdown -t html story.md | sed 's#<h1 id="chapter-2#<mbp:pagebreak/><h1 id="chapter-2#' \
  | python -c 'import sys; from mobi7 import mobi7
html = b"<html><head><guide></guide></head><body>" + sys.stdin.buffer.read() + b"</body></html>"
sys.stdout.buffer.write(mobi7(html, "The Lamplighter'"'"'s Apprentice"))' > "$cases/made-mobi/input.mobi"
