// RFC 4180 CSV reader for large dealer exports.
//
// Design: the input bytes are parsed in one pass by a small state machine and
// compacted in place: every field's unescaped content (quotes and separators
// removed, `""` turned into `"`) is moved to the front of the same buffer, back
// to back. A field is then just a pair of neighbouring offsets in `fieldBounds`
// (4 bytes per field), and Strings are only created when a field is asked for.

/// A CSV file that is not well-formed, with the position of the problem and
/// advice on how to fix it.
///
/// `line` is the 1-based physical line in the file (line breaks inside quoted
/// fields count); `column` is the 1-based index of the field within its record.
public struct CSVSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public let line: Int
    public let column: Int
    public let message: String

    public init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "line \(line), column \(column): \(message)" }

    static let unclosedQuoteMessage =
        "a quoted field opened here is never closed; close it with \" or remove the stray quote"
    static let textAfterQuoteMessage =
        "unexpected text after a closing quote; to put a quote inside a field, double it: \"\""
    static let quoteInUnquotedFieldMessage =
        "a quote in the middle of a field that does not start with a quote; to put a quote inside a field, enclose the whole field in quotes and double it: \"\""
    static let invalidUTF8Message = "not valid UTF-8; save the file as UTF-8"
    static let tooLargeMessage = "the file is 4 GB or larger; split it into smaller files"
}

/// Parses CSV text held in memory. It does no I/O: read the file elsewhere
/// (e.g. with Foundation `Data`) and hand the bytes over. (`CSVFileReader` reads
/// a file record by record with the same rules.)
public enum CSVReader {
    /// Parses UTF-8 CSV (optional byte-order mark; CRLF, LF or lone CR line
    /// endings). The first non-empty record is the header; completely empty
    /// lines are skipped. A file that is empty or only whitespace gives a table
    /// with an empty header and no rows.
    ///
    /// The buffer is reused as the table's storage, so pass one you no longer
    /// need (e.g. `parse(Array(data))`) to avoid a copy of the whole file.
    public static func parse(_ bytes: consuming [UInt8]) throws(CSVSyntaxError) -> CSVTable {
        guard bytes.count < Int(UInt32.max) else {
            throw CSVSyntaxError(line: 1, column: 1, message: CSVSyntaxError.tooLargeMessage)
        }
        var failure: CSVSyntaxError?
        var isBlank = false
        var usedBytes = 0
        var fieldBounds: [UInt32] = []
        var recordFields: [UInt32] = []
        var recordLines: [UInt32] = []
        bytes.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress, let scan = Prescan(base, buffer.count) else {
                isBlank = true
                return
            }
            // The prescan gives upper bounds on fields and records, so the index
            // arrays are allocated once.
            fieldBounds.reserveCapacity(scan.maxFields + 1)
            recordFields.reserveCapacity(scan.maxRecords + 1)
            recordLines.reserveCapacity(scan.maxRecords)
            fieldBounds.append(0)
            recordFields.append(0)
            // Field contents are compacted to the front of the buffer, back to
            // back; the write position never passes the record being read.
            var scanner = CSVScanner()
            var position = scan.bodyStart
            var w = 0
            scanning: while true {
                switch scanner.next(base, from: &position, limit: scan.validEnd, final: true,
                                    truncated: scan.validEnd < buffer.count) {
                case .record:
                    for k in 0..<scanner.fieldCount {
                        let start = scanner.starts[k], n = scanner.ends[k] - start
                        if w != start { UnsafeMutableRawPointer(base + w).copyMemory(from: base + start, byteCount: n) }
                        w += n
                        fieldBounds.append(UInt32(truncatingIfNeeded: w))
                    }
                    recordFields.append(UInt32(truncatingIfNeeded: fieldBounds.count - 1))
                    recordLines.append(UInt32(truncatingIfNeeded: scanner.recordLine))
                case .end:
                    break scanning
                case .needMore:
                    preconditionFailure("a final buffer never needs more bytes")
                case .failure(let e):
                    failure = e
                    break scanning
                }
            }
            usedBytes = w
        }
        if let failure { throw failure }
        if isBlank || recordLines.isEmpty {
            return CSVTable(storage: CSVTableStorage(bytes: [], fieldBounds: [0], recordFields: [0], recordLines: []),
                            headerLine: 1)
        }
        bytes.removeSubrange(usedBytes...)
        let storage = CSVTableStorage(bytes: bytes, fieldBounds: fieldBounds,
                                 recordFields: recordFields, recordLines: recordLines)
        return CSVTable(storage: storage, headerLine: Int(recordLines[0]))
    }

    /// Parses bytes the caller keeps owning (they are copied once).
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(CSVSyntaxError) -> CSVTable {
        try parse(Array(bytes))
    }
}

/// A parsed CSV file: the header plus the data records after it.
public struct CSVTable: Sendable {
    /// Header names, trimmed of surrounding whitespace, in their original case.
    public let header: [String]
    /// Physical line (1-based) of the header record.
    public let headerLine: Int
    let storage: CSVTableStorage
    let headerIndex: [String: Int]

    init(storage: CSVTableStorage, headerLine: Int) {
        self.storage = storage
        self.headerLine = headerLine
        let fields = storage.recordCount > 0
            ? (0..<storage.fieldCount(record: 0)).map { storage.string(record: 0, column: $0) } : []
        let header = CSVHeader(fields: fields, line: headerLine)
        self.header = header.names
        self.headerIndex = header.index
    }

    /// Number of data records (the header is not counted).
    public var rowCount: Int { max(storage.recordCount - 1, 0) }

    /// The data record at `i` (0-based, header excluded). Cheap: no copying.
    public func row(_ i: Int) -> CSVRow {
        precondition(i >= 0 && i < rowCount, "CSV row index \(i) out of range 0..<\(rowCount)")
        return CSVRow(storage: storage, record: i + 1)
    }

    /// 0-based index of the column called `name`, ignoring case and
    /// surrounding whitespace; nil when there is no such column.
    public func columnIndex(_ name: String) -> Int? {
        headerIndex[CSVHeader.trimmed(name).lowercased()]
    }
}

/// The header record of a CSV file: its names, trimmed, and where each name is.
struct CSVHeader: Sendable {
    /// Header names, trimmed of surrounding whitespace, in their original case.
    let names: [String]
    /// Physical line (1-based) of the header record.
    let line: Int
    /// Lowercased name to column; duplicate names: the first one wins; blank names cannot be looked up.
    let index: [String: Int]

    init(names: [String], line: Int, index: [String: Int]) {
        self.names = names
        self.line = line
        self.index = index
    }

    init(fields: [String], line: Int) {
        var names: [String] = []
        var index: [String: Int] = [:]
        names.reserveCapacity(fields.count)
        for (column, field) in fields.enumerated() {
            let name = CSVHeader.trimmed(field)
            names.append(name)
            let key = name.lowercased()
            if !key.isEmpty && index[key] == nil { index[key] = column }
        }
        self.names = names
        self.line = line
        self.index = index
    }

    /// 0-based index of the column called `name`, ignoring case and surrounding whitespace.
    func columnIndex(_ name: String) -> Int? {
        index[CSVHeader.trimmed(name).lowercased()]
    }

    static func trimmed(_ s: String) -> String {
        guard let first = s.firstIndex(where: { !$0.isWhitespace }),
              let last = s.lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(s[first...last])
    }
}

/// One data record of a `CSVTable`. Field values are exactly as in the file
/// (unescaped, not trimmed).
public struct CSVRow: Sendable {
    let storage: CSVTableStorage
    let record: Int
    /// Physical line (1-based) where the record starts.
    public let line: Int

    init(storage: CSVTableStorage, record: Int) {
        self.storage = storage
        self.record = record
        self.line = Int(storage.recordLines[record])
    }

    /// Number of fields actually present in this record.
    public var fieldCount: Int { storage.fieldCount(record: record) }

    /// The field at `column` (0-based); "" when the record is shorter.
    public func field(_ column: Int) -> String {
        storage.string(record: record, column: column)
    }

    /// All fields present in this record.
    public var fields: [String] { (0..<fieldCount).map(field) }

    /// Physical line (1-based) where the field at `column` starts. For a column
    /// beyond the end of a short record, the line of its last field.
    public func fieldLine(_ column: Int) -> Int {
        storage.fieldLine(record: record, column: column)
    }

    /// Calls `body` with the unescaped UTF-8 bytes of the field at `column`
    /// (empty when the record is shorter), without creating a String. The
    /// pointer is only valid inside `body`.
    public func withFieldBytes<R>(_ column: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        guard let range = storage.byteRange(record: record, column: column) else {
            return try body(UnsafeRawBufferPointer(start: nil, count: 0))
        }
        return try storage.bytes.withUnsafeBytes { all in
            try body(UnsafeRawBufferPointer(rebasing: all[range]))
        }
    }
}

/// Immutable storage shared by a table and its rows.
final class CSVTableStorage: Sendable {
    /// Unescaped field contents, back to back.
    let bytes: [UInt8]
    /// Field k spans `fieldBounds[k]..<fieldBounds[k+1]` in `bytes`.
    let fieldBounds: [UInt32]
    /// Record r owns fields `recordFields[r]..<recordFields[r+1]`.
    let recordFields: [UInt32]
    /// Physical line where record r starts.
    let recordLines: [UInt32]

    init(bytes: [UInt8], fieldBounds: [UInt32], recordFields: [UInt32], recordLines: [UInt32]) {
        self.bytes = bytes
        self.fieldBounds = fieldBounds
        self.recordFields = recordFields
        self.recordLines = recordLines
    }

    var recordCount: Int { recordLines.count }

    @inline(__always)
    func fieldCount(record: Int) -> Int {
        Int(recordFields[record + 1] &- recordFields[record])
    }

    @inline(__always)
    func byteRange(record: Int, column: Int) -> Range<Int>? {
        precondition(column >= 0, "CSV column index must not be negative")
        let first = Int(recordFields[record])
        guard column < Int(recordFields[record + 1]) &- first else { return nil }
        let k = first + column
        return Int(fieldBounds[k])..<Int(fieldBounds[k + 1])
    }

    func string(record: Int, column: Int) -> String {
        guard let range = byteRange(record: record, column: column), !range.isEmpty else { return "" }
        // Already validated as UTF-8 while parsing, so decoding never repairs anything.
        return bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self) }
    }

    func fieldLine(record: Int, column: Int) -> Int {
        precondition(column >= 0, "CSV column index must not be negative")
        let first = Int(recordFields[record])
        let count = Int(recordFields[record + 1]) - first
        var line = Int(recordLines[record])
        // Only quoted fields hold line breaks, and unescaping keeps them, so
        // counting breaks in the earlier fields of the record gives the line.
        for k in first..<(first + min(column, count - 1)) {
            line += Self.lineBreaks(in: Int(fieldBounds[k])..<Int(fieldBounds[k + 1]), of: bytes)
        }
        return line
    }

    static func lineBreaks(in range: Range<Int>, of bytes: [UInt8]) -> Int {
        var breaks = 0
        var i = range.lowerBound
        while i < range.upperBound {
            let b = bytes[i]
            if b == CSVByte.lf {
                breaks += 1
            } else if b == CSVByte.cr && !(i + 1 < range.upperBound && bytes[i + 1] == CSVByte.lf) {
                breaks += 1
            }
            i += 1
        }
        return breaks
    }
}

enum CSVByte {
    static let lf: UInt8 = 0x0A
    static let cr: UInt8 = 0x0D
    static let quote: UInt8 = 0x22
    static let comma: UInt8 = 0x2C
    static let space: UInt8 = 0x20
    static let tab: UInt8 = 0x09
    // The same byte in all eight lanes of a word, for SWAR searches.
    static let lfs: UInt64 = 0x0A0A_0A0A_0A0A_0A0A
    static let crs: UInt64 = 0x0D0D_0D0D_0D0D_0D0D
    static let quotes: UInt64 = 0x2222_2222_2222_2222
    static let commas: UInt64 = 0x2C2C_2C2C_2C2C_2C2C
}

/// What a quick first pass over the input finds out.
struct Prescan {
    /// Where the CSV text starts (after a byte-order mark).
    let bodyStart: Int
    /// Offset of the first invalid UTF-8 byte, or the input size.
    let validEnd: Int
    /// Upper bounds: every field ends at a comma, a line break or the end, and
    /// every record at a line break or the end.
    let maxFields: Int
    let maxRecords: Int

    /// nil when the input is empty or only spaces, tabs and line breaks.
    init?(_ base: UnsafeMutablePointer<UInt8>, _ count: Int) {
        var start = 0
        if count >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF { start = 3 }
        var i = start
        while i < count, base[i] == CSVByte.space || base[i] == CSVByte.tab || base[i] == CSVByte.lf || base[i] == CSVByte.cr {
            i += 1
        }
        if i == count { return nil }
        bodyStart = start
        let scan = scanUTF8(UnsafePointer(base + start), count - start)
        validEnd = start + scan.validCount
        maxRecords = scan.lineBreaks + 1
        maxFields = scan.commas + scan.lineBreaks + 1
    }
}

/// The CSV state machine, one record per call.
///
/// It reads a window of bytes that may end before the file does: when a record
/// runs into the end of the window and more bytes may follow, it answers
/// `.needMore` without consuming the record, and the caller calls again with the
/// record's bytes followed by more. A finished record's fields are left in place
/// as offsets from the window's base (doubled quotes already collapsed in place),
/// valid until the next call.
struct CSVScanner {
    enum Step {
        /// A record was read: `fieldCount`, `starts`, `ends`, `recordLine`.
        case record
        /// No more records.
        case end
        /// The window ends inside a record (or before a line break is known to be
        /// CRLF or CR); nothing of the record was consumed.
        case needMore
        case failure(CSVSyntaxError)
    }

    /// Physical line (1-based) at the current position.
    private(set) var line = 1
    /// Physical line where the last record starts.
    private(set) var recordLine = 0
    private(set) var fieldCount = 0
    /// Field k of the last record spans `starts[k]..<ends[k]` from the window's base.
    private(set) var starts: UnsafeMutablePointer<Int>
    private(set) var ends: UnsafeMutablePointer<Int>
    /// Whether field k holds doubled quotes to collapse.
    private var escaped: UnsafeMutablePointer<Bool>
    private var capacity: Int

    init() {
        capacity = 64
        starts = .allocate(capacity: capacity)
        ends = .allocate(capacity: capacity)
        escaped = .allocate(capacity: capacity)
    }

    /// The scanner's buffers are freed explicitly (it is a struct so the hot loop stays in registers).
    func deallocate() {
        starts.deallocate()
        ends.deallocate()
        escaped.deallocate()
    }

    private mutating func grow() {
        let newCapacity = capacity * 2
        let s = UnsafeMutablePointer<Int>.allocate(capacity: newCapacity)
        let e = UnsafeMutablePointer<Int>.allocate(capacity: newCapacity)
        let q = UnsafeMutablePointer<Bool>.allocate(capacity: newCapacity)
        s.moveInitialize(from: starts, count: capacity)
        e.moveInitialize(from: ends, count: capacity)
        q.moveInitialize(from: escaped, count: capacity)
        deallocate()
        starts = s
        ends = e
        escaped = q
        capacity = newCapacity
    }

    /// Reads the record at `position` (a record boundary) within `base[..<limit]`.
    /// `final`: no bytes follow `limit`. `truncated`: `limit` is the first byte
    /// that is not valid UTF-8 (then `final` too), so reaching it is an error there.
    mutating func next(_ base: UnsafeMutablePointer<UInt8>, from position: inout Int, limit: Int,
                       final: Bool, truncated: Bool) -> Step {
        let end = base + limit
        var p = base + position
        func invalidUTF8(_ line: Int, _ column: Int) -> Step {
            .failure(CSVSyntaxError(line: line, column: column, message: CSVSyntaxError.invalidUTF8Message))
        }
        // Record start: completely empty lines are not records. They are
        // consumed even when the record after them needs more bytes.
        var line = self.line
        while p < end {
            let b = p.pointee
            if b == CSVByte.lf {
                line += 1
                p += 1
            } else if b == CSVByte.cr {
                // Whether it is CRLF or a lone CR is known only with the next byte.
                if p + 1 == end && !final { break }
                line += 1
                p += 1
                if p < end && p.pointee == CSVByte.lf { p += 1 }
            } else {
                break
            }
        }
        position = p - base
        self.line = line
        if p == end {
            if !final { return .needMore }
            if truncated { return invalidUTF8(line, 1) }
            return .end
        }
        if !final && p + 1 == end && p.pointee == CSVByte.cr { return .needMore }
        let startLine = line
        var fields = 0
        var anyEscaped = false
        var column = 1

        fieldLoop: while true {
            if fields == capacity { grow() }
            if p < end && p.pointee == CSVByte.quote {
                let openLine = line
                p += 1
                starts[fields] = p - base
                var hasEscapes = false
                while true {
                    // Find the next quote; line breaks on the way only bump the line.
                    while true {
                        while end - p >= 8 {
                            let below = bytesBelowComma(UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
                            if below == 0 {
                                p += 8
                                continue
                            }
                            p += below.trailingZeroBitCount >> 3
                            let b = p.pointee
                            if b == CSVByte.quote || b == CSVByte.lf || b == CSVByte.cr { break }
                            p += 1
                        }
                        guard p < end else { break }
                        let b = p.pointee
                        if b == CSVByte.quote { break }
                        if b == CSVByte.lf {
                            line += 1
                        } else if b == CSVByte.cr && !(p + 1 < end && p[1] == CSVByte.lf) {
                            line += 1
                        }
                        p += 1
                    }
                    if p == end {
                        if !final { return .needMore }
                        if truncated { return invalidUTF8(line, column) }
                        return .failure(CSVSyntaxError(line: openLine, column: column,
                                                       message: CSVSyntaxError.unclosedQuoteMessage))
                    }
                    let closing = p
                    p += 1
                    if p == end && !final { return .needMore }
                    // A doubled quote is an escaped quote: keep one, stay in the field.
                    if p < end && p.pointee == CSVByte.quote {
                        hasEscapes = true
                        p += 1
                        continue
                    }
                    ends[fields] = closing - base
                    break
                }
                escaped[fields] = hasEscapes
                anyEscaped = anyEscaped || hasEscapes
                fields += 1
                if p == end {
                    if truncated { return invalidUTF8(line, column) }
                    break fieldLoop
                }
                let b = p.pointee
                if b == CSVByte.comma {
                    p += 1
                    column += 1
                    continue fieldLoop
                }
                if b == CSVByte.lf || b == CSVByte.cr {
                    p += 1
                    if b == CSVByte.cr {
                        if p == end && !final { return .needMore }
                        if p < end && p.pointee == CSVByte.lf { p += 1 }
                    }
                    line += 1
                    break fieldLoop
                }
                return .failure(CSVSyntaxError(line: line, column: column, message: CSVSyntaxError.textAfterQuoteMessage))
            } else {
                let start = p
                // Eight bytes at a time to the next comma, quote or line break;
                // byte by byte only for the last few bytes of the window.
                search: do {
                    while end - p >= 8 {
                        let below = bytesBelowComma(UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
                        if below == 0 {
                            p += 8
                            continue
                        }
                        p += below.trailingZeroBitCount >> 3
                        let b = p.pointee
                        if b == CSVByte.comma || b == CSVByte.quote || b == CSVByte.lf || b == CSVByte.cr { break search }
                        p += 1
                    }
                    while p < end {
                        let b = p.pointee
                        if b == CSVByte.comma || b == CSVByte.lf || b == CSVByte.cr || b == CSVByte.quote { break }
                        p += 1
                    }
                }
                if p < end && p.pointee == CSVByte.quote {
                    return .failure(CSVSyntaxError(line: line, column: column,
                                                   message: CSVSyntaxError.quoteInUnquotedFieldMessage))
                }
                if p == end && !final { return .needMore }
                starts[fields] = start - base
                ends[fields] = p - base
                escaped[fields] = false
                fields += 1
                if p == end {
                    if truncated { return invalidUTF8(line, column) }
                    break fieldLoop
                }
                let b = p.pointee
                p += 1
                if b == CSVByte.comma {
                    column += 1
                    continue fieldLoop
                }
                if b == CSVByte.cr {
                    if p == end && !final { return .needMore }
                    if p < end && p.pointee == CSVByte.lf { p += 1 }
                }
                line += 1
                break fieldLoop
            }
        }
        if anyEscaped {
            for k in 0..<fields where escaped[k] {
                ends[k] = starts[k] + collapseQuotes(base + starts[k], count: ends[k] - starts[k])
            }
        }
        position = p - base
        self.line = line
        recordLine = startLine
        fieldCount = fields
        return .record
    }

    /// Turns each `""` into `"` in place; returns the new length.
    private func collapseQuotes(_ p: UnsafeMutablePointer<UInt8>, count: Int) -> Int {
        var r = 0
        var w = 0
        while r < count {
            let b = p[r]
            p[w] = b
            w += 1
            // Inside a closed quoted field every quote is the first of a pair.
            r += b == CSVByte.quote ? 2 : 1
        }
        return w
    }

    /// Physical line where field `column` of the last record starts (for a column
    /// past the record's end, the line of its last field).
    func fieldLine(_ base: UnsafePointer<UInt8>, column: Int) -> Int {
        var line = recordLine
        guard fieldCount > 0 else { return line }
        for k in 0..<min(column, fieldCount - 1) {
            line += lineBreaks(base + starts[k], count: ends[k] - starts[k])
        }
        return line
    }
}

/// Physical line breaks in some bytes (CRLF counts once).
func lineBreaks(_ p: UnsafePointer<UInt8>, count: Int) -> Int {
    var breaks = 0
    var i = 0
    while i < count {
        let b = p[i]
        if b == CSVByte.lf {
            breaks += 1
        } else if b == CSVByte.cr && !(i + 1 < count && p[i + 1] == CSVByte.lf) {
            breaks += 1
        }
        i += 1
    }
    return breaks
}

/// The four bytes that end or start a field (comma 2C, quote 22, LF 0A, CR 0D)
/// are all below 0x2D. This marks the lowest byte of `x` below 0x2D with 0x80
/// (and maybe bytes above it, through borrows: only the lowest mark is exact),
/// so a search stops at candidates only, and rarely (spaces, a few punctuation
/// marks) at a byte that is not a delimiter. Three operations per eight bytes.
@inline(__always)
func bytesBelowComma(_ x: UInt64) -> UInt64 {
    (x &- 0x2D2D_2D2D_2D2D_2D2D) & ~x & 0x8080_8080_8080_8080
}

/// 0x80 in every byte of `x` that is zero, nothing elsewhere (exact, no
/// false positives from borrows).
@inline(__always)
func zeroBytes(_ x: UInt64) -> UInt64 {
    let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
    return ~(((x & low7) &+ low7) | x | low7)
}

/// Sum of the eight byte lanes of `x` (each lane at most 255).
@inline(__always)
private func laneSum(_ x: UInt64) -> Int {
    let pairs = (x & 0x00FF_00FF_00FF_00FF) &+ ((x >> 8) & 0x00FF_00FF_00FF_00FF)
    return Int(truncatingIfNeeded: (pairs &* 0x0001_0001_0001_0001) >> 48)
}

/// Validates UTF-8 and counts commas and line-break bytes on the way.
/// `validCount` is the offset of the first byte that starts an invalid
/// sequence (overlongs, surrogates and code points past U+10FFFF are invalid),
/// or `count` when all is valid; counts stop there too.
func scanUTF8(_ p: UnsafePointer<UInt8>, _ count: Int) -> (validCount: Int, commas: Int, lineBreaks: Int) {
    let raw = UnsafeRawPointer(p)
    var i = 0
    var commas = 0
    var lineBreaks = 0
    @inline(__always) func isContinuation(_ j: Int) -> Bool { j < count && p[j] & 0xC0 == 0x80 }
    while i < count {
        // ASCII fast path, eight bytes at a time. Matches are counted per byte
        // lane and summed every 255 words at most (the baseline x86-64 target
        // has no popcount instruction).
        var commaLanes: UInt64 = 0
        var breakLanes: UInt64 = 0
        var words = 0
        while i + 8 <= count {
            let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            if word & 0x8080_8080_8080_8080 != 0 { break }
            commaLanes &+= zeroBytes(word ^ CSVByte.commas) >> 7
            breakLanes &+= (zeroBytes(word ^ CSVByte.lfs) | zeroBytes(word ^ CSVByte.crs)) >> 7
            i += 8
            words += 1
            if words == 255 {
                commas &+= laneSum(commaLanes)
                lineBreaks &+= laneSum(breakLanes)
                commaLanes = 0
                breakLanes = 0
                words = 0
            }
        }
        commas &+= laneSum(commaLanes)
        lineBreaks &+= laneSum(breakLanes)
        // Runs of three-byte characters (all of CJK) in one load each: a lead
        // byte E1...EC or EE...EF and two continuation bytes need no more checks.
        while i + 4 <= count {
            let v = raw.loadUnaligned(fromByteOffset: i, as: UInt32.self)
            let lead = v & 0xFF
            guard v & 0x00C0_C0F0 == 0x0080_80E0 && lead != 0xE0 && lead != 0xED else { break }
            i += 3
        }
        guard i < count else { break }
        let b0 = p[i]
        if b0 < 0x80 {
            if b0 == CSVByte.comma { commas &+= 1 }
            if b0 == CSVByte.lf || b0 == CSVByte.cr { lineBreaks &+= 1 }
            i += 1
        } else if b0 < 0xC2 {
            return (i, commas, lineBreaks)
        } else if b0 < 0xE0 {
            guard isContinuation(i + 1) else { return (i, commas, lineBreaks) }
            i += 2
        } else if b0 < 0xF0 {
            guard i + 1 < count else { return (i, commas, lineBreaks) }
            let b1 = p[i + 1]
            let low: UInt8 = b0 == 0xE0 ? 0xA0 : 0x80
            let high: UInt8 = b0 == 0xED ? 0x9F : 0xBF
            guard b1 >= low && b1 <= high && isContinuation(i + 2) else { return (i, commas, lineBreaks) }
            i += 3
        } else if b0 < 0xF5 {
            guard i + 1 < count else { return (i, commas, lineBreaks) }
            let b1 = p[i + 1]
            let low: UInt8 = b0 == 0xF0 ? 0x90 : 0x80
            let high: UInt8 = b0 == 0xF4 ? 0x8F : 0xBF
            guard b1 >= low && b1 <= high && isContinuation(i + 2) && isContinuation(i + 3) else {
                return (i, commas, lineBreaks)
            }
            i += 4
        } else {
            return (i, commas, lineBreaks)
        }
    }
    return (count, commas, lineBreaks)
}

/// `scanUTF8` without the counts: the offset of the first byte that starts an
/// invalid sequence, or `count`. ASCII is checked sixteen bytes at a time.
func validUTF8Prefix(_ p: UnsafePointer<UInt8>, _ count: Int) -> Int {
    let raw = UnsafeRawPointer(p)
    var i = 0
    @inline(__always) func isContinuation(_ j: Int) -> Bool { j < count && p[j] & 0xC0 == 0x80 }
    while i < count {
        // ASCII up to the next byte with its high bit set.
        while i + 8 <= count {
            let high = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080
            if high != 0 {
                i += high.trailingZeroBitCount >> 3
                break
            }
            i += 8
        }
        // Runs of three-byte characters (all of CJK) in one load each: a lead
        // byte E1...EC or EE...EF and two continuation bytes need no more checks.
        while i + 4 <= count {
            let v = raw.loadUnaligned(fromByteOffset: i, as: UInt32.self)
            let lead = v & 0xFF
            guard v & 0x00C0_C0F0 == 0x0080_80E0 && lead != 0xE0 && lead != 0xED else { break }
            i += 3
        }
        guard i < count else { break }
        let b0 = p[i]
        if b0 < 0x80 {
            i += 1
        } else if b0 < 0xC2 {
            return i
        } else if b0 < 0xE0 {
            guard isContinuation(i + 1) else { return i }
            i += 2
        } else if b0 < 0xF0 {
            guard i + 1 < count else { return i }
            let b1 = p[i + 1]
            let low: UInt8 = b0 == 0xE0 ? 0xA0 : 0x80
            let high: UInt8 = b0 == 0xED ? 0x9F : 0xBF
            guard b1 >= low && b1 <= high && isContinuation(i + 2) else { return i }
            i += 3
        } else if b0 < 0xF5 {
            guard i + 1 < count else { return i }
            let b1 = p[i + 1]
            let low: UInt8 = b0 == 0xF0 ? 0x90 : 0x80
            let high: UInt8 = b0 == 0xF4 ? 0x8F : 0xBF
            guard b1 >= low && b1 <= high && isContinuation(i + 2) && isContinuation(i + 3) else { return i }
            i += 4
        } else {
            return i
        }
    }
    return count
}
