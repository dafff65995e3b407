#!/usr/bin/env bash
# Writes FanFicFare 4.62.0's own output, in each of its formats (txt, html, epub), for stories from
# its offline test site (adapter_test1: test1.com needs no network). The files are committed:
# FanFicFare stamps "Packaged:" and "Timestamp:" with the time of the run, so a rerun differs.
#   bash tests/corpus/make_fanficfare.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
venv=$(mktemp -d)/ffvenv
python3 -m venv "$venv"
"$venv/bin/pip" install -q 'FanFicFare==4.62.0'
work=$(mktemp -d)
cp "$here/../fixtures/fanficfare/personal.ini" "$work/personal.ini"
cd "$work"
for sid in 1 83 673 0 1001; do
  for format in txt html epub; do
    "$venv/bin/fanficfare" -c personal.ini -f "$format" "http://test1.com?sid=$sid" >/dev/null
    mv -- *"-tst1_$sid.$format" "$here/made/fanficfare-$sid.$format"
  done
done
