#!/usr/bin/env bash
# Renders the sample workbook (through the Swift test that writes it) and checks it with
# external tools: xmllint, openxml-audit, LibreOffice (headless) and scripts/check-xlsx.py
# (openpyxl, pandas).
#
#   scripts/check-xlsx.sh [OUTDIR]
#
# Needs: swift, xmllint (libxml2-utils), soffice (libreoffice-calc-nogui),
#        pip packages openpyxl pandas openxml-audit.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
if [ -n "${1:-}" ]; then mkdir -p "$1"; OUT="$(cd "$1" && pwd)"; else OUT="$(mktemp -d)"; fi
rm -rf "$OUT/parts" "$OUT"/lo-*
echo "== output: $OUT"

echo "== rendering the sample (swift test --filter SampleOutputTests)"
(cd "$ROOT" && BATON_SAMPLE_DIR="$OUT" swift test --filter SampleOutputTests) >"$OUT/swift-test.log" 2>&1 \
  || { cat "$OUT/swift-test.log"; exit 1; }

echo "== xmllint --noout on every package part and the flat XML"
count=0
while IFS= read -r -d '' f; do
  xmllint --noout "$f"
  count=$((count + 1))
done < <(find "$OUT/parts" -type f -print0 | sort -z)
xmllint --noout "$OUT/scorecards.xml"
echo "   $((count + 1)) documents well formed"

echo "== openxml-audit (strict policy) for every OOXML format version it knows"
for v in office2007 office2010 office2013 office2016 office2019 office2021 microsoft365; do
  printf '   %-13s ' "$v"
  openxml-audit --policy strict --format "$v" --max-errors 0 "$OUT/sample.xlsx" | tr '\n' ' '
  echo
done

echo "== LibreOffice: export every sheet as CSV"
# A private profile whose settings make Calc recalculate every formula on load
# (by default it trusts the cached values of xlsx files).
PROFILE="$OUT/lo-profile"
mkdir -p "$PROFILE/user"
cat >"$PROFILE/user/registrymodifications.xcu" <<'XCU'
<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
XCU
# Tokens: comma, double quote, UTF-8, from line 1, -, -, don't quote all text, -,
# raw values (not as shown), -, -, sheet -1 = every sheet into NAME-SHEET.csv.
CSV='csv:Text - txt - csv (StarCalc):44,34,UTF8,1,,0,false,true,false,false,false,-1'
lo() { # outdir, then soffice arguments; fails on a non-zero exit or an error message
  local dir="$1"; shift
  mkdir -p "$OUT/$dir"
  soffice -env:UserInstallation="file://$PROFILE" --headless "$@" --outdir "$OUT/$dir" >"$OUT/$dir.log" 2>&1 \
    || { cat "$OUT/$dir.log"; return 1; }
  if grep -qi 'error' "$OUT/$dir.log"; then cat "$OUT/$dir.log"; return 1; fi
  grep -v javaldx "$OUT/$dir.log" | sed 's/^/   /'
}
lo lo-xlsx --convert-to "$CSV" "$OUT/sample.xlsx"
python3 "$ROOT/scripts/check-xlsx.py" tamper "$OUT/sample.xlsx" "$OUT/tampered.xlsx"
lo lo-tampered --convert-to "$CSV" "$OUT/tampered.xlsx"
lo lo-flat --infilter="MS Excel 2003 XML" --convert-to "$CSV" "$OUT/scorecards.xml"

# Control: a damaged package must make the headless load fail (so a clean run above means
# the file opened without any repair).
head -c 3000 "$OUT/sample.xlsx" >"$OUT/broken.xlsx"
if lo lo-broken --convert-to "$CSV" "$OUT/broken.xlsx" >/dev/null 2>&1 && ls "$OUT/lo-broken"/*.csv >/dev/null 2>&1; then
  echo "   control FAILED: a truncated package was converted"; exit 1
else
  echo "   control: truncated package rejected by LibreOffice, as it should be"
fi

echo "== value checks (scripts/check-xlsx.py verify)"
python3 "$ROOT/scripts/check-xlsx.py" verify "$OUT"
