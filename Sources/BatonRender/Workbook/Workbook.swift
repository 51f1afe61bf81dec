// The generic workbook model that both writers render. Everything here is a plain
// `Sendable` value type; nothing reads the clock, the locale or the file system.

/// Document metadata written to `docProps/core.xml` (xlsx) and `<DocumentProperties>` (flat XML).
public struct DocumentProperties: Sendable, Equatable {
    public var title: String
    public var subject: String
    public var creator: String
    /// Creation timestamp as a W3C-DTF / ISO 8601 string supplied by the caller,
    /// e.g. `"2025-03-31T00:00:00Z"`. The renderer never reads the clock, so the same
    /// input always gives the same bytes. Also used as the "modified" timestamp.
    public var created: String

    public init(title: String = "", subject: String = "", creator: String = "", created: String) {
        self.title = title
        self.subject = subject
        self.creator = creator
        self.created = created
    }
}

/// A whole spreadsheet: metadata plus sheets in tab order.
public struct Workbook: Sendable, Equatable {
    /// Excel's hard limit of rows per worksheet (header row included).
    public static let excelMaxRows = 1_048_576
    /// Excel's hard limit of columns per worksheet.
    public static let excelMaxColumns = 16_384

    public var properties: DocumentProperties
    public var sheets: [Sheet]

    public init(properties: DocumentProperties, sheets: [Sheet]) {
        self.properties = properties
        self.sheets = sheets
    }
}

/// A workbook checked and laid out once (its sheets split at Excel's row limit, tab names made unique,
/// styles and column widths collected from every cell), for writers that render the same workbook into
/// several formats: `XLSXWriter` and `FlatXMLWriter` take it instead of the ``Workbook``, so the cells are
/// walked once for both.
public struct LaidOutWorkbook: Sendable {
    let prepared: PreparedWorkbook

    /// - Throws: ``RenderError`` (invalid input), as the writers do.
    public init(_ workbook: Workbook) throws {
        prepared = try PreparedWorkbook(workbook)
    }
}

/// One worksheet. Row 1 is the header built from `columns`; `rows` follow from row 2.
/// A sheet with no columns has no header row (then `freezeHeader`/`autoFilter` are ignored).
///
/// Rows are either held (`rows`) or made on demand by a ``RowSource`` (a row per lead: the workbook then
/// never holds 300k rows of cells; the writers ask for each row as they write it).
public struct Sheet: Sendable, Equatable {
    /// Desired tab name. Writers sanitise it (see ``SheetName``): this stays what the caller gave.
    public var name: String
    public var columns: [Column]
    /// The data rows. For a sheet made from a ``RowSource`` this builds every row: writers use
    /// `rowCount` and `forEachRow` instead.
    public var rows: [Row] {
        get {
            switch storage {
            case .rows(let rows): return rows
            case .source(let source): return source.all()
            }
        }
        _modify {
            var rows = self.rows
            storage = .rows([])  // so the array below is uniquely referenced while it is changed
            defer { storage = .rows(rows) }
            yield &rows
        }
    }
    /// Freeze the header row so it stays visible while scrolling.
    public var freezeHeader: Bool
    /// Put an auto-filter on the header row spanning all rows and columns.
    public var autoFilter: Bool

    enum Storage: Sendable {
        case rows([Row])
        case source(RowSource)
    }

    var storage: Storage

    public init(name: String, columns: [Column], rows: [Row], freezeHeader: Bool = true, autoFilter: Bool = true) {
        self.name = name
        self.columns = columns
        self.storage = .rows(rows)
        self.freezeHeader = freezeHeader
        self.autoFilter = autoFilter
    }

    /// A sheet whose rows are made on demand by `source`.
    public init(name: String, columns: [Column], source: RowSource, freezeHeader: Bool = true, autoFilter: Bool = true) {
        self.name = name
        self.columns = columns
        self.storage = .source(source)
        self.freezeHeader = freezeHeader
        self.autoFilter = autoFilter
    }

    /// A sheet whose rows are kept packed (see ``PackedRows``): a fraction of the memory of held cells,
    /// and read by the writers one decoded row at a time, exactly as appended.
    init(name: String, columns: [Column], packed: PackedRows, freezeHeader: Bool = true, autoFilter: Bool = true) {
        self.init(name: name, columns: columns, source: packed.compacted().source, freezeHeader: freezeHeader,
                  autoFilter: autoFilter)
    }

    /// Whether row 1 is a header row generated from `columns`.
    public var hasHeader: Bool { !columns.isEmpty }

    /// Number of data rows, without building them.
    public var rowCount: Int {
        switch storage {
        case .rows(let rows): return rows.count
        case .source(let source): return source.count
        }
    }

    /// Calls `body` with each data row's index (0-based), cells and style, in order. A ``RowSource``'s rows
    /// are made one at a time into one reused buffer.
    public func forEachRow(_ body: (_ index: Int, _ cells: [Cell], _ style: RowStyle) throws -> Void) rethrows {
        switch storage {
        case .rows(let rows):
            for (i, row) in rows.enumerated() { try body(i, row.cells, row.style) }
        case .source(let source):
            var cells: [Cell] = []
            cells.reserveCapacity(max(columns.count, 8))
            for i in 0..<source.count {
                cells.removeAll(keepingCapacity: true)
                let style = source.fill(i, &cells)
                if source.textOnly {
                    // The writers relied on this when they skipped the styles pass: a broken promise would
                    // give a file with undeclared styles, so it stops the program instead.
                    precondition(style == .normal && cells.count <= columns.count, "text-only row source broke its promise")
                    for cell in cells {
                        switch cell {
                        case .text, .empty: break
                        default: preconditionFailure("text-only row source made a number or formula cell")
                        }
                    }
                }
                try body(i, cells, style)
            }
        }
    }

    public static func == (a: Sheet, b: Sheet) -> Bool {
        a.name == b.name && a.columns == b.columns && a.freezeHeader == b.freezeHeader && a.autoFilter == b.autoFilter
            && a.rowCount == b.rowCount && a.rows == b.rows
    }
}

/// Rows made on demand from data the caller keeps anyway, so a long sheet is never held as cells.
///
/// `fill(i, &cells)` appends the cells of data row `i` (0-based) to the empty `cells` and returns the row's
/// style. It must give the same row every time it is asked: writers read each row more than once.
public struct RowSource: Sendable {
    public let count: Int
    /// A promise that every row is `.normal` and holds at most the sheet's column count of cells, each
    /// `.text` or `.empty`. The writers then skip the pass that collects number styles and checks numbers
    /// (one less pass over a lead list); rows are checked as they are written and a broken promise stops
    /// the program.
    public let textOnly: Bool
    public let fill: @Sendable (_ row: Int, _ cells: inout [Cell]) -> RowStyle
    /// For a source made from texts (``init(count:columns:texts:)``): the producer itself, which the
    /// native row writers call to get each row's texts as bytes, without a `[Cell]` or a `String` per cell.
    let texts: TextProducer?
    /// For a source made from packed rows (``PackedRows/source``): the rows themselves, which the layout
    /// and the native row writers read as bytes, without a `Cell` or a `String` per cell.
    let packed: PackedRows?

    typealias TextProducer = @Sendable (_ row: Int, _ texts: inout TextRow) -> Void

    public init(count: Int, textOnly: Bool = false, fill: @escaping @Sendable (_ row: Int, _ cells: inout [Cell]) -> RowStyle) {
        self.count = count
        self.textOnly = textOnly
        self.fill = fill
        self.texts = nil
        self.packed = nil
    }

    /// The rows of `packed`, decoded by `fill` (which must give exactly the packed rows).
    init(count: Int, packed: PackedRows, fill: @escaping @Sendable (_ row: Int, _ cells: inout [Cell]) -> RowStyle) {
        self.count = count
        self.textOnly = false
        self.fill = fill
        self.texts = nil
        self.packed = packed
    }

    /// Plain rows of `columns` text cells, each row's texts set by `texts` (an empty text is an empty
    /// cell). `fill` is derived from `texts` (a `.text` per non-empty column, `.empty` otherwise), so the
    /// cells the template engine sees and the bytes the native writers copy are the same by construction.
    init(count: Int, columns: Int, texts: @escaping TextProducer) {
        self.count = count
        self.textOnly = true
        self.texts = texts
        self.packed = nil
        self.fill = { i, cells in
            var row = TextRow(columns: columns)
            defer { row.close() }
            texts(i, &row)
            for c in 0..<columns {
                let b = row.bytes(c)
                cells.append(b.isEmpty ? .empty : .text(String(decoding: b, as: UTF8.self)))
            }
            return .normal
        }
    }

    /// The same rows, `offset` rows further on (a piece of a split sheet).
    func shifted(by offset: Int, count: Int, shiftFormulas delta: Int?) -> RowSource {
        if let texts {
            // Text rows hold no formulas: nothing to shift but the row number.
            return RowSource(count: count, offset: offset, texts: texts, fill: fill)
        }
        let fill = self.fill
        return RowSource(count: count, textOnly: textOnly) { i, cells in
            let style = fill(offset + i, &cells)
            if let delta { cells = Workbook.shiftingFormulas(cells, by: delta) }
            return style
        }
    }

    private init(count: Int, offset: Int, texts: @escaping TextProducer,
                 fill: @escaping @Sendable (_ row: Int, _ cells: inout [Cell]) -> RowStyle) {
        self.count = count
        self.textOnly = true
        self.texts = { i, row in texts(offset + i, &row) }
        self.fill = { i, cells in fill(offset + i, &cells) }
        self.packed = nil
    }

    /// Every row, built.
    func all() -> [Row] {
        var rows: [Row] = []
        rows.reserveCapacity(count)
        for i in 0..<count {
            var cells: [Cell] = []
            let style = fill(i, &cells)
            rows.append(Row(cells, style: style))
        }
        return rows
    }
}

/// One row's texts as UTF-8 bytes, by column, for a text ``RowSource``: the producer copies each text
/// into one block reused across rows (a few hundred bytes), so a writer reads them as bytes without a
/// `Cell` or a `String` per cell, and may look at them more than once (hash first, then write).
///
/// Owns memory: made and closed (`close()`, exactly once) by whoever asks for rows; not to be copied.
struct TextRow {
    let columns: Int
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var used = 0
    /// Per column: start and end in `base` (equal: empty cell).
    private let ranges: UnsafeMutablePointer<(start: Int, end: Int)>
    /// Per column: the key the producer gave with the text (-1: none). See ``set(_:key:_:)``.
    private let keys: UnsafeMutablePointer<Int32>
    /// Per column: what the attached cache holds for a keyed text left out (-1: none, or the text is here).
    private let found: UnsafeMutablePointer<Int32>
    /// The writer's cache of keyed texts, when it attached one: a text whose key it already knows is not
    /// copied at all.
    private var known: KeyedTexts?

    init(columns: Int) {
        self.columns = columns
        capacity = 512
        base = .allocate(capacity: capacity)
        ranges = .allocate(capacity: max(columns, 1))
        ranges.initialize(repeating: (0, 0), count: max(columns, 1))
        keys = .allocate(capacity: max(columns, 1))
        keys.initialize(repeating: -1, count: max(columns, 1))
        found = .allocate(capacity: max(columns, 1))
        found.initialize(repeating: -1, count: max(columns, 1))
    }

    func close() {
        base.deallocate()
        ranges.deallocate()
        keys.deallocate()
        found.deallocate()
    }

    /// Lets ``set(_:key:_:)`` skip the texts `cache` already holds (the writer then reads them by key).
    mutating func attach(_ cache: KeyedTexts) {
        known = cache
    }

    /// Every column empty again.
    @inline(__always)
    mutating func reset() {
        used = 0
        ranges.update(repeating: (0, 0), count: columns)
        keys.update(repeating: -1, count: columns)
        found.update(repeating: -1, count: columns)
    }

    /// Column `c`'s text (empty: an empty cell, or a keyed text the attached cache holds). Valid until
    /// the next `set` or `reset`.
    @inline(__always)
    func bytes(_ c: Int) -> UnsafeBufferPointer<UInt8> {
        let r = ranges[c]
        return UnsafeBufferPointer(start: base + r.start, count: r.end - r.start)
    }

    /// Column `c`'s key (-1: none).
    @inline(__always)
    func key(_ c: Int) -> Int32 { keys[c] }

    /// When column `c`'s keyed text was left out because the attached cache holds it: the cache's value
    /// for it (else -1).
    @inline(__always)
    func cached(_ c: Int) -> Int32 { found[c] }

    @inline(__always)
    private mutating func reserve(_ n: Int) {
        if capacity - used < n {
            var size = capacity * 2
            while size - used < n { size *= 2 }
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
            grown.update(from: base, count: used)
            base.deallocate()
            base = grown
            capacity = size
        }
    }

    @inline(__always)
    private mutating func append(_ b: UnsafeRawBufferPointer) {
        reserve(b.count)
        if let p = b.baseAddress { copyBytes(base + used, p.assumingMemoryBound(to: UInt8.self), b.count) }
        used += b.count
    }

    /// Sets column `c` to `bytes` (UTF-8), after `prefix`.
    @inline(__always)
    mutating func set(_ c: Int, prefix: StaticString = "", _ bytes: UnsafeRawBufferPointer) {
        precondition(c >= 0 && c < columns, "text row column out of range")
        let start = used
        if prefix.utf8CodeUnitCount > 0 {
            append(UnsafeRawBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount))
        }
        append(bytes)
        ranges[c] = (start, used)
    }

    /// Sets column `c` to `text` (nil or empty: an empty cell), after `prefix`.
    @inline(__always)
    mutating func set(_ c: Int, prefix: StaticString = "", _ text: String?) {
        guard let text, !(text.isEmpty && prefix.utf8CodeUnitCount == 0) else { return }
        withUTF8Bytes(text) { set(c, prefix: prefix, UnsafeRawBufferPointer($0)) }
    }

    /// Sets column `c` to `text` (empty: an empty cell), which is the same text every time column `c` is
    /// given `key` (a symbol's number, a case's number): a writer then handles each distinct text once
    /// (its shared-string index, its escaped bytes) and, once it has, the text is not even made.
    @inline(__always)
    mutating func set(_ c: Int, key: UInt32, _ text: @autoclosure () -> String) {
        precondition(c >= 0 && c < columns && key < UInt32(Int32.max), "text row column or key out of range")
        if let known {
            let value = known.value(c, Int32(key))
            if value >= 0 {
                keys[c] = Int32(key)
                found[c] = value
                return
            }
        }
        let t = text()
        guard !t.isEmpty else { return }
        keys[c] = Int32(key)
        withUTF8Bytes(t) { set(c, UnsafeRawBufferPointer($0)) }
    }
}

/// A writer's per-column table from a text row's keys to what it made of each keyed text once (a
/// shared-string index, a place in its escaped bytes); -1: not yet. Plain memory, grown as keys come.
/// Owned by the writer, which frees it with `close()`.
struct KeyedTexts {
    private let tables: UnsafeMutablePointer<(values: UnsafeMutablePointer<Int32>?, count: Int)>
    private let columns: Int

    init(columns: Int) {
        self.columns = columns
        tables = .allocate(capacity: max(columns, 1))
        tables.initialize(repeating: (nil, 0), count: max(columns, 1))
    }

    func close() {
        for c in 0..<columns { tables[c].values?.deallocate() }
        tables.deallocate()
    }

    /// What column `c`'s text of `key` was made into, or -1.
    @inline(__always)
    func value(_ c: Int, _ key: Int32) -> Int32 {
        let t = tables[c]
        return Int(key) < t.count ? t.values![Int(key)] : -1
    }

    /// Remembers `value` (at least 0) for column `c`'s text of `key`.
    func store(_ c: Int, _ key: Int32, _ value: Int32) {
        let k = Int(key)
        var t = tables[c]
        if k >= t.count {
            var size = max(t.count * 2, 64)
            while size <= k { size *= 2 }
            let grown = UnsafeMutablePointer<Int32>.allocate(capacity: size)
            grown.initialize(repeating: -1, count: size)
            if let old = t.values {
                grown.update(from: old, count: t.count)
                old.deallocate()
            }
            t = (grown, size)
            tables[c] = t
        }
        t.values![k] = value
    }
}

/// A column: header text, width and default number format.
public struct Column: Sendable, Equatable {
    public var header: String
    /// Width in characters of the default font (Excel's `<col width>` unit).
    public var width: Double
    /// Default format of the column. It is the column style (applies to cells typed in later)
    /// and is used by number and formula cells whose own format is `.general`.
    public var format: NumberFormat
    /// Where the `.xlsx` keeps the column's texts (the header always goes to the shared-string table).
    /// Other formats ignore it, and it never changes a value a reader sees.
    public var texts: TextStorage

    public init(_ header: String, width: Double = 12, format: NumberFormat = .general, texts: TextStorage = .shared) {
        self.header = header
        self.width = width
        self.format = format
        self.texts = texts
    }
}

/// How an `.xlsx` stores the text cells of a column.
public enum TextStorage: Sendable, Equatable {
    /// In the shared-string table, each distinct text once and the cells by index: for texts that repeat
    /// (channels, people, rule names).
    case shared
    /// In the cell itself (`t="inlineStr"`): for texts that are (nearly) all different (ids, timestamps,
    /// phones), which the table would only store once each anyway, at the cost of a lookup, an entry
    /// and an index per cell.
    case inline
}

/// Visual weight of a row. `.subtotal` and `.total` are rendered bold.
public enum RowStyle: Sendable, Equatable {
    case normal, subtotal, total

    var isBold: Bool { self != .normal }
}

/// A data row (the header row is not a `Row`; it comes from `Sheet.columns`).
public struct Row: Sendable, Equatable {
    public var cells: [Cell]
    public var style: RowStyle

    public init(_ cells: [Cell], style: RowStyle = .normal) {
        self.cells = cells
        self.style = style
    }
}

/// A typed cell value. Numbers are exact decimal strings and are written digit for digit,
/// never converted through binary floating point.
public enum Cell: Sendable, Equatable {
    case empty
    /// Text, always stored as a string cell: text beginning with `=`, `+`, `-` or `@` is never evaluated.
    case text(String)
    /// An exact decimal such as `"12800.50"`, `"-3"` or `"0.8333333333"` (optional exponent `e±n`).
    case number(String, format: NumberFormat)
    /// A formula in A1 notation *without* the leading `=` (a leading `=` is tolerated and dropped),
    /// with the value the caller computed as the cached result (`nil`: none, the application computes it).
    case formula(String, cached: String?, format: NumberFormat)
}

/// Number formats the writers know. Codes are locale independent Excel format codes.
public enum NumberFormat: Sendable, Hashable {
    /// `#,##0`
    case integer
    /// `#,##0.00` for 2 decimals (no currency symbol: the currency is in the header).
    case money(decimals: Int)
    /// `0.0%` for 1 decimal; the cell holds the fraction (0.5 shows as 50.0%).
    case percent(decimals: Int)
    /// `0.000` for 3 decimals, no thousands separator.
    case decimal(decimals: Int)
    /// Excel's `General`.
    case general

    /// The Excel format code, e.g. `#,##0.00`.
    public var formatCode: String {
        func zeros(_ n: Int) -> String {
            let n = Swift.min(Swift.max(n, 0), 30)  // Excel accepts at most 30 decimals
            return n == 0 ? "" : "." + String(repeating: "0", count: n)
        }
        switch self {
        case .integer: return "#,##0"
        case .money(let d): return "#,##0" + zeros(d)
        case .percent(let d): return "0" + zeros(d) + "%"
        case .decimal(let d): return "0" + zeros(d)
        case .general: return "General"
        }
    }
}

extension Workbook {
    /// Returns a workbook in which every sheet with more rows than a worksheet can hold is
    /// continued on extra sheets named `"NAME (2)"`, `"NAME (3)"`, … placed right after it,
    /// each repeating the header row.
    ///
    /// - Parameter maxRows: rows per worksheet *including* the header row (Excel: ``excelMaxRows``).
    ///   A small value lets tests exercise the split.
    ///
    /// Relative row references in formulas of moved rows (`C5*D5`) are shifted with the row,
    /// so row-local formulas stay right; absolute references (`$C$5`) and references to other
    /// sheets are left alone, and references that would land above row 1 become `#REF!`.
    /// Formulas that aggregate across the split boundary cannot stay meaningful: give such
    /// totals their own sheet.
    public func splittingLongSheets(maxRows: Int = Workbook.excelMaxRows) -> Workbook {
        var out = self
        out.sheets = []
        for sheet in sheets {
            let headerRows = sheet.hasHeader ? 1 : 0
            let perSheet = Swift.max(1, maxRows - headerRows)
            let total = sheet.rowCount
            guard total > perSheet else {
                out.sheets.append(sheet)
                continue
            }
            var start = 0
            var part = 1
            while start < total {
                let end = Swift.min(start + perSheet, total)
                var piece = sheet
                // Every moved row moves up by `start` rows.
                let delta = -start
                let shift = part > 1
                if part > 1 { piece.name = SheetName.numbered(sheet.name, part) }
                switch sheet.storage {
                case .rows(let rows):
                    var slice = Array(rows[start..<end])
                    if shift {
                        slice = slice.map { row in
                            var row = row
                            row.cells = Self.shiftingFormulas(row.cells, by: delta)
                            return row
                        }
                    }
                    piece.storage = .rows(slice)
                case .source(let source):
                    piece.storage = .source(source.shifted(by: start, count: end - start, shiftFormulas: shift ? delta : nil))
                }
                out.sheets.append(piece)
                start = end
                part += 1
            }
        }
        return out
    }

    /// Cells with the relative row references of their formulas moved by `delta` rows.
    static func shiftingFormulas(_ cells: [Cell], by delta: Int) -> [Cell] {
        cells.map { cell in
            guard case .formula(let f, let cached, let format) = cell else { return cell }
            return .formula(FormulaReferences.shiftingRows(f, by: delta), cached: cached, format: format)
        }
    }
}
