/// Row indexes into one of the `PeriodData` tables, in the order given, stored in 32 bits each.
///
/// At brand scale every lead of the period appears in a person's, a team's and the total's lists, for
/// several figures: half the bytes of `[Int]` is tens of megabytes. Lists made together (one counting
/// sort, see `RowGroups`) share one buffer, each list a range of it, so making them copies nothing.
/// It reads like an `[Int]`: indexes from 0, `Int` elements, `==` and hashing by elements.
///
/// A table of more than 4,294,967,295 rows cannot be listed: making such a list traps.
///
/// Inside the evaluation a list can also be *counted only* (`countRow`): the rows of earlier periods,
/// which only history averages read, are counted but not kept. Such a list has a count and nothing else:
/// reading its rows traps. No counted-only list leaves the evaluation.
public struct RowList: Sendable {
    /// The rows are `base[start ..< start + length]`; counted only when that range is past `base`'s end
    /// (`base` is then empty).
    @usableFromInline var base: [UInt32]
    @usableFromInline var start: UInt32
    @usableFromInline var length: UInt32

    /// A range of a buffer (lists made together share it).
    @usableFromInline
    init(base: [UInt32], start: Int, count: Int) {
        precondition(start >= 0 && count >= 0 && start + count <= base.count, "RowList: range outside its buffer")
        precondition(start + count <= Int(UInt32.max), RowList.tooLong)
        self.base = base
        self.start = UInt32(truncatingIfNeeded: start)
        self.length = UInt32(truncatingIfNeeded: count)
    }

    /// A whole buffer of rows.
    @usableFromInline
    init(rows: [UInt32]) { self.init(base: rows, start: 0, count: rows.count) }

    public init() { base = []; start = 0; length = 0 }

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
    var isCountedOnly: Bool { Int(start) + Int(length) > base.count }

    /// Adds a row, or only counts it when `keep` is false (then the list must be empty or counted only).
    @inline(__always)
    mutating func add(_ row: Int, keep: Bool) {
        if keep { append(row); return }
        precondition(isEmpty || isCountedOnly, "RowList: counting a row of a list whose rows are kept")
        precondition(length < UInt32.max, RowList.tooLong)
        length += 1
    }

    /// The rows as 32-bit integers, contiguous (for loops that want no per-element checks).
    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<UInt32>) throws -> R) rethrows -> R {
        precondition(!isCountedOnly, "RowList: the rows of this list were counted, not kept")
        return try base.withUnsafeBufferPointer { all in
            try body(UnsafeBufferPointer(rebasing: all[Int(start) ..< Int(start) + Int(length)]))
        }
    }

    /// Makes the list own a buffer of exactly its rows, with room for `extra` more, so it can grow.
    @usableFromInline
    mutating func makeGrowable(extra: Int) {
        if start == 0 && Int(length) == base.count { return }
        var own: [UInt32] = []
        own.reserveCapacity(Int(length) + extra)
        own.append(contentsOf: base[Int(start) ..< Int(start) + Int(length)])
        base = own
        start = 0
    }

    public mutating func append(_ row: Int) {
        precondition(!isCountedOnly, "RowList: the rows of this list were counted, not kept")
        makeGrowable(extra: 1)
        precondition(length < UInt32.max, RowList.tooLong)
        base.append(RowList.row(row))
        length += 1
    }

    public mutating func append(contentsOf other: RowList) {
        guard !other.isEmpty else { return }
        if isEmpty { self = other; return }
        precondition(Int(length) + Int(other.length) <= Int(UInt32.max), RowList.tooLong)
        if isCountedOnly || other.isCountedOnly {
            // The rows of one part are unknown: only the count of the whole is.
            self = .countedOnly(Int(length) + Int(other.length))
            return
        }
        makeGrowable(extra: Int(other.length))
        other.withUnsafeBufferPointer { base.append(contentsOf: $0) }
        length += other.length
    }

    public mutating func append<S: Sequence>(contentsOf rows: S) where S.Element == Int {
        precondition(!isCountedOnly, "RowList: the rows of this list were counted, not kept")
        makeGrowable(extra: rows.underestimatedCount)
        for r in rows {
            precondition(length < UInt32.max, RowList.tooLong)
            base.append(RowList.row(r))
            length += 1
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
        return Int(base[Int(start) &+ position])
    }
}

extension RowList: ExpressibleByArrayLiteral {
    public init(arrayLiteral rows: Int...) { self.init(rows) }
}

extension RowList: Hashable {
    public static func == (a: RowList, b: RowList) -> Bool {
        guard a.length == b.length else { return false }
        if a.isCountedOnly || b.isCountedOnly { return a.isCountedOnly == b.isCountedOnly }
        return a.withUnsafeBufferPointer { x in
            b.withUnsafeBufferPointer { y in
                // The same range of the same buffer (a list compared with itself, the usual case).
                if x.baseAddress == y.baseAddress { return true }
                return x.elementsEqual(y)
            }
        }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        if isCountedOnly { hasher.combine(true); return }
        withUnsafeBufferPointer { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}

extension RowList: CustomStringConvertible {
    public var description: String { isCountedOnly ? "[\(count) rows, counted only]" : Array(self).description }
}
