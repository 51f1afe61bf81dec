// RFC 4180 CSV writer. Each row is encoded through a raw pointer into a
// temporary buffer sized for the worst case, then appended to the output in
// one go, so writing millions of rows costs no String and no Array call per
// field.

/// Builds CSV output in memory: one record per `writeRow`, `"\n"` line endings,
/// UTF-8 without a byte-order mark.
///
/// A field is quoted when it contains a comma, a quote, CR or LF, or starts or
/// ends with a space; quotes inside are doubled. A record made of one empty
/// field is written as `""` so that it is not mistaken for an empty line. With
/// `neutralizeFormulas`, text that a spreadsheet would run as a formula gets a
/// leading apostrophe (see `escape(_:neutralizeFormulas:)`).
public struct CSVWriter: Sendable {
    public let neutralizeFormulas: Bool
    private var output: [UInt8] = []

    public init(neutralizeFormulas: Bool = false) {
        self.neutralizeFormulas = neutralizeFormulas
    }

    /// The UTF-8 output written so far.
    public var bytes: [UInt8] { output }

    /// Returns the output written so far and starts empty again, e.g. to
    /// flush a large export to disk in chunks.
    public mutating func takeBytes() -> [UInt8] {
        defer { output = [] }
        return output
    }

    /// Appends one record.
    public mutating func writeRow(_ fields: [String]) {
        appendRow(fields)
    }

    /// Appends one record from any sequence of strings or substrings.
    public mutating func writeRow<S: Sequence>(_ fields: S) where S.Element: StringProtocol {
        appendRow(Array(fields))
    }

    /// The field as it would be written, quoted and neutralised as needed.
    ///
    /// Neutralising: a field whose first character is `=`, `+`, `-`, `@`, TAB
    /// or CR, and which is not a plain number (optional sign, digits, optional
    /// `.digits`), gets a leading `'` so a spreadsheet shows it as text instead
    /// of evaluating it: `=HYPERLINK("x")` becomes `'=HYPERLINK("x")`, while
    /// `-12.50` and `+8613800138000` are left alone.
    public static func escape(_ field: String, neutralizeFormulas: Bool) -> String {
        var writer = CSVWriter(neutralizeFormulas: neutralizeFormulas)
        writer.appendRow([field], endOfRecord: false)
        return String(decoding: writer.output, as: UTF8.self)
    }

    private mutating func appendRow<T: StringProtocol>(_ fields: [T], endOfRecord: Bool = true) {
        // Worst case: every byte a doubled quote, plus quotes, an apostrophe and
        // a comma per field, plus `""` and the line break.
        var bound = 3
        for field in fields { bound += 2 * field.utf8.count + 4 }
        let neutralize = neutralizeFormulas
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bound) { buffer in
            let start = buffer.baseAddress!
            var p = start
            for (index, field) in fields.enumerated() {
                if index > 0 {
                    p.pointee = CSVWriterByte.comma
                    p += 1
                }
                p = CSVWriter.encode(field, neutralizeFormulas: neutralize, to: p)
            }
            if endOfRecord {
                if fields.count == 1 && p == start {
                    // One empty field would be an empty line, which readers skip.
                    p[0] = CSVWriterByte.quote
                    p[1] = CSVWriterByte.quote
                    p += 2
                }
                p.pointee = CSVWriterByte.lf
                p += 1
            }
            output.append(contentsOf: UnsafeBufferPointer(start: start, count: p - start))
        }
    }

    /// Writes one escaped field at `p` and returns the position after it.
    private static func encode<T: StringProtocol>(_ field: T, neutralizeFormulas: Bool,
                                                  to p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        if let end = field.utf8.withContiguousStorageIfAvailable({ encode($0, neutralizeFormulas: neutralizeFormulas, to: p) }) {
            return end
        }
        // Bridged or otherwise non-contiguous strings: copy once.
        return Array(field.utf8).withUnsafeBufferPointer { encode($0, neutralizeFormulas: neutralizeFormulas, to: p) }
    }

    /// Writes one field's UTF-8, escaped, at `start` (room for `2 * count + 4` bytes) and returns the
    /// position after it. Also used by `CSVStream`, so both write the same bytes.
    ///
    /// Most fields are short and plain: a field of 4 to 16 bytes is checked and copied as two
    /// overlapping words; anything else (or anything to quote or neutralise) takes the general way.
    @inline(__always)
    static func encode(_ utf8: UnsafeBufferPointer<UInt8>, neutralizeFormulas: Bool,
                       to start: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        let count = utf8.count
        // An empty field is written as nothing (as `encodeField` does), without the call.
        if count == 0 { return start }
        if count >= 4 && count <= 16, let source = utf8.baseAddress {
            let s = UnsafeRawPointer(source)
            let d = UnsafeMutableRawPointer(start)
            let first = source[0]
            let last = source[count - 1]
            let formula = neutralizeFormulas && (first == UInt8(ascii: "=") || first == UInt8(ascii: "@") || first == UInt8(ascii: "+")
                || first == UInt8(ascii: "-") || first == CSVWriterByte.tab || first == CSVWriterByte.cr)
            if !formula && first != CSVWriterByte.space && last != CSVWriterByte.space {
                if count >= 8 {
                    let w0 = s.loadUnaligned(as: UInt64.self)
                    let w1 = s.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
                    if specials(w0) | specials(w1) == 0 {
                        d.storeBytes(of: w0, as: UInt64.self)
                        d.storeBytes(of: w1, toByteOffset: count - 8, as: UInt64.self)
                        return start + count
                    }
                } else {
                    let w0 = s.loadUnaligned(as: UInt32.self)
                    let w1 = s.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)
                    if specials(UInt64(w0) | UInt64(w1) << 32) == 0 {
                        d.storeBytes(of: w0, as: UInt32.self)
                        d.storeBytes(of: w1, toByteOffset: count - 4, as: UInt32.self)
                        return start + count
                    }
                }
            }
        }
        return encodeField(utf8, neutralizeFormulas: neutralizeFormulas, to: start)
    }

    /// The general way of `encode`: quoting, doubled quotes, the apostrophe before a formula.
    private static func encodeField(_ utf8: UnsafeBufferPointer<UInt8>, neutralizeFormulas: Bool,
                                    to start: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        let count = utf8.count
        guard count > 0, let source = utf8.baseAddress else { return start }
        var p = start
        let apostrophe = neutralizeFormulas && needsNeutralizing(utf8)
        let special = firstSpecialByte(UnsafeRawPointer(source), count)
        let quoted = special < count || source[0] == CSVWriterByte.space || source[count - 1] == CSVWriterByte.space
        if quoted {
            p.pointee = CSVWriterByte.quote
            p += 1
        }
        if apostrophe {
            p.pointee = CSVWriterByte.apostrophe
            p += 1
        }
        // Everything before the first special byte needs no escaping.
        copy(source, special, to: p)
        p += special
        var i = special
        while i < count {
            let b = source[i]
            p.pointee = b
            p += 1
            if b == CSVWriterByte.quote {
                p.pointee = CSVWriterByte.quote
                p += 1
            }
            i += 1
        }
        if quoted {
            p.pointee = CSVWriterByte.quote
            p += 1
        }
        return p
    }

    /// Copies `n` bytes; short runs (most fields) with two overlapping word moves instead of a call.
    @inline(__always)
    private static func copy(_ src: UnsafePointer<UInt8>, _ n: Int, to dst: UnsafeMutablePointer<UInt8>) {
        let s = UnsafeRawPointer(src)
        let d = UnsafeMutableRawPointer(dst)
        if n >= 8 && n <= 16 {
            d.storeBytes(of: s.loadUnaligned(as: UInt64.self), as: UInt64.self)
            d.storeBytes(of: s.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self), toByteOffset: n - 8, as: UInt64.self)
        } else if n >= 4 && n < 8 {
            d.storeBytes(of: s.loadUnaligned(as: UInt32.self), as: UInt32.self)
            d.storeBytes(of: s.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self), toByteOffset: n - 4, as: UInt32.self)
        } else if n < 4 {
            for i in 0..<n { dst[i] = src[i] }
        } else {
            dst.update(from: src, count: n)
        }
    }

    /// Comma, quote, LF or CR bytes of `word` marked (0x80 in each such byte).
    @inline(__always)
    private static func specials(_ word: UInt64) -> UInt64 {
        zeroBytes(word ^ 0x2C2C_2C2C_2C2C_2C2C) | zeroBytes(word ^ 0x2222_2222_2222_2222)
            | zeroBytes(word ^ 0x0A0A_0A0A_0A0A_0A0A) | zeroBytes(word ^ 0x0D0D_0D0D_0D0D_0D0D)
    }

    /// Offset of the first comma, quote, CR or LF, or `count` when there is
    /// none; eight bytes at a time, as most fields need no quoting (the last
    /// word overlaps the one before rather than going byte by byte).
    private static func firstSpecialByte(_ base: UnsafeRawPointer, _ count: Int) -> Int {
        if count >= 8 {
            var i = 0
            while i + 8 <= count {
                let hits = specials(base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                if hits != 0 { return i + hits.trailingZeroBitCount >> 3 }
                i += 8
            }
            if i < count {
                // Bytes before `i` are clean, so the first hit in the last word is the first special.
                let hits = specials(base.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self))
                if hits != 0 { return count - 8 + hits.trailingZeroBitCount >> 3 }
            }
            return count
        }
        if count >= 4 {
            // Two overlapping 4-byte halves, as one word.
            let low = UInt64(base.loadUnaligned(as: UInt32.self))
            let high = UInt64(base.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self))
            let hits = specials(low | high << 32)
            if hits != 0 {
                let k = hits.trailingZeroBitCount >> 3
                return k < 4 ? k : count - 4 + (k - 4)
            }
            return count
        }
        var i = 0
        while i < count {
            let b = base.load(fromByteOffset: i, as: UInt8.self)
            if b == CSVWriterByte.comma || b == CSVWriterByte.quote || b == CSVWriterByte.lf || b == CSVWriterByte.cr {
                return i
            }
            i += 1
        }
        return count
    }

    /// 0x80 in every byte of `x` that is zero, nothing elsewhere.
    @inline(__always)
    private static func zeroBytes(_ x: UInt64) -> UInt64 {
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        return ~(((x & low7) &+ low7) | x | low7)
    }

    /// Starts like a formula and is not a plain number such as `-12.50`.
    private static func needsNeutralizing(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        switch utf8[0] {
        case UInt8(ascii: "="), UInt8(ascii: "@"), CSVWriterByte.tab, CSVWriterByte.cr:
            return true
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            return !isPlainNumber(utf8)
        default:
            return false
        }
    }

    /// Matches `[+-]?[0-9]+(\.[0-9]+)?` over the whole field.
    private static func isPlainNumber(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = utf8.count
        if i < n && (utf8[i] == UInt8(ascii: "+") || utf8[i] == UInt8(ascii: "-")) { i += 1 }
        let integerStart = i
        while i < n && utf8[i] >= UInt8(ascii: "0") && utf8[i] <= UInt8(ascii: "9") { i += 1 }
        guard i > integerStart else { return false }
        if i == n { return true }
        guard utf8[i] == UInt8(ascii: ".") else { return false }
        i += 1
        let fractionStart = i
        while i < n && utf8[i] >= UInt8(ascii: "0") && utf8[i] <= UInt8(ascii: "9") { i += 1 }
        return i > fractionStart && i == n
    }
}

private enum CSVWriterByte {
    static let tab: UInt8 = 0x09
    static let lf: UInt8 = 0x0A
    static let cr: UInt8 = 0x0D
    static let space: UInt8 = 0x20
    static let quote: UInt8 = 0x22
    static let apostrophe: UInt8 = 0x27
    static let comma: UInt8 = 0x2C
}
