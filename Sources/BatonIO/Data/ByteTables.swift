import BatonCore

// Hash tables keyed by field bytes, for the per-row work of reading big tables: no String is made to
// look a value up.

/// Whether `n` bytes at `a` and `b` are equal; inline word compares (most keys are short ids).
@inline(__always)
func sameBytes(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ n: Int) -> Bool {
    if n >= 8 {
        var i = 0
        while n - i > 8 {
            if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
            i += 8
        }
        // The last eight bytes, overlapping the ones already compared.
        return a.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self) == b.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
    }
    if n >= 4 {
        return a.loadUnaligned(as: UInt32.self) == b.loadUnaligned(as: UInt32.self)
            && a.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self) == b.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
    }
    var i = 0
    while i < n {
        if a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) { return false }
        i += 1
    }
    return true
}

/// A growable byte arena with a stable base between growths.
struct ByteArena {
    private(set) var base: UnsafeMutableRawPointer
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        base = .allocate(byteCount: self.capacity, alignment: 8)
    }

    func deallocate() { base.deallocate() }

    /// Appends the bytes; returns their offset.
    @inline(__always)
    mutating func append(_ bytes: UnsafeRawBufferPointer) -> Int {
        if count + bytes.count > capacity {
            capacity = max(capacity * 2, count + bytes.count)
            let bigger = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
            bigger.copyMemory(from: base, byteCount: count)
            base.deallocate()
            base = bigger
        }
        let offset = count
        if let b = bytes.baseAddress { (base + count).copyMemory(from: b, byteCount: bytes.count) }
        count += bytes.count
        return offset
    }
}

/// The bytes of a short key (up to 16) as two zero-padded words. Reads 16 bytes from the start
/// of the key whatever its length: only for keys inside a `CSVFileReader` buffer, which has that
/// much room after its end.
@inline(__always)
func keyWords(_ key: UnsafeRawBufferPointer) -> (UInt64, UInt64) {
    let n = key.count
    guard n > 0, let p = key.baseAddress else { return (0, 0) }
    let a = p.loadUnaligned(as: UInt64.self)
    if n < 8 { return (a & ((1 << (8 * UInt64(n))) - 1), 0) }
    let b = p.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
    if n >= 16 { return (a, b) }
    return (a, b & ((1 << (8 * UInt64(n - 8))) - 1))
}

/// Maps a field's bytes to a 32-bit value computed once per distinct text (a symbol, an enum code).
/// Repeated values (channels, people, kinds, outcomes) cost two word compares (the same value as
/// the row before) or a hash and a probe. A key of up to 7 bytes (most ids and codes) is one word
/// in the table, so thousands of people fit in the fastest caches while the file streams past;
/// longer keys are compared with their bytes kept in an arena. Keys are field bytes of a
/// `CSVFileReader` record (see `keyWords`).
struct ByteCache {
    /// Short keys: the key's bytes with its length in the top byte (never 0); 0 is a free slot.
    private var words: UnsafeMutablePointer<UInt64>
    private var wordValues: UnsafeMutablePointer<UInt32>
    private var wordCapacity = 64
    private var wordCount = 0

    private struct Slot {
        var hash: UInt64
        var offset: UInt32
        /// Key length, `UInt32.max` for a free slot.
        var length: UInt32
        var value: UInt32
    }
    private static let free = Slot(hash: 0, offset: 0, length: .max, value: 0)
    private var slots: UnsafeMutablePointer<Slot>
    private var slotCapacity = 16
    private var slotCount = 0
    private var arena = ByteArena(capacity: 256)

    /// Every value made, in the order the texts were first seen.
    private(set) var made: [UInt32] = []

    /// The last key of up to 16 bytes looked up and its value.
    private var last0: UInt64 = 0
    private var last1: UInt64 = 0
    private var lastLength = -1
    private var lastValue: UInt32 = 0

    init() {
        words = .allocate(capacity: wordCapacity)
        words.initialize(repeating: 0, count: wordCapacity)
        wordValues = .allocate(capacity: wordCapacity)
        slots = .allocate(capacity: slotCapacity)
        slots.initialize(repeating: ByteCache.free, count: slotCapacity)
    }

    func deallocate() {
        words.deallocate()
        wordValues.deallocate()
        slots.deallocate()
        arena.deallocate()
    }

    /// The value for `key`, computing it with `make` the first time the text is seen.
    @inline(__always)
    mutating func value(_ key: UnsafeRawBufferPointer, _ make: (UnsafeRawBufferPointer) -> UInt32) -> UInt32 {
        let n = key.count
        guard n <= 16 else { return lookup(key, hash: ByteHash.hash(key), make) }
        let (w0, w1) = keyWords(key)
        if n == lastLength && w0 == last0 && w1 == last1 { return lastValue }
        let value = n >= 1 && n <= 7 ? lookupWord(w0 | UInt64(n) << 56, key, make)
                                     : lookup(key, hash: ByteHash.mixWords(w0, w1, n), make)
        last0 = w0
        last1 = w1
        lastLength = n
        lastValue = value
        return value
    }

    @inline(__always)
    private static func index(_ word: UInt64) -> Int {
        // Multiplicative hashing: the high bits of the product mix every byte of the key.
        Int(truncatingIfNeeded: (word &* 0x9E37_79B9_7F4A_7C15) >> 32)
    }

    private mutating func lookupWord(_ word: UInt64, _ key: UnsafeRawBufferPointer,
                                     _ make: (UnsafeRawBufferPointer) -> UInt32) -> UInt32 {
        let mask = wordCapacity - 1
        var i = ByteCache.index(word) & mask
        while true {
            let w = words[i]
            if w == word { return wordValues[i] }
            if w == 0 { break }
            i = (i + 1) & mask
        }
        let value = make(key)
        made.append(value)
        words[i] = word
        wordValues[i] = value
        wordCount += 1
        if wordCount * 8 > wordCapacity * 7 { growWords() }
        return value
    }

    private mutating func growWords() {
        let oldWords = words, oldValues = wordValues, oldCapacity = wordCapacity
        wordCapacity *= 2
        words = .allocate(capacity: wordCapacity)
        words.initialize(repeating: 0, count: wordCapacity)
        wordValues = .allocate(capacity: wordCapacity)
        let mask = wordCapacity - 1
        for k in 0..<oldCapacity where oldWords[k] != 0 {
            var i = ByteCache.index(oldWords[k]) & mask
            while words[i] != 0 { i = (i + 1) & mask }
            words[i] = oldWords[k]
            wordValues[i] = oldValues[k]
        }
        oldWords.deallocate()
        oldValues.deallocate()
    }

    private mutating func lookup(_ key: UnsafeRawBufferPointer, hash: UInt64,
                                 _ make: (UnsafeRawBufferPointer) -> UInt32) -> UInt32 {
        let mask = slotCapacity - 1
        var i = Int(truncatingIfNeeded: hash) & mask
        while true {
            let slot = slots[i]
            if slot.length == .max { break }
            if slot.hash == hash && Int(slot.length) == key.count
                && (key.isEmpty || sameBytes(arena.base + Int(slot.offset), key.baseAddress!, key.count)) {
                return slot.value
            }
            i = (i + 1) & mask
        }
        let offset = arena.append(key)
        let value = make(key)
        made.append(value)
        slots[i] = Slot(hash: hash, offset: UInt32(truncatingIfNeeded: offset), length: UInt32(key.count), value: value)
        slotCount += 1
        if slotCount * 4 > slotCapacity * 3 { growSlots() }
        return value
    }

    private mutating func growSlots() {
        let old = slots, oldCapacity = slotCapacity
        slotCapacity *= 2
        slots = .allocate(capacity: slotCapacity)
        slots.initialize(repeating: ByteCache.free, count: slotCapacity)
        let mask = slotCapacity - 1
        for k in 0..<oldCapacity where old[k].length != .max {
            var i = Int(truncatingIfNeeded: old[k].hash) & mask
            while slots[i].length != .max { i = (i + 1) & mask }
            slots[i] = old[k]
        }
        old.deallocate()
    }
}

/// Strings of short ASCII fields made without the standard library's UTF-8 checks.
///
/// Ids, phones and customer ids are 8 to 15 ASCII bytes on millions of rows, and
/// `String(decoding:as:)` validates and copies them byte by byte (a tenth of the time spent making
/// leads). A String of up to 15 ASCII bytes is stored inline in its two words: the bytes, then the
/// count with the flags "small, ASCII, immortal" in the top byte. `fieldString` builds those two
/// words straight from the field's bytes. The layout is checked once against the standard
/// library's own result; where it differs (another platform or runtime), every String is made by
/// `String(decoding:as:)`, which is also the path for longer and non-ASCII fields.
enum SmallASCII {
    /// Whether this runtime stores short ASCII Strings as `words` builds them.
    static let matchesRuntime: Bool = {
        guard MemoryLayout<String>.size == 16 else { return false }
        let samples = ["", "A", "L0000001", "13335321163", "+86 151-8933-11"]
        return samples.allSatisfy { text in
            var bytes = Array(text.utf8)
            let n = bytes.count
            bytes += [UInt8](repeating: 0, count: 16)
            let made = bytes.withUnsafeBytes { words(UnsafeRawBufferPointer(rebasing: $0[..<n])) }
            let standard = unsafeBitCast(text, to: (UInt64, UInt64).self)
            return made.map { $0 == standard.0 && $1 == standard.1 } ?? false
        }
    }()

    /// The two words of the small String of `bytes` (up to 15, all ASCII; nil otherwise). Reads 16
    /// bytes from the start (see `keyWords`).
    @inline(__always)
    static func words(_ bytes: UnsafeRawBufferPointer) -> (UInt64, UInt64)? {
        let n = bytes.count
        guard n <= 15 else { return nil }
        let (a, b) = keyWords(bytes)
        guard (a | b) & 0x8080_8080_8080_8080 == 0 else { return nil }
        return (a, b | UInt64(0xE0 | n) << 56)
    }
}

/// A String of a field's bytes (valid UTF-8, a field of a `CSVFileReader` record, see `keyWords`):
/// the same String as `String(decoding:as:)`, made in a few instructions when it is short ASCII.
func fieldString(_ bytes: UnsafeRawBufferPointer) -> String { FieldStrings().string(bytes) }

/// `fieldString` for a table's rows: the layout check is read once, not once per field.
struct FieldStrings {
    let quick = SmallASCII.matchesRuntime

    @inline(__always)
    func string(_ bytes: UnsafeRawBufferPointer) -> String {
        if quick, let w = SmallASCII.words(bytes) { return unsafeBitCast(w, to: String.self) }
        return makeString(bytes)
    }
}

/// The String of the last id read, reused while rows repeat it (follow-ups grouped by lead).
struct StringMemo {
    private var w0: UInt64 = 0
    private var w1: UInt64 = 0
    private var length = -1
    private var last = ""
    private let strings = FieldStrings()

    /// A String of `bytes` (a short key of a `CSVFileReader` record, see `keyWords`).
    @inline(__always)
    mutating func string(_ bytes: UnsafeRawBufferPointer) -> String {
        guard bytes.count <= 16 else { return strings.string(bytes) }
        let (a, b) = keyWords(bytes)
        if bytes.count == length && a == w0 && b == w1 { return last }
        w0 = a
        w1 = b
        length = bytes.count
        last = strings.string(bytes)
        return last
    }
}

/// The first line each id was seen on, for "already used on line N" (lead and deal ids).
///
/// Exports are often sorted by id. While every id is greater than the one before (comparing bytes),
/// none can repeat, and only the last id is kept; the first id out of order builds a hash table
/// from the ids seen so far (which the caller lists: they are in its rows), which answers from then
/// on.
struct FirstLines {
    /// The last id: up to 16 bytes as two big-endian words (so comparing words compares bytes, the
    /// zero padding before any byte), a longer one as bytes.
    private var last0: UInt64 = 0
    private var last1: UInt64 = 0
    private var lastLength = -1
    private var lastLong: [UInt8] = []
    private var ascending = true
    private var table: IDTable?

    func deallocate() { table?.deallocate() }

    /// Records `id` as seen on `line`; returns the line it was first seen on when it was seen before.
    /// `earlier` lists every id recorded so far with its line; it is called at most once. `id` is a
    /// field of a `CSVFileReader` record (see `keyWords`).
    mutating func insert(_ id: UnsafeRawBufferPointer, line: Int,
                         earlier: () -> [(id: String, line: Int)]) -> Int? {
        if ascending {
            if id.count <= 16 && lastLength <= 16 {
                let (a, b) = keyWords(id)
                let w0 = a.byteSwapped, w1 = b.byteSwapped
                // Equal words: the longer id has the shorter as its prefix, so it sorts after.
                if lastLength < 0 || w0 > last0 || (w0 == last0 && (w1 > last1 || (w1 == last1 && id.count > lastLength))) {
                    (last0, last1, lastLength) = (w0, w1, id.count)
                    return nil
                }
            } else if isGreater(id) {
                lastLength = id.count
                if id.count <= 16 {
                    let (a, b) = keyWords(id)
                    (last0, last1) = (a.byteSwapped, b.byteSwapped)
                } else {
                    lastLong = Array(id)
                }
                return nil
            }
            let seen = earlier()
            var t = IDTable(expected: seen.count * 2)
            for (text, line) in seen {
                var copy = text
                _ = copy.withUTF8 { t.insert(UnsafeRawBufferPointer($0), line: line) }
            }
            ascending = false
            lastLong = []
            table = t
        }
        return table!.insert(id, line: line)
    }

    /// Whether `id` sorts after the last id (bytewise, a longer id after its own prefix); for when
    /// one of them is longer than 16 bytes.
    private func isGreater(_ id: UnsafeRawBufferPointer) -> Bool {
        var last = lastLong
        if lastLength <= 16 {
            last = []
            for i in 0..<max(lastLength, 0) {
                let word: UInt64 = i < 8 ? last0 : last1
                let shift = UInt64(56 - 8 * (i % 8))
                last.append(UInt8(truncatingIfNeeded: word >> shift))
            }
        }
        let n = min(last.count, id.count)
        for i in 0..<n where last[i] != id[i] { return id[i] > last[i] }
        return id.count > last.count
    }
}

/// An open-addressing table from id bytes to the line first seen on; ids of up to 16 bytes are kept
/// in the slot itself, so a lookup touches one slot.
struct IDTable {
    private struct Slot {
        /// The id's bytes (up to 16), or its offset in the arena (longer ids).
        var word0: UInt64
        var word1: UInt64
        /// Length of the id, `UInt32.max` for a free slot.
        var length: UInt32
        var line: UInt32
    }
    private static let free = Slot(word0: 0, word1: 0, length: .max, line: 0)
    private var slots: UnsafeMutablePointer<Slot>
    private var capacity: Int
    private var count = 0
    private var long = ByteArena(capacity: 64)

    init(expected: Int) {
        var c = 64
        while c < expected * 2 { c *= 2 }
        capacity = c
        slots = .allocate(capacity: c)
        slots.initialize(repeating: IDTable.free, count: c)
    }

    func deallocate() {
        slots.deallocate()
        long.deallocate()
    }

    mutating func reserve(_ expected: Int) {
        while capacity < expected * 2 { grow() }
    }

    /// The id's first two words, zero-padded (for ids of up to 16 bytes).
    @inline(__always)
    private static func words(_ id: UnsafeRawBufferPointer) -> (UInt64, UInt64) {
        var w0: UInt64 = 0, w1: UInt64 = 0
        for i in 0..<id.count {
            if i < 8 { w0 |= UInt64(id[i]) << (8 * UInt64(i)) } else { w1 |= UInt64(id[i]) << (8 * UInt64(i - 8)) }
        }
        return (w0, w1)
    }

    private func hash(_ slot: Slot) -> UInt64 {
        if slot.length <= 16 { return ByteHash.mixWords(slot.word0, slot.word1, Int(slot.length)) }
        return ByteHash.hash(UnsafeRawBufferPointer(start: long.base + Int(slot.word0), count: Int(slot.length)))
    }

    mutating func insert(_ id: UnsafeRawBufferPointer, line: Int) -> Int? {
        let short = id.count <= 16
        var w0: UInt64 = 0, w1: UInt64 = 0
        let h: UInt64
        if short {
            (w0, w1) = IDTable.words(id)
            h = ByteHash.mixWords(w0, w1, id.count)
        } else {
            h = ByteHash.hash(id)
        }
        let mask = capacity - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let s = slots[i]
            if s.length == .max { break }
            if Int(s.length) == id.count {
                if short {
                    if s.word0 == w0 && s.word1 == w1 { return Int(s.line) }
                } else if sameBytes(long.base + Int(s.word0), id.baseAddress!, id.count) {
                    return Int(s.line)
                }
            }
            i = (i + 1) & mask
        }
        if !short { w0 = UInt64(long.append(id)) }
        slots[i] = Slot(word0: w0, word1: w1, length: UInt32(id.count), line: UInt32(truncatingIfNeeded: line))
        count += 1
        if count * 2 > capacity { grow() }
        return nil
    }

    private mutating func grow() {
        let old = slots, oldCapacity = capacity
        capacity *= 2
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: IDTable.free, count: capacity)
        let mask = capacity - 1
        for k in 0..<oldCapacity where old[k].length != .max {
            var i = Int(truncatingIfNeeded: hash(old[k])) & mask
            while slots[i].length != .max { i = (i + 1) & mask }
            slots[i] = old[k]
        }
        old.deallocate()
    }
}
