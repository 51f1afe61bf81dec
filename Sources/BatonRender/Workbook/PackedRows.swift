/// Rows kept as bytes: every cell's kind, number format and UTF-8 text in one buffer, plus where each row
/// starts. A held sheet of cells costs about 48 bytes a cell plus a heap `String` for every text or number
/// over 15 bytes; packed, a cell costs its text's bytes and two or three more. The workbook builder
/// appends its rows as it makes them (row numbers for formulas are `count + 2`, as with an array), and a
/// sheet made from the result (``Sheet/init(name:columns:packed:freezeHeader:autoFilter:)``) gives the
/// writers one row at a time, decoded into their reused buffer, exactly as it was appended.
///
/// Append-only: a row cannot be changed once appended (the workbook builder never needs to). An immutable
/// value once handed to a sheet, so the writers may read it concurrently.
///
/// Layout of a row: a style byte (0 normal, 1 subtotal, 2 total), then per cell a tag byte
/// (bits 0-1: empty, text, number, formula; bit 2: the formula has a cached value; bits 3-5: the format:
/// general, integer, money, percent, decimal), the decimals of a format that has them (zigzag varint),
/// then the cell's texts, each as a varint length and its UTF-8 bytes (a formula: formula, then cached).
struct PackedRows: Sendable {
    private(set) var bytes: [UInt8] = []
    /// Start of each row in `bytes`, and the end of the last one: `count + 1` entries.
    private(set) var starts: [Int] = [0]

    init() {}

    /// Packs `rows`.
    init(_ rows: [Row]) {
        for row in rows { append(row) }
    }

    /// Number of rows appended.
    var count: Int { starts.count - 1 }

    mutating func append(_ row: Row) { append(row.cells, style: row.style) }

    mutating func append(_ cells: [Cell], style: RowStyle = .normal) {
        switch style {
        case .normal: bytes.append(0)
        case .subtotal: bytes.append(1)
        case .total: bytes.append(2)
        }
        for cell in cells {
            switch cell {
            case .empty:
                bytes.append(0)
            case .text(let t):
                bytes.append(1)
                put(t)
            case .number(let v, let format):
                putTag(2, format)
                put(v)
            case .formula(let f, let cached, let format):
                putTag(cached == nil ? 3 : 3 | 4, format)
                put(f)
                if let cached { put(cached) }
            }
        }
        starts.append(bytes.count)
    }

    /// The same rows in buffers of exactly their size (appending leaves up to half of a buffer unused).
    func compacted() -> PackedRows {
        var out = PackedRows()
        out.bytes = bytes.withUnsafeBufferPointer { Array($0) }
        out.starts = starts.withUnsafeBufferPointer { Array($0) }
        return out
    }

    private mutating func putTag(_ kind: UInt8, _ format: NumberFormat) {
        switch format {
        case .general: bytes.append(kind)
        case .integer: bytes.append(kind | 1 << 3)
        case .money(let d): bytes.append(kind | 2 << 3); putVarint(zigzag(d))
        case .percent(let d): bytes.append(kind | 3 << 3); putVarint(zigzag(d))
        case .decimal(let d): bytes.append(kind | 4 << 3); putVarint(zigzag(d))
        }
    }

    private func zigzag(_ n: Int) -> UInt64 { UInt64(bitPattern: Int64(n) << 1 ^ Int64(n) >> 63) }

    private mutating func putVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    private mutating func put(_ s: String) {
        withUTF8Bytes(s) { b in
            putVarint(UInt64(b.count))
            bytes.append(contentsOf: b)
        }
    }

    /// Appends the cells of row `i` (0-based) to `cells` and returns its style.
    func decode(_ i: Int, into cells: inout [Cell]) -> RowStyle {
        precondition(i >= 0 && i < count, "packed row out of range")
        return bytes.withUnsafeBufferPointer { b in
            var reader = Reader(b: b, at: starts[i])
            let end = starts[i + 1]
            let style: RowStyle
            switch reader.byte() {
            case 0: style = .normal
            case 1: style = .subtotal
            default: style = .total
            }
            while reader.at < end {
                let tag = reader.byte()
                let format: NumberFormat
                switch tag >> 3 {
                case 0: format = .general
                case 1: format = .integer
                case 2: format = .money(decimals: reader.zigzag())
                case 3: format = .percent(decimals: reader.zigzag())
                default: format = .decimal(decimals: reader.zigzag())
                }
                switch tag & 3 {
                case 0: cells.append(.empty)
                case 1: cells.append(.text(reader.text()))
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

    /// The rows as a ``RowSource`` for a sheet: each row decoded when a writer asks for it.
    var source: RowSource {
        let rows = self
        return RowSource(count: rows.count) { i, cells in rows.decode(i, into: &cells) }
    }

    private struct Reader {
        let b: UnsafeBufferPointer<UInt8>
        var at: Int

        @inline(__always)
        mutating func byte() -> UInt8 {
            defer { at += 1 }
            return b[at]
        }

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

        mutating func zigzag() -> Int {
            let v = varint()
            return Int(Int64(bitPattern: v >> 1) ^ -Int64(bitPattern: v & 1))
        }

        mutating func text() -> String {
            let n = Int(varint())
            defer { at += n }
            return String(decoding: UnsafeBufferPointer(rebasing: b[at..<at + n]), as: UTF8.self)
        }
    }
}
