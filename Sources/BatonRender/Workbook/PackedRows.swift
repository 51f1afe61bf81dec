import BatonCore

/// Rows kept as bytes: every cell's kind, number format and UTF-8 text in a few large blocks, plus where
/// each row starts. A held sheet of cells costs about 48 bytes a cell plus a heap `String` for every text or number
/// over 15 bytes; packed, a cell costs its text's bytes and two or three more. The workbook builder
/// appends its rows as it makes them (row numbers for formulas are `count + 2`, as with an array), and a
/// sheet made from the result (``Sheet/init(name:columns:packed:freezeHeader:autoFilter:)``) gives the
/// writers one row at a time, decoded into their reused buffer, exactly as it was appended.
///
/// Append-only: a row cannot be changed once appended (the workbook builder never needs to). An immutable
/// value once handed to a sheet, so the writers may read it concurrently.
///
/// Layout of a row: a style byte (0 normal, 1 subtotal, 2 total), then per cell a tag byte
/// (bits 0-1: empty, text, number, formula; bit 2: the formula has a cached value, or the text is in the
/// table of repeated texts and only its index (varint) follows; bits 3-5: the format:
/// general, integer, money, percent, decimal), the decimals of a format that has them (zigzag varint),
/// then the cell's texts, each as a varint length and its UTF-8 bytes (a formula: formula, then cached).
struct PackedRows: Sendable {
    /// Rows are appended to blocks of this many bytes (a longer row gets a block of its own): no buffer is
    /// ever grown by copying, which would leave the freed smaller copies resident in the builder thread's
    /// malloc arena through the whole render, and at most one block is partly unused.
    static let blockSize = 64 << 10

    private var blocks: [[UInt8]] = []
    /// Each row's block (high 32 bits) and offset in it (low 32 bits), and after the last row, the end of the
    /// last block: `count + 1` entries. A row ends where the next begins, or at its block's end.
    private var starts: [Int] = [0]
    /// The row being appended, encoded here first so it goes to a block whole.
    private var row: [UInt8] = []
    /// Texts that repeat the text of the row above in the same column (a person's team, id and name, a rule's
    /// words): kept once, as the caller's own `String`, and read back without decoding or allocating.
    private var table: [String] = []
    /// The same texts as UTF-8 bytes, one after the other (`tableStarts[k]..<tableStarts[k + 1]`), for the
    /// writers that copy a row's bytes without decoding it into cells.
    private var tableBytes: [UInt8] = []
    private var tableStarts: [Int] = [0]
    /// While appending, per column: the text of the last row (nil: none) and its index in `table` (-1: not in it).
    private var above: [(text: String, index: Int)?] = []
    /// What the layout would learn by decoding every row (see ``Summary``), gathered as rows are appended.
    private(set) var summary = Summary()
    /// The row being appended: its next cell's column, and whether it is bold (not a normal row).
    private var column = 0
    private var bold = false

    /// What laying out a sheet needs from its rows, found while appending them so that no pass decodes them:
    /// the widest row, each distinct style use in order of first use, and the first number that is not an
    /// exact decimal.
    struct Summary: Sendable {
        /// A cell style as the layout's pass would ask for it: a row's bold (header) style, or a number or
        /// formula cell's format (`column`: the cell's column when the format is `.general`, which then
        /// takes the column's format; nil otherwise) and bold.
        enum Use: Equatable, Sendable {
            case boldRow
            case cell(NumberFormat, column: Int?, bold: Bool)
        }

        /// Most cells in a row.
        var widest = 0
        /// Distinct uses, in order of first use: replayed into a style table, they add the same styles in
        /// the same order as the full pass does (a repeated use adds nothing).
        var uses: [Use] = []
        /// The first number or cached value that is not an exact decimal: its row and column (0-based).
        var invalid: (row: Int, column: Int, value: String)?

        @inline(__always)
        mutating func note(_ use: Use) {
            for u in uses where u == use { return }
            uses.append(use)
        }
    }

    init() {}

    /// Packs `rows`.
    init(_ rows: [Row]) {
        for row in rows { append(row) }
    }

    /// Number of rows appended.
    var count: Int { starts.count - 1 }

    /// Number of texts in the table of repeated texts (``CellBytes/key`` is below it).
    var keyCount: Int { table.count }

    /// Bytes held (for measurements and tests).
    var byteCount: Int { blocks.reduce(0) { $0 + $1.count } + starts.count * MemoryLayout<Int>.stride }

    mutating func append(_ row: Row) { append(row.cells, style: row.style) }

    mutating func append(_ cells: [Cell], style: RowStyle = .normal) {
        begin(style)
        for cell in cells {
            switch cell {
            case .empty: empty()
            case .text(let t): text(t)
            case .number(let v, let format): number(v, format: format)
            case .formula(let f, let cached, let format): formula(f, cached: cached, format: format)
            }
        }
        end()
    }

    // MARK: A row cell by cell

    // A row can also be appended one cell at a time, without a `[Cell]` (an array and an enum per cell, a
    // `String` per number): `begin`, a call per cell in column order, `end`. The bytes are the same as
    // `append(_:style:)` of the same cells, which goes through these calls itself.

    /// Starts a row (the previous one must have ended).
    mutating func begin(_ style: RowStyle = .normal) {
        row.removeAll(keepingCapacity: true)
        switch style {
        case .normal: row.append(0)
        case .subtotal: row.append(1)
        case .total: row.append(2)
        }
        column = 0
        bold = style != .normal
        if bold { summary.note(.boldRow) }
    }

    /// The next cell's column (0-based), with its place in `above`.
    @inline(__always)
    private mutating func nextColumn() -> Int {
        let c = column
        column += 1
        if above.count <= c { above.append(nil) }
        return c
    }

    /// An empty cell.
    mutating func empty() {
        let c = nextColumn()
        row.append(0)
        above[c] = nil
    }

    /// A text cell.
    mutating func text(_ t: String) {
        let c = nextColumn()
        if let last = above[c], Self.sameBytes(last.text, t) {
            // The same bytes (not merely an equal `String`: canonically equal texts stay apart).
            var index = last.index
            if index < 0 {
                index = table.count
                table.append(last.text)
                withUTF8Bytes(last.text) { tableBytes.append(contentsOf: $0) }
                tableStarts.append(tableBytes.count)
                above[c] = (last.text, index)
            }
            row.append(1 | 4)
            putVarint(UInt64(index))
            return
        }
        row.append(1)
        put(t)
        above[c] = (t, -1)
    }

    /// A text cell, or an empty one for an empty text.
    @inline(__always)
    mutating func textOrEmpty(_ t: String) {
        if t.isEmpty { empty() } else { text(t) }
    }

    /// A number cell: `v` an exact decimal as `Cell.number` holds it.
    mutating func number(_ v: String, format: NumberFormat) {
        let c = nextColumn()
        note(c, format, v)
        putTag(2, format)
        put(v)
        above[c] = nil
    }

    /// A number cell holding `x.decimalString(places:)`, written without making the `String`.
    mutating func number(_ x: Exact, places: Int, format: NumberFormat) {
        let c = nextColumn()
        // A decimal string of an exact number is an exact decimal: only the style use is noted.
        summary.note(.cell(format, column: format == .general ? c : nil, bold: bold))
        putTag(2, format)
        put(x, places: places)
        above[c] = nil
    }

    /// A number cell, or an empty one for nil.
    @inline(__always)
    mutating func number(_ x: Exact?, places: Int, format: NumberFormat) {
        if let x { number(x, places: places, format: format) } else { empty() }
    }

    /// A formula cell (`f` as `Cell.formula` holds it) with its cached value (nil: none).
    mutating func formula(_ f: String, cached: String?, format: NumberFormat) {
        let c = nextColumn()
        note(c, format, cached)
        putTag(cached == nil ? 3 : 3 | 4, format)
        put(f)
        if let cached { put(cached) }
        above[c] = nil
    }

    /// A formula cell whose cached value is `cached.decimalString(places:)`, written without the `String`.
    mutating func formula(_ f: String, cached: Exact, places: Int, format: NumberFormat) {
        let c = nextColumn()
        summary.note(.cell(format, column: format == .general ? c : nil, bold: bold))
        putTag(3 | 4, format)
        put(f)
        put(cached, places: places)
        above[c] = nil
    }

    /// Ends the row begun last and appends it.
    mutating func end() {
        summary.widest = max(summary.widest, column)
        if blocks.isEmpty || blocks[blocks.count - 1].capacity - blocks[blocks.count - 1].count < row.count {
            var block: [UInt8] = []
            block.reserveCapacity(max(Self.blockSize, row.count))
            blocks.append(block)
        }
        let b = blocks.count - 1
        starts[starts.count - 1] = b << 32 | blocks[b].count
        blocks[b].append(contentsOf: row)
        starts.append(b << 32 | blocks[b].count)
    }

    /// A number or formula cell's style use, and its number checked (as the layout's pass would).
    @inline(__always)
    private mutating func note(_ c: Int, _ format: NumberFormat, _ number: String?) {
        summary.note(.cell(format, column: format == .general ? c : nil, bold: bold))
        if let number, summary.invalid == nil, !PreparedWorkbook.isExactDecimal(number) {
            summary.invalid = (count, c, number)
        }
    }

    /// The same rows without unused capacity: the last block and the row index at their size.
    func compacted() -> PackedRows {
        var out = PackedRows()
        out.blocks = blocks
        if let last = blocks.last { out.blocks[blocks.count - 1] = last.withUnsafeBufferPointer { Array($0) } }
        out.starts = starts.withUnsafeBufferPointer { Array($0) }
        out.table = table
        out.tableBytes = tableBytes.withUnsafeBufferPointer { Array($0) }
        out.tableStarts = tableStarts
        out.summary = summary
        return out
    }

    private mutating func putTag(_ kind: UInt8, _ format: NumberFormat) {
        switch format {
        case .general: row.append(kind)
        case .integer: row.append(kind | 1 << 3)
        case .money(let d): row.append(kind | 2 << 3); putVarint(zigzag(d))
        case .percent(let d): row.append(kind | 3 << 3); putVarint(zigzag(d))
        case .decimal(let d): row.append(kind | 4 << 3); putVarint(zigzag(d))
        }
    }

    /// Whether two texts have the same UTF-8 bytes.
    private static func sameBytes(_ a: String, _ b: String) -> Bool {
        guard a.utf8.count == b.utf8.count else { return false }
        return withUTF8Bytes(a) { x in
            withUTF8Bytes(b) { y in x.isEmpty || SharedStringTable.equal(x.baseAddress!, y.baseAddress!, x.count) }
        }
    }

    private func zigzag(_ n: Int) -> UInt64 { UInt64(bitPattern: Int64(n) << 1 ^ Int64(n) >> 63) }

    private mutating func putVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            row.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        row.append(UInt8(v))
    }

    private mutating func put(_ s: String) {
        withUTF8Bytes(s) { put($0) }
    }

    /// `x.decimalString(places:)`'s bytes, written from the number (through the `String` only for a value
    /// whose terms do not fit 64 bits).
    private mutating func put(_ x: Exact, places: Int) {
        var buffer: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
        let written = withUnsafeMutableBytes(of: &buffer) { raw -> Bool in
            let b = raw.bindMemory(to: UInt8.self)
            guard let n = x.writeDecimal(places: places, to: b.baseAddress!, capacity: b.count) else { return false }
            put(UnsafeBufferPointer(rebasing: b[..<n]))
            return true
        }
        if !written { put(x.decimalString(places: places)) }
    }

    private mutating func put(_ b: UnsafeBufferPointer<UInt8>) {
        putVarint(UInt64(b.count))
        row.append(contentsOf: b)
    }

    /// Appends the cells of row `i` (0-based) to `cells` and returns its style.
    func decode(_ i: Int, into cells: inout [Cell]) -> RowStyle {
        precondition(i >= 0 && i < count, "packed row out of range")
        let start = starts[i], next = starts[i + 1]
        let b = start >> 32
        return blocks[b].withUnsafeBufferPointer { bytes in
            var reader = Reader(b: bytes, at: start & 0xFFFF_FFFF)
            let end = next >> 32 == b ? next & 0xFFFF_FFFF : bytes.count
            let style = reader.rowStyle()
            while reader.at < end {
                let tag = reader.byte()
                let format = reader.format(tag)
                switch tag & 3 {
                case 0: cells.append(.empty)
                case 1: cells.append(.text(tag & 4 != 0 ? table[Int(reader.varint())] : reader.text()))
                case 2: cells.append(.number(reader.text(), format: format))
                default:
                    let f = reader.text()
                    cells.append(.formula(f, cached: tag & 4 != 0 ? reader.text() : nil, format: format))
                }
            }
            return style
        }
    }

    /// Every row, as appended.
    func all() -> [Row] {
        var rows: [Row] = []
        rows.reserveCapacity(count)
        for i in 0..<count {
            var cells: [Cell] = []
            let style = decode(i, into: &cells)
            rows.append(Row(cells, style: style))
        }
        return rows
    }

    /// The rows as a ``RowSource`` for a sheet: each row decoded when a writer asks for it, or read as bytes
    /// (``withRow(_:_:)``) by the native writers.
    var source: RowSource {
        let rows = self
        return RowSource(count: rows.count, packed: rows) { i, cells in rows.decode(i, into: &cells) }
    }

    /// One cell of a packed row, read in place: its kind, format and bytes (valid inside ``withRow(_:_:)``).
    struct CellBytes {
        enum Kind { case empty, text, number, formula }
        var kind: Kind
        var format: NumberFormat
        /// The text, the number, or the formula (as appended, `=` included if it had one).
        var bytes: UnsafeBufferPointer<UInt8>
        /// A formula's cached value (nil: none).
        var cached: UnsafeBufferPointer<UInt8>?
        /// A text's place in the table of repeated texts (-1: not in it): the same place is the same bytes,
        /// so a writer may keep what it made of them by place.
        var key = -1
    }

    /// Reads one row's cells in order, without a `Cell` or a `String` each.
    struct Cursor {
        fileprivate var reader: Reader
        fileprivate let end: Int
        fileprivate let tableBytes: UnsafePointer<UInt8>?
        fileprivate let tableStarts: UnsafePointer<Int>

        /// The next cell, nil after the last.
        @inline(__always)
        mutating func next() -> CellBytes? {
            guard reader.at < end else { return nil }
            let tag = reader.byte()
            let format = reader.format(tag)
            switch tag & 3 {
            case 0:
                return CellBytes(kind: .empty, format: format, bytes: UnsafeBufferPointer(start: nil, count: 0), cached: nil)
            case 1:
                if tag & 4 != 0 {
                    let k = Int(reader.varint())
                    let start = tableStarts[k]
                    return CellBytes(kind: .text, format: format,
                                     bytes: UnsafeBufferPointer(start: tableBytes.map { $0 + start }, count: tableStarts[k + 1] - start),
                                     cached: nil, key: k)
                }
                return CellBytes(kind: .text, format: format, bytes: reader.bytes(), cached: nil)
            case 2:
                return CellBytes(kind: .number, format: format, bytes: reader.bytes(), cached: nil)
            default:
                let f = reader.bytes()
                return CellBytes(kind: .formula, format: format, bytes: f, cached: tag & 4 != 0 ? reader.bytes() : nil)
            }
        }
    }

    /// Calls `body` with row `i`'s style and a cursor over its cells (the same cells ``decode(_:into:)``
    /// gives, as bytes). The cursor and the bytes it gives are valid only inside `body`; the cursor may be
    /// copied to read the row again.
    @inline(__always)
    func withRow<R>(_ i: Int, _ body: (RowStyle, inout Cursor) throws -> R) rethrows -> R {
        precondition(i >= 0 && i < count, "packed row out of range")
        let start = starts[i], next = starts[i + 1]
        let b = start >> 32
        return try blocks[b].withUnsafeBufferPointer { bytes in
            try tableBytes.withUnsafeBufferPointer { tb in
                try tableStarts.withUnsafeBufferPointer { ts in
                    var reader = Reader(b: bytes, at: start & 0xFFFF_FFFF)
                    let end = next >> 32 == b ? next & 0xFFFF_FFFF : bytes.count
                    let style = reader.rowStyle()
                    var cursor = Cursor(reader: reader, end: end, tableBytes: tb.baseAddress, tableStarts: ts.baseAddress!)
                    return try body(style, &cursor)
                }
            }
        }
    }

    fileprivate struct Reader {
        let b: UnsafeBufferPointer<UInt8>
        var at: Int

        @inline(__always)
        mutating func byte() -> UInt8 {
            defer { at += 1 }
            return b[at]
        }

        @inline(__always)
        mutating func varint() -> UInt64 {
            var v: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                let x = byte()
                v |= UInt64(x & 0x7F) << shift
                if x < 0x80 { return v }
                shift += 7
            }
        }

        /// The row's style, the first byte of a packed row.
        @inline(__always)
        mutating func rowStyle() -> RowStyle {
            switch byte() {
            case 0: return .normal
            case 1: return .subtotal
            default: return .total
            }
        }

        /// The number format a cell's tag byte names (its upper bits), with its decimals when it has them.
        @inline(__always)
        mutating func format(_ tag: UInt8) -> NumberFormat {
            switch tag >> 3 {
            case 0: return .general
            case 1: return .integer
            case 2: return .money(decimals: zigzag())
            case 3: return .percent(decimals: zigzag())
            default: return .decimal(decimals: zigzag())
            }
        }

        mutating func zigzag() -> Int {
            let v = varint()
            return Int(Int64(bitPattern: v >> 1) ^ -Int64(bitPattern: v & 1))
        }

        @inline(__always)
        mutating func bytes() -> UnsafeBufferPointer<UInt8> {
            let n = Int(varint())
            defer { at += n }
            return UnsafeBufferPointer(rebasing: b[at..<at + n])
        }

        mutating func text() -> String {
            let n = Int(varint())
            defer { at += n }
            return String(decoding: UnsafeBufferPointer(rebasing: b[at..<at + n]), as: UTF8.self)
        }
    }
}
