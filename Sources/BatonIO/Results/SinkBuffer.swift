import BatonCore

/// Bytes on their way to a `ByteSink`: a raw buffer that the result writers fill with plain pointer stores
/// and hand to the sink when it passes `chunk` bytes (about a megabyte), so no file is ever whole in memory.
///
/// Why not `ByteWriter`: scorecards.json is some 14 million small pieces (an id, `", "`, a line number), and
/// an `Array.append` per piece costs more than the piece. Here a writer asks for room once (`reserve`),
/// stores bytes through the pointer and says where it stopped (`advance`). Non-copyable: it owns its memory.
struct SinkBuffer: ~Copyable {
    let sink: ByteSink
    let chunk: Int
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// Bytes in the buffer, not yet handed to the sink.
    private var used = 0
    /// Bytes handed to the sink so far.
    private var handed = 0

    init(_ sink: ByteSink, chunk: Int = 1 << 18) {
        self.sink = sink
        self.chunk = chunk
        capacity = chunk + (1 << 16)
        base = .allocate(capacity: capacity)
    }

    deinit { base.deallocate() }

    /// Every byte written so far (handed over or buffered).
    var count: Int { handed + used }

    /// Where to store the next bytes, with room for at least `n` of them. Call `advance(to:)` after.
    @inline(__always)
    mutating func reserve(_ n: Int) -> UnsafeMutablePointer<UInt8> {
        if used + n > capacity { makeRoom(n) }
        return base + used
    }

    /// The bytes up to `end` (a pointer from `reserve`, moved past what was stored) are written.
    @inline(__always)
    mutating func advance(to end: UnsafeMutablePointer<UInt8>) {
        used = end - base
        if used >= chunk { flush() }
    }

    @inline(never)
    private mutating func makeRoom(_ n: Int) {
        flush()
        if n > capacity {
            // One piece larger than the buffer (a very long text): grow for it.
            base.deallocate()
            capacity = n
            base = .allocate(capacity: capacity)
        }
    }

    /// The bytes written since `mark` (an earlier `count`), if they are all still in the buffer.
    func written(since mark: Int) -> UnsafeBufferPointer<UInt8>? {
        guard mark >= handed && mark <= count else { return nil }
        return UnsafeBufferPointer(start: base + (mark - handed), count: count - mark)
    }

    /// Hands the buffered bytes to the sink.
    mutating func flush() {
        guard used > 0 else { return }
        sink.write(UnsafeRawBufferPointer(start: base, count: used))
        handed += used
        used = 0
    }

    // MARK: appending

    @inline(__always)
    mutating func byte(_ b: UInt8) {
        let p = reserve(1)
        p.pointee = b
        advance(to: p + 1)
    }

    @inline(__always)
    mutating func bytes(_ b: UnsafeBufferPointer<UInt8>) {
        guard let src = b.baseAddress else { return }
        let p = reserve(b.count)
        p.update(from: src, count: b.count)
        advance(to: p + b.count)
    }

    /// Bytes kept whole elsewhere (a list's text rendered before): a long run goes to the sink as it is,
    /// after what is buffered, instead of being copied into the buffer first. Short ones are copied.
    mutating func pass(_ b: UnsafeBufferPointer<UInt8>) {
        guard b.count >= chunk / 4 else { return bytes(b) }
        flush()
        sink.write(UnsafeRawBufferPointer(b))
        handed += b.count
    }

    @inline(__always)
    mutating func bytes(_ s: StaticString) {
        bytes(UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    /// A string's UTF-8 as it is (no escaping).
    mutating func text(_ s: String) {
        var s = s
        s.withUTF8 { bytes($0) }
    }

    /// A decimal integer.
    @inline(__always)
    mutating func int(_ v: Int) {
        let p = reserve(20)
        advance(to: Digits.write(v, to: p))
    }
}

/// Decimal digits of integers written straight into memory, two digits per division.
enum Digits {
    /// "00" "01" ... "99": a literal, so reading it needs no lazy initialisation.
    @inline(__always) private static var pairs: StaticString { "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899" }

    /// How many decimal digits `v` has (at least 1).
    @inline(__always)
    static func count(_ v: UInt64) -> Int {
        var n = 1
        var x = v
        while x >= 10_000 { x /= 10_000; n += 4 }
        if x >= 100 { n += 2; x /= 100 }
        if x >= 10 { n += 1 }
        return n
    }

    /// Writes `v` (with `-` when negative) at `p` (up to 20 bytes); returns the position after it.
    @inline(__always)
    static func write(_ v: Int, to p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        if v < 0 {
            p.pointee = 45
            return write(UInt64(v.magnitude), to: p + 1)
        }
        return write(UInt64(v), to: p)
    }

    /// Writes `v` at `p` (up to 20 bytes); returns the position after it.
    @inline(__always)
    static func write(_ v: UInt64, to p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        let n = count(v)
        let t = pairs.utf8Start
        var end = p + n
        var x = v
        while x >= 100 {
            let r = Int(x % 100)
            x /= 100
            end -= 2
            end[0] = t[2 * r]
            end[1] = t[2 * r + 1]
        }
        if x >= 10 {
            end[-2] = t[2 * Int(x)]
            end[-1] = t[2 * Int(x) + 1]
        } else {
            end[-1] = UInt8(48 + x)
        }
        return p + n
    }
}
