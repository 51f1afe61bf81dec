/// Hash tables for the lookups done once per row on millions of rows (lead ids, person ids, phone keys).
///
/// Swift's `Dictionary` hashes with SipHash through `Hasher`, which is the right default but dominates
/// a loop that does nothing else. These tables use open addressing over a power-of-two array of slots,
/// a cheap multiplicative hash, and keep 32-bit values. They are only used inside the evaluator, on
/// keys that come from the data (no adversarial resizing concern beyond a slower probe).
struct StringTable {
    /// Per slot: the index of its key in `keys` plus one (0: empty).
    private var slots: [Int32]
    /// Per slot: the key's hash, compared before the key.
    private var hashes: [UInt32]
    private(set) var keys: [String] = []
    private(set) var values: [Int32] = []
    private var mask: Int

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Int32](repeating: 0, count: size)
        hashes = [UInt32](repeating: 0, count: size)
        mask = size - 1
        keys.reserveCapacity(capacity)
        values.reserveCapacity(capacity)
    }

    var count: Int { keys.count }

    @inline(__always)
    static func hash(_ key: String) -> UInt64 {
        var k = key
        return k.withUTF8 { b in
            // FNV-1a over the bytes, then a final mix so the low bits spread.
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            for c in b { h = (h ^ UInt64(c)) &* 0x100_0000_01b3 }
            h ^= h >> 29
            h = h &* 0xbf58_476d_1ce4_e5b9
            return h ^ (h >> 32)
        }
    }

    /// The value stored for `key`.
    @inline(__always)
    func find(_ key: String) -> Int32? { find(key, hash: StringTable.hash(key)) }

    /// The value stored for `key`, whose `hash(key)` the caller computed.
    @inline(__always)
    func find(_ key: String, hash h: UInt64) -> Int32? {
        let tag = UInt32(truncatingIfNeeded: h >> 32)
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let s = slots[i]
            if s == 0 { return nil }
            if hashes[i] == tag && keys[Int(s - 1)] == key { return values[Int(s - 1)] }
            i = (i + 1) & mask
        }
    }

    /// Stores `value` for `key` unless the key is already there; returns the value kept.
    @discardableResult
    mutating func insertIfAbsent(_ key: String, _ value: Int32) -> Int32 {
        insertIfAbsent(key, value, hash: StringTable.hash(key))
    }

    /// `insertIfAbsent` with the key's `hash(key)` computed by the caller.
    @discardableResult
    mutating func insertIfAbsent(_ key: String, _ value: Int32, hash h: UInt64) -> Int32 {
        if keys.count * 2 >= slots.count { grow() }
        let tag = UInt32(truncatingIfNeeded: h >> 32)
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let s = slots[i]
            if s == 0 {
                keys.append(key)
                values.append(value)
                slots[i] = Int32(keys.count)
                hashes[i] = tag
                return value
            }
            if hashes[i] == tag && keys[Int(s - 1)] == key { return values[Int(s - 1)] }
            i = (i + 1) & mask
        }
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = [Int32](repeating: 0, count: size)
        hashes = [UInt32](repeating: 0, count: size)
        mask = size - 1
        for (k, key) in keys.enumerated() {
            let h = StringTable.hash(key)
            var i = Int(truncatingIfNeeded: h) & mask
            while slots[i] != 0 { i = (i + 1) & mask }
            slots[i] = Int32(k + 1)
            hashes[i] = UInt32(truncatingIfNeeded: h >> 32)
        }
    }
}

/// Leads by id (the first row of a repeated id), built on both cores: the ids are split into two tables
/// by one bit of their hash, and each core fills one table walking every lead in file order, so "first
/// row wins" holds in each. A lookup hashes once and probes the table its bit names.
///
/// A slot holds the lead's index and 31 more bits of its id's hash in one word (one memory access per
/// probe); the id itself is compared in `leads` only when those bits match, so no key is copied.
struct LeadIndex: Sendable {
    private let leads: [Lead]
    private var tables: ([UInt64], [UInt64])
    private let mask: Int

    init(_ leads: [Lead]) {
        self.leads = leads
        var size = 16
        while size < (leads.count / 2 + 1) * 2 { size <<= 1 }
        let mask = size - 1
        self.mask = mask
        func build(_ part: UInt64) -> [UInt64] {
            var slots = [UInt64](repeating: 0, count: size)
            var filled = 0
            leads.withUnsafeBufferPointer { leads in
                slots.withUnsafeMutableBufferPointer { slots in
                    for l in leads.indices {
                        let h = StringTable.hash(leads[l].id)
                        guard h >> 63 == part else { continue }
                        let tag = (h >> 32) & 0x7fff_ffff
                        var i = Int(truncatingIfNeeded: h) & mask
                        while true {
                            let s = slots[i]
                            if s == 0 {
                                slots[i] = tag << 32 | UInt64(l + 1)
                                filled += 1
                                break
                            }
                            // A repeated id keeps its first row.
                            if s >> 32 == tag && leads[Int(s & 0xffff_ffff) - 1].id == leads[l].id { break }
                            i = (i + 1) & mask
                        }
                    }
                }
            }
            // Even if every id fell in one part, there are fewer leads than slots: a probe always ends.
            assert(filled < size)
            return slots
        }
        tables = Parallel.both({ build(0) }, { build(1) })
    }

    /// The index of the lead with this id.
    @inline(__always)
    func find(_ id: String) -> Int32? {
        let h = StringTable.hash(id)
        return h >> 63 == 0 ? probe(tables.0, h, id) : probe(tables.1, h, id)
    }

    @inline(__always)
    private func probe(_ slots: [UInt64], _ h: UInt64, _ id: String) -> Int32? {
        let tag = (h >> 32) & 0x7fff_ffff
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let s = slots[i]
            if s == 0 { return nil }
            let l = Int(s & 0xffff_ffff) - 1
            if s >> 32 == tag && leads[l].id == id { return Int32(l) }
            i = (i + 1) & mask
        }
    }
}

/// A table from 64-bit keys to 32-bit values (open addressing, multiplicative hash). A slot holds its
/// key, value and whether it is used side by side, so a probe touches one cache line.
struct IntTable {
    private struct Slot {
        var key: UInt64 = 0
        var value: Int32 = 0
        var used = false
    }
    private var slots: [Slot]
    private var mask: Int
    private(set) var count = 0

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Slot](repeating: Slot(), count: size)
        mask = size - 1
    }

    @inline(__always)
    private func slot(_ key: UInt64) -> Int {
        var h = key &* 0x9e37_79b9_7f4a_7c15
        h ^= h >> 31
        var i = Int(truncatingIfNeeded: h) & mask
        while slots[i].used && slots[i].key != key { i = (i + 1) & mask }
        return i
    }

    subscript(key: UInt64) -> Int32? {
        get {
            let i = slot(key)
            return slots[i].used ? slots[i].value : nil
        }
        set {
            guard let newValue else { preconditionFailure("IntTable does not remove keys") }
            var i = slot(key)
            if !slots[i].used {
                if (count + 1) * 2 > slots.count {
                    grow()
                    i = slot(key)
                }
                slots[i].used = true
                slots[i].key = key
                count += 1
            }
            slots[i].value = newValue
        }
    }

    private mutating func grow() {
        let old = slots
        slots = [Slot](repeating: Slot(), count: old.count * 2)
        mask = slots.count - 1
        for s in old where s.used { slots[slot(s.key)] = s }
    }
}
