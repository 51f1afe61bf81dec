/// The evaluation period: a month `2026-10`, a quarter `2026-Q4`, or a range `2026-10-01..2026-10-31`,
/// both ends inclusive. It decides what counts: leads by `created_at`, deals by `closed_at`, spend by `date`.
public struct Period: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case month(year: Int, month: Int)
        case quarter(year: Int, quarter: Int)
        case range
    }

    public let kind: Kind
    public let first: Day
    public let last: Day

    public init(first: Day, last: Day) {
        self.kind = .range
        self.first = first
        self.last = last
    }

    public static func month(_ year: Int, _ month: Int) -> Period? {
        guard let first = Day(year: year, month: month, day: 1),
              let last = Day(year: year, month: month, day: Day.daysIn(year: year, month: month)) else { return nil }
        return Period(kind: .month(year: year, month: month), first: first, last: last)
    }

    public static func quarter(_ year: Int, _ q: Int) -> Period? {
        guard (1...4).contains(q), let a = month(year, q * 3 - 2), let c = month(year, q * 3) else { return nil }
        return Period(kind: .quarter(year: year, quarter: q), first: a.first, last: c.last)
    }

    private init(kind: Kind, first: Day, last: Day) {
        self.kind = kind
        self.first = first
        self.last = last
    }

    public func contains(_ day: Day) -> Bool { day >= first && day <= last }

    public var dayCount: Int { first.distance(to: last) + 1 }

    /// The period of the same kind just before this one (the month before, the quarter before, the
    /// range of the same length ending the day before).
    public var previous: Period {
        switch kind {
        case .month(let y, let m):
            return m == 1 ? Period.month(y - 1, 12)! : Period.month(y, m - 1)!
        case .quarter(let y, let q):
            return q == 1 ? Period.quarter(y - 1, 4)! : Period.quarter(y, q - 1)!
        case .range:
            return Period(first: first.advanced(by: -dayCount), last: first.advanced(by: -1))
        }
    }

    /// Earlier whole periods of the same kind, most recent first, back to the one holding `earliest`.
    public func earlierPeriods(backTo earliest: Day) -> [Period] {
        var out: [Period] = []
        var p = self
        while true {
            p = p.previous
            guard p.last >= earliest, out.count < 1200 else { break }
            out.append(p)
        }
        return out
    }

    /// How the period was written: `2026-10`, `2026-Q4`, `2026-10-01..2026-10-31`.
    public var description: String {
        switch kind {
        case .month(let y, let m):
            // As bytes: seven are a `String` without an allocation (a history target prints one per period).
            guard (0...9999).contains(y), (1...12).contains(m) else { return "\(pad(y, 4))-\(pad(m, 2))" }
            return String(unsafeUninitializedCapacity: 7) { b in
                putDigits(y, 4, b, at: 0)
                b[4] = 0x2D
                putDigits(m, 2, b, at: 5)
                return 7
            }
        case .quarter(let y, let q): return "\(pad(y, 4))-Q\(q)"
        case .range: return "\(first)..\(last)"
        }
    }

    /// Reads `2026-10`, `2026-Q4` or `2026-10-01..2026-10-31`.
    public static func parse(_ raw: String) -> Result<Period, FieldProblem> {
        let text = Substring(raw).trimmingSpaces
        let hint = "Write a month (2026-10), a quarter (2026-Q4) or a range of days (2026-10-01..2026-10-31)."
        if let dots = text.range(of: "..") {
            let a = text[..<dots.lowerBound], b = text[dots.upperBound...]
            guard a.utf8.count == 10, b.utf8.count == 10,
                  case .success(let s) = Timestamp.parse(a), case .success(let e) = Timestamp.parse(b) else {
                return .failure(FieldProblem("\"\(text)\" is not a period. \(hint)"))
            }
            guard s.day <= e.day else {
                return .failure(FieldProblem("\"\(text)\" ends before it starts. Put the earlier day first."))
            }
            return .success(Period(first: s.day, last: e.day))
        }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        if parts.count == 2, parts[0].utf8.count == 4, let y = Int(parts[0]) {
            let second = parts[1]
            if second.utf8.count == 2, second.allSatisfy(\.isASCIIDigit), let m = Int(second),
               let p = Period.month(y, m) {
                return .success(p)
            }
            if second.utf8.count == 2, second.first == "Q" || second.first == "q",
               let q = Int(second.dropFirst()), let p = Period.quarter(y, q) {
                return .success(p)
            }
        }
        return .failure(FieldProblem("\"\(text)\" is not a period. \(hint)"))
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
