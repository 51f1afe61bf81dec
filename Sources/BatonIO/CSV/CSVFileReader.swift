#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Reads a CSV file record by record through a buffer of a few hundred kilobytes, with exactly the
/// rules, positions and messages of `CSVReader.parse` (both use `CSVScanner`), but without holding
/// the file or an index of all its fields in memory: each record is handed out in place and
/// converted by the caller before the next one is read.
///
/// Noncopyable (it owns the file and the buffer), a struct so the per-record calls need no
/// exclusivity checks.
struct CSVFileReader: ~Copyable {
    enum Failure: Error {
        case syntax(CSVSyntaxError)
        /// The file could not be opened or read; the message is Foundation's.
        case unreadable(String)
    }

    private let fd: Int32
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// Unread bytes are `position..<dataEnd`; `..<validEnd` of them are known valid UTF-8.
    private var position = 0
    private var dataEnd = 0
    private var validEnd = 0
    /// The first byte that is not valid UTF-8, once found.
    private var invalidAt: Int?
    private var atEOF = false
    private var scanner: CSVScanner
    private let url: URL
    /// Whether the first bytes were read (and a byte-order mark skipped).
    private var started = false
    /// The file's size when opened.
    let size: Int
    /// Bytes of the file before the buffer's first byte.
    private var discarded = 0

    /// Bytes of the file read up to the end of the last record.
    var offset: Int { discarded + position }

    /// Bytes read at a time: half a megabyte stays in the core's own cache while it is parsed.
    static let defaultChunk = 1 << 19

    init(_ url: URL, chunk: Int = defaultChunk) throws(Failure) {
        let fd = open(url.path, O_RDONLY)
        guard fd >= 0 else { throw CSVFileReader.unreadable(url) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            close(fd)
            throw CSVFileReader.unreadable(url)
        }
        guard info.st_size < off_t(UInt32.max) else {
            close(fd)
            throw .syntax(CSVSyntaxError(line: 1, column: 1, message: CSVSyntaxError.tooLargeMessage))
        }
        self.fd = fd
        self.url = url
        size = Int(info.st_size)
        // At least the length of a byte-order mark, which the first read must see whole.
        capacity = max(chunk, 4)
        buffer = CSVFileReader.allocate(capacity)
        scanner = CSVScanner()
    }

    deinit {
        close(fd)
        buffer.deallocate()
        scanner.deallocate()
    }

    /// Foundation's words for why the file cannot be read, as `Data(contentsOf:)` reports them.
    private static func unreadable(_ url: URL) -> Failure {
        do {
            _ = try Data(contentsOf: url)
            return .unreadable("cannot be read")
        } catch {
            return .unreadable(error.localizedDescription)
        }
    }

    private struct ReadError: Error {}

    /// Room after the end of the buffer, so 16 bytes can be loaded from the start of any field.
    static let slack = 16

    private static func allocate(_ capacity: Int) -> UnsafeMutablePointer<UInt8> {
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity + slack)
        (p + capacity).initialize(repeating: 0, count: slack)
        return p
    }

    /// Moves the unread bytes to the front, reads more (growing the buffer when one record fills
    /// it), and validates what arrived.
    private mutating func fill() throws(ReadError) {
        if position > 0 {
            let keep = dataEnd - position
            if keep > 0 { UnsafeMutableRawPointer(buffer).copyMemory(from: buffer + position, byteCount: keep) }
            dataEnd -= position
            validEnd -= position
            discarded += position
            position = 0
        }
        if dataEnd == capacity {
            let bigger = CSVFileReader.allocate(capacity * 2)
            bigger.update(from: buffer, count: dataEnd)
            buffer.deallocate()
            buffer = bigger
            capacity *= 2
        }
        while dataEnd < capacity && !atEOF {
            let n = read(fd, buffer + dataEnd, capacity - dataEnd)
            if n < 0 {
                if errno == EINTR { continue }
                throw ReadError()
            }
            if n == 0 { atEOF = true } else { dataEnd += n }
        }
        if !started {
            started = true
            // A byte-order mark is not part of the first header name (it is valid UTF-8 either way).
            if dataEnd >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF { position = 3 }
        }
        if validEnd < dataEnd && invalidAt == nil {
            validEnd += validUTF8Prefix(UnsafePointer(buffer + validEnd), dataEnd - validEnd)
            // A sequence cut off by the end of the buffer may complete with the next bytes.
            if validEnd < dataEnd && (atEOF || dataEnd - validEnd >= 4) { invalidAt = validEnd }
        }
    }

    /// Reads the next record (nil at the end of the file). The record's bytes are valid until the
    /// next call.
    mutating func next() throws(Failure) -> CSVRecord? {
        while true {
            let final = invalidAt != nil || (atEOF && validEnd == dataEnd)
            switch scanner.next(buffer, from: &position, limit: invalidAt ?? validEnd, final: final,
                                truncated: invalidAt != nil) {
            case .record:
                return CSVRecord(base: buffer, starts: scanner.starts, ends: scanner.ends,
                                 count: scanner.fieldCount, line: scanner.recordLine)
            case .end:
                return nil
            case .failure(let e):
                throw .syntax(e)
            case .needMore:
                do { try fill() } catch { throw CSVFileReader.unreadable(url) }
            }
        }
    }

    /// The header: the first record's fields (nil for a file without records).
    mutating func header() throws(Failure) -> CSVHeader? {
        guard let record = try next() else { return nil }
        return CSVHeader(fields: (0..<record.count).map { record.string($0) }, line: record.line)
    }
}

/// One record of a `CSVFileReader`, in place in its buffer: only valid until the reader reads on.
struct CSVRecord {
    let base: UnsafeMutablePointer<UInt8>
    let starts: UnsafeMutablePointer<Int>
    let ends: UnsafeMutablePointer<Int>
    /// Number of fields present.
    let count: Int
    /// Physical line (1-based) where the record starts.
    let line: Int

    /// The unescaped bytes of field `column` (empty when the record is shorter).
    @inline(__always)
    func field(_ column: Int) -> UnsafeRawBufferPointer {
        guard column < count else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: base + starts[column], count: ends[column] - starts[column])
    }

    func string(_ column: Int) -> String { String(decoding: field(column), as: UTF8.self) }

    /// Physical line where field `column` starts (for a column past the end, the line of the last field).
    func fieldLine(_ column: Int) -> Int {
        var line = self.line
        guard count > 0 else { return line }
        for k in 0..<min(column, count - 1) {
            line += lineBreaks(base + starts[k], count: ends[k] - starts[k])
        }
        return line
    }
}
