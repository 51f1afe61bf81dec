import BatonCore

/// CSV written field by field straight into a sink, with exactly the rules of `CSVWriter` (the same
/// encoder): `"\n"` line endings, quoting when a field has a comma, quote, CR or LF or starts or ends with
/// a space, doubled quotes, `""` for a record of one empty field, and with `neutralizeFormulas` a leading
/// `'` on text a spreadsheet would run as a formula. No `[String]` per row and no whole file in memory.
struct CSVStream: ~Copyable {
    var out: SinkBuffer
    let neutralizeFormulas: Bool
    /// Fields written in the current record.
    private var fields = 0
    /// Whether the record's first field was empty.
    private var firstEmpty = false

    init(_ sink: ByteSink, neutralizeFormulas: Bool) {
        out = SinkBuffer(sink)
        self.neutralizeFormulas = neutralizeFormulas
    }

    /// The next field of the record, from its UTF-8.
    @inline(__always)
    mutating func field(_ utf8: UnsafeBufferPointer<UInt8>) {
        // Worst case: every byte a doubled quote, plus quotes, an apostrophe and the comma.
        let p = out.reserve(2 * utf8.count + 4)
        var e = p
        if fields > 0 {
            e.pointee = 0x2C
            e += 1
        } else {
            firstEmpty = utf8.isEmpty
        }
        fields += 1
        out.advance(to: CSVWriter.encode(utf8, neutralizeFormulas: neutralizeFormulas, to: e))
    }

    /// The next field, from raw UTF-8 bytes (such as `Timestamp.withText` hands over).
    @inline(__always)
    mutating func field(_ bytes: UnsafeRawBufferPointer) {
        field(UnsafeBufferPointer(start: bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), count: bytes.count))
    }

    @inline(__always)
    mutating func field(_ s: String) {
        if let done: Void = s.utf8.withContiguousStorageIfAvailable({ field($0) }) { return done }
        var copy = s
        copy.withUTF8 { field($0) }
    }

    mutating func field(_ s: String?) { field(s ?? "") }

    mutating func field(_ s: StaticString) {
        field(UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    /// A field holding a plain number (`-?digits(.digits)?`, e.g. money or a rate) that `body` writes
    /// straight into the buffer: such text needs no quoting and is not a formula, so it is written as is.
    mutating func numberField(_ body: (inout SinkBuffer) -> Void) {
        if fields > 0 { out.byte(0x2C) } else { firstEmpty = false }
        fields += 1
        body(&out)
    }

    /// Ends the record.
    mutating func endRow() {
        if fields == 1 && firstEmpty {
            // One empty field would be an empty line, which readers skip.
            out.bytes("\"\"")
        }
        out.byte(0x0A)
        fields = 0
    }

    /// A whole record.
    mutating func row(_ values: [String]) {
        for v in values { field(v) }
        endRow()
    }

    /// Hands everything to the sink; returns the bytes written.
    mutating func finish() -> Int {
        out.flush()
        return out.count
    }
}
