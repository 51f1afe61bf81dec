import BatonCore

/// The writers' output buffer: unchecked appends into a fixed block of memory that is handed to a sink
/// whenever it fills, so a 200 MB document never exists whole. Cheaper than an `Array` per append (no
/// uniqueness or capacity check), which matters at ~40 appends per row and 300k rows.
///
/// A value that owns memory: create it, write, then call `close()` exactly once (use `defer`). Not to be
/// copied (the copies would share the block).
struct ByteOut {
    private let base: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    private var used = 0
    /// Bytes handed to the sink so far.
    private(set) var flushed = 0
    let sink: ByteSink

    init(sink: ByteSink, capacity: Int = 1 << 20) {
        self.sink = sink
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }

    /// All bytes written, flushed or not.
    var count: Int { flushed + used }

    /// Hands the buffered bytes to the sink.
    mutating func flush() {
        guard used > 0 else { return }
        sink.write(UnsafeRawBufferPointer(start: base, count: used))
        flushed += used
        used = 0
    }

    /// Flushes and frees the buffer. The value must not be used after.
    mutating func close() {
        flush()
        base.deallocate()
    }

    @inline(__always)
    mutating func byte(_ b: UInt8) {
        if used == capacity { flush() }
        base[used] = b
        used += 1
    }

    @inline(__always)
    mutating func raw(_ p: UnsafePointer<UInt8>, _ n: Int) {
        if n <= capacity - used {
            copyBytes(base + used, p, n)
            used += n
        } else {
            rawSplit(p, n)
        }
    }

    /// Fills the buffer to the brim before handing it over, so the sink always gets whole chunks
    /// whatever the sizes of the pieces written: the chunks (and so the deflated bytes) depend only on
    /// the content.
    private mutating func rawSplit(_ p: UnsafePointer<UInt8>, _ n: Int) {
        var p = p
        var n = n
        while n > 0 {
            let k = min(n, capacity - used)
            (base + used).update(from: p, count: k)
            used += k
            p += k
            n -= k
            if used == capacity { flush() }
        }
    }

    @inline(__always)
    mutating func raw(_ b: UnsafeBufferPointer<UInt8>) {
        if let p = b.baseAddress { raw(p, b.count) }
    }

    @inline(__always)
    mutating func bytes(_ a: [UInt8]) {
        a.withUnsafeBufferPointer { raw($0) }
    }

    @inline(__always)
    mutating func ascii(_ s: StaticString) {
        raw(s.utf8Start, s.utf8CodeUnitCount)
    }

    /// A string's UTF-8 as it is (already escaped or known safe).
    @inline(__always)
    mutating func string(_ s: String) {
        withUTF8Bytes(s) { raw($0) }
    }

    /// A decimal integer.
    @inline(__always)
    mutating func int(_ v: Int) {
        if capacity - used < 21 {
            var digits: [UInt8] = []
            digits.append(contentsOf: String(v).utf8)
            bytes(digits)
            return
        }
        var n = UInt(bitPattern: v < 0 ? 0 &- v : v)
        if v < 0 { base[used] = UInt8(ascii: "-"); used += 1 }
        var digits = 1
        var m = n / 10
        while m > 0 { digits += 1; m /= 10 }
        var i = used + digits - 1
        repeat {
            base[i] = UInt8(truncatingIfNeeded: 48 + n % 10)
            n /= 10
            i -= 1
        } while n > 0
        used += digits
    }

    /// Text escaped for element content (``XMLEscape/text(_:)``), byte for byte the same.
    @inline(__always)
    mutating func escapedText(_ s: String) {
        let plain = withUTF8Bytes(s) { buf -> Bool in
            guard XMLScan.isPlainText(buf) else { return false }
            raw(buf)
            return true
        }
        if !plain { string(XMLEscape.text(s)) }
    }

    /// Text given as UTF-8 bytes (valid), escaped for element content as ``XMLEscape/text(_:)`` does.
    @inline(__always)
    mutating func escapedText(_ utf8: UnsafeBufferPointer<UInt8>) {
        if XMLScan.isPlainText(utf8) { raw(utf8) } else { string(XMLEscape.text(String(decoding: utf8, as: UTF8.self))) }
    }

    /// Text given as UTF-8 bytes (valid), escaped for an attribute value as ``XMLEscape/attribute(_:)`` does.
    @inline(__always)
    mutating func escapedAttribute(_ utf8: UnsafeBufferPointer<UInt8>) {
        if XMLScan.isPlainText(utf8) { raw(utf8) } else { string(XMLEscape.attribute(String(decoding: utf8, as: UTF8.self))) }
    }

    /// Text escaped for an OOXML string item (``XMLEscape/ooxmlText(_:)``), byte for byte the same.
    @inline(__always)
    mutating func escapedOOXMLText(_ s: String) {
        let plain = withUTF8Bytes(s) { buf -> Bool in
            guard XMLScan.isPlainOOXMLText(buf) else { return false }
            raw(buf)
            return true
        }
        if !plain { string(XMLEscape.ooxmlText(s)) }
    }

    /// An OOXML text element with its text, as the shipped templates write it:
    /// `<t>TEXT</t>`, or `<t xml:space="preserve">TEXT</t>` when ``XMLEscape/needsPreserve(_:)`` says so,
    /// the text escaped as ``XMLEscape/ooxmlText(_:)`` does. `utf8` is the text's UTF-8 (valid).
    @inline(__always)
    mutating func ooxmlTextElement(_ utf8: UnsafeBufferPointer<UInt8>) {
        let plain = XMLScan.isPlainOOXMLText(utf8)
        if XMLEscape.needsPreserve(utf8, plain: plain) { ascii("<t xml:space=\"preserve\">") } else { ascii("<t>") }
        if plain { raw(utf8) } else { string(XMLEscape.ooxmlText(String(decoding: utf8, as: UTF8.self))) }
        ascii("</t>")
    }
}

/// Byte tables for the escapers' fast path: most texts have nothing to escape, and a table lookup per
/// byte finds that out faster than a `switch`. A flagged byte only means "look closer" (the exact rules
/// stay in ``XMLEscape``).
enum XMLScan {
    /// 1 for `& < > " '`, control characters, and 0xEF (first byte of U+FFFE / U+FFFF).
    private static let text: [UInt8] = (0..<256).map { b in
        switch b {
        case 0..<0x20, 0x22, 0x26, 0x27, 0x3C, 0x3E, 0xEF: return 1
        default: return 0
        }
    }

    /// ``text`` plus `_`, the start of an `_xHHHH_` sequence that OOXML text protects.
    private static let ooxmlText: [UInt8] = (0..<256).map { b in b == 0x5F ? 1 : text[b] }

    /// True when the bytes are written unchanged by ``XMLEscape/ooxmlText(_:)``.
    @inline(__always)
    static func isPlainOOXMLText(_ buf: UnsafeBufferPointer<UInt8>) -> Bool {
        if surelyPlain(buf, ooxml: true) { return true }
        return ooxmlText.withUnsafeBufferPointer { t in
            for b in buf where t[Int(b)] != 0 { return XMLEscape.isPlain(buf, ooxml: true) }
            return true
        }
    }

    /// True when the bytes are written unchanged by ``XMLEscape/text(_:)`` (and ``XMLEscape/attribute(_:)``).
    @inline(__always)
    static func isPlainText(_ buf: UnsafeBufferPointer<UInt8>) -> Bool {
        if surelyPlain(buf, ooxml: false) { return true }
        return text.withUnsafeBufferPointer { t in
            for b in buf where t[Int(b)] != 0 { return XMLEscape.isPlain(buf, ooxml: false) }
            return true
        }
    }

    /// A first look, eight bytes at a time (the last word overlapping the one before; a text under eight
    /// bytes read as one word): true when every byte is ASCII, at least a space, and none is `"`, `&`,
    /// `'`, `<`, `>` (nor `_` for OOXML), so no byte is flagged. False leaves the answer to the tables.
    @inline(__always)
    static func surelyPlain(_ buf: UnsafeBufferPointer<UInt8>, ooxml: Bool) -> Bool {
        let n = buf.count
        guard let p = buf.baseAddress, n > 0 else { return true }
        let r = UnsafeRawPointer(p)
        if n >= 8 {
            var i = 0
            while i + 8 < n {
                if !plainWord(r.loadUnaligned(fromByteOffset: i, as: UInt64.self), ooxml: ooxml) { return false }
                i += 8
            }
            return plainWord(r.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self), ooxml: ooxml)
        }
        let w: UInt64
        if n >= 4 {
            w = UInt64(r.loadUnaligned(as: UInt32.self)) | UInt64(r.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)) << 32
        } else {
            // One to three bytes, the other places filled with a plain letter.
            w = UInt64(p[0]) | UInt64(p[n / 2]) << 8 | UInt64(p[n - 1]) << 16 | 0x6161_6161_6100_0000
        }
        return plainWord(w, ooxml: ooxml)
    }

    /// Whether none of a word's eight bytes is flagged, by the rule of ``surelyPlain(_:ooxml:)``.
    @inline(__always)
    private static func plainWord(_ w: UInt64, ooxml: Bool) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        // ASCII, and each byte at least 0x20 (0x80 + b - 0x20 keeps the high bit exactly when b >= 0x20).
        guard w & high == 0, ((w | high) &- 0x20 &* ones) & high == high else { return false }
        /// High bit of each byte that is zero (exact per byte: no borrow crosses bytes, as each is or-ed with 0x80).
        @inline(__always) func zeros(_ x: UInt64) -> UInt64 { ~((x | high) &- ones) & ~x & high }
        var flagged = zeros(w ^ 0x22 &* ones)                    // "
        flagged |= zeros((w ^ 0x26 &* ones) & (0xFE &* ones))    // & '
        flagged |= zeros((w ^ 0x3C &* ones) & (0xFD &* ones))    // < >
        if ooxml { flagged |= zeros(w ^ 0x5F &* ones) }          // _
        return flagged == 0
    }
}

/// Calls `body` with a string's UTF-8 bytes, without copying the string (native and small strings are
/// contiguous; only a bridged one is copied first).
@inline(__always)
func withUTF8Bytes<R>(_ s: String, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
    if let r = try s.utf8.withContiguousStorageIfAvailable(body) { return r }
    var copy = s
    return try copy.withUTF8(body)
}

/// Copies `n` bytes between buffers that do not overlap. Runs of up to 32 bytes (most cell texts and
/// markup pieces) are copied inline by overlapping 8-byte words: a call to `memmove` costs more than
/// such a copy, and rows make millions of them. Longer runs go through `memmove`.
@inline(__always)
func copyBytes(_ dst: UnsafeMutablePointer<UInt8>, _ src: UnsafePointer<UInt8>, _ n: Int) {
    let s = UnsafeRawPointer(src), d = UnsafeMutableRawPointer(dst)
    if n >= 16 {
        if n > 32 {
            dst.update(from: src, count: n)
            return
        }
        let a = s.loadUnaligned(as: UInt64.self), b = s.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        let c = s.loadUnaligned(fromByteOffset: n - 16, as: UInt64.self), e = s.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
        d.storeBytes(of: a, as: UInt64.self)
        d.storeBytes(of: b, toByteOffset: 8, as: UInt64.self)
        d.storeBytes(of: c, toByteOffset: n - 16, as: UInt64.self)
        d.storeBytes(of: e, toByteOffset: n - 8, as: UInt64.self)
    } else if n >= 8 {
        let a = s.loadUnaligned(as: UInt64.self), b = s.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
        d.storeBytes(of: a, as: UInt64.self)
        d.storeBytes(of: b, toByteOffset: n - 8, as: UInt64.self)
    } else if n >= 4 {
        let a = s.loadUnaligned(as: UInt32.self), b = s.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
        d.storeBytes(of: a, as: UInt32.self)
        d.storeBytes(of: b, toByteOffset: n - 4, as: UInt32.self)
    } else {
        for i in 0..<n { dst[i] = src[i] }
    }
}
