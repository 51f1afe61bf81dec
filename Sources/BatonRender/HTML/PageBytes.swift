/// The page renderer's output: bytes appended through a plain pointer.
///
/// A page is a million small appends (template text between tags, each value). An array's
/// `append(contentsOf:)` checks that its buffer is unique and large enough in out-of-line code for each;
/// here an append is a bounds check and a copy. The memory belongs to a class instance that frees it,
/// so a copy of the struct shares the bytes: the renderer hands a buffer on, it never writes to two
/// copies of one.
struct PageBytes: @unchecked Sendable {
    private final class Memory {
        let base: UnsafeMutablePointer<UInt8>
        let capacity: Int

        init(capacity: Int) {
            self.capacity = capacity
            base = .allocate(capacity: capacity)
        }

        deinit { base.deallocate() }
    }

    private var memory: Memory
    /// `memory`'s, kept here so that an append does not go through the class instance.
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int = 0) {
        memory = Memory(capacity: capacity)
        base = memory.base
        self.capacity = capacity
    }

    var isEmpty: Bool { count == 0 }

    @inline(__always)
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        let n = bytes.count
        guard n > 0 else { return }
        if n > capacity - count { grow(count + n) }
        let to = UnsafeMutableRawPointer(base + count), from = UnsafeRawPointer(bytes.baseAddress!)
        // Most appends are a few bytes (a tag's text, a figure): copied as two words (or half-words) that
        // overlap, instead of a call to `memcpy`.
        if n >= 8 && n <= 16 {
            let a = from.loadUnaligned(as: UInt64.self), b = from.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
            to.storeBytes(of: a, as: UInt64.self)
            to.storeBytes(of: b, toByteOffset: n - 8, as: UInt64.self)
        } else if n >= 4 && n < 8 {
            let a = from.loadUnaligned(as: UInt32.self), b = from.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
            to.storeBytes(of: a, as: UInt32.self)
            to.storeBytes(of: b, toByteOffset: n - 4, as: UInt32.self)
        } else {
            (base + count).initialize(from: bytes.baseAddress!, count: n)
        }
        count += n
    }

    @inline(__always)
    mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append($0) }
    }

    /// Room for `capacity` bytes in all, the bytes kept.
    mutating func reserve(_ capacity: Int) {
        if capacity > self.capacity { grow(capacity) }
    }

    @inline(never)
    private mutating func grow(_ needed: Int) {
        let bigger = Memory(capacity: max(needed, 2 * capacity))
        bigger.base.initialize(from: base, count: count)
        memory = bigger
        base = bigger.base
        capacity = bigger.capacity
    }

    /// Empties the buffer, keeping its memory.
    mutating func removeAll() { count = 0 }

    /// The bytes, for the duration of `body`.
    func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: base, count: count))
    }

    subscript(i: Int) -> UInt8 {
        precondition(i >= 0 && i < count, "index out of range")
        return base[i]
    }

    /// Puts `bytes` before the byte at `i`.
    mutating func insert(_ bytes: [UInt8], at i: Int) {
        precondition(i >= 0 && i <= count, "index out of range")
        let n = bytes.count, tail = count - i
        guard n > 0 else { return }
        reserve(count + n)
        (base + i + n).update(from: base + i, count: tail)
        bytes.withUnsafeBufferPointer { (base + i).update(from: $0.baseAddress!, count: n) }
        count += n
    }

    /// The bytes as an array.
    var array: [UInt8] { withBytes { Array($0) } }
}

/// Where escaped text goes: the renderer's `PageBytes`, or an array.
protocol ByteOutput {
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>)
    mutating func append(_ bytes: [UInt8])
}

extension PageBytes: ByteOutput {}

extension Array: ByteOutput where Element == UInt8 {
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) { append(contentsOf: bytes) }
    mutating func append(_ bytes: [UInt8]) { append(contentsOf: bytes) }
}
