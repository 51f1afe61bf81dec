// Interned text for the big tables of the model.
//
// A lead or follow-up names a channel, a campaign, a person, a kind of contact: a handful of distinct
// values repeated over millions of rows. A `String` field costs 16 bytes per row (and a heap copy per
// row when the text is longer than 15 UTF-8 bytes). A `Symbol` is 4 bytes and every row with the same
// text shares one stored `String`. Rows stay plain values: the model's `String` properties read the
// text back through the symbol.
//
// The table lives for the process and only grows: a symbol, once made, keeps its text. Equal texts
// always get the same symbol (the table deduplicates), so comparing or hashing symbols is comparing or
// hashing their texts, and values built from them stay Equatable and Hashable as before.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A string interned in a process-wide table: 4 bytes, compared and hashed as a number.
///
/// Readers that build the model make symbols straight from field bytes (`Symbol(utf8:)`), so a
/// repeated value is neither copied nor allocated again.
public struct Symbol: Hashable, Sendable {
    /// Position in the process-wide table; 0 is the empty string.
    public let rawValue: UInt32

    /// The symbol whose `rawValue` this is. Only for a value taken from an existing symbol (e.g. kept
    /// in a table of numbers); any other value is not a symbol.
    @inlinable
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// The empty string.
    public static let empty = Symbol(rawValue: 0)

    /// The symbol of `text` (interned on first use).
    public init(_ text: String) {
        if text.isEmpty { self = .empty; return }
        var copy = text
        self = copy.withUTF8 { SymbolTable.intern(UnsafeRawBufferPointer($0), text: text) }
    }

    /// The symbol of the UTF-8 `bytes`, which must be valid UTF-8. A String is made only the first
    /// time the text is seen.
    public init(utf8 bytes: UnsafeRawBufferPointer) {
        if bytes.isEmpty { self = .empty; return }
        self = SymbolTable.intern(bytes, text: nil)
    }

    /// The interned text.
    @inlinable
    public var string: String { SymbolTable.string(rawValue) }

    /// Number of symbols made so far in this process (every symbol's `rawValue` is below it).
    public static var count: Int { SymbolTable.count }
}

/// The storage behind `Symbol`: strings in fixed chunks that never move (so reading needs no lock),
/// and an open-addressing index from text to symbol used under a lock when interning.
@usableFromInline
enum SymbolTable {
    @usableFromInline static let chunkShift: UInt32 = 12
    @usableFromInline static let chunkMask: UInt32 = (1 << 12) - 1
    static let maxChunks = 1 << 18

    /// Chunk pointers; a chunk is written once, before any symbol in it is handed out.
    @usableFromInline
    nonisolated(unsafe) static let directory: UnsafeMutablePointer<UnsafeMutablePointer<String>?> = {
        let raw = calloc(maxChunks, MemoryLayout<UnsafeMutablePointer<String>?>.stride)!
        let directory = raw.bindMemory(to: UnsafeMutablePointer<String>?.self, capacity: maxChunks)
        // Symbol 0, the empty string, exists from the start.
        let first = UnsafeMutablePointer<String>.allocate(capacity: Int(chunkMask) + 1)
        first.initialize(to: "")
        directory[0] = first
        return directory
    }()

    /// The text of symbol `raw`. No lock: the symbol was made (and its text stored) before it could
    /// be handed to this thread, and a stored text never changes.
    @inlinable
    static func string(_ raw: UInt32) -> String {
        directory[Int(raw >> chunkShift)].unsafelyUnwrapped[Int(raw & chunkMask)]
    }

    /// Everything below is guarded by `lock`.
    nonisolated(unsafe) static var state = State()

    struct State {
        /// Symbols made so far; symbol 0 (the empty string) is never looked up by text.
        var count = 1
        /// Index slots: 0 empty, otherwise symbol + 1.
        var slots: UnsafeMutablePointer<UInt32>
        /// The hash of each slot's text, so most mismatches are rejected without touching the text.
        var hashes: UnsafeMutablePointer<UInt32>
        var capacity: Int

        init() {
            capacity = 1 << 12
            slots = .allocate(capacity: capacity)
            slots.initialize(repeating: 0, count: capacity)
            hashes = .allocate(capacity: capacity)
            hashes.initialize(repeating: 0, count: capacity)
        }
    }

    nonisolated(unsafe) static let lock: UnsafeMutablePointer<pthread_mutex_t> = {
        let m = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        pthread_mutex_init(m, nil)
        return m
    }()

    static var count: Int {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        return state.count
    }

    private static func append(_ text: String, hash: UInt32) {
        let raw = UInt32(state.count)
        let chunk = Int(raw >> chunkShift)
        precondition(chunk < maxChunks, "too many distinct texts to intern")
        if directory[chunk] == nil {
            let storage = UnsafeMutablePointer<String>.allocate(capacity: Int(chunkMask) + 1)
            directory[chunk] = storage
        }
        (directory[chunk].unsafelyUnwrapped + Int(raw & chunkMask)).initialize(to: text)
        state.count += 1
        if state.count * 2 > state.capacity { grow() }
        insertSlot(raw, hash: hash)
    }

    private static func insertSlot(_ raw: UInt32, hash: UInt32) {
        let mask = state.capacity - 1
        var i = Int(hash) & mask
        while state.slots[i] != 0 { i = (i + 1) & mask }
        state.slots[i] = raw + 1
        state.hashes[i] = hash
    }

    private static func grow() {
        let oldSlots = state.slots, oldHashes = state.hashes, oldCapacity = state.capacity
        state.capacity *= 2
        state.slots = .allocate(capacity: state.capacity)
        state.slots.initialize(repeating: 0, count: state.capacity)
        state.hashes = .allocate(capacity: state.capacity)
        state.hashes.initialize(repeating: 0, count: state.capacity)
        for i in 0..<oldCapacity where oldSlots[i] != 0 {
            insertSlot(oldSlots[i] - 1, hash: oldHashes[i])
        }
        oldSlots.deallocate()
        oldHashes.deallocate()
    }

    static func intern(_ bytes: UnsafeRawBufferPointer, text: String?) -> Symbol {
        let hash = UInt32(truncatingIfNeeded: ByteHash.hash(bytes))
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        let mask = state.capacity - 1
        var i = Int(hash) & mask
        while true {
            let s = state.slots[i]
            if s == 0 { break }
            if state.hashes[i] == hash {
                var candidate = string(s - 1)
                let same = candidate.withUTF8 { $0.count == bytes.count && memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 }
                if same { return Symbol(rawValue: s - 1) }
            }
            i = (i + 1) & mask
        }
        let raw = UInt32(state.count)
        append(text ?? String(decoding: bytes, as: UTF8.self), hash: hash)
        return Symbol(rawValue: raw)
    }
}

/// A fast, non-cryptographic hash of a byte string (eight bytes per step), for hash tables keyed by
/// field bytes.
public enum ByteHash {
    @inlinable
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        guard let base = bytes.baseAddress else { return 0x9E37_79B9_7F4A_7C15 }
        return hash(base, bytes.count)
    }

    @inlinable
    public static func hash(_ p: UnsafeRawPointer, _ count: Int) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ (UInt64(truncatingIfNeeded: count) &* 0xFF51_AFD7_ED55_8CCD)
        var i = 0
        while count - i >= 8 {
            h = mix(h ^ p.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            i += 8
        }
        if i < count {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < count {
                tail |= UInt64(p.load(fromByteOffset: i, as: UInt8.self)) << shift
                shift += 8
                i += 1
            }
            h = mix(h ^ tail)
        }
        return h ^ (h >> 29)
    }

    /// A hash of up to 16 bytes held in two words (zero-padded) and their count.
    @inlinable
    public static func mixWords(_ a: UInt64, _ b: UInt64, _ count: Int) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ (UInt64(truncatingIfNeeded: count) &* 0xFF51_AFD7_ED55_8CCD)
        h = mix(h ^ a)
        h = mix(h ^ b)
        return h ^ (h >> 29)
    }

    @usableFromInline @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &* 0xBF58_476D_1CE4_E5B9
        z ^= z >> 31
        return z &* 0x94D0_49BB_1331_11EB
    }
}
