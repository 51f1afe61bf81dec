// Format-independent preparation shared by both writers: splitting, final sheet names,
// validation of numbers and timestamps, and the table of distinct cell styles.

/// Input the writers refuse to render.
public enum RenderError: Error, Equatable, CustomStringConvertible, Sendable {
    /// A number or cached formula value that is not an exact decimal (`-?digits[.digits][e±digits]`).
    case invalidNumber(sheet: String, cell: String, value: String)
    /// More columns than Excel's 16,384.
    case tooManyColumns(sheet: String, count: Int)
    /// `DocumentProperties.created` is not an ISO 8601 / W3C-DTF timestamp.
    case invalidTimestamp(String)
    /// A workbook must have at least one sheet.
    case noSheets

    public var description: String {
        switch self {
        case .invalidNumber(let sheet, let cell, let value):
            return "sheet \"\(sheet)\" cell \(cell): \"\(value)\" is not an exact decimal number"
        case .tooManyColumns(let sheet, let count):
            return "sheet \"\(sheet)\" has \(count) columns; the limit is \(Workbook.excelMaxColumns)"
        case .invalidTimestamp(let s):
            return "created timestamp \"\(s)\" is not ISO 8601 (e.g. 2025-03-31T00:00:00Z)"
        case .noSheets:
            return "a workbook needs at least one sheet"
        }
    }
}

/// A distinct cell appearance: number format code plus bold. Keyed by the format *code*, so
/// formats that look the same (`.integer` and `.money(decimals: 0)`) share one style.
struct StyleKey: Hashable {
    var code: String
    var bold: Bool

    init(_ format: NumberFormat, bold: Bool) {
        self.code = format.formatCode
        self.bold = bold
    }

    var isGeneral: Bool { code == NumberFormat.general.formatCode }

    static let plain = StyleKey(.general, bold: false)
    static let bold = StyleKey(.general, bold: true)
}

/// Distinct styles in order of first use (index 0 is the plain default), and the distinct
/// non-General number formats, also in order of first use. Built in one pass over the
/// workbook before any rendering, so both writers number styles identically and the
/// numbering never depends on render order.
struct StyleTable: Sendable {
    private(set) var keys: [StyleKey] = [.plain]
    private var ids: [StyleKey: Int] = [.plain: 0]
    /// Distinct format codes (`.integer` and `.money(decimals: 0)` share `#,##0`).
    private(set) var formats: [String] = []
    private var formatIds: [String: Int] = [:]
    /// (format, bold) → id, so a cell's style is found without building its format code (a String).
    private var recent: [(format: NumberFormat, bold: Bool, id: Int)] = []

    mutating func id(_ key: StyleKey) -> Int {
        if let id = ids[key] { return id }
        let id = keys.count
        keys.append(key)
        ids[key] = id
        if !key.isGeneral, formatIds[key.code] == nil {
            formatIds[key.code] = formats.count
            formats.append(key.code)
        }
        return id
    }

    func existingId(_ key: StyleKey) -> Int { ids[key]! }

    /// The style of a number or formula cell of `format` (added if new; the writers only meet known ones).
    @inline(__always)
    mutating func id(format: NumberFormat, bold: Bool) -> Int {
        for r in recent where r.bold == bold && r.format == format { return r.id }
        let id = self.id(StyleKey(format, bold: bold))
        recent.append((format, bold, id))
        return id
    }

    /// Style id of a cell (nil: empty), as ``key(for:column:bold:)`` then ``id(_:)`` would give it.
    /// `columnFormat` is the format of the cell's column (`.general` past the last column).
    @inline(__always)
    mutating func id(for cell: Cell, columnFormat: NumberFormat, bold: Bool) -> Int? {
        switch cell {
        case .empty: return nil
        case .text: return bold ? Self.boldId : Self.plainId
        case .number(_, let f), .formula(_, _, let f):
            return id(format: f == .general ? columnFormat : f, bold: bold)
        }
    }

    /// The same for a packed cell read in place.
    @inline(__always)
    mutating func id(for cell: PackedRows.CellBytes, columnFormat: NumberFormat, bold: Bool) -> Int? {
        switch cell.kind {
        case .empty: return nil
        case .text: return bold ? Self.boldId : Self.plainId
        case .number, .formula: return id(format: cell.format == .general ? columnFormat : cell.format, bold: bold)
        }
    }

    /// The plain style is always first and bold (the header) always second.
    static let plainId = 0
    static let boldId = 1

    /// Position of a non-General format among `formats`.
    func formatIndex(_ key: StyleKey) -> Int? { formatIds[key.code] }

    /// Style of a cell; nil for an empty cell. A number or formula formatted `.general` takes
    /// its column's default format.
    static func key(for cell: Cell, column: Column?, bold: Bool) -> StyleKey? {
        switch cell {
        case .empty: return nil
        case .text: return StyleKey(.general, bold: bold)
        case .number(_, let f), .formula(_, _, let f):
            return StyleKey(f == .general ? (column?.format ?? .general) : f, bold: bold)
        }
    }
}

/// A sheet ready to render: final name, position and extent.
struct PreparedSheet: Sendable {
    let sheet: Sheet
    /// Unique, sanitised tab name (raw, not escaped).
    let name: String
    /// 0-based position.
    let index: Int
    let headerRows: Int
    let columnCount: Int
    /// Header plus data rows.
    let rowCount: Int

    var hasFreeze: Bool { sheet.freezeHeader && headerRows > 0 }
    var hasAutoFilter: Bool { sheet.autoFilter && headerRows > 0 && columnCount > 0 }

    /// Used range, `A1:H301` (just `A1` for an empty sheet).
    var dimension: String {
        guard rowCount > 0, columnCount > 0 else { return "A1" }
        return "A1:" + FormulaReferences.a1(row: rowCount, column: columnCount)
    }
}

struct PreparedWorkbook: Sendable {
    let properties: DocumentProperties
    let sheets: [PreparedSheet]
    let styles: StyleTable

    init(_ input: Workbook) throws {
        guard Self.isTimestamp(input.properties.created) else {
            throw RenderError.invalidTimestamp(input.properties.created)
        }
        guard !input.sheets.isEmpty else { throw RenderError.noSheets }
        let wb = input.splittingLongSheets(maxRows: Workbook.excelMaxRows)
        let names = SheetName.uniqued(wb.sheets.map(\.name))
        var styles = StyleTable()
        _ = styles.id(.bold)  // header style, always id 1
        var sheets: [PreparedSheet] = []
        for (i, sheet) in wb.sheets.enumerated() {
            let headerRows = sheet.hasHeader ? 1 : 0
            for column in sheet.columns where column.format != .general {
                _ = styles.id(StyleKey(column.format, bold: false))
            }
            var widest = sheet.columns.count
            if case .rows(let rows) = sheet.storage {
                // Held rows: the width is checked before any cell (a made-on-demand sheet is read once, below).
                widest = rows.reduce(widest) { max($0, $1.cells.count) }
                guard widest <= Workbook.excelMaxColumns else {
                    throw RenderError.tooManyColumns(sheet: names[i], count: widest)
                }
            }
            if case .source(let source) = sheet.storage, source.textOnly {
                // Plain text in plain rows within the columns: nothing to collect or check (the rows are
                // checked as they are written).
            } else if case .source(let source) = sheet.storage, let packed = source.packed {
                // Packed rows noted their styles, width and numbers as they were appended: the same
                // outcome as the pass below, without decoding a row.
                try Self.replay(packed.summary, sheet: sheet, name: names[i], headerRows: headerRows, into: &styles,
                                widest: &widest)
            } else {
                try Self.collectStyles(of: sheet, sheet: names[i], headerRows: headerRows, into: &styles, widest: &widest)
            }
            guard widest <= Workbook.excelMaxColumns else {
                throw RenderError.tooManyColumns(sheet: names[i], count: widest)
            }
            sheets.append(PreparedSheet(
                sheet: sheet, name: names[i], index: i, headerRows: headerRows,
                columnCount: widest, rowCount: headerRows + sheet.rowCount))
        }
        self.properties = wb.properties
        self.sheets = sheets
        self.styles = styles
    }

    /// The one pass over a sheet's rows before rendering: widest row, styles in order of first use,
    /// every number validated.
    private static func collectStyles(of sheet: Sheet, sheet name: String, headerRows: Int, into styles: inout StyleTable,
                                      widest: inout Int) throws {
        let formats = sheet.columns.map(\.format)
        try sheet.forEachRow { r, cells, rowStyle in
            widest = max(widest, cells.count)
            let bold = rowStyle.isBold
            if bold { _ = styles.id(.bold) }
            for (c, cell) in cells.enumerated() {
                // Text takes the plain or bold style, both always there. Numbers are validated here,
                // once, so the writers can trust them.
                let number: String?
                switch cell {
                case .empty, .text: continue
                case .number(let v, _): number = v
                case .formula(_, let cached, _): number = cached
                }
                _ = styles.id(for: cell, columnFormat: c < formats.count ? formats[c] : .general, bold: bold)
                if let number, !Self.isExactDecimal(number) {
                    let ref = FormulaReferences.a1(row: r + 1 + headerRows, column: c + 1)
                    throw RenderError.invalidNumber(sheet: name, cell: ref, value: number)
                }
            }
        }
    }

    /// What ``collectStyles(of:sheet:headerRows:into:widest:)`` does, from what packed rows noted while
    /// they were appended.
    private static func replay(_ summary: PackedRows.Summary, sheet: Sheet, name: String, headerRows: Int,
                               into styles: inout StyleTable, widest: inout Int) throws {
        if let bad = summary.invalid {
            let ref = FormulaReferences.a1(row: bad.row + 1 + headerRows, column: bad.column + 1)
            throw RenderError.invalidNumber(sheet: name, cell: ref, value: bad.value)
        }
        widest = max(widest, summary.widest)
        for use in summary.uses {
            switch use {
            case .boldRow:
                _ = styles.id(.bold)
            case .cell(let format, let column, let bold):
                let columnFormat = column.map { $0 < sheet.columns.count ? sheet.columns[$0].format : .general } ?? .general
                _ = styles.id(format: format == .general ? columnFormat : format, bold: bold)
            }
        }
    }

    /// `-?digits(.digits)?([eE][+-]?digits)?`, checked on bytes (this runs for every number).
    static func isExactDecimal(_ s: String) -> Bool {
        withUTF8Bytes(s) { isExactDecimal($0) }
    }

    /// ``isExactDecimal(_:)`` of a text's UTF-8 bytes.
    @inline(__always)
    static func isExactDecimal(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = b.count
        var i = 0
        @inline(__always) func digits() -> Bool {
            let start = i
            while i < n, b[i] &- 0x30 < 10 { i += 1 }
            return i > start
        }
        if i < n, b[i] == UInt8(ascii: "-") { i += 1 }
        guard digits() else { return false }
        if i < n, b[i] == UInt8(ascii: ".") {
            i += 1
            guard digits() else { return false }
        }
        if i < n, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            if i < n, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
            guard digits() else { return false }
        }
        return i == n
    }

    /// `YYYY-MM-DD` optionally followed by `Thh:mm[:ss[.fff]]` and a zone (`Z` or `±hh:mm`).
    static func isTimestamp(_ s: String) -> Bool {
        let a = Array(s.utf8)
        var i = 0
        func digits(_ n: Int) -> Bool {
            guard i + n <= a.count, a[i..<i + n].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return false }
            i += n
            return true
        }
        func lit(_ c: Character) -> Bool {
            guard i < a.count, a[i] == c.asciiValue! else { return false }
            i += 1
            return true
        }
        guard digits(4), lit("-"), digits(2), lit("-"), digits(2) else { return false }
        if i == a.count { return true }
        guard lit("T"), digits(2), lit(":"), digits(2) else { return false }
        if lit(":") {
            guard digits(2) else { return false }
            if lit(".") {
                guard digits(1) else { return false }
                while i < a.count, a[i] >= 0x30, a[i] <= 0x39 { i += 1 }
            }
        }
        if lit("Z") { return i == a.count }
        guard i < a.count, a[i] == UInt8(ascii: "+") || a[i] == UInt8(ascii: "-") else { return false }
        i += 1
        guard digits(2), lit(":"), digits(2) else { return false }
        return i == a.count
    }
}

/// A column width (in characters or points, a display measure, never money) as text: `12.5` → `"12.5"`,
/// rounded to 2 decimals, no exponent, locale independent.
func formatWidth(_ width: Double) -> String {
    let cents = Int((min(max(0, width), 1_000_000) * 100).rounded())
    let whole = cents / 100
    let frac = cents % 100
    if frac == 0 { return String(whole) }
    if frac % 10 == 0 { return "\(whole).\(frac / 10)" }
    return "\(whole).\(frac < 10 ? "0" : "")\(frac)"
}
