import BatonCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes pretty-printed JSON as it goes, straight into a sink: two-space indents, one member or item a
/// line, arrays of scalars on one line (`[1, 2, 3]`), empty containers as `{}` and `[]`, a final newline.
/// Objects keep their keys in the order written, so the output is stable and readable.
///
/// The caller says what comes next (`beginObject`, `key`, a value...); the writer only remembers how deep
/// it is and whether the current container has a member yet, so nothing of the document is kept.
struct JSONWriter: ~Copyable {
    var out: SinkBuffer
    /// Open containers.
    private var depth = 0
    /// Whether the innermost open container has no member yet (it then closes as `{}` or `[]`).
    private var empty = true

    init(_ sink: ByteSink) { out = SinkBuffer(sink) }

    /// The final newline, and everything handed to the sink. Returns the bytes written.
    mutating func finish() -> Int {
        out.byte(10)
        out.flush()
        return out.count
    }

    // MARK: structure

    /// A new line and the indent of a member of the innermost container, after a comma if needed.
    @inline(__always)
    private mutating func nextMember() {
        let n = 2 * depth
        let p = out.reserve(n + 10)
        var e = p
        if !empty { e.pointee = 44; e += 1 }
        e.pointee = 10
        e += 1
        Self.spaces(n, at: e)
        out.advance(to: e + n)
        empty = false
    }

    /// `n` spaces at `p`, eight at a time (room for `n + 8` bytes): indents are short and many.
    @inline(__always)
    private static func spaces(_ n: Int, at p: UnsafeMutablePointer<UInt8>) {
        var k = 0
        repeat {
            UnsafeMutableRawPointer(p + k).storeBytes(of: 0x2020_2020_2020_2020 as UInt64, as: UInt64.self)
            k += 8
        } while k < n
    }

    @inline(__always)
    private mutating func close(_ bracket: UInt8) {
        depth -= 1
        if !empty {
            let n = 2 * depth
            let p = out.reserve(n + 9)
            p.pointee = 10
            Self.spaces(n, at: p + 1)
            out.advance(to: p + 1 + n)
        }
        out.byte(bracket)
        empty = false
    }

    mutating func beginObject() { out.byte(123); depth += 1; empty = true }
    mutating func endObject() { close(125) }
    /// An array of objects or arrays, one item a line (arrays of scalars are written whole: `strings`,
    /// `rows`).
    mutating func beginArray() { out.byte(91); depth += 1; empty = true }
    mutating func endArray() { close(93) }

    /// The next item of an array begun with `beginArray`; write the item after.
    mutating func item() { nextMember() }

    /// The next member of an object, up to `"key": `; write its value after.
    mutating func key(_ k: StaticString) {
        nextMember()
        let n = k.utf8CodeUnitCount
        let p = out.reserve(n + 4)
        p.pointee = 34
        (p + 1).update(from: k.utf8Start, count: n)
        p[n + 1] = 34
        p[n + 2] = 58
        p[n + 3] = 32
        out.advance(to: p + n + 4)
    }

    /// A member whose key is data (a KPI name), escaped like any string.
    mutating func dataKey(_ k: String) {
        nextMember()
        string(k)
        out.bytes(": ")
    }

    // MARK: scalars

    mutating func null() { out.bytes("null") }
    mutating func int(_ v: Int) { out.int(v) }
    /// A number already formatted, written as it is.
    mutating func number(_ s: String) { out.text(s) }

    /// A JSON string, escaped (see `JSONWriter.escape`).
    mutating func string(_ s: String) {
        if let done: Void = s.utf8.withContiguousStorageIfAvailable({ JSONWriter.escape($0, into: &out) }) {
            return done
        }
        var copy = s
        copy.withUTF8 { JSONWriter.escape($0, into: &out) }
    }

    /// A JSON string, or `null` when there is none.
    mutating func string(_ s: String?) {
        if let s { string(s) } else { null() }
    }

    /// Text escaped as in a string, without the quotes (for a string written in pieces).
    mutating func text(_ s: String) {
        var copy = s
        copy.withUTF8 { JSONWriter.escapeBody($0, into: &out) }
    }

    /// A string written by `body` as raw bytes (digits, a fraction) that need no escaping, in quotes.
    mutating func quoted(_ body: (inout SinkBuffer) -> Void) {
        out.byte(34)
        body(&out)
        out.byte(34)
    }

    // MARK: arrays of scalars

    /// `["a", "b"]` from each item's text.
    mutating func strings<C: Collection>(_ items: C, _ text: (C.Element) -> String) {
        out.byte(91)
        var first = true
        for item in items {
            if !first { out.bytes(", ") }
            first = false
            string(text(item))
        }
        out.byte(93)
    }

    /// `["L1", "L2"]` or `[12, 13]`: rows' texts from `table`.
    mutating func rows(_ rows: RowList, _ table: RowTexts) { table.writeList(rows, into: &out) }

    // MARK: escaping

    /// Whether a byte needs escaping: controls, `"`, `\`, `<`, `>`, `&`, DEL, and 0xE2 (the lead byte of
    /// U+2028 and U+2029, checked further when met). Two constant bit masks, no table to load.
    @inline(__always)
    static func needsEscape(_ b: UInt8) -> Bool {
        // Bits 0-31 (controls), 0x22, 0x26, 0x3C, 0x3E; then 0x5C and 0x7F in the second word.
        let low: UInt64 = 0x5000_0044_FFFF_FFFF
        let high: UInt64 = 0x8000_0000_1000_0000
        if b < 64 { return low >> UInt64(b) & 1 != 0 }
        if b < 128 { return high >> UInt64(b - 64) & 1 != 0 }
        return b == 0xE2
    }

    /// JSON string escaping, in quotes; also escapes `<`, `>`, `&` and U+2028/2029 so the text stays inert
    /// if a page embeds it. Other characters are copied as UTF-8. Runs without specials are copied whole.
    static func escape(_ s: UnsafeBufferPointer<UInt8>, into out: inout SinkBuffer) {
        out.byte(34)
        escapeBody(s, into: &out)
        out.byte(34)
    }

    /// The escaped text of a string, without its quotes.
    static func escapeBody(_ s: UnsafeBufferPointer<UInt8>, into out: inout SinkBuffer) {
        let n = s.count
        // Worst case: every byte a `\u00XX`.
        let p = out.reserve(6 * n)
        var e = p
        if n > 0, let src = s.baseAddress {
            var i = 0
            var run = 0
            while i < n {
                let b = src[i]
                if !needsEscape(b) { i += 1; continue }
                if i > run { e.update(from: src + run, count: i - run); e += i - run }
                switch b {
                case 0x22: e[0] = 92; e[1] = 34; e += 2
                case 0x5C: e[0] = 92; e[1] = 92; e += 2
                case 0x0A: e[0] = 92; e[1] = 110; e += 2
                case 0x0D: e[0] = 92; e[1] = 114; e += 2
                case 0x09: e[0] = 92; e[1] = 116; e += 2
                case 0xE2:
                    if i + 2 < n && src[i + 1] == 0x80 && (src[i + 2] == 0xA8 || src[i + 2] == 0xA9) {
                        e = unicodeEscape(src[i + 2] == 0xA8 ? 0x2028 : 0x2029, e)
                        i += 2
                    } else {
                        e.pointee = b
                        e += 1
                    }
                default: e = unicodeEscape(UInt32(b), e)
                }
                i += 1
                run = i
            }
            if n > run { e.update(from: src + run, count: n - run); e += n - run }
        }
        out.advance(to: e)
    }

    /// `\uXXXX` with lowercase hex digits.
    @inline(__always)
    private static func unicodeEscape(_ v: UInt32, _ e: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        func hex(_ d: UInt32) -> UInt8 { d < 10 ? UInt8(48 + d) : UInt8(87 + d) }
        e[0] = 92
        e[1] = 117
        e[2] = hex(v >> 12 & 15)
        e[3] = hex(v >> 8 & 15)
        e[4] = hex(v >> 4 & 15)
        e[5] = hex(v & 15)
        return e + 6
    }
}

/// The JSON text of each row of a table as it appears in a figure's row list, rendered once: a lead's or
/// a deal's id (quoted, escaped) or a spend or follow-up line number. scorecards.json lists some 14 million
/// rows (every figure lists its rows, a person's rows scattered over the file), so writing one should cost
/// a load and a store: each row has a fixed slot of `width` bytes (the text, then its length in the last
/// byte) filled the first time the row is written, or by `prefill`. The memory is zeroed lazily by the
/// system, so only the pages of rows that are written cost anything. A text that does not fit a slot (255
/// in the length byte) is rendered again each time it is written.
final class RowTexts {
    /// Renders row `i`'s text at the pointer (room for `width - 1` bytes); nil when it does not fit.
    typealias Short = (_ i: Int, _ into: UnsafeMutablePointer<UInt8>) -> Int?
    /// Renders row `i`'s text of any length.
    typealias Long = (_ i: Int, _ out: inout SinkBuffer) -> Void

    let count: Int
    /// 16 for ids (up to 15 bytes of quoted id), 8 for line numbers (up to 7 digits).
    private let width: Int
    private let slots: UnsafeMutablePointer<UInt8>
    private let short: Short
    private let long: Long

    private init(count: Int, width: Int, short: @escaping Short, long: @escaping Long) {
        self.count = count
        self.width = width
        self.short = short
        self.long = long
        // Mapped rather than `calloc`ed: the system zeroes pages when first touched, while `calloc` may
        // take the block from the heap and clear all of it.
        size = max(count, 1) * width
        let p = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        precondition(p != MAP_FAILED && p != nil, "cannot map \(size) bytes")
        slots = p!.assumingMemoryBound(to: UInt8.self)
    }

    private let size: Int
    /// Whether any slot was filled yet. Until then a prefill writes without reading the length bytes: a
    /// read of a page never touched maps the shared zero page, and the write that follows faults again,
    /// copies it and flushes the other cores' address caches (about 0.004 s of CPU at 100k leads). Each
    /// row is filled once: `marks` and `range` name a row once.
    private var touched = false

    deinit { munmap(slots, size) }

    /// Rows' ids as JSON strings.
    static func ids(count: Int, id: @escaping (Int) -> String) -> RowTexts {
        RowTexts(count: count, width: 16, short: { i, p in
            var text = id(i)
            return text.withUTF8 { u -> Int? in
                // Short and plain (the usual id): quoted as it is. Anything else is escaped when written.
                guard u.count <= 13 else { return nil }
                for b in u where JSONWriter.needsEscape(b) { return nil }
                p[0] = 34
                if let src = u.baseAddress { (p + 1).update(from: src, count: u.count) }
                p[u.count + 1] = 34
                return u.count + 2
            }
        }, long: { i, out in
            var text = id(i)
            text.withUTF8 { JSONWriter.escape($0, into: &out) }
        })
    }

    /// Rows' line numbers.
    static func lines(count: Int, line: @escaping (Int) -> Int) -> RowTexts {
        RowTexts(count: count, width: 8, short: { i, p in
            let n = line(i)
            guard n >= 0 && n < 10_000_000 else { return nil }
            return Digits.write(n, to: p) - p
        }, long: { i, out in out.int(line(i)) })
    }

    /// Fills the slots of rows `range` now, reading their records in file order (one pass the hardware
    /// can prefetch), instead of one by one in the scattered order of a person's figures.
    func prefill(_ range: ClosedRange<Int>) {
        let range = range.clamped(to: 0...max(count - 1, 0))
        guard count > 0 else { return }
        let fresh = !touched
        for i in range where fresh || slots[width &* i &+ width &- 1] == 0 { _ = fill(i) }
    }

    /// Fills the slots of the marked rows now, in file order.
    func prefill(_ marks: RowMarks) {
        precondition(marks.count == count, "marks for another table")
        let fresh = !touched
        marks.forEach { i in
            if fresh || slots[width &* i &+ width &- 1] == 0 { _ = fill(i) }
        }
    }

    /// Renders row `i` into its slot; returns the length byte (255: does not fit).
    @inline(never)
    private func fill(_ i: Int) -> Int {
        touched = true
        let slot = slots + width &* i
        let n = short(i, slot).flatMap { $0 < width ? $0 : nil } ?? 255
        slot[width &- 1] = UInt8(n)
        return n
    }

    /// Lists written lately, with their text: a scorecard lists the same rows under several figures (a
    /// person's leads under leads, validity_rate and cost_per_lead), so a list met again is copied.
    private var recent: [(rows: RowList, text: [UInt8])] = []
    private var recentBytes = 0

    /// `[a, b, c]`: the rows' texts, separated by `, `.
    func writeList(_ rows: RowList, into out: inout SinkBuffer) {
        for k in recent.indices.reversed() where recent[k].rows == rows {
            recent[k].text.withUnsafeBufferPointer { out.pass($0) }
            return
        }
        if rows.count <= 4096 {
            let mark = out.count
            render(rows, into: &out)
            if let text = out.written(since: mark) { remember(rows, Array(text)) }
        } else {
            // A long list (a team's or a total's) is rendered into memory of its own, to be kept whole:
            // one array of the most its text can take, handed to the sink as it is.
            var plain = true
            let text = [UInt8](unsafeUninitializedCapacity: rows.count * (width + 2) + 2) { buffer, n in
                n = renderPlain(rows, into: buffer.baseAddress!) ?? 0
                plain = n > 0
            }
            if plain {
                text.withUnsafeBufferPointer { out.pass($0) }
                remember(rows, text)
                return
            }
            // A row's text is longer than its slot: through a buffer that renders it anew.
            let sink = MemorySink()
            var own = SinkBuffer(sink, chunk: rows.count * (width + 2) + 2)
            render(rows, into: &own)
            own.flush()
            sink.bytes.withUnsafeBufferPointer { out.pass($0) }
            remember(rows, sink.bytes)
        }
    }

    private func remember(_ rows: RowList, _ text: [UInt8]) {
        recent.append((rows, text))
        recentBytes += text.count
        while recent.count > 6 || recentBytes > 8 << 20 {
            recentBytes -= recent[0].text.count
            recent.removeFirst()
        }
    }

    /// Copies row `i`'s text to `e` and returns its length: the whole slot is copied (its length byte and
    /// slack are overwritten by what comes next), the row rendered into its slot first if it is not yet.
    /// A length of `width` or more means the text does not fit the slot and nothing usable was copied.
    @inline(__always)
    private func copySlot(_ i: Int, to e: UnsafeMutablePointer<UInt8>) -> Int {
        let slot = slots + width &* i
        if width == 16 {
            UnsafeMutableRawPointer(e).storeBytes(of: UnsafeRawPointer(slot).loadUnaligned(as: SIMD16<UInt8>.self), as: SIMD16<UInt8>.self)
        } else {
            UnsafeMutableRawPointer(e).storeBytes(of: UnsafeRawPointer(slot).loadUnaligned(as: UInt64.self), as: UInt64.self)
        }
        var n = Int(slot[width &- 1])
        if n == 0 {
            n = fill(i)
            if n < width { e.update(from: slot, count: n) }
        }
        return n
    }

    /// `render` straight into memory with room for `rows.count * (width + 2) + 2` bytes; returns the
    /// length, or nil when a row's text does not fit its slot (`render` writes those).
    private func renderPlain(_ rows: RowList, into start: UnsafeMutablePointer<UInt8>) -> Int? {
        let width = width
        var e = start
        e.pointee = 91
        e += 1
        var first = true
        var fits = true
        rows.forEachChunk { rows in
            guard fits else { return }
            for j in 0 ..< rows.count {
                let i = Int(rows[j])
                precondition(i < count, "row index out of range")
                if j != 0 || !first {
                    UnsafeMutableRawPointer(e).storeBytes(of: 0x202C as UInt16, as: UInt16.self)
                    e += 2
                }
                let n = copySlot(i, to: e)
                guard n < width else { fits = false; return }
                e += n
            }
            first = false
        }
        guard fits else { return nil }
        e.pointee = 93
        return e + 1 - start
    }

    /// Renders `[a, b, c]`.
    ///
    /// Most texts of a table have the same length (`"L0666774"`, `1310160`): the next text's position is
    /// advanced by the length expected, not the length just loaded, so the loads of successive rows need
    /// not wait for each other; a row of another length takes the slower branch and sets the expectation.
    private func render(_ rows: RowList, into out: inout SinkBuffer) {
        out.byte(91)
        let width = width
        let room = width + 2
        var expected = -1
        // A joined list (a team's, the total's) comes in pieces: the separator goes before every row but
        // the list's first.
        var first = true
        rows.forEachChunk { rows in
            var j = 0
            while j < rows.count {
                let end = min(rows.count, j + 1024)
                var e = out.reserve((end - j) * room)
                while j < end {
                    let i = Int(rows[j])
                    precondition(i < count, "row index out of range")
                    if j != 0 || !first {
                        UnsafeMutableRawPointer(e).storeBytes(of: 0x202C as UInt16, as: UInt16.self)
                        e += 2
                    }
                    j += 1
                    let n = copySlot(i, to: e)
                    if n == expected {
                        e += expected
                        continue
                    }
                    if n < width {
                        expected = n
                        e += n
                    } else {
                        out.advance(to: e)
                        long(i, &out)
                        e = out.reserve((end - j) * room)
                    }
                }
                out.advance(to: e)
            }
            first = false
        }
        out.byte(93)
    }
}

/// A small JSON value whose objects keep their keys in the order written, rendered by `JSONWriter` (same
/// layout). For small documents; large ones are written straight through `JSONWriter`.
public indirect enum JSONText: Sendable {
    case object([(String, JSONText)])
    case array([JSONText])
    case string(String)
    /// A number written exactly as given (already formatted).
    case number(String)
    case bool(Bool)
    case null

    public static func str(_ s: String?) -> JSONText { s.map(JSONText.string) ?? .null }

    /// Pretty-printed with two-space indents and a final newline; arrays of scalars stay on one line.
    public func rendered() -> [UInt8] {
        let sink = MemorySink()
        var w = JSONWriter(sink)
        write(&w)
        _ = w.finish()
        return sink.bytes
    }

    private var isScalar: Bool {
        switch self {
        case .object, .array: return false
        default: return true
        }
    }

    private func write(_ w: inout JSONWriter) {
        switch self {
        case .null: w.null()
        case .bool(let b): w.out.bytes(b ? "true" : "false")
        case .number(let n): w.number(n)
        case .string(let s): w.string(s)
        case .array(let items):
            if items.allSatisfy(\.isScalar) {
                w.out.byte(91)
                for (i, item) in items.enumerated() {
                    if i > 0 { w.out.bytes(", ") }
                    item.write(&w)
                }
                w.out.byte(93)
                return
            }
            w.beginArray()
            for item in items {
                w.item()
                item.write(&w)
            }
            w.endArray()
        case .object(let pairs):
            w.beginObject()
            for (k, v) in pairs {
                w.dataKey(k)
                v.write(&w)
            }
            w.endObject()
        }
    }
}

/// A set of a table's rows as one bit each: marked in any order, walked in file order.
package struct RowMarks {
    package let count: Int
    private var words: [UInt64]

    package init(count: Int) {
        self.count = count
        words = [UInt64](repeating: 0, count: (count + 63) / 64)
    }

    package mutating func mark(_ i: Int) {
        precondition(i >= 0 && i < count, "row index out of range")
        words[i >> 6] |= 1 << UInt64(i & 63)
    }

    package mutating func mark(_ rows: RowList) {
        let count = UInt32(truncatingIfNeeded: self.count)
        words.withUnsafeMutableBufferPointer { w in
            rows.forEachChunk { chunk in
                for i in chunk {
                    precondition(i < count, "row index out of range")
                    w[Int(i >> 6)] |= 1 << UInt64(i & 63)
                }
            }
        }
    }

    package func contains(_ i: Int) -> Bool { words[i >> 6] & (1 << UInt64(i & 63)) != 0 }

    /// Calls `body` with each marked row, lowest first.
    package func forEach(_ body: (Int) -> Void) {
        for (k, word) in words.enumerated() {
            var w = word
            while w != 0 {
                body(k << 6 | w.trailingZeroBitCount)
                w &= w &- 1
            }
        }
    }
}
