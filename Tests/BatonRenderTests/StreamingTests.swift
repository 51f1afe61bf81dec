import BatonCore
import Foundation
import Testing
import ZIPFoundation
@testable import BatonRender

/// A sink that records how it was fed: the writers must hand over chunks, not one whole buffer.
final class ChunkCountingSink: ByteSink {
    var bytes: [UInt8] = []
    var chunks = 0
    var largest = 0
    func write(_ chunk: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: chunk)
        chunks += 1
        largest = max(largest, chunk.count)
    }
}

/// A workbook with one long sheet of repeated and unique texts, numbers and formulas: the unique ids are
/// inline strings (hostile or with whitespace at their ends now and then), and rows have gaps (no id, so the
/// first cell is not in column A; no channel, in the middle of the row).
func longWorkbook(rows: Int, lazy: Bool) -> Workbook {
    let columns = [Column("id", texts: .inline), Column("channel"), Column("amount", format: .money(decimals: 2)), Column("twice"),
                   Column("note")]
    let channels = ["web", "phone", "walk_in", "<partner & co>", "Kelvin \u{212A}", "Kelvin K", "  padded  ", "tab\tinside", "cr\rend"]
    let make: @Sendable (Int, inout [Cell]) -> RowStyle = { i, cells in
        switch (i % 13, i % 19) {
        case (0, _): cells.append(.empty)
        case (_, 1): cells.append(.text("<L&\(i)>_x0041_\u{07}"))
        case (_, 2): cells.append(.text(" L\(i)\n"))
        default: cells.append(.text("L\(100_000 + i)"))
        }
        cells.append(i % 11 == 5 ? .empty : .text(channels[i % channels.count]))
        cells.append(.number("\(i).50", format: .general))
        cells.append(.formula("C\(i + 2)*2", cached: "\(2 * i + 1)", format: .general))
        cells.append(i % 3 == 0 ? .empty : .text(i % 7 == 0 ? "bell\u{07}_x0041_" : "note \(i % 50)"))
        return i % 10 == 9 ? .subtotal : .normal
    }
    let sheet: Sheet
    if lazy {
        sheet = Sheet(name: "Leads", columns: columns, source: RowSource(count: rows, fill: make))
    } else {
        let held: [Row] = (0..<rows).map { i in
            var cells: [Cell] = []
            let style = make(i, &cells)
            return Row(cells, style: style)
        }
        sheet = Sheet(name: "Leads", columns: columns, rows: held)
    }
    return Workbook(properties: DocumentProperties(title: "Long", created: "2025-01-01T00:00:00Z"),
                    sheets: [Sheet(name: "First", columns: [Column("a")], rows: [Row([.text("web")])]), sheet])
}

@Suite("Streamed workbook output")
struct StreamingTests {
    @Test("the shipped per-row sections are the ones the native row writers reproduce")
    func shippedSections() throws {
        let t = try shippedTemplates()
        #expect(try t.split("xlsx/xl/worksheets/sheet.xml", section: "rows").bodySource == NativeRows.xlsxRowsBody)
        #expect(try t.split("xlsx/xl/sharedStrings.xml", section: "strings").bodySource == NativeRows.sharedStringBody)
        #expect(try t.split(FlatXMLWriter.templateName, section: "sheets").splitBody(section: "rows").bodySource
                == NativeRows.flatRowsBody)
    }

    @Test("native rows are byte-identical to engine-rendered rows on a long sheet with every kind of cell")
    func nativeMatchesEngine() throws {
        let templates = try shippedTemplates()
        let wb = longWorkbook(rows: 3000, lazy: false)
        let native = [try XLSXWriter.render(wb, templates: templates), try FlatXMLWriter.render(wb, templates: templates)]
        let engine = try SectionRenderer.$engineOnly.withValue(true) {
            [try XLSXWriter.render(wb, templates: templates), try FlatXMLWriter.render(wb, templates: templates)]
        }
        #expect(native[1] == engine[1])
        let a = try unzip(native[0]), b = try unzip(engine[0])
        #expect(a.order == b.order)
        #expect(a.parts == b.parts)
    }

    @Test("a sheet made on demand renders exactly as the same rows held in memory, split or not")
    func rowSource() throws {
        let templates = try shippedTemplates()
        let held = longWorkbook(rows: 2500, lazy: false)
        let lazy = longWorkbook(rows: 2500, lazy: true)
        #expect(held == lazy)
        #expect(try XLSXWriter.render(held, templates: templates) == XLSXWriter.render(lazy, templates: templates))
        #expect(try FlatXMLWriter.render(held, templates: templates) == FlatXMLWriter.render(lazy, templates: templates))
        let heldSplit = held.splittingLongSheets(maxRows: 1000), lazySplit = lazy.splittingLongSheets(maxRows: 1000)
        #expect(lazySplit.sheets.map(\.name) == ["First", "Leads", "Leads (2)", "Leads (3)"])
        #expect(heldSplit == lazySplit)
        #expect(try XLSXWriter.render(heldSplit, templates: templates) == XLSXWriter.render(lazySplit, templates: templates))
        if case .source = lazySplit.sheets[2].storage {} else { Issue.record("the split pieces of a source stay sources") }
    }

    /// A sheet of text rows made from bytes (as the leads sheet is), hostile and canonically-equal texts
    /// included, with empty cells anywhere (first, last, runs) and a text longer than the row buffer.
    static func textWorkbook(rows: Int) -> Workbook {
        let hostile = ["<script>alert(1)</script>", "=HYPERLINK(\"http://x\",\"y\")", "bell\u{07}tab\tcr\r", "\u{200F}rtl\u{202E}",
                       "illegal \u{FFFE}\u{FFFF}\u{0}", "Kelvin \u{212A}", "Kelvin K", "é", "e\u{301}", "_x0041_ & 'q'",
                       "+SUM(A1)", "-1", "@cmd", "线索 😀", String(repeating: "long ", count: 300), "  padded  ", "trail ",
                       "\tlead", "a  b", "lf\ninside"]
        // Columns 0, 3 and 4 are inline strings; 1, 2 and 5 shared.
        let columns = (0..<6).map { Column("c\($0)", texts: [0, 3, 4].contains($0) ? .inline : .shared) }
        let source = RowSource(count: rows, columns: columns.count) { i, row in
            if i % 4 != 0 { row.set(0, "L\(100_000 + i)") }
            // Keyed texts (handled once per key by the writers) mixed with the same texts unkeyed, in shared
            // and inline columns, and a keyed empty text.
            if i % 2 == 0 {
                row.set(1, key: UInt32(i % hostile.count), hostile[i % hostile.count])
            } else {
                row.set(1, hostile[i % hostile.count])
            }
            if i % 3 == 1 { row.set(2, prefix: "team:", i % 6 == 1 ? "" : "T\(i % 5)") }
            Array("2026-10-\(10 + i % 20)T08:00:00Z".utf8).withUnsafeBytes { row.set(3, $0) }
            if i % 5 != 0 { row.set(4, key: UInt32((i * 7) % hostile.count), hostile[(i * 7) % hostile.count]) }
            if i % 2 == 0 {
                row.set(5, key: UInt32(i % 9), "tail \(i % 9)")
            } else if i % 9 == 4 {
                row.set(5, key: 100, "")
            }
        }
        return Workbook(properties: DocumentProperties(title: "Texts", created: "2025-01-01T00:00:00Z"),
                        sheets: [Sheet(name: "First", columns: [Column("a")], rows: [Row([.text("Kelvin K")])]),
                                 Sheet(name: "Leads", columns: columns, source: source)])
    }

    @Test("text rows written from bytes are byte-identical to the engine's rows and to the same cells held")
    func textSourceMatchesEngine() throws {
        let templates = try shippedTemplates()
        let wb = Self.textWorkbook(rows: 2000)
        var held = wb
        held.sheets[1] = Sheet(name: "Leads", columns: wb.sheets[1].columns, rows: wb.sheets[1].rows)
        #expect(held == wb)
        if case .source(let s) = wb.sheets[1].storage { #expect(s.texts != nil) } else { Issue.record("a source") }
        let native = [try XLSXWriter.render(wb, templates: templates), try FlatXMLWriter.render(wb, templates: templates)]
        let plain = [try XLSXWriter.render(held, templates: templates), try FlatXMLWriter.render(held, templates: templates)]
        let engine = try SectionRenderer.$engineOnly.withValue(true) {
            [try XLSXWriter.render(wb, templates: templates), try FlatXMLWriter.render(wb, templates: templates)]
        }
        #expect(native[1] == plain[1])
        #expect(native[1] == engine[1])
        #expect(native[0] == plain[0])
        let a = try unzip(native[0]), b = try unzip(engine[0])
        #expect(a.order == b.order)
        #expect(a.parts == b.parts)
        let xml = String(decoding: native[1], as: UTF8.self)
        #expect(!xml.contains("<script>") && xml.contains("&lt;script&gt;"))
        #expect(xml.contains("illegal \u{FFFD}\u{FFFD}\u{FFFD}"))
        #expect(xml.contains("team:<") && xml.contains("team:T"))

        // Split: the pieces stay text sources and render as the held rows split.
        let split = wb.splittingLongSheets(maxRows: 700), heldSplit = held.splittingLongSheets(maxRows: 700)
        #expect(split == heldSplit)
        if case .source(let s) = split.sheets[3].storage { #expect(s.texts != nil) } else { Issue.record("a source") }
        #expect(try XLSXWriter.render(split, templates: templates) == XLSXWriter.render(heldSplit, templates: templates))
        #expect(try FlatXMLWriter.render(split, templates: templates) == FlatXMLWriter.render(heldSplit, templates: templates))
    }

    /// The `{{#rows}}` and `{{#strings}}` sections as shipped before inline strings and optional references.
    static let olderRowsBody = #"    <row r="{{{r}}}"{{#rowStyle}} s="{{{.}}}" customFormat="1"{{/rowStyle}}>{{#cells}}<c r="{{{ref}}}"{{#style}} s="{{{.}}}"{{/style}}{{#isString}} t="s"><v>{{{stringIndex}}}</v></c>{{/isString}}{{#isNumber}}><v>{{{number}}}</v></c>{{/isNumber}}{{#isFormula}}><f>{{{formula}}}</f>{{#cached}}<v>{{{.}}}</v>{{/cached}}</c>{{/isFormula}}{{/cells}}</row>"# + "\n"
    static let olderStringBody = #"  <si><t xml:space="preserve">{{{text}}}</t></si>"# + "\n"

    @Test("a copy of the older templates (a reference on every cell, only shared strings) gives a valid workbook of the same values")
    func olderTemplates() throws {
        let dir = try makeTempDir()
        for (name, shipped, older) in [("xlsx/xl/worksheets/sheet.xml", NativeRows.xlsxRowsBody, Self.olderRowsBody),
                                       ("xlsx/xl/sharedStrings.xml", NativeRows.sharedStringBody, Self.olderStringBody)] {
            let source = try String(contentsOf: templatesURL.appendingPathComponent(name + ".mustache"), encoding: .utf8)
            #expect(source.contains(shipped))
            let target = dir.appendingPathComponent(name + ".mustache")
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try source.replacingOccurrences(of: shipped, with: older).write(to: target, atomically: true, encoding: .utf8)
        }
        let shipped = try shippedTemplates()
        let older = try TemplateSet.load(directory: dir, fallback: templatesURL)
        for wb in [longWorkbook(rows: 1500, lazy: true), Self.textWorkbook(rows: 1500), sampleWorkbook()] {
            let new = try XLSXWriter.render(wb, templates: shipped)
            let old = try XLSXWriter.render(wb, templates: older)
            let a = try sheetCells(new), b = try sheetCells(old)
            #expect(a.keys.sorted() == b.keys.sorted())
            for (part, cells) in a {
                #expect(cells.values == b[part]?.values, "\(part)")
                #expect(cells.order == b[part]?.order, "\(part)")
            }
            // The older copy: every cell with its reference, every text shared, every entry preserved.
            let oldParts = try unzip(old).parts, newParts = try unzip(new).parts
            for (path, part) in oldParts where path.hasPrefix("xl/worksheets/") {
                let xml = part.utf8String
                #expect(!xml.contains("inlineStr") && !xml.contains("<c>"), "\(path)")
                #expect(xml.components(separatedBy: "<c ").count == xml.components(separatedBy: "<c r=\"").count, "\(path)")
            }
            let oldStrings = oldParts["xl/sharedStrings.xml"]!.utf8String
            #expect(oldStrings.components(separatedBy: "<si>").count == oldStrings.components(separatedBy: "<si><t xml:space=\"preserve\">").count)
            // The shipped ones: references only where needed, and fewer shared strings when a sheet has inline columns.
            let sheets = newParts.filter { $0.key.hasPrefix("xl/worksheets/") }.map(\.value.utf8String)
            #expect(sheets.allSatisfy { $0.components(separatedBy: "<c ").count + $0.components(separatedBy: "<c>").count
                                        > $0.components(separatedBy: "<c r=\"").count + 1 })
            let inlineColumns = wb.sheets.contains { $0.columns.contains { $0.texts == .inline } }
            #expect(sheets.contains { $0.contains("t=\"inlineStr\"") } == inlineColumns)
            if inlineColumns { #expect(newParts["xl/sharedStrings.xml"]!.count < oldParts["xl/sharedStrings.xml"]!.count) }
        }
    }

    @Test("an edited copy of the shipped rows section (rendered through the engine, with its shape cache) writes the new forms alike")
    func editedRowsSection() throws {
        let dir = try makeTempDir()
        let name = "xlsx/xl/worksheets/sheet.xml"
        let source = try String(contentsOf: templatesURL.appendingPathComponent(name + ".mustache"), encoding: .utf8)
        let target = dir.appendingPathComponent(name + ".mustache")
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try source.replacingOccurrences(of: "<row r=\"{{{r}}}\"", with: "<row r=\"{{{r}}}\" customHeight=\"0\"")
            .write(to: target, atomically: true, encoding: .utf8)
        let edited = try TemplateSet.load(directory: dir, fallback: templatesURL)
        let shipped = try shippedTemplates()
        for wb in [longWorkbook(rows: 1200, lazy: true), Self.textWorkbook(rows: 1200)] {
            let cached = try XLSXWriter.render(wb, templates: edited)
            let engine = try SectionRenderer.$engineOnly.withValue(true) { try XLSXWriter.render(wb, templates: edited) }
            #expect(try unzip(cached).parts == unzip(engine).parts)
            let native = try unzip(try XLSXWriter.render(wb, templates: shipped)).parts
            for (path, part) in try unzip(cached).parts {
                let expected = path.hasPrefix("xl/worksheets/")
                    ? native[path]!.utf8String.replacingOccurrences(of: "<row r=\"", with: "<row customHeight=\"0\" r=\"")
                    : native[path]!.utf8String
                // The attribute goes after r: put it back where the template has it.
                let fixed = expected.replacingOccurrences(of: #"<row customHeight="0" r="(\d+)""#, with: #"<row r="$1" customHeight="0""#,
                                                          options: .regularExpression)
                #expect(part.utf8String == fixed, "\(path)")
            }
        }
    }

    @Test("cells carry a reference exactly where they do not follow the previous cell of their row")
    func references() throws {
        let wb = Workbook(properties: DocumentProperties(created: "2025-01-01"), sheets: [
            Sheet(name: "G", columns: [Column("a"), Column("b", texts: .inline), Column("c"), Column("d")], rows: [
                Row([.text("x"), .text("y"), .number("1", format: .general), .formula("C2*2", cached: "2", format: .general)]),
                Row([.empty, .text("y"), .empty, .number("3", format: .general)]),
                Row([.empty, .empty, .empty, .text("z")], style: .total),
                Row([.text("x"), .empty, .empty, .empty, .number("9", format: .general)]),
                Row([]),
            ]),
        ])
        for templates in [try shippedTemplates()] {
            let engine = try SectionRenderer.$engineOnly.withValue(true) { try XLSXWriter.render(wb, templates: templates) }
            let native = try XLSXWriter.render(wb, templates: templates)
            #expect(try unzip(native).parts == unzip(engine).parts)
            let xml = try unzip(native).parts["xl/worksheets/sheet1.xml"]!.utf8String
            #expect(xml.contains("<row r=\"1\" s=\"1\" customFormat=\"1\"><c s=\"1\" t=\"s\"><v>0</v></c><c s=\"1\" t=\"s\"><v>1</v></c>"))
            #expect(xml.contains("<row r=\"2\"><c t=\"s\"><v>4</v></c><c t=\"inlineStr\"><is><t>y</t></is></c><c><v>1</v></c><c><f>C2*2</f><v>2</v></c></row>"))
            #expect(xml.contains("<row r=\"3\"><c r=\"B3\" t=\"inlineStr\"><is><t>y</t></is></c><c r=\"D3\"><v>3</v></c></row>"))
            #expect(xml.contains("<row r=\"4\" s=\"1\" customFormat=\"1\"><c r=\"D4\" s=\"1\" t=\"s\"><v>5</v></c></row>"))
            #expect(xml.contains("<row r=\"5\"><c t=\"s\"><v>4</v></c><c r=\"E5\"><v>9</v></c></row>"))
            #expect(xml.contains("<row r=\"6\"></row>"))
            let cells = try SheetCells.parse(Array(xml.utf8), sst: try unzip(native).parts["xl/sharedStrings.xml"]).cells
            #expect(cells["E5"]?.value == "9" && cells["D4"]?.value == "z" && cells["B2"]?.value == "y" && cells["D2"]?.formula == "C2*2")
        }
    }

    @Test("short copies by words copy exactly the bytes asked for, at every length and offset")
    func copyBytesLengths() {
        let source: [UInt8] = (0..<100).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        for n in 0...70 {
            for offset in [0, 1, 3, 7] {
                var target = [UInt8](repeating: 0xAA, count: 100)
                source.withUnsafeBufferPointer { s in
                    target.withUnsafeMutableBufferPointer { t in copyBytes(t.baseAddress! + offset, s.baseAddress! + 5, n) }
                }
                var expected = [UInt8](repeating: 0xAA, count: 100)
                expected.replaceSubrange(offset..<(offset + n), with: source[5..<(5 + n)])
                #expect(target == expected, "length \(n) at \(offset)")
            }
        }
    }

    @Test("both writers hand the sink chunks of bounded size and give what they wrote")
    func chunks() throws {
        let templates = try shippedTemplates()
        let wb = longWorkbook(rows: 40_000, lazy: true)
        let flat = ChunkCountingSink()
        let flatCount = try FlatXMLWriter.render(wb, templates: templates, to: flat)
        #expect(flatCount == flat.bytes.count)
        #expect(flat.chunks > 2)
        #expect(flat.largest <= 1 << 20)
        #expect(flat.bytes == (try FlatXMLWriter.render(wb, templates: templates)))

        let xlsx = ChunkCountingSink()
        let xlsxCount = try XLSXWriter.render(wb, templates: templates, to: xlsx)
        #expect(xlsxCount == xlsx.bytes.count)
        #expect(xlsx.chunks > 10)
        #expect(xlsx.largest <= 1 << 20)
        let parts = try unzip(xlsx.bytes).parts
        let sheet = parts["xl/worksheets/sheet2.xml"]!.utf8String
        #expect(sheet.contains("<row r=\"40001\" s=\"1\" customFormat=\"1\">"))
        #expect(sheet.hasSuffix("</worksheet>\n"))
        // Shared strings: canonically equal texts ("K" and KELVIN SIGN) share one entry, as Strings compare.
        let sst = try XMLProbe.parse(parts["xl/sharedStrings.xml"]!)
        let texts = sst.all("t").map(\.text)
        #expect(texts.count == Set(texts).count)
        func scalars(_ s: String) -> [Unicode.Scalar] { Array(s.unicodeScalars) }
        #expect(texts.contains { scalars($0) == scalars("Kelvin \u{212A}") })
        #expect(!texts.contains { scalars($0) == scalars("Kelvin K") })
        #expect(texts.contains("bell\u{FFFD}_x005F_x0041_"))  // `_` protected: the reader decodes it to "_"
        #expect(sst.all("sst").first?.attributes["uniqueCount"] == String(texts.count))
    }

    @Test("the shared-string table numbers texts in order of first use, equal Strings alike")
    func sharedStringTable() {
        var table = SharedStringTable(expected: 4)
        var reference: [String: Int] = [:]
        var texts: [String] = ["", "a", "é", "e\u{301}", "K", "\u{212A}", "Ω", "\u{2126}", "😀", "a",
                               // Ideographs (the short way round the normal form), compatibility ones equal to them.
                               "陈霞", "team:陈霞", "\u{9F9C}", "\u{F907}", "x\u{F907}", "x\u{9F9C}", "\u{F907}", "陈霞",
                               "\u{4E00}\u{301}", "\u{4E00}\u{301}", "\u{4DFF}", "\u{9FFF}", "\u{A000}", "K\u{4E00}", "\u{212A}\u{4E00}",
                               // Scalars without decomposition next to ones with: ≉ is ≈ with U+0338.
                               "a × b", "≉", "≈\u{338}", "≈", "\u{212A} × 2", "K × 2", "→ \u{212A}", "→ K", "\u{A0}h", "…"]
        for i in 0..<5000 { texts.append("text \(i % 1700)") }
        texts.append(String(repeating: "long text ", count: 30))
        for text in texts {
            let expected = reference[text] ?? reference.count
            let (id, isNew) = table.index(of: text)
            #expect(id == expected, "\(text.debugDescription)")
            #expect(isNew == (reference[text] == nil))
            if reference[text] == nil { reference[text] = id }
        }
        #expect(table.uniqueCount == reference.count)
        #expect(table.references == texts.count)
    }

    @Test("a big shared-string table (mapped memory) and one that grows number texts alike")
    func sharedStringTableMapped() {
        // 300k expected: 8 MB of slots, mapped in huge pages; 4 expected: grown many times over.
        var big = SharedStringTable(expected: 300_000)
        var small = SharedStringTable(expected: 4)
        var reference: [String: Int] = [:]
        for i in 0..<60_000 {
            let text = i % 3 == 0 ? "repeated \(i % 97)" : (i % 5 == 0 ? "é \(i)" : "L\(1_000_000 + i)")
            let expected = reference[text] ?? reference.count
            if reference[text] == nil { reference[text] = expected }
            #expect(big.index(of: text).id == expected)
            #expect(small.index(of: text).id == expected)
        }
        #expect(big.uniqueCount == reference.count && small.uniqueCount == reference.count)
    }

    @Test("CRC-32 of a concatenation from the CRCs of its halves")
    func crcCombine() {
        var bytes: [UInt8] = []
        var x: UInt32 = 12345
        for _ in 0..<100_000 {
            x = x &* 1_103_515_245 &+ 12345
            bytes.append(UInt8(truncatingIfNeeded: x >> 16))
        }
        for split in [0, 1, 7, 64, 4096, 99_999, 100_000] {
            let a = Array(bytes[..<split]), b = Array(bytes[split...])
            #expect(CRC32.combine(CRC32.of(a), CRC32.of(b), lengthB: b.count) == CRC32.of(bytes), "split \(split)")
        }
        #expect(CRC32.of(Array("123456789".utf8)) == 0xCBF4_3926)
    }

    @Test("a deflate stream ended by a sync flush followed by a second stream inflates to both")
    func concatenatedStreams() throws {
        let zipSink = MemorySink()
        let zip = ZipWriter(sink: zipSink)
        let first = Array("<head count=\"3\">\n".utf8)
        let second = Array(String(repeating: "  <si><t>text</t></si>\n", count: 5000).utf8)
        let a = MemorySink(), b = MemorySink()
        let da = Deflater(output: a), db = Deflater(output: b)
        da.write(first)
        da.syncFlush()
        db.write(second)
        db.finish()
        try zip.add("x.xml", crc: CRC32.combine(da.crc, db.crc, lengthB: db.uncompressed),
                    uncompressed: first.count + second.count, deflated: [a.bytes, b.bytes])
        let streamed = zip.begin("y.xml")
        for _ in 0..<100 { streamed.write(second) }
        try zip.end()
        try zip.finish()
        let parts = try unzip(zipSink.bytes).parts
        #expect(parts["x.xml"] == first + second)
        #expect(parts["y.xml"] == Array([[UInt8]](repeating: second, count: 100).joined()))
    }

    /// Bytes that compress a little and a lot by turns (XML-like runs, then noise), so pieces differ.
    static func mixedBytes(_ count: Int, seed: UInt32) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        var x = seed
        var row = 0
        while bytes.count < count {
            x = x &* 1_103_515_245 &+ 12345
            if x >> 28 < 11 {
                bytes.append(contentsOf: "    <row r=\"\(row)\"><c r=\"A\(row)\" t=\"s\"><v>\(x >> 9)</v></c></row>\n".utf8)
                row += 1
            } else {
                for _ in 0..<Int(x >> 24) {
                    x = x &* 1_103_515_245 &+ 12345
                    bytes.append(UInt8(truncatingIfNeeded: x >> 16))
                }
            }
        }
        return Array(bytes.prefix(count))
    }

    /// Deflates `bytes` in pieces, handing them over in slices of the given sizes (cycled).
    static func chunked(_ bytes: [UInt8], pieceSize: Int, slices: [Int], lanes: Int = 2) -> (deflater: ChunkedDeflater, out: [UInt8]) {
        let sink = MemorySink()
        let d = ChunkedDeflater(output: sink, pieceSize: pieceSize, lanes: lanes)
        var at = 0, i = 0
        bytes.withUnsafeBytes { all in
            while at < all.count {
                let n = min(slices[i % slices.count], all.count - at)
                d.write(UnsafeRawBufferPointer(rebasing: all[at..<(at + n)]))
                at += n
                i += 1
            }
        }
        d.finish()
        return (d, sink.bytes)
    }

    @Test("deflate in pieces on worker threads: inflates to the input, CRC and sizes right, same bytes however fed")
    func chunkedDeflate() throws {
        let piece = 32 << 10  // the smallest piece (one window), so a few hundred KB make many pieces
        for count in [0, 1, 1000, piece - 1, piece, piece + 1, 2 * piece, 7 * piece + 123, 400_000] {
            let bytes = Self.mixedBytes(count, seed: UInt32(count))
            let whole = Self.chunked(bytes, pieceSize: piece, slices: [max(count, 1)])
            let (d, out) = Self.chunked(bytes, pieceSize: piece, slices: [1, 7, 1000, 65536, 3, piece])
            #expect(out == whole.out, "\(count) bytes: the deflated bytes depend on how the input was handed in")
            #expect(d.crc == CRC32.of(bytes), "\(count) bytes")
            #expect(d.uncompressed == count)
            #expect(d.compressed == out.count)
            // Again, with other thread timing and on machines with other numbers of cores: the same bytes.
            for lanes in [1, 3, 4] {
                #expect(Self.chunked(bytes, pieceSize: piece, slices: [4096], lanes: lanes).out == out, "\(count) bytes, \(lanes) lanes")
            }
            let zipSink = MemorySink()
            let zip = ZipWriter(sink: zipSink)
            try zip.add("x.xml", crc: d.crc, uncompressed: d.uncompressed, deflated: [out])
            try zip.finish()
            #expect(try unzip(zipSink.bytes).parts["x.xml"] == bytes, "\(count) bytes")
        }
    }

    @Test("pieces deflated with the previous piece as dictionary compress about as well as one stream")
    func chunkedRatio() {
        let bytes = Array(String(repeating: "    <row r=\"7\"><c r=\"A7\" t=\"s\"><v>123</v></c></row>\n", count: 40_000).utf8)
        let one = MemorySink()
        let d = Deflater(output: one)
        d.write(bytes)
        d.finish()
        let pieces = Self.chunked(bytes, pieceSize: 64 << 10, slices: [1 << 20]).out
        // Without the dictionary every piece would restart cold; with it only the flush markers are added.
        #expect(pieces.count <= one.bytes.count + 64 * (bytes.count / (64 << 10) + 1))
    }
}
