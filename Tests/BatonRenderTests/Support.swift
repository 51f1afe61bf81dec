import Foundation
import ZIPFoundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import BatonRender

/// The shipped templates: `<package root>/templates`, found from this file's location.
let templatesURL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("templates")

func shippedTemplates() throws -> TemplateSet {
    try TemplateSet.load(directory: templatesURL, fallback: nil)
}

/// A fresh empty temporary directory.
func makeTempDir(_ label: String = "baton") throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("\(label)-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Hostile texts and what a reader must get back (illegal XML characters become U+FFFD).
let hostileTexts: [(input: String, expected: String)] = [
    ("<script>alert(1)</script>", "<script>alert(1)</script>"),
    ("AT&T & Sons", "AT&T & Sons"),
    ("\"double\" and 'single' quotes", "\"double\" and 'single' quotes"),
    ("bell\u{07}and\u{0B}vt\u{1F}", "bell\u{FFFD}and\u{FFFD}vt\u{FFFD}"),
    ("\u{200F}مرسيدس RTL mark", "\u{200F}مرسيدس RTL mark"),
    ("=HYPERLINK(\"http://x\",\"y\")", "=HYPERLINK(\"http://x\",\"y\")"),
    ("+1", "+1"),
    ("-x", "-x"),
    ("@SUM(A1)", "@SUM(A1)"),
    ("_x0041_ stays literal", "_x0041_ stays literal"),
    ("  padded  ", "  padded  "),
    ("line1\nline2\ttabbed", "line1\nline2\ttabbed"),
    ("windows\r\nline end", "windows\r\nline end"),
    ("nonchar\u{FFFE}\u{FFFF}end", "nonchar\u{FFFD}\u{FFFD}end"),
    ("🚗 Škoda Überführung", "🚗 Škoda Überführung"),
]

/// The sample workbook used by several tests and written out for `scripts/check-xlsx.py`.
func sampleWorkbook() -> Workbook {
    let columns = [
        Column("Dealer", width: 28),
        Column("Units", width: 10, format: .integer),
        Column("Revenue", width: 14, format: .money(decimals: 2)),
        Column("Target attainment", width: 12, format: .percent(decimals: 1)),
        Column("Score", width: 10, format: .decimal(decimals: 3)),
        Column("Revenue per unit", width: 14, format: .money(decimals: 2)),
        Column("Note", width: 40),
    ]
    func dealer(_ r: Int, _ name: String, _ units: String, _ revenue: String, _ att: String, _ score: String,
                _ perUnit: String, _ note: Cell) -> Row {
        Row([.text(name), .number(units, format: .general), .number(revenue, format: .general),
             .number(att, format: .general), .number(score, format: .general),
             .formula("C\(r)/B\(r)", cached: perUnit, format: .general), note])
    }
    var rows: [Row] = [
        dealer(2, "Autohaus Nord", "12", "12800.50", "0.8333333333", "4.125", "1066.7083333333333", .text("AT&T & Sons")),
        dealer(3, "Autohaus Süd", "30", "45000", "1.05", "3.5", "1500", .text("<script>alert(1)</script>")),
        dealer(4, "=HYPERLINK(\"http://x\",\"y\")", "7", "9100.75", "0.5", "2", "1300.107142857142857", .text("+1")),
        Row([.text("Subtotal"), .formula("SUM(B2:B4)", cached: "49", format: .general),
             .formula("SUM(C2:C4)", cached: "66901.25", format: .general), .empty, .empty, .empty, .text("-x")],
            style: .subtotal),
    ]
    for (i, h) in hostileTexts.enumerated() {
        rows.append(Row([.text(h.input), .number(String(i), format: .integer)]))
    }
    let last = rows.count + 1
    rows.append(Row([.text("Total"), .formula("SUM(B2:B4)", cached: "49", format: .general),
                     .formula("SUM($C$2:$C$4)", cached: "66901.25", format: .money(decimals: 0)),
                     .formula("AVERAGE(D2:D4)", cached: "0.7944444444333333", format: .general),
                     .empty, .empty, .text("@SUM(A1)")], style: .total))
    _ = last

    let marketing = Sheet(
        name: "sales: q1/2025 [north]",  // same as the first sheet after sanitising, ignoring case
        columns: [Column("Channel", width: 20), Column("Leads", format: .integer), Column("Share", format: .percent(decimals: 0))],
        rows: [
            Row([.text("Web"), .number("120", format: .general), .number("0.6", format: .general)]),
            Row([.text("Phone"), .number("80", format: .general), .number("0.4", format: .general)]),
            Row([.text("Total"), .formula("B2+B3", cached: "200", format: .general),
                 .formula("C2+C3", cached: "1", format: .general)], style: .total),
        ])

    var long = Sheet(name: "Long list", columns: [Column("#"), Column("Value", format: .money(decimals: 2)), Column("Double")], rows: [])
    for i in 1...7 {
        let r = i + 1
        long.rows.append(Row([.number(String(i), format: .integer), .number("\(i).25", format: .general),
                              .formula("B\(r)*2", cached: "\(i * 2).5", format: .money(decimals: 2))]))
    }

    let properties = DocumentProperties(title: "Scorecards <Q1> & \"Co\"", subject: "HR export", creator: "Baton",
                                        created: "2025-03-31T00:00:00Z")
    // Exercise continuation sheets with a small limit (header + 3 rows per sheet).
    let longParts = Workbook(properties: properties, sheets: [long]).splittingLongSheets(maxRows: 4).sheets
    return Workbook(
        properties: properties,
        sheets: [Sheet(name: "Sales: Q1/2025 [North]", columns: columns, rows: rows), marketing] + longParts + [
            Sheet(name: "No header", columns: [], rows: [Row([.text("free"), .empty, .number("1", format: .general)])]),
        ])
}

/// Unzipped parts of an xlsx, path → bytes, plus the entry order.
func unzip(_ bytes: [UInt8]) throws -> (order: [String], parts: [String: [UInt8]], entries: [Entry]) {
    let archive = try Archive(data: Data(bytes), accessMode: .read)
    var order: [String] = []
    var parts: [String: [UInt8]] = [:]
    var entries: [Entry] = []
    // Collect first: extracting moves the archive's file position under a running iterator.
    for entry in Array(archive) {
        var data = Data()
        _ = try archive.extract(entry) { data.append($0) }
        order.append(entry.path)
        parts[entry.path] = [UInt8](data)
        entries.append(entry)
    }
    return (order, parts, entries)
}

/// Parses XML with Foundation's parser; collects element text by element name and all
/// elements' attributes. Throws when the document is not well formed.
final class XMLProbe: NSObject, XMLParserDelegate {
    struct Element {
        var name: String
        var attributes: [String: String]
        var text: String
    }

    private(set) var elements: [Element] = []
    private var stack: [Int] = []
    private var failure: Error?

    static func parse(_ bytes: [UInt8]) throws -> XMLProbe {
        let probe = XMLProbe()
        let parser = XMLParser(data: Data(bytes))
        parser.delegate = probe
        parser.shouldProcessNamespaces = false
        if !parser.parse() {
            throw parser.parserError ?? probe.failure ?? CocoaError(.fileReadCorruptFile)
        }
        return probe
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        elements.append(Element(name: elementName, attributes: attributeDict, text: ""))
        stack.append(elements.count - 1)
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        stack.removeLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let top = stack.last { elements[top].text += string }
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) { failure = parseError }

    func all(_ name: String) -> [Element] { elements.filter { $0.name == name } }
}

extension Array where Element == UInt8 {
    var utf8String: String { String(decoding: self, as: UTF8.self) }
}

/// The cells of a worksheet part as a reader sees them: each at its reference (given by `r`, or the column
/// after the previous cell of its row when it has none), with its attributes, value text (a shared string
/// resolved through `sharedStrings`, an inline string's text) and formula. Texts are as written (escaped
/// `_xHHHH_` sequences are not decoded).
final class SheetCells: NSObject, XMLParserDelegate {
    struct Cell: Equatable {
        var attributes: [String: String]
        var value: String?
        var formula: String?
        /// `t`, `s` as written (`inlineStr`, `s`, or nil for numbers and formulas).
        var type: String? { attributes["t"] }
        var style: String { attributes["s"] ?? "0" }
    }

    private(set) var cells: [String: Cell] = [:]
    /// References in document order.
    private(set) var order: [String] = []
    private let sharedStrings: [String]
    private var row = 0
    private var nextColumn = 1
    private var current: (ref: String, cell: Cell)?
    private var text = ""
    private var inText = false
    private var failure: String?

    /// Parses `sheet` (a worksheet part), resolving `t="s"` cells through `sst` (a sharedStrings part).
    static func parse(_ sheet: [UInt8], sst: [UInt8]?) throws -> SheetCells {
        let strings = try sst.map { try XMLProbe.parse($0).all("t").map(\.text) } ?? []  // one <t> per entry
        let probe = SheetCells(sharedStrings: strings)
        let parser = XMLParser(data: Data(sheet))
        parser.delegate = probe
        if !parser.parse() { throw parser.parserError ?? CocoaError(.fileReadCorruptFile) }
        if let failure = probe.failure { throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: failure]) }
        return probe
    }

    private init(sharedStrings: [String]) { self.sharedStrings = sharedStrings }

    /// `C7` → (3, 7).
    static func position(_ ref: String) -> (column: Int, row: Int)? {
        let letters = ref.prefix { $0.isLetter && $0.isASCII }
        guard !letters.isEmpty, let row = Int(ref.dropFirst(letters.count)) else { return nil }
        let column = letters.uppercased().unicodeScalars.reduce(0) { $0 * 26 + Int($1.value) - 64 }
        return (column, row)
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        switch name {
        case "row":
            row = Int(attributes["r"] ?? "") ?? (row + 1)
            nextColumn = 1
        case "c":
            var column = nextColumn
            if let r = attributes["r"] {
                guard let p = Self.position(r), p.row == row, p.column >= nextColumn else {
                    failure = "cell \(r) out of place in row \(row) (next column \(nextColumn))"
                    return
                }
                column = p.column
            }
            nextColumn = column + 1
            current = (FormulaReferences.a1(row: row, column: column), Cell(attributes: attributes))
        case "v", "f", "t":
            inText = true
            text = ""
        default: break
        }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch name {
        case "v":
            inText = false
            if current?.cell.type == "s" {
                guard let i = Int(text), i >= 0, i < sharedStrings.count else { failure = "bad string index \(text)"; return }
                current?.cell.value = sharedStrings[i]
            } else {
                current?.cell.value = text
            }
        case "t":
            inText = false
            let sofar = current?.cell.value ?? ""
            current?.cell.value = sofar + text
        case "f":
            inText = false
            current?.cell.formula = text
        case "c":
            if let (ref, cell) = current {
                if cells[ref] != nil { failure = "cell \(ref) twice" }
                cells[ref] = cell
                order.append(ref)
            }
            current = nil
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inText { text += string }
    }

    /// Every cell's reference, type (shared and inline strings alike are "text"), style, value and formula:
    /// what a reader gets, whichever form the writer chose.
    var values: [String: String] {
        cells.mapValues { c in
            let kind = c.type == "s" || c.type == "inlineStr" ? "text" : (c.type ?? "n")
            return "\(kind)|\(c.style)|\(c.value ?? "∅")|\(c.formula ?? "∅")"
        }
    }
}

/// The cells of every worksheet of an xlsx, by part name.
func sheetCells(_ xlsx: [UInt8]) throws -> [String: SheetCells] {
    let parts = try unzip(xlsx).parts
    var out: [String: SheetCells] = [:]
    for (path, bytes) in parts where path.hasPrefix("xl/worksheets/") {
        out[path] = try SheetCells.parse(bytes, sst: parts["xl/sharedStrings.xml"])
    }
    return out
}
