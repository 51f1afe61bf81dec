import BatonZlib
import Foundation

/// The shared-string table: each distinct text once, numbered in order of first use.
///
/// Texts are told apart as Swift tells `String`s apart (canonical equivalence, as a `[String: Int]` would),
/// but without hashing a `String` per cell: texts are looked up by their UTF-8 bytes (byte-equal texts are
/// equal) in an open-addressing table whose slots hold a key number and 32 bits of the hash, so a probe
/// touches one slot, and the stored bytes only when those bits match. Only a non-ASCII text whose bytes
/// are new is also compared as a `String` (through a `[String: Int]`, and by its normal form C, which tells
/// whether it equals an ASCII text: U+212A KELVIN SIGN equals "K"); its bytes then become another key of
/// the id it matched.
struct SharedStringTable {
    /// Slot: (hash >> 32) << 32 | (key + 1); 0 is empty. The size is a power of two, at most half full.
    private var slots: Slots
    private var mask: Int
    /// Where key k's bytes are in `arena`, and its text's id: one record, so that a hit on a text not
    /// seen for a while waits for one cache miss here (and one in the arena), not for three.
    private var keys: [Key] = []
    private var arena: [UInt8] = []
    /// Non-ASCII texts seen, as Strings.
    private var others: [TextKey: Int] = [:]
    /// Per non-ASCII scalar met: whether it has no canonical decomposition (see `holdsUndecomposable`).
    private var undecomposable: [UInt32: Bool] = [:]
    /// Number of distinct texts.
    private(set) var uniqueCount = 0
    /// Number of lookups (the `count` attribute: string cells referring to the table).
    private(set) var references = 0

    init(expected: Int = 1024) {
        var size = 1024
        while size < expected * 2 { size <<= 1 }
        slots = Slots(count: size)
        mask = size - 1
        // Texts of a lead list are mostly distinct (ids, timestamps, phones) and 8 to 20 bytes long.
        arena.reserveCapacity(expected * 16)
        keys.reserveCapacity(expected)
    }

    private struct Key {
        var start: Int
        var count: Int32
        var id: Int32
    }

    /// The id of `text`, and whether it is new (then the caller writes its entry).
    @inline(__always)
    mutating func index(of text: String) -> (id: Int, isNew: Bool) {
        index(of: text, hash: Self.hash(of: text))
    }

    /// The hash ``index(of:hash:)`` wants, with the text's slot asked for ahead: a writer does this for
    /// all texts of a row before looking them up, so their cache misses overlap.
    /// (Mutating only so that callers reach the table in place instead of copying it.)
    @inline(__always)
    mutating func prefetch(_ text: String) -> UInt64 {
        let h = Self.hash(of: text)
        baton_prefetch(slots.base + (Int(truncatingIfNeeded: h) & mask))
        return h
    }

    /// ``prefetch(_:)`` for a text's bytes.
    @inline(__always)
    mutating func prefetch(utf8: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let h = Self.hash(utf8).hash
        baton_prefetch(slots.base + (Int(truncatingIfNeeded: h) & mask))
        return h
    }

    @inline(__always)
    static func hash(of text: String) -> UInt64 {
        withUTF8Bytes(text) { hash($0).hash }
    }

    /// ``index(of:)`` with the text's hash already known.
    @inline(__always)
    mutating func index(of text: String, hash h: UInt64) -> (id: Int, isNew: Bool) {
        withUTF8Bytes(text) { index(of: text, utf8: $0, hash: h) }
    }

    /// ``index(of:hash:)`` with the text's UTF-8 bytes already at hand.
    @inline(__always)
    mutating func index(of text: String, utf8: UnsafeBufferPointer<UInt8>, hash h: UInt64) -> (id: Int, isNew: Bool) {
        index(utf8: utf8, hash: h, text: text)
    }

    /// ``index(of:utf8:hash:)`` for a text known only by its bytes (valid UTF-8): the `String` is made
    /// only when a non-ASCII text's bytes are new, the one case that compares Strings.
    @inline(__always)
    mutating func index(utf8: UnsafeBufferPointer<UInt8>, hash h: UInt64) -> (id: Int, isNew: Bool) {
        index(utf8: utf8, hash: h, text: nil)
    }

    @inline(__always)
    private mutating func index(utf8: UnsafeBufferPointer<UInt8>, hash h: UInt64, text: String?) -> (id: Int, isNew: Bool) {
        references += 1
        if let id = find(utf8, hash: h) { return (id, false) }
        if Self.isASCII(utf8) {
            let id = newId()
            addKey(utf8, hash: h, id: id)
            return (id, true)
        }
        return firstBytes(text ?? String(decoding: utf8, as: UTF8.self), utf8, hash: h)
    }

    /// One more reference to a text the caller already looked up (as ``index(of:)`` counts one).
    @inline(__always)
    mutating func countReference() {
        references += 1
    }

    /// A non-ASCII text whose bytes are not a key yet: equal to a known text, or new.
    private mutating func firstBytes(_ text: String, _ utf8: UnsafeBufferPointer<UInt8>, hash: UInt64) -> (id: Int, isNew: Bool) {
        let key = TextKey(text)
        if let id = others[key] {
            addKey(utf8, hash: hash, id: id)
            return (id, false)
        }
        if holdsUndecomposable(text) {
            // Its normal form C is not ASCII (see `holdsUndecomposable`): it equals no ASCII text, and the
            // (slow) normal form of the whole text is not needed to know it.
            let id = newId()
            others[key] = id
            addKey(utf8, hash: hash, id: id)
            return (id, true)
        }
        var nfc = text.precomposedStringWithCanonicalMapping
        let asciiForm: (hash: UInt64, id: Int?)? = nfc.withUTF8 { n in
            let (hn, ascii) = Self.hash(n)
            return ascii ? (hn, find(n, hash: hn)) : nil
        }
        if let id = asciiForm?.id {
            others[key] = id
            addKey(utf8, hash: hash, id: id)
            return (id, false)
        }
        let id = newId()
        others[key] = id
        addKey(utf8, hash: hash, id: id)
        if let form = asciiForm {
            // Equal to an ASCII text not seen yet: that text will find this id by its bytes.
            nfc.withUTF8 { addKey($0, hash: form.hash, id: id) }
        }
        return (id, true)
    }

    /// A text as a key of `others`: a `String`'s hash normalises the text (slow for non-ASCII text), and a
    /// new text was hashed once to be looked up, again to be inserted and again whenever the table grew;
    /// here the hash is taken once. Equal as `String`s are, so equal keys have equal hashes.
    private struct TextKey: Hashable {
        let text: String
        let hash: Int
        init(_ text: String) {
            self.text = text
            hash = text.hashValue
        }
        static func == (a: TextKey, b: TextKey) -> Bool { a.hash == b.hash && a.text == b.text }
        func hash(into hasher: inout Hasher) { hasher.combine(hash) }
    }

    /// Whether `text` holds a non-ASCII scalar without canonical decomposition (an ideograph, `×`, `≈`,
    /// `→`, a no-break space...). Such a scalar stays in the canonical decomposition, and composing can only
    /// fold it into a composite, which is never ASCII (ASCII has no decomposition): the text's normal form C
    /// is not ASCII. Asked of the normaliser once per scalar, kept in `undecomposable`.
    private mutating func holdsUndecomposable(_ text: String) -> Bool {
        for scalar in text.unicodeScalars where !scalar.isASCII {
            if let known = undecomposable[scalar.value] {
                if known { return true }
                continue
            }
            let nfd = String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars
            let alone = nfd.count == 1 && nfd.first == scalar
            undecomposable[scalar.value] = alone
            if alone { return true }
        }
        return false
    }

    private mutating func newId() -> Int {
        let id = uniqueCount
        uniqueCount += 1
        return id
    }

    @inline(__always)
    private func find(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int? {
        let tag = hash & 0xFFFF_FFFF_0000_0000
        var slot = Int(truncatingIfNeeded: hash) & mask
        let slots = self.slots.base
        while true {
            let entry = slots[slot]
            if entry == 0 { return nil }
            if entry & 0xFFFF_FFFF_0000_0000 == tag {
                let k = keys[Int(entry & 0xFFFF_FFFF) - 1]
                if Int(k.count) == key.count && arena.withUnsafeBufferPointer({ a in
                    key.count == 0 || Self.equal(a.baseAddress! + k.start, key.baseAddress!, key.count)
                }) {
                    return Int(k.id)
                }
            }
            slot = (slot + 1) & mask
        }
    }

    private mutating func addKey(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64, id: Int) {
        let k = keys.count
        precondition(k < Int(UInt32.max) - 1 && id < Int(Int32.max) && key.count < Int(Int32.max), "too many shared strings")
        keys.append(Key(start: arena.count, count: Int32(key.count), id: Int32(id)))
        arena.append(contentsOf: key)
        if (k + 1) * 2 > slots.count {
            grow()  // places every key, this one included
        } else {
            place(k, hash: hash)
        }
    }

    private mutating func place(_ k: Int, hash: UInt64) {
        let slots = self.slots.base
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = (hash & 0xFFFF_FFFF_0000_0000) | UInt64(k + 1)
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = Slots(count: size)
        mask = size - 1
        for k in keys.indices {
            let key = keys[k]
            let h = arena.withUnsafeBufferPointer { Self.hash(UnsafeBufferPointer(rebasing: $0[key.start..<(key.start + Int(key.count))])).hash }
            place(k, hash: h)
        }
    }

    /// No byte at or above 0x80, eight at a time.
    @inline(__always)
    static func isASCII(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let p = UnsafeRawPointer(b.baseAddress) else { return true }
        var high: UInt64 = 0
        var i = 0
        while i + 8 <= b.count {
            high |= p.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            i += 8
        }
        while i < b.count {
            high |= UInt64(p.load(fromByteOffset: i, as: UInt8.self))
            i += 1
        }
        return high & 0x8080_8080_8080_8080 == 0
    }

    /// Byte equality, eight at a time: texts are short, and a call to `memcmp` costs more than the compare.
    @inline(__always)
    static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        let a = UnsafeRawPointer(a), b = UnsafeRawPointer(b)
        var i = 0
        while i + 8 <= n {
            if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
            i += 8
        }
        while i < n {
            if a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) { return false }
            i += 1
        }
        return true
    }

    /// A hash of the bytes (eight at a time) and whether they are all ASCII.
    @inline(__always)
    static func hash(_ b: UnsafeBufferPointer<UInt8>) -> (hash: UInt64, ascii: Bool) {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(b.count)
        var high: UInt64 = 0
        guard let p = UnsafeRawPointer(b.baseAddress) else { return (finalize(h), true) }
        var i = 0
        let n = b.count
        while i + 8 <= n {
            let w = p.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            high |= w
            h = (h ^ w) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 29
            i += 8
        }
        if i < n {
            var w: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                w |= UInt64(p.load(fromByteOffset: i, as: UInt8.self)) << shift
                shift += 8
                i += 1
            }
            high |= w
            h = (h ^ w) &* 0xFF51_AFD7_ED55_8CCD
        }
        return (finalize(h), high & 0x8080_8080_8080_8080 == 0)
    }

    @inline(__always)
    private static func finalize(_ x: UInt64) -> UInt64 {
        var h = x
        h ^= h >> 33
        h = h &* 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return h
    }
}

/// The slot array, zeroed: plain memory rather than an `Array`, so lookups and prefetches reach it without
/// retaining a buffer. (The value type holding it is never copied while in use; copies would share it.)
///
/// A big table is mapped fresh (zero pages from the kernel, nothing to clear) and asked for 2 MB pages on
/// Linux: lookups land anywhere in tens of MB, and with 4 KB pages nearly each one also missed the TLB.
final class Slots {
    let base: UnsafeMutablePointer<UInt64>
    let count: Int
    /// The mapping, when the table is mapped (else `base` was allocated).
    private let mapping: (start: UnsafeMutableRawPointer, length: Int)?

    init(count: Int) {
        self.count = count
        let bytes = count * MemoryLayout<UInt64>.stride
        #if os(Linux)
        if bytes >= Self.hugePage, let (start, length, aligned) = Self.map(bytes) {
            mapping = (start, length)
            base = aligned.bindMemory(to: UInt64.self, capacity: count)
            return
        }
        #endif
        mapping = nil
        base = .allocate(capacity: count)
        base.initialize(repeating: 0, count: count)
    }

    deinit {
        if let mapping {
            munmap(mapping.start, mapping.length)
        } else {
            base.deallocate()
        }
    }

    private static let hugePage = 2 << 20

    #if os(Linux)
    /// Zeroed memory of at least `bytes`, starting on a 2 MB boundary, advised as huge pages (a hint:
    /// without them it is ordinary memory).
    private static func map(_ bytes: Int) -> (UnsafeMutableRawPointer, Int, UnsafeMutableRawPointer)? {
        let length = bytes + hugePage
        guard let start = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              start != MAP_FAILED else { return nil }
        let offset = (hugePage - Int(bitPattern: start) % hugePage) % hugePage
        let aligned = start + offset
        _ = madvise(aligned, bytes, MADV_HUGEPAGE)
        return (start, length, aligned)
    }
    #endif
}
