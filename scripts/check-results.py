#!/usr/bin/env python3
"""Checks an evaluation's workbooks with real clients, against the evaluation's own CSV results.

Usage: check-results.py [--quick] OUT_DIR   (a folder written by `baton evaluate ... --out OUT_DIR`)
       --quick skips openxml-audit (about 17 s per format version on the example).

What "right" means here: every reader sees the figures of kpis.csv and the pay of payroll.csv.
  1. Every XML part of scorecards.xlsx, and scorecards.xml, is well formed (xmllint, i.e. libxml2).
  2. openxml-audit (ECMA-376 validator) reports no findings for every format office2007..microsoft365.
  3. openpyxl (cached values) and pandas read the Marketing and Sales sheets to kpis.csv's values,
     and the Pay sheet's "Pay total" rows to payroll.csv.
  4. LibreOffice (headless, with a profile that recalculates every formula on load) converts every
     sheet to CSV with the same values; a copy whose cached formula values are all -999 gives the same
     values again, which shows they were recalculated, not read back.
  5. LibreOffice reads scorecards.xml (Excel 2003 XML) to the same values as scorecards.xlsx.
  6. Control: a truncated package fails to load (so a clean load means no repair was needed).

Needs: xmllint (libxml2-utils), soffice (libreoffice-calc-nogui), pip: openpyxl pandas openxml-audit.
Exit status 0 only if every check passes; each failure is printed.
"""
import csv
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from decimal import Decimal, InvalidOperation
from pathlib import Path

FAILURES = []
CHECKS = 0
FORMATS = ["office2007", "office2010", "office2013", "office2016", "office2019", "office2021", "microsoft365"]
LO_CSV = "csv:Text - txt - csv (StarCalc):44,34,UTF8,1,,0,false,true,false,false,false,-1"
RECALC_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def check(ok, what):
    global CHECKS
    CHECKS += 1
    if not ok:
        FAILURES.append(what)
        if len(FAILURES) <= 40:
            print("  FAIL:", what)


def number(text):
    if text is None:
        return None
    if isinstance(text, (int, float)):
        return Decimal(repr(text)) if isinstance(text, float) else Decimal(text)
    text = str(text).strip().replace(",", "")
    if text == "" or text.lower() == "nan":
        return None
    pct = text.endswith("%")
    try:
        v = Decimal(text.rstrip("%"))
    except InvalidOperation:
        return None
    return v / 100 if pct else v


def same(got, want):
    """want: kpis.csv text (10 decimal places, or the currency's); got: what a reader produced."""
    w = number(want)
    g = number(got)
    if w is None or g is None:
        return w is None and g is None
    # kpis.csv is rounded to 10 places; readers hold doubles (about 15-17 significant digits).
    return abs(g - w) <= Decimal("5.0001e-11") + Decimal("1e-14") * abs(w)


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def expected(out):
    kpis = {}
    for row in read_csv(out / "kpis.csv")[1:]:
        kpis[(row[0], row[1], row[2])] = row[3]
    payroll = {row[0]: row[3] for row in read_csv(out / "payroll.csv")[1:]}
    return kpis, payroll


def label_map(definitions_rows):
    """(side label, KPI label) → KPI key, from the KPI definitions sheet."""
    out = {}
    for row in definitions_rows[1:]:
        if len(row) >= 3 and row[0]:
            out[(str(row[2]), str(row[1]))] = str(row[0])
    return out


SIDE_SHEETS = {"marketing": "Marketing", "sales": "Sales"}


def check_side_rows(reader, sheets, kpis, labels):
    """sheets: sheet name → rows (lists of cell values as the reader gives them)."""
    seen = 0
    for side, name in SIDE_SHEETS.items():
        rows = sheets.get(name)
        check(rows is not None, f"{reader}: no sheet {name}")
        if not rows:
            continue
        header = [str(h) for h in rows[0]]
        side_label = "Marketing" if side == "marketing" else "Sales"
        columns = {i: labels.get((side_label, h)) for i, h in enumerate(header)}
        for row in rows[1:]:
            pid = str(row[1]) if len(row) > 1 and row[1] is not None else ""
            if not pid or pid == "total":
                continue
            for i, kpi in columns.items():
                if kpi is None or (pid, side, kpi) not in kpis:
                    continue
                got = row[i] if i < len(row) else None
                want = kpis[(pid, side, kpi)]
                seen += 1
                check(same(got, want), f"{reader}: {name} {pid} {kpi}: {got!r} != kpis.csv {want!r}")
    keys = {k for k in kpis}
    check(seen == len(keys), f"{reader}: compared {seen} figures, kpis.csv has {len(keys)}")


def check_pay_rows(reader, sheets, payroll):
    rows = sheets.get("Pay")
    check(rows is not None, f"{reader}: no Pay sheet")
    if not rows:
        return
    totals = {}
    for row in rows[1:]:
        if len(row) > 9 and str(row[3]) == "Pay total":
            totals[str(row[1])] = row[9]
    check(set(totals) == set(payroll), f"{reader}: Pay total rows for {sorted(totals)} but payroll.csv has {sorted(payroll)}")
    for pid, want in payroll.items():
        check(same(totals.get(pid), want), f"{reader}: pay of {pid}: {totals.get(pid)!r} != payroll.csv {want}")


def check_xml(out, tmp):
    print("xmllint: every part well formed")
    parts = tmp / "parts"
    with zipfile.ZipFile(out / "scorecards.xlsx") as z:
        z.extractall(parts)
        names = [n for n in z.namelist() if n.endswith(".xml") or n.endswith(".rels")]
    files = [str(parts / n) for n in names] + [str(out / "scorecards.xml")]
    r = subprocess.run(["xmllint", "--noout", *files], capture_output=True, text=True)
    check(r.returncode == 0, f"xmllint: {r.stderr.strip()[:500]}")
    print(f"  {len(files)} documents")


def check_audit(out):
    print("openxml-audit: no findings, office2007..microsoft365")
    for v in FORMATS:
        r = subprocess.run(["openxml-audit", "--policy", "strict", "--format", v, "--max-errors", "0",
                            str(out / "scorecards.xlsx")], capture_output=True, text=True)
        text = (r.stdout + r.stderr).strip()
        check(r.returncode == 0 and "Errors: 0" in text, f"openxml-audit {v}: {text[:400]}")


def check_openpyxl(out, kpis, payroll):
    import openpyxl
    print("openpyxl: cached values")
    wb = openpyxl.load_workbook(out / "scorecards.xlsx", data_only=True, read_only=True)
    sheets = {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}
    labels = label_map(sheets["KPI definitions"])
    check_side_rows("openpyxl", sheets, kpis, labels)
    check_pay_rows("openpyxl", sheets, payroll)
    # Formulas are formulas: the validity rate of the first marketer is one.
    wbf = openpyxl.load_workbook(out / "scorecards.xlsx", data_only=False, read_only=True)
    formulas = sum(1 for ws in wbf.worksheets for r in ws.iter_rows(values_only=True) for c in r
                   if isinstance(c, str) and c.startswith("="))
    check(formulas > 0, "openpyxl: no formulas found")
    return sheets


def check_pandas(out, kpis, payroll, openpyxl_sheets):
    import pandas as pd
    print("pandas: the same values as openpyxl")
    frames = pd.read_excel(out / "scorecards.xlsx", sheet_name=None, header=None, dtype=object)
    sheets = {}
    for name, df in frames.items():
        rows = [[None if (isinstance(v, float) and v != v) else v for v in row] for row in df.values.tolist()]
        sheets[name] = rows
    labels = label_map(sheets["KPI definitions"])
    check_side_rows("pandas", sheets, kpis, labels)
    check_pay_rows("pandas", sheets, payroll)
    check(set(sheets) == set(openpyxl_sheets), f"pandas sheets {sorted(sheets)} != openpyxl {sorted(openpyxl_sheets)}")


def soffice(profile, outdir, *args):
    outdir.mkdir(parents=True, exist_ok=True)
    r = subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", *args, "--outdir", str(outdir)],
                       capture_output=True, text=True, timeout=600)
    log = (r.stdout + r.stderr).strip()
    return r.returncode == 0 and "error" not in log.lower(), log


def lo_sheets(folder, stem):
    sheets = {}
    for path in sorted(folder.glob(f"{stem}-*.csv")):
        sheets[path.stem[len(stem) + 1:]] = read_csv(path)
    return sheets


def tamper(src, dst):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data = re.sub(rb"(</f>)<v>[^<]*</v>", rb"\1<v>-999</v>", data)
            zout.writestr(info, data)


def check_libreoffice(out, tmp, kpis, payroll):
    print("LibreOffice: every sheet to CSV, formulas recalculated")
    profile = tmp / "lo-profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(RECALC_PROFILE)
    ok, log = soffice(profile, tmp / "lo-xlsx", "--convert-to", LO_CSV, str(out / "scorecards.xlsx"))
    check(ok, f"LibreOffice could not convert scorecards.xlsx: {log[:400]}")
    xlsx = lo_sheets(tmp / "lo-xlsx", "scorecards")
    check(len(xlsx) >= 6, f"LibreOffice exported {len(xlsx)} sheets: {sorted(xlsx)}")
    labels = label_map(xlsx.get("KPI definitions", []))
    check_side_rows("LibreOffice xlsx", xlsx, kpis, labels)
    check_pay_rows("LibreOffice xlsx", xlsx, payroll)

    tamper(out / "scorecards.xlsx", tmp / "tampered.xlsx")
    ok, log = soffice(profile, tmp / "lo-tampered", "--convert-to", LO_CSV, str(tmp / "tampered.xlsx"))
    check(ok, f"LibreOffice could not convert the tampered copy: {log[:400]}")
    tampered = lo_sheets(tmp / "lo-tampered", "tampered")
    check_side_rows("LibreOffice recalculated from wrong caches", tampered, kpis, labels)
    check_pay_rows("LibreOffice recalculated from wrong caches", tampered, payroll)

    print("LibreOffice: scorecards.xml reads to the same values as scorecards.xlsx")
    ok, log = soffice(profile, tmp / "lo-flat", "--infilter=MS Excel 2003 XML", "--convert-to", LO_CSV, str(out / "scorecards.xml"))
    check(ok, f"LibreOffice could not read scorecards.xml: {log[:400]}")
    flat = lo_sheets(tmp / "lo-flat", "scorecards")
    check(sorted(flat) == sorted(xlsx), f"scorecards.xml sheets {sorted(flat)} != scorecards.xlsx sheets {sorted(xlsx)}")
    for name, rows in xlsx.items():
        other = flat.get(name, [])
        check(len(other) == len(rows), f"scorecards.xml {name}: {len(other)} rows, xlsx {len(rows)}")
        for r, (a, b) in enumerate(zip(rows, other), start=1):
            for c in range(max(len(a), len(b))):
                x = a[c] if c < len(a) else ""
                y = b[c] if c < len(b) else ""
                if x == y:
                    continue
                nx, ny = number(x), number(y)
                check(nx is not None and ny is not None and abs(nx - ny) <= Decimal("1e-9") * max(1, abs(nx)),
                      f"scorecards.xml {name} r{r}c{c + 1}: {y!r} != xlsx {x!r}")

    print("LibreOffice: control, a truncated package does not load")
    broken = tmp / "broken.xlsx"
    broken.write_bytes((out / "scorecards.xlsx").read_bytes()[:3000])
    soffice(profile, tmp / "lo-broken", "--convert-to", LO_CSV, str(broken))
    check(not list((tmp / "lo-broken").glob("*.csv")), "a truncated package was converted: the load check proves nothing")


def main():
    args = sys.argv[1:]
    quick = "--quick" in args
    args = [a for a in args if a != "--quick"]
    if len(args) != 1:
        print(__doc__)
        sys.exit(2)
    out = Path(args[0])
    for f in ["scorecards.xlsx", "scorecards.xml", "kpis.csv", "payroll.csv"]:
        if not (out / f).exists():
            print(f"{out / f}: not found. Give a folder written by baton evaluate.")
            sys.exit(2)
    for tool in ["xmllint", "soffice"] + ([] if quick else ["openxml-audit"]):
        if shutil.which(tool) is None:
            print(f"{tool}: not installed (see the docstring for what to install).")
            sys.exit(2)
    kpis, payroll = expected(out)
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        check_xml(out, tmp)
        if not quick:
            check_audit(out)
        sheets = check_openpyxl(out, kpis, payroll)
        check_pandas(out, kpis, payroll, sheets)
        check_libreoffice(out, tmp, kpis, payroll)
    print(f"{CHECKS - len(FAILURES)} passed, {len(FAILURES)} failed")
    sys.exit(1 if FAILURES else 0)


if __name__ == "__main__":
    main()
