/// Row indexes into one of the `PeriodData` tables, in the order given, stored in 32 bits each.
///
/// At brand scale every lead of the period appears in a person's, a team's and the total's lists, for
/// several figures: half the bytes of `[Int]` is tens of megabytes. Lists made together (one counting
/// sort, see `RowGroups`) share one buffer, each list a range of it, so making them copies nothing; and
/// lists added to each other (a team's rows are its members', the total's its teams') are joined, not
/// copied: the joined list refers to its parts. It reads like an `[Int]`: indexes from 0, `Int`
/// elements, `==` and hashing by elements.
///
/// A table of more than 4,294,967,295 rows cannot be listed: making such a list traps.
///
/// Inside the evaluation a list can also be *counted only* (`add(_:keep:)`, `countedOnly`): the rows of
/// earlier periods, which only history averages read, are counted but not kept. Such a list has a count
/// and nothing else: reading its rows traps. No counted-only list leaves the evaluation.
public struct RowList: Sendable {
    /// The rows: a buffer (lists made together share it) or a joined list's parts. One reference either
    /// way, so a list is 16 bytes and a copy one retain.
    @usableFromInline var storage: Storage
    /// With a buffer, the rows are `buffer[start ..< start + length]`; counted only when that range is
    /// past the buffer's end (the buffer is then empty). With parts, `start` is 0.
    @usableFromInline var start: UInt32
    @usableFromInline var length: UInt32

    @usableFromInline
    enum Storage: Sendable {
        case rows([UInt32])
        case parts(Parts)
    }

    /// The parts of a joined list: lists with rows of their own (never joined, never counted only, never
    /// empty), and where each ends. Changed only while uniquely referenced (copied on write).
    @usableFromInline
    final class Parts: @unchecked Sendable {
        @usableFromInline var lists: [RowList]
        /// `ends[k]`: the number of rows in `lists[0...k]`.
        @usableFromInline var ends: [Int]

        init(lists: [RowList], ends: [Int]) { self.lists = lists; self.ends = ends }

        /// The part holding row `position` of the joined list, and that row's index in it.
        @usableFromInline
        func locate(_ position: Int) -> (part: Int, offset: Int) {
            var low = 0, high = ends.count - 1
            while low < high {
                let mid = (low + high) / 2
                if ends[mid] > position { high = mid } else { low = mid + 1 }
            }
            return (low, position - (low == 0 ? 0 : ends[low - 1]))
        }
    }

    /// A range of a buffer (lists made together share it).
    @usableFromInline
    init(base: [UInt32], start: Int, count: Int) {
        precondition(start >= 0 && count >= 0 && start + count <= base.count, "RowList: range outside its buffer")
        precondition(start + count <= Int(UInt32.max), RowList.tooLong)
        storage = .rows(base)
        self.start = UInt32(truncatingIfNeeded: start)
        self.length = UInt32(truncatingIfNeeded: count)
    }

    /// A whole buffer of rows.
    @usableFromInline
    init(rows: [UInt32]) { self.init(base: rows, start: 0, count: rows.count) }

    public init() { storage = .rows([]); start = 0; length = 0 }

    public init<S: Sequence>(_ rows: S) where S.Element == Int {
        var base: [UInt32] = []
        base.reserveCapacity(rows.underestimatedCount)
        for r in rows { base.append(RowList.row(r)) }
        self.init(rows: base)
    }

    /// A row index in 32 bits, or a trap saying why not.
    @inlinable @inline(__always)
    static func row(_ r: Int) -> UInt32 {
        guard let v = UInt32(exactly: r) else {
            preconditionFailure(r < 0 ? "RowList: negative row index \(r)" : "RowList: row index \(r) does not fit in 32 bits (\(tooLong))")
        }
        return v
    }

    @usableFromInline static let tooLong = "a table of more than 4,294,967,295 rows cannot be listed"

    /// A list of `count` rows whose rows are not kept (see the type's notes).
    static func countedOnly(_ count: Int) -> RowList {
        precondition(count >= 0 && count <= Int(UInt32.max), RowList.tooLong)
        var list = RowList()
        list.length = UInt32(truncatingIfNeeded: count)
        return list
    }

    /// Whether the rows were counted but not kept.
    @inlinable
    var isCountedOnly: Bool {
        if case .rows(let base) = storage { return Int(start) + Int(length) > base.count }
        return false
    }

    /// Whether the list is joined from parts.
    @inlinable
    var isJoined: Bool {
        if case .parts = storage { return true }
        return false
    }

    /// Adds a row, or only counts it when `keep` is false (then the list must be empty or counted only).
    @inline(__always)
    mutating func add(_ row: Int, keep: Bool) {
        if keep { append(row); return }
        precondition(isEmpty || isCountedOnly, "RowList: counting a row of a list whose rows are kept")
        precondition(length < UInt32.max, RowList.tooLong)
        length += 1
    }

    /// Calls `body` with the rows as 32-bit integers, a contiguous non-empty piece at a time, in order
    /// (one piece unless the list is joined): for loops that want no per-element checks.
    @inlinable
    public func forEachChunk(_ body: (UnsafeBufferPointer<UInt32>) throws -> Void) rethrows {
        precondition(!isCountedOnly, "RowList: the rows of this list were counted, not kept")
        // One call of `body` in the loop (not a call per kind of list), so it is inlined where used.
        var parts: Parts?
        if case .parts(let p) = storage { parts = p }
        let pieces = parts?.lists.count ?? 1
        var k = 0
        while k < pieces {
            let list = parts?.lists[k] ?? self
            k += 1
            guard list.length > 0, case .rows(let base) = list.storage else { continue }
            try base.withUnsafeBufferPointer { all in
                try body(UnsafeBufferPointer(rebasing: all[Int(list.start) ..< Int(list.start) + Int(list.length)]))
            }
        }
    }

    /// Makes the list own a buffer of exactly its rows (with room for `extra` more) and hands it to
    /// `change`, uniquely referenced, so it grows in place.
    @usableFromInline
    mutating func changeRows(extra: Int, _ change: (inout [UInt32]) -> Void) {
        var own: [UInt32]
        if case .rows(let base) = storage, start == 0, Int(length) == base.count {
            own = base
            storage = .rows([])  // so `own` is the only reference when it was ours alone
        } else {
            own = []
            own.reserveCapacity(Int(length) + extra)
            forEachChunk { own.append(contentsOf: $0) }
        }
        change(&own)
        precondition(own.count <= Int(UInt32.max), RowList.tooLong)
        length = UInt32(truncatingIfNeeded: own.count)
        start = 0
        storage = .rows(own)
    }

    public mutating func append(_ row: Int) {
        precondition(!isCountedOnly, "RowList: the rows of this list were counted, not kept")
        let r = RowList.row(row)
        if isJoined { append(contentsOf: RowList(rows: [r])); return }
        changeRows(extra: 1) { $0.append(r) }
    }

    /// Joins `other`'s rows after these, without copying either's rows.
    public mutating func append(contentsOf other: RowList) {
        guard !other.isEmpty else { return }
        if isEmpty { self = other; return }
        precondition(Int(length) + Int(other.length) <= Int(UInt32.max), RowList.tooLong)
        if isCountedOnly || other.isCountedOnly {
            // The rows of one part are unknown: only the count of the whole is.
            self = .countedOnly(Int(length) + Int(other.length))
            return
        }
        var parts: Parts
        if case .parts(let p) = storage {
            parts = p
            storage = .rows([])  // so `parts` is the only reference when it was ours alone
            if !isKnownUniquelyReferenced(&parts) { parts = Parts(lists: parts.lists, ends: parts.ends) }
        } else {
            parts = Parts(lists: [self], ends: [Int(length)])
        }
        var end = Int(length)
        if case .parts(let more) = other.storage {
            for list in more.lists {
                end += Int(list.length)
                parts.lists.append(list)
                parts.ends.append(end)
            }
        } else {
            parts.lists.append(other)
            parts.ends.append(end + Int(other.length))
        }
        storage = .parts(parts)
        start = 0
        length += other.length
    }

    public mutating func append<S: Sequence>(contentsOf rows: S) where S.Element == Int {
        precondition(!isCountedOnly, "RowList: the rows of this list were counted, not kept")
        if isJoined { append(contentsOf: RowList(rows)); return }
        changeRows(extra: rows.underestimatedCount) { own in
            for r in rows { own.append(RowList.row(r)) }
        }
    }

    public static func += (lhs: inout RowList, rhs: RowList) { lhs.append(contentsOf: rhs) }
    public static func += <S: Sequence>(lhs: inout RowList, rhs: S) where S.Element == Int { lhs.append(contentsOf: rhs) }
}

extension RowList: RandomAccessCollection {
    public typealias Index = Int
    public typealias Indices = Range<Int>

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { Int(length) }
    @inlinable public var count: Int { Int(length) }
    @inlinable public var isEmpty: Bool { length == 0 }
    @inlinable public var indices: Range<Int> { 0 ..< Int(length) }

    @inlinable
    public subscript(position: Int) -> Int {
        precondition(position >= 0 && position < Int(length), "RowList: index out of range")
        switch storage {
        case .rows(let base):
            return Int(base[Int(start) &+ position])
        case .parts(let parts):
            let (k, offset) = parts.locate(position)
            return parts.lists[k][offset]
        }
    }

    /// Walks the rows a part at a time, not looking each row up.
    public struct Iterator: IteratorProtocol {
        @usableFromInline let parts: Parts?
        @usableFromInline var part = 0
        /// The part being read: its buffer, the next position in it and where it ends.
        @usableFromInline var base: [UInt32]
        @usableFromInline var position: Int
        @usableFromInline var end: Int

        @inlinable
        init(_ list: RowList) {
            switch list.storage {
            case .rows(let base):
                parts = nil
                self.base = base
                position = Int(list.start)
                end = Int(list.start) + Int(list.length)
            case .parts(let parts):
                self.parts = parts
                (base, position, end) = Iterator.piece(parts.lists[0])
            }
        }

        @inlinable
        static func piece(_ list: RowList) -> ([UInt32], Int, Int) {
            guard case .rows(let base) = list.storage else { preconditionFailure("RowList: a part is itself joined") }
            return (base, Int(list.start), Int(list.start) + Int(list.length))
        }

        @inlinable
        public mutating func next() -> Int? {
            if position < end {
                defer { position += 1 }
                return Int(base[position])
            }
            guard let parts, part + 1 < parts.lists.count else { return nil }
            part += 1
            (base, position, end) = Iterator.piece(parts.lists[part])
            defer { position += 1 }
            return Int(base[position])
        }
    }

    @inlinable
    public func makeIterator() -> Iterator {
        precondition(!isCountedOnly, "RowList: the rows of this list were counted, not kept")
        return Iterator(self)
    }
}

extension RowList: ExpressibleByArrayLiteral {
    public init(arrayLiteral rows: Int...) { self.init(rows) }
}

extension RowList: Hashable {
    /// Lists of different lengths (the usual case when lists are compared) differ without a call.
    @inlinable
    public static func == (a: RowList, b: RowList) -> Bool {
        a.length == b.length && sameRows(a, b)
    }

    @usableFromInline
    static func sameRows(_ a: RowList, _ b: RowList) -> Bool {
        if a.isCountedOnly || b.isCountedOnly { return a.isCountedOnly == b.isCountedOnly }
        // The same list (a list compared with itself, the usual case): the same parts, or the same range
        // of the same buffer.
        switch (a.storage, b.storage) {
        case (.parts(let pa), .parts(let pb)):
            if pa === pb { return true }
        case (.rows(let x), .rows(let y)):
            return x.withUnsafeBufferPointer { x in
                y.withUnsafeBufferPointer { y in
                    if x.baseAddress == y.baseAddress && a.start == b.start { return true }
                    return x[Int(a.start) ..< Int(a.start) + Int(a.length)].elementsEqual(y[Int(b.start) ..< Int(b.start) + Int(b.length)])
                }
            }
        default:
            break
        }
        return a.elementsEqual(b)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        if isCountedOnly { hasher.combine(true); return }
        forEachChunk { for r in $0 { hasher.combine(r) } }
    }
}

extension RowList: CustomStringConvertible {
    public var description: String { isCountedOnly ? "[\(count) rows, counted only]" : Array(self).description }
}
