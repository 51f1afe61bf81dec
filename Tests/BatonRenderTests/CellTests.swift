import Foundation
import Testing
@testable import BatonRender

@Suite("Cells, numbers, formulas and sheet structure")
struct CellTests {
    func oneSheet(_ rows: [Row], columns: [Column] = [Column("A"), Column("B"), Column("C")]) -> Workbook {
        Workbook(properties: DocumentProperties(created: "2025-01-01T00:00:00Z"),
                 sheets: [Sheet(name: "S", columns: columns, rows: rows)])
    }

    func sheetXML(_ wb: Workbook) throws -> String {
        try unzip(try XLSXWriter.render(wb, templates: try shippedTemplates())).parts["xl/worksheets/sheet1.xml"]!.utf8String
    }

    @Test("numbers are written digit for digit, never through Double")
    func exactDigits() throws {
        let big = "123456789012345678901234567890.123456789"
        let xml = try sheetXML(oneSheet([Row([
            .number("12800.50", format: .money(decimals: 2)),
            .number("0.8333333333", format: .percent(decimals: 1)),
            .number(big, format: .general),
        ]), Row([.number("-1.5e-7", format: .general), .formula("A2*2", cached: "-3.0E-7", format: .general)])]))
        #expect(xml.contains("<v>12800.50</v>"))
        #expect(xml.contains("<v>0.8333333333</v>"))
        #expect(xml.contains("<v>\(big)</v>"))
        #expect(xml.contains("<v>-1.5e-7</v>"))
        #expect(xml.contains("<f>A2*2</f><v>-3.0E-7</v>"))
    }

    @Test("values that are not exact decimals are rejected with their cell")
    func invalidNumbers() throws {
        let templates = try shippedTemplates()
        for bad in ["1,5", "NaN", "inf", "", "1.", ".5", "1e", "--1", "1 000", "0x10", "<v>1"] {
            #expect(throws: RenderError.invalidNumber(sheet: "S", cell: "B2", value: bad)) {
                try XLSXWriter.render(oneSheet([Row([.empty, .number(bad, format: .general)])]), templates: templates)
            }
        }
        #expect(throws: RenderError.invalidNumber(sheet: "S", cell: "A3", value: "x")) {
            try FlatXMLWriter.render(oneSheet([Row([]), Row([.formula("1", cached: "x", format: .general)])]), templates: templates)
        }
        #expect(throws: RenderError.noSheets) {
            try XLSXWriter.render(Workbook(properties: DocumentProperties(created: "2025-01-01"), sheets: []), templates: templates)
        }
        var wb = oneSheet([])
        wb.properties.created = "yesterday"
        #expect(throws: RenderError.invalidTimestamp("yesterday")) { try XLSXWriter.render(wb, templates: templates) }
        for good in ["2025-03-31", "2025-03-31T12:00Z", "2025-03-31T12:00:00.5+02:00"] {
            #expect(PreparedWorkbook.isTimestamp(good))
        }
    }

    @Test("formulas are escaped in <f>, a leading = is dropped, cached value optional")
    func formulas() throws {
        let xml = try sheetXML(oneSheet([Row([
            .number("1", format: .general),
            .formula("=IF(A2<2,\"a&b\",\"c\")", cached: nil, format: .general),
            .formula("A2+1", cached: "2", format: .general),
        ])]))
        #expect(xml.contains("<f>IF(A2&lt;2,&quot;a&amp;b&quot;,&quot;c&quot;)</f></c>"))
        #expect(xml.contains("<f>A2+1</f><v>2</v>"))
    }

    @Test("A1 formulas are converted to R1C1 for the 2003 format")
    func r1c1() {
        func c(_ f: String, _ r: Int, _ col: Int) -> String { FormulaReferences.r1c1(f, row: r, column: col) }
        #expect(c("SUM(C2:C4)", 5, 3) == "SUM(R[-3]C:R[-1]C)")
        #expect(c("$A$1*B2", 2, 3) == "R1C1*RC[-1]")
        #expect(c("A$1+$A1", 3, 2) == "R1C[-1]+R[-2]C1")
        #expect(c("\"A1\"&B1", 1, 1) == "\"A1\"&RC[1]")
        #expect(c("LOG10(A1)+ATAN2(A1,B1)", 1, 1) == "LOG10(RC)+ATAN2(RC,RC[1])")
        #expect(c("'My Sheet'!A1+Other!B2:C3", 2, 2) == "'My Sheet'!R[-1]C[-1]+Other!RC:R[1]C[1]")
        #expect(c("SUM(A:A)+SUM(2:3)", 2, 2) == "SUM(C[-1]:C[-1])+SUM(R:R[1])")
        #expect(c("IFERROR(#REF!,TRUE)", 1, 1) == "IFERROR(#REF!,TRUE)")
        #expect(c("_xlfn.XLOOKUP(A1,B:B,C:C)", 1, 1) == "_xlfn.XLOOKUP(RC,C[1]:C[1],C[2]:C[2])")
        #expect(FormulaReferences.columnLetters(1) == "A")
        #expect(FormulaReferences.columnLetters(27) == "AA")
        #expect(FormulaReferences.columnLetters(16384) == "XFD")
    }

    @Test("R1C1 on a formula's bytes gives the String conversion's text, or declines a non-ASCII formula")
    func r1c1Bytes() {
        let formulas = [
            "SUM(C2:C4)", "$A$1*B2", "A$1+$A1", "\"A1\"&B1", "LOG10(A1)+ATAN2(A1,B1)", "'My Sheet'!A1+Other!B2:C3",
            "SUM(A:A)+SUM(2:3)", "IFERROR(#REF!,TRUE)", "_xlfn.XLOOKUP(A1,B:B,C:C)", "(P5*0.3+Q5*0.25)/100", "B2/D2",
            "SUM(J3:J7)", "J3+J9+J14", "J10*K10/100", "", "A", "1", "$2:$5", "$A:$C", "A:$C", "XFD1048576+XFE1+A1048577",
            "A0", "AAAA1", "A12345678", "'it''s'!A1", "\"a\"\"b\"&C3", "[Book]Sheet!A1", "[[x]]A1", "A1.5", ".5+A1",
            "a1+b$2", "Sheet1!A1:B2+C3", "'x'A1", "#N/A", "A1:", ":A1", "1:", "$", "$$A1", "A$$1", "\\A1", "_A1", "A1_",
            "=A1", "'unterminated", "\"unterminated", "[unterminated", "SUM(A1,,B2)", "R1C1", "A1\t+\nB2&\"<&>\"",
        ]
        var out: [UInt8] = []
        for f in formulas {
            for (row, column) in [(1, 1), (5, 3), (1_048_576, 16_384), (30, 2)] {
                out.removeAll()
                let ok = Array(f.utf8).withUnsafeBufferPointer {
                    FormulaReferences.r1c1($0, row: row, column: column, into: &out)
                }
                #expect(ok)
                #expect(String(decoding: out, as: UTF8.self) == FormulaReferences.r1c1(f, row: row, column: column), "\(f)")
                #expect(Array(FormulaReferences.r1c1(f, row: row, column: column).utf8) == out, "\(f)")
            }
        }
        for f in ["é+A1", "A1&\"陈\"", "Ä1"] {
            out.removeAll()
            #expect(!Array(f.utf8).withUnsafeBufferPointer { FormulaReferences.r1c1($0, row: 1, column: 1, into: &out) })
        }
    }

    @Test("row numbers counted up in place read as the numbers, across carries and jumps")
    func rowDigits() {
        var d = NativeRows.Digits()
        for n in Array(0...12_000) + [99, 100, 5, 6, 999_999, 1_000_000, 1_000_001, 10, 9, 10, 11, 1_048_576, Int.max] {
            d.set(n)
            #expect(d.bytes == Array(String(n).utf8), "\(n)")
        }
    }

    @Test("A1 references, made in one buffer, read as the letters and the row number")
    func a1() {
        for column in [1, 2, 25, 26, 27, 52, 53, 702, 703, 16_384, 16_385, 1_000_000] {
            for row in [0, 1, 9, 10, 99, 1_048_576, Int.max] {
                #expect(FormulaReferences.a1(row: row, column: column) == FormulaReferences.columnLetters(column) + String(row))
            }
        }
        #expect(FormulaReferences.a1(row: 5, column: 0) == "5")
        #expect(FormulaReferences.a1(row: -1, column: 3) == "C-1")
    }

    @Test("frozen header, auto-filter with its hidden defined name, widths, formats, bold rows")
    func structure() throws {
        let wb = oneSheet([
            Row([.text("a"), .number("1", format: .general), .number("0.5", format: .percent(decimals: 1))]),
            Row([.text("Total"), .formula("SUM(B2:B2)", cached: "1", format: .general), .empty], style: .total),
        ], columns: [Column("Name", width: 20.5), Column("Units", width: 8, format: .integer), Column("Share")])
        let parts = try unzip(try XLSXWriter.render(wb, templates: try shippedTemplates())).parts
        let sheet = parts["xl/worksheets/sheet1.xml"]!.utf8String
        #expect(sheet.contains("<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"))
        #expect(sheet.contains("<autoFilter ref=\"A1:C3\"/>"))
        #expect(sheet.contains("<dimension ref=\"A1:C3\"/>"))
        #expect(sheet.contains("<col min=\"1\" max=\"1\" width=\"20.5\" customWidth=\"1\"/>"))
        let workbook = parts["xl/workbook.xml"]!.utf8String
        #expect(workbook.contains("<definedName name=\"_xlnm._FilterDatabase\" localSheetId=\"0\" hidden=\"1\">&apos;S&apos;!$A$1:$C$3</definedName>"))

        let styles = try XMLProbe.parse(parts["xl/styles.xml"]!)
        let codes = styles.all("numFmt").map { $0.attributes["formatCode"]! }
        #expect(codes == ["#,##0", "0.0%"])
        let xfs = styles.all("xf").dropFirst()  // the first is cellStyleXfs
        let cells = try SheetCells.parse(parts["xl/worksheets/sheet1.xml"]!, sst: parts["xl/sharedStrings.xml"]).cells
        func xf(_ ref: String) -> [String: String] {
            Array(xfs)[Int(cells[ref]!.style)!].attributes
        }
        #expect(xf("A1")["fontId"] == "1")  // bold header
        #expect(xf("A2")["fontId"] == "0")
        #expect(xf("B2")["numFmtId"] == "164")
        #expect(xf("C2")["numFmtId"] == "165")
        #expect(xf("A3")["fontId"] == "1")  // bold total row
        #expect(xf("B3")["fontId"] == "1" && xf("B3")["numFmtId"] == "164")  // column format + bold
        #expect(sheet.contains("<row r=\"3\" s=\"1\" customFormat=\"1\">"))
    }

    @Test("a 300-row x 8-column sheet renders in one pass (smoke test of the streaming path)")
    func mediumSheet() throws {
        let columns = (1...8).map { Column("C\($0)", format: $0 % 2 == 0 ? .money(decimals: 2) : .general) }
        let rows = (1...300).map { r in
            Row((1...8).map { c in c == 1 ? .text("Dealer \(r % 17)") : .number("\(r).\(c)", format: .general) })
        }
        let wb = Workbook(properties: DocumentProperties(created: "2025-01-01"), sheets: [Sheet(name: "M", columns: columns, rows: rows)])
        let parts = try unzip(try XLSXWriter.render(wb, templates: try shippedTemplates())).parts
        let sheet = try XMLProbe.parse(parts["xl/worksheets/sheet1.xml"]!)
        #expect(sheet.all("row").count == 301)
        #expect(sheet.all("c").count == 301 * 8)
        let sst = try XMLProbe.parse(parts["xl/sharedStrings.xml"]!)
        #expect(sst.all("si").count == 8 + 17)  // repeated dealer names stored once
        #expect(sst.all("sst").first?.attributes["count"] == String(8 + 300))
    }
}
