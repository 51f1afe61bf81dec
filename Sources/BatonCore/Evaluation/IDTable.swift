/// Reading a string's UTF-8 bytes in place. `withUTF8` is mutating, so reading a string held in an array
/// or behind a pointer that way copies it first (a retain and a release per read, which add up in the
/// per-lead loops); a native string's contiguous storage is read borrowed instead.
extension String {
    @inline(__always)
    func withUTF8InPlace<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        if let result = try utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = self
        return try copy.withUTF8(body)
    }
}

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
        key.withUTF8InPlace { b in
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

/// Leads by id (the first row of a repeated id).
///
/// Exports usually list leads by id: when the ids strictly increase (compared as UTF-8 bytes; then no id
/// repeats), no table is built and a lookup is a binary search, or for ids that come in the leads' order
/// (follow-ups grouped by lead) a search from where the previous one ended (`find(_:hint:)`), which
/// costs one or two comparisons of neighbouring rows instead of a cache miss in a table of millions.
///
/// Otherwise the index is a hash table built on both cores: the ids are split into two tables by one bit
/// of their hash, and each core fills one table walking every lead in file order, so "first row wins"
/// holds in each. A lookup hashes once and probes the table its bit names. A slot holds the lead's index
/// and 31 more bits of its id's hash in one word (one memory access per probe); the id itself is compared
/// in `leads` only when those bits match, so no key is copied. Either way an id is found by its UTF-8
/// bytes (the table's hash is of the bytes).
struct LeadIndex: Sendable {
    private let leads: [Lead]
    /// Whether the ids strictly increase by their UTF-8 bytes (then `tables` is empty).
    let isSorted: Bool
    /// With sorted ids, the first eight bytes (`prefix`) of every `fenceStride`-th lead's id, side by side:
    /// a search first narrows to a stride or two here (half a megabyte at brand scale, which stays in cache)
    /// instead of jumping across the leads.
    private var fences: [UInt64] = []
    private static let fenceStride = 16
    private var tables: ([UInt64], [UInt64])
    private let mask: Int

    init(_ leads: [Lead]) { self.init(leads, idsIncrease: LeadIndex.idsIncrease(leads)) }

    /// `idsIncrease`: `LeadIndex.idsIncrease(leads)`, when the caller found it out already.
    init(_ leads: [Lead], idsIncrease: Bool) {
        self.leads = leads
        if idsIncrease {
            isSorted = true
            tables = ([], [])
            mask = 0
            fences = stride(from: 0, to: leads.count, by: LeadIndex.fenceStride).map { LeadIndex.prefix(leads[$0].id) }
            return
        }
        isSorted = false
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

    /// Whether every lead's id is greater (by UTF-8 bytes) than the previous lead's; checked on both cores.
    static func idsIncrease(_ leads: [Lead]) -> Bool {
        let half = leads.count / 2
        func increase(_ range: Range<Int>) -> Bool {
            leads.withUnsafeBufferPointer { leads in
                var i = range.lowerBound + 1
                while i < range.upperBound {
                    if order(leads[i - 1].id, leads[i].id) >= 0 { return false }
                    i += 1
                }
                return true
            }
        }
        // The halves overlap by one lead, so the pair across the middle is checked too.
        let (a, b) = Parallel.both({ increase(0 ..< min(half + 1, leads.count)) }, { increase(half ..< leads.count) })
        return a && b
    }

    /// The first eight UTF-8 bytes of a text (zeros after its end) as a big-endian integer: when one text's
    /// prefix is less than another's, so is the text (by bytes).
    @inline(__always)
    static func prefix(_ text: String) -> UInt64 {
        text.withUTF8InPlace { prefix($0) }
    }

    @inline(__always)
    static func prefix(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var p: UInt64 = 0
        for k in 0..<8 { p = p << 8 | UInt64(k < bytes.count ? bytes[k] : 0) }
        return p
    }

    /// The order of two texts by their UTF-8 bytes: negative, zero (the same bytes) or positive.
    @inline(__always)
    static func order(_ a: String, _ b: String) -> Int {
        a.withUTF8InPlace { x in b.withUTF8InPlace { y in order(x, y) } }
    }

    @inline(__always)
    static func order(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Int {
        let n = min(x.count, y.count)
        var i = 0
        // Eight bytes at a time, compared as big-endian integers (byte order).
        while i + 8 <= n {
            let a = UnsafeRawPointer(x.baseAddress!).loadUnaligned(fromByteOffset: i, as: UInt64.self).bigEndian
            let b = UnsafeRawPointer(y.baseAddress!).loadUnaligned(fromByteOffset: i, as: UInt64.self).bigEndian
            if a != b { return a < b ? -1 : 1 }
            i += 8
        }
        while i < n {
            if x[i] != y[i] { return x[i] < y[i] ? -1 : 1 }
            i += 1
        }
        return x.count - y.count
    }

    /// The index of the lead with this id.
    @inline(__always)
    func find(_ id: String) -> Int32? {
        if isSorted {
            var hint = 0
            return search(id, from: &hint, gallop: false)
        }
        let h = StringTable.hash(id)
        return h >> 63 == 0 ? probe(tables.0, h, id) : probe(tables.1, h, id)
    }

    /// `find` of each id (nil: none asked), by position. With sorted ids they are searched in the order of
    /// their prefixes, each from where the previous one ended, so successive searches read neighbouring
    /// leads instead of jumping across all of them.
    func find(many ids: [String?]) -> [Int32?] {
        var found = [Int32?](repeating: nil, count: ids.count)
        guard isSorted else {
            for (k, id) in ids.enumerated() { if let id { found[k] = find(id) } }
            return found
        }
        var queries: [(prefix: UInt64, k: Int)] = []
        for (k, id) in ids.enumerated() { if let id { queries.append((LeadIndex.prefix(id), k)) } }
        queries.sort { $0.prefix != $1.prefix ? $0.prefix < $1.prefix : $0.k < $1.k }
        var hint = 0
        for q in queries { found[q.k] = find(ids[q.k]!, hint: &hint) }
        return found
    }

    /// `find(id)` for ids that mostly come in the leads' order: `hint` is where the previous search ended
    /// (start with 0); with sorted ids the search starts there and gallops forward.
    @inline(__always)
    func find(_ id: String, hint: inout Int) -> Int32? {
        isSorted ? search(id, from: &hint, gallop: true) : find(id)
    }

    /// Binary search of sorted ids; with `gallop`, from `hint` forward by doubling steps first (when the
    /// id is not before `hint`). Leaves in `hint` the position after the id's place.
    private func search(_ id: String, from hint: inout Int, gallop: Bool) -> Int32? {
        id.withUTF8InPlace { id in
            leads.withUnsafeBufferPointer { leads in
                func compare(_ l: Int) -> Int {
                    leads[l].id.withUTF8InPlace { LeadIndex.order($0, id) }
                }
                let n = leads.count
                // Invariant: the ids before `low` are less than `id`; the id at `high` (if any) is not.
                var low = 0, high = n
                var narrow = !gallop
                if gallop {
                    let start = min(max(hint, 0), n)
                    // Usually the id is the one at `hint` (the next lead with follow-ups).
                    if start < n && compare(start) == 0 { hint = start + 1; return Int32(start) }
                    if start == 0 || compare(start - 1) < 0 {
                        low = start
                        var step = 1
                        var probe = start
                        while probe < n {
                            let c = compare(probe)
                            if c == 0 { hint = probe + 1; return Int32(probe) }
                            if c > 0 { break }
                            low = probe + 1
                            probe = low + step
                            step <<= 1
                        }
                        high = min(probe, n)
                    } else {
                        // Before `hint`: as a search without one.
                        narrow = true
                    }
                }
                if narrow {
                    // Fences with a smaller prefix are less than `id`, those with a greater one greater:
                    // the id, if anywhere, is after the last of the first and before the first of the second.
                    let p = LeadIndex.prefix(id)
                    var f = 0, g = fences.count
                    while f < g {
                        let mid = f + (g - f) / 2
                        if fences[mid] < p { f = mid + 1 } else { g = mid }
                    }
                    var e = f
                    g = fences.count
                    while e < g {
                        let mid = e + (g - e) / 2
                        if fences[mid] <= p { e = mid + 1 } else { g = mid }
                    }
                    // Fences `..< f` are less than `id`, fences `e...` greater.
                    low = f == 0 ? 0 : (f - 1) * LeadIndex.fenceStride + 1
                    high = min(e * LeadIndex.fenceStride, n)
                }
                while low < high {
                    let mid = low + (high - low) / 2
                    if compare(mid) < 0 { low = mid + 1 } else { high = mid }
                }
                if low < n && compare(low) == 0 {
                    hint = low + 1
                    return Int32(low)
                }
                hint = low
                return nil
            }
        }
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
