#!/usr/bin/env python3
"""Checks the sample workbook written by BatonRenderTests against what the model says.

Usage:
  check-xlsx.py tamper IN.xlsx OUT.xlsx   copy with every cached formula value set to -999
  check-xlsx.py verify DIR                compare DIR/expected.json with
      DIR/sample.xlsx via openpyxl (formulas and cached values) and pandas,
      the raw package XML (inert text cells, hidden _xlnm._FilterDatabase names),
      DIR/scorecards.xml (flat 2003 XML) as XML,
      and the LibreOffice CSV exports (made by check-xlsx.sh) in
      DIR/lo-xlsx (recalculated), DIR/lo-tampered (recalculated from wrong caches),
      DIR/lo-flat (flat XML read by LibreOffice).

Needs: openpyxl, pandas (pip install openpyxl pandas). Exit status 0 only if every check passes.
"""
import csv
import json
import re
import sys
import zipfile
import xml.etree.ElementTree as ET
from decimal import Decimal, InvalidOperation
from pathlib import Path

FAILURES = []
CHECKS = 0


def check(ok, what):
    global CHECKS
    CHECKS += 1
    if not ok:
        FAILURES.append(what)
        print("  FAIL:", what)


def close(a, b, rel=Decimal("1e-13")):
    """a, b: Decimal. LibreOffice prints 15 significant digits, Excel keeps doubles."""
    if a == b:
        return True
    return abs(a - b) <= rel * max(abs(a), abs(b))


def tamper(src, dst):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data = re.sub(rb"(</f>)<v>[^<]*</v>", rb"\1<v>-999</v>", data)
            zout.writestr(info, data)


def expected_value(cell):
    """What a reader should see for a model cell (formulas: the cached value)."""
    if cell is None:
        return None
    if cell["type"] == "text":
        return cell["value"]
    if cell["type"] == "number":
        return Decimal(cell["value"])
    return Decimal(cell["cached"]) if cell["cached"] is not None else None


def check_openpyxl(d, exp):
    import openpyxl

    print("openpyxl: formulas, values, formats, bold, freeze panes, auto-filter, properties")
    wb = openpyxl.load_workbook(d / "sample.xlsx")
    cached = openpyxl.load_workbook(d / "sample.xlsx", data_only=True)
    check(wb.sheetnames == [s["name"] for s in exp["sheets"]], f"sheet names {wb.sheetnames}")
    check(wb.properties.title == exp["title"], f"title {wb.properties.title!r}")
    check(wb.properties.created.isoformat().startswith(exp["created"][:19]), f"created {wb.properties.created}")
    for s in exp["sheets"]:
        ws, wc = wb[s["name"]], cached[s["name"]]
        check(ws.max_row == len(s["rows"]), f"{s['name']}: {ws.max_row} rows, expected {len(s['rows'])}")
        check((ws.freeze_panes == "A2") == s["freeze"], f"{s['name']}: freeze_panes {ws.freeze_panes}")
        check(ws.auto_filter.ref == s["autoFilter"], f"{s['name']}: auto_filter {ws.auto_filter.ref} != {s['autoFilter']}")
        for i, w in enumerate(s["widths"]):
            col = openpyxl.utils.get_column_letter(i + 1)
            check(abs(ws.column_dimensions[col].width - w) < 1e-9, f"{s['name']}: width of {col}")
        for r, row in enumerate(s["rows"], start=1):
            for c, cell in enumerate(row, start=1):
                got, gotc = ws.cell(r, c), wc.cell(r, c)
                where = f"{s['name']}!{got.coordinate}"
                if cell is None:
                    check(got.value is None, f"{where}: expected empty, got {got.value!r}")
                    continue
                if cell["type"] != "text" or s["rowBold"][r - 1]:
                    check(bool(got.font.b) == s["rowBold"][r - 1], f"{where}: bold {got.font.b}")
                if cell["type"] == "text":
                    check(got.data_type == "s" and got.value == cell["value"], f"{where}: text {got.value!r} != {cell['value']!r}")
                    continue
                check(got.number_format == cell["format"], f"{where}: format {got.number_format!r} != {cell['format']!r}")
                if cell["type"] == "number":
                    check(got.data_type == "n" and got.value == float(cell["value"]), f"{where}: number {got.value!r}")
                else:
                    check(got.value == "=" + cell["formula"], f"{where}: formula {got.value!r}")
                    want = float(cell["cached"]) if cell["cached"] is not None else None
                    check(gotc.value == want, f"{where}: cached {gotc.value!r} != {want!r}")


def check_pandas(d, exp):
    import pandas as pd

    print("pandas: read_excel values of every sheet")
    frames = pd.read_excel(d / "sample.xlsx", sheet_name=None, header=None, dtype=object)
    check(list(frames) == [s["name"] for s in exp["sheets"]], f"pandas sheet names {list(frames)}")
    for s in exp["sheets"]:
        df = frames[s["name"]]
        for r, row in enumerate(s["rows"]):
            for c, cell in enumerate(row):
                want = expected_value(cell)
                got = df.iat[r, c] if r < df.shape[0] and c < df.shape[1] else None
                where = f"{s['name']} r{r + 1}c{c + 1}"
                if want is None:
                    check(got is None or pd.isna(got), f"{where}: expected empty, got {got!r}")
                elif isinstance(want, str):
                    check(got == want, f"{where}: {got!r} != {want!r}")
                else:
                    check(got is not None and Decimal(repr(got)) == Decimal(repr(float(want))), f"{where}: {got!r} != {want}")


def check_package_xml(d, exp):
    print("package XML: inert text cells, hidden _xlnm._FilterDatabase names, part order")
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(d / "sample.xlsx") as z:
        names = z.namelist()
        check(names[0] == "[Content_Types].xml", f"first entry {names[0]}")
        check(all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in z.infolist()), "entry timestamps 1980-01-01")
        wb = ET.fromstring(z.read("xl/workbook.xml"))
        defined = {(e.get("name"), e.get("localSheetId"), e.get("hidden")): e.text for e in wb.iterfind(".//m:definedName", ns)}
        for i, s in enumerate(exp["sheets"]):
            sheet = ET.fromstring(z.read(f"xl/worksheets/sheet{i + 1}.xml"))
            for r, row in enumerate(s["rows"], start=1):
                for c, cell in enumerate(row, start=1):
                    if cell is None or cell["type"] != "text":
                        continue
                    ref = f"{col_letters(c)}{r}"
                    el = sheet.find(f".//m:c[@r='{ref}']", ns)
                    check(el is not None and el.get("t") == "s" and el.find("m:f", ns) is None, f"{s['name']}!{ref}: text cell must be t=s without <f>")
            if s["autoFilter"]:
                key = ("_xlnm._FilterDatabase", str(i), "1")
                a, b = s["autoFilter"].split(":")
                want = "'" + s["name"].replace("'", "''") + "'!" + "$" + re.sub(r"(\d+)", r"$\1", a) + ":$" + re.sub(r"(\d+)", r"$\1", b)
                check(defined.get(key) == want, f"{s['name']}: defined name {defined.get(key)!r} != {want!r}")


def col_letters(n):
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def check_flat_xml(d, exp):
    print("flat XML: texts are ss:Type=String without ss:Formula, formulas carry cached Data")
    ns = {"ss": "urn:schemas-microsoft-com:office:spreadsheet"}
    root = ET.parse(d / "scorecards.xml").getroot()
    sheets = root.findall("ss:Worksheet", ns)
    check([w.get(f"{{{ns['ss']}}}Name") for w in sheets] == [s["name"] for s in exp["sheets"]], "flat sheet names")
    for w, s in zip(sheets, exp["sheets"]):
        rows = w.findall("ss:Table/ss:Row", ns)
        check(len(rows) == len(s["rows"]), f"flat {s['name']}: {len(rows)} rows")
        for r, (xrow, row) in enumerate(zip(rows, s["rows"]), start=1):
            col = 0
            cells = {}
            for xc in xrow.findall("ss:Cell", ns):
                idx = xc.get(f"{{{ns['ss']}}}Index")
                col = int(idx) if idx else col + 1
                cells[col] = xc
            for c, cell in enumerate(row, start=1):
                where = f"flat {s['name']} r{r}c{c}"
                xc = cells.get(c)
                if cell is None:
                    check(xc is None, f"{where}: expected no cell")
                    continue
                data = xc.find("ss:Data", ns) if xc is not None else None
                formula = xc.get(f"{{{ns['ss']}}}Formula") if xc is not None else None
                if cell["type"] == "text":
                    check(formula is None and data is not None and data.get(f"{{{ns['ss']}}}Type") == "String"
                          and (data.text or "") == cell["value"], f"{where}: text")
                elif cell["type"] == "number":
                    check(formula is None and data.get(f"{{{ns['ss']}}}Type") == "Number" and data.text == cell["value"], f"{where}: number")
                else:
                    check(formula is not None and formula.startswith("="), f"{where}: formula {formula!r}")
                    check(data is not None and data.text == cell["cached"], f"{where}: cached data")


def read_lo_csv(folder, stem, sheet):
    path = folder / f"{stem}-{sheet}.csv"
    if not path.exists():
        check(False, f"missing LibreOffice export {path}")
        return []
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def lo_number(text):
    text = text.strip()
    pct = text.endswith("%")
    try:
        v = Decimal(text.rstrip("%").replace(",", ""))
    except InvalidOperation:
        return None
    return v / 100 if pct else v


def check_lo(d, exp, folder, stem, label, crlf_to_lf=False):
    """crlf_to_lf: LibreOffice's xlsx import turns CR LF inside a text into LF (openpyxl,
    pandas and LibreOffice's flat-XML import keep the CR), so compare that case normalised."""
    print(f"LibreOffice CSV ({label})")
    for s in exp["sheets"]:
        rows = read_lo_csv(d / folder, stem, s["name"])
        check(len(rows) == len(s["rows"]), f"{label} {s['name']}: {len(rows)} rows")
        for r, (got_row, row) in enumerate(zip(rows, s["rows"]), start=1):
            for c, cell in enumerate(row, start=1):
                got = got_row[c - 1] if c - 1 < len(got_row) else ""
                want = expected_value(cell)
                where = f"{label} {s['name']} r{r}c{c}"
                if want is None:
                    check(got == "", f"{where}: expected empty, got {got!r}")
                elif isinstance(want, str):
                    if crlf_to_lf:
                        want = want.replace("\r\n", "\n")
                    check(got == want, f"{where}: {got!r} != {want!r}")
                else:
                    n = lo_number(got)
                    check(n is not None and close(n, want), f"{where}: {got!r} != {want}")


def verify(d):
    d = Path(d)
    exp = json.loads((d / "expected.json").read_text(encoding="utf-8"))
    check_openpyxl(d, exp)
    check_pandas(d, exp)
    check_package_xml(d, exp)
    check_flat_xml(d, exp)
    check_lo(d, exp, "lo-xlsx", "sample", "xlsx, recalculated", crlf_to_lf=True)
    check_lo(d, exp, "lo-tampered", "tampered", "xlsx with cached values -999, recalculated", crlf_to_lf=True)
    check_lo(d, exp, "lo-flat", "scorecards", "flat 2003 XML")
    print(f"{CHECKS - len(FAILURES)} passed, {len(FAILURES)} failed")
    return 0 if not FAILURES else 1


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "tamper":
        tamper(sys.argv[2], sys.argv[3])
        sys.exit(0)
    if len(sys.argv) == 3 and sys.argv[1] == "verify":
        sys.exit(verify(sys.argv[2]))
    print(__doc__)
    sys.exit(2)
