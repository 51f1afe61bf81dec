import BatonCore
import Foundation
import Testing
@testable import BatonRender

/// Rows with every kind of cell, every number format (odd decimals included), empty and hostile text,
/// long texts (heap strings, multi-byte varint lengths), empty rows and every row style.
func packedTestRows() -> [Row] {
    let formats: [NumberFormat] = [
        .general, .integer, .money(decimals: 2), .money(decimals: 0), .percent(decimals: 1), .decimal(decimals: 3),
        .decimal(decimals: 30), .decimal(decimals: 64), .money(decimals: -1), .percent(decimals: Int.max),
        .decimal(decimals: Int.min), .money(decimals: 300),
    ]
    let texts = [
        "", " ", "web", "=1+2", "+cmd|' /C calc'!A0", "-2", "@SUM(A1)", "<b>&amp;</b> \"'", "tab\tnew\nline\rcr",
        "\u{0}\u{1}\u{7}\u{1F}", "\u{FFFE}\u{FFFF}", "_x0041_", "陈霞", "Kelvin \u{212A}", "e\u{301}", "🙂👍🏽",
        String(repeating: "long text ", count: 20), String(repeating: "x", count: 127), String(repeating: "y", count: 128),
        String(repeating: "z", count: 20_000), "  padded  ",
    ]
    var rows: [Row] = [Row([]), Row([], style: .subtotal), Row([.empty]), Row([.empty, .empty, .empty], style: .total)]
    for (i, t) in texts.enumerated() {
        let f = formats[i % formats.count]
        rows.append(Row([.text(t), .empty, .number("\(i).5", format: f), .formula(t, cached: nil, format: f),
                         .formula("A\(i + 2)*2", cached: t, format: formats[(i + 3) % formats.count]), .text(t)],
                        style: [RowStyle.normal, .subtotal, .total][i % 3]))
    }
    for f in formats {
        rows.append(Row([.number("-0.000000000000001", format: f), .formula("SUM(A1:A9)", cached: "12800.50", format: f),
                         .formula("", cached: "", format: f), .number("", format: f)]))
    }
    // Texts repeating the row above (kept once in the table), and texts that are canonically equal to the
    // one above but not the same bytes (kept apart), with gaps, numbers and shorter rows in between.
    let long = String(repeating: "linear: 100 points at 100% attainment ", count: 3)
    let repeats: [[String?]] = [
        ["Store 01", "M00101", long], ["Store 01", "M00101", long], ["Store 01", "M00102", long],
        ["e\u{301}", "é", nil], ["é", "é", long], ["é", "e\u{301}", long], [nil, "e\u{301}"], ["é"], ["é", nil, long],
        ["Kelvin \u{212A}", "Kelvin K", "Kelvin K"], ["Kelvin K", "Kelvin \u{212A}", "Kelvin K"], ["", ""], ["", "", ""],
    ]
    for (i, r) in repeats.enumerated() {
        rows.append(Row(r.map { $0.map(Cell.text) ?? (i % 2 == 0 ? .empty : .number("7", format: .integer)) },
                        style: i % 4 == 3 ? .subtotal : .normal))
    }
    rows.append(Row((0..<300).map { $0 % 2 == 0 ? .text("c\($0)") : .number("\($0)", format: .integer) }, style: .total))
    return rows
}

/// Rows as their exact bytes: `==` on `String` (and so on `Cell`) holds canonically equal texts equal, and the
/// store must give back the very bytes.
func exactBytes(_ rows: [Row]) -> [[String]] {
    func b(_ s: String) -> String { Array(s.utf8).map(String.init).joined(separator: ",") }
    func f(_ x: NumberFormat) -> String { "\(x)" }
    return rows.map { row in
        ["\(row.style)"] + row.cells.map { cell in
            switch cell {
            case .empty: return "empty"
            case .text(let t): return "text " + b(t)
            case .number(let v, let x): return "number \(b(v)) \(f(x))"
            case .formula(let x, let cached, let fmt): return "formula \(b(x)) \(cached.map(b) ?? "nil") \(f(fmt))"
            }
        }
    }
}

@Suite("Packed rows")
struct PackedRowsTests {
    @Test("packed rows give back exactly the rows put in, one at a time and all together")
    func roundTrip() {
        let rows = packedTestRows()
        var packed = PackedRows()
        for (i, row) in rows.enumerated() {
            #expect(packed.count == i)
            packed.append(row)
        }
        #expect(packed.count == rows.count)
        for p in [packed, packed.compacted(), PackedRows(rows)] {
            #expect(p.all() == rows)
            #expect(exactBytes(p.all()) == exactBytes(rows))
            // Decoding appends to what is there, and gives the same row each time (writers read rows more than once).
            var cells: [Cell] = [.text("before")]
            for (i, row) in rows.enumerated().reversed() {
                cells.removeAll(keepingCapacity: true)
                #expect(p.decode(i, into: &cells) == row.style)
                #expect(cells == row.cells)
                #expect(exactBytes([Row(cells)]) == exactBytes([Row(row.cells)]))
                cells.removeAll(keepingCapacity: true)
                _ = p.decode(i, into: &cells)
                #expect(cells == row.cells)
            }
        }
        // Enough rows for many blocks, rows larger than a block among them.
        var many: [Row] = []
        for i in 0..<6000 {
            let size = i % 997 == 0 ? PackedRows.blockSize + i : i % 40
            many.append(Row([.text(String(repeating: "é", count: size / 2)), .number("\(i)", format: .integer)],
                            style: i % 5 == 0 ? .subtotal : .normal))
        }
        let manyPacked = PackedRows(many)
        #expect(manyPacked.all() == many)
        #expect(manyPacked.compacted().all() == many)
        #expect(manyPacked.compacted().byteCount < 1_200_000)  // about 0.85 MB of rows
        #expect(PackedRows().all().isEmpty)
        #expect(PackedRows().count == 0)
    }

    @Test("reading a packed row's bytes in place gives the decoded cells, byte for byte, again and again")
    func cursorMatchesDecode() {
        let rows = packedTestRows()
        for p in [PackedRows(rows), PackedRows(rows).compacted()] {
            for (i, row) in rows.enumerated() {
                let read: (RowStyle, [Cell]) = p.withRow(i) { style, cursor in
                    var again = cursor
                    var cells: [Cell] = []
                    while let c = cursor.next() {
                        func s(_ b: UnsafeBufferPointer<UInt8>) -> String { String(decoding: b, as: UTF8.self) }
                        switch c.kind {
                        case .empty: cells.append(.empty)
                        case .text: cells.append(.text(s(c.bytes)))
                        case .number: cells.append(.number(s(c.bytes), format: c.format))
                        case .formula: cells.append(.formula(s(c.bytes), cached: c.cached.map(s), format: c.format))
                        }
                    }
                    var n = 0
                    while again.next() != nil { n += 1 }
                    #expect(n == cells.count)
                    return (style, cells)
                }
                #expect(read.0 == row.style)
                #expect(exactBytes([Row(read.1)]) == exactBytes([Row(row.cells)]))
            }
        }
    }

    @Test("numbers written from exact values pack as their decimal strings do, big values and every format included")
    func exactNumbers() throws {
        let formats: [NumberFormat] = [.general, .integer, .money(decimals: 2), .percent(decimals: 1), .decimal(decimals: 30),
                                       .money(decimals: -1), .decimal(decimals: Int.min)]
        var values: [Exact] = [.zero, Exact(1), Exact(-1), Exact(numerator: 2, denominator: 3), Exact(numerator: -5, denominator: 8),
                               Exact(Int64.max), Exact(Int64.min), Exact(numerator: Int64.max, denominator: 7),
                               Exact(numerator: 1, denominator: Int64.max), try #require(Exact(decimal: "12800.50")),
                               try #require(Exact(decimal: "0.000000000000001"))]
        values.append(values[5] * values[5] / Exact(3))  // beyond 64 bits: through the String
        var fromExact = PackedRows(), fromText = PackedRows()
        for (i, x) in values.enumerated() {
            for places in [0, 1, 2, 10, 15, 19, 20, 40] {
                let f = formats[(i + places) % formats.count]
                fromExact.begin(i % 2 == 0 ? .normal : .total)
                fromExact.number(x, places: places, format: f)
                fromExact.formula("A\(i + 2)/B\(i + 2)", cached: x, places: places, format: f)
                fromExact.number(nil, places: places, format: f)
                fromExact.text("t")
                fromExact.end()
                let text = x.decimalString(places: places)
                fromText.append([.number(text, format: f), .formula("A\(i + 2)/B\(i + 2)", cached: text, format: f), .empty, .text("t")],
                                style: i % 2 == 0 ? .normal : .total)
            }
        }
        #expect(fromExact.count == fromText.count)
        #expect(fromExact.all() == fromText.all())
        for i in 0..<fromText.count {
            let a: [UInt8] = fromExact.withRow(i) { _, c in var out: [UInt8] = []; while let x = c.next() { out += Array(x.bytes) + (x.cached.map(Array.init) ?? []) }; return out }
            let b: [UInt8] = fromText.withRow(i) { _, c in var out: [UInt8] = []; while let x = c.next() { out += Array(x.bytes) + (x.cached.map(Array.init) ?? []) }; return out }
            #expect(a == b, "row \(i)")
        }
        #expect(fromExact.summary.uses == fromText.summary.uses && fromExact.summary.widest == fromText.summary.widest)
        #expect(fromExact.summary.invalid == nil && fromText.summary.invalid == nil)
    }

    @Test("packed rows note the widest row, the style uses in order and the first bad number as they are appended")
    func summary() {
        var p = PackedRows()
        p.append(Row([.text("a"), .number("1", format: .general)]))
        p.append(Row([.formula("A1", cached: "x", format: .integer), .empty, .number("2", format: .integer)], style: .total))
        p.append(Row([.number("3,5", format: .percent(decimals: 1)), .number("1", format: .general)]))
        let s = p.compacted().summary
        #expect(s.widest == 3)
        #expect(s.uses == [.cell(.general, column: 1, bold: false), .boldRow, .cell(.integer, column: nil, bold: true),
                           .cell(.percent(decimals: 1), column: nil, bold: false)])
        #expect(s.invalid?.row == 1 && s.invalid?.column == 0 && s.invalid?.value == "x")
    }

    @Test("a packed sheet reads as the held sheet: rows, row count, each row, equality, splitting")
    func sheetView() {
        let rows = packedTestRows()
        let held = Sheet(name: "S", columns: [Column("a"), Column("b")], rows: rows)
        let packed = Sheet(name: "S", columns: [Column("a"), Column("b")], packed: PackedRows(rows))
        #expect(packed.rows == rows)
        #expect(exactBytes(packed.rows) == exactBytes(rows))
        #expect(packed.rowCount == rows.count)
        #expect(packed == held)
        var seen: [Row] = []
        packed.forEachRow { i, cells, style in
            #expect(i == seen.count)
            seen.append(Row(cells, style: style))
        }
        #expect(seen == rows)
        let a = Workbook(properties: DocumentProperties(created: "2025-01-01T00:00:00Z"), sheets: [held])
        let b = Workbook(properties: DocumentProperties(created: "2025-01-01T00:00:00Z"), sheets: [packed])
        #expect(a.splittingLongSheets(maxRows: 7) == b.splittingLongSheets(maxRows: 7))
        // Setting rows through the public property still works on a packed sheet.
        var changed = packed
        changed.rows[0].cells.append(.text("added"))
        #expect(changed.rows[0].cells == [.text("added")])
        #expect(changed.rows.count == rows.count)
    }

    /// The same workbook with its held sheets packed.
    func packedCopy(_ wb: Workbook) -> Workbook {
        var out = wb
        out.sheets = wb.sheets.map { sheet in
            guard case .rows(let rows) = sheet.storage else { return sheet }
            return Sheet(name: sheet.name, columns: sheet.columns, packed: PackedRows(rows), freezeHeader: sheet.freezeHeader,
                         autoFilter: sheet.autoFilter)
        }
        return out
    }

    func renders(_ wb: Workbook) throws -> (xlsx: [UInt8], xml: [UInt8]) {
        let t = try shippedTemplates()
        return (try XLSXWriter.render(wb, templates: t), try FlatXMLWriter.render(wb, templates: t))
    }

    @Test("a workbook with packed sheets renders the same .xlsx and .xml bytes as with held rows, split or not")
    func sameBytes() throws {
        let hostile = Workbook(
            properties: DocumentProperties(title: "Packed", created: "2025-01-01T00:00:00Z"),
            sheets: [
                Sheet(name: "All kinds", columns: [Column("a"), Column("b", format: .money(decimals: 2)),
                                                   Column("c", texts: .inline), Column("d", format: .percent(decimals: 1))],
                      rows: packedTestRows().map { row in
                          // Only numbers a writer accepts (the round trip above covers the rest).
                          func ok(_ v: String) -> Bool { PreparedWorkbook.isExactDecimal(v) }
                          return Row(row.cells.map { cell in
                              switch cell {
                              case .number(let v, let f): return ok(v) ? cell : .number("1.5", format: f)
                              case .formula(let x, let cached, let f):
                                  return .formula(x.isEmpty ? "A1" : x, cached: cached.map { ok($0) ? $0 : "2" }, format: f)
                              default: return cell
                              }
                          }, style: row.style)
                      }),
                Sheet(name: "Empty", columns: [Column("x")], rows: []),
            ])
        for wb in [sampleWorkbook(), longWorkbook(rows: 2000, lazy: false), hostile] {
            let packed = packedCopy(wb)
            #expect(packed == wb)
            let a = try renders(wb), b = try renders(packed)
            #expect(a.xml == b.xml)
            #expect(a.xlsx == b.xlsx)
            // Split: the held and the packed pieces shift their formulas the same way.
            let sa = try renders(wb.splittingLongSheets(maxRows: 9)), sb = try renders(packed.splittingLongSheets(maxRows: 9))
            #expect(sa.xml == sb.xml)
            #expect(sa.xlsx == sb.xlsx)
        }
    }

    @Test("a packed sheet fails on a bad number as the held sheet does")
    func sameErrors() throws {
        let rows = [Row([.text("a")]), Row([.number("12,5", format: .general)])]
        let held = Workbook(properties: DocumentProperties(created: "2025-01-01T00:00:00Z"),
                            sheets: [Sheet(name: "S", columns: [Column("a")], rows: rows)])
        let packed = packedCopy(held)
        let t = try shippedTemplates()
        for render in [{ try XLSXWriter.render($0, templates: t) }, { try FlatXMLWriter.render($0, templates: t) }]
            as [(Workbook) throws -> [UInt8]] {
            var heldError = "", packedError = ""
            do { _ = try render(held) } catch { heldError = "\(error)" }
            do { _ = try render(packed) } catch { packedError = "\(error)" }
            #expect(!heldError.isEmpty)
            #expect(heldError == packedError)
        }
    }
}
