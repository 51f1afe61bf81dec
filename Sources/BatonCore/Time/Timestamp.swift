/// A calendar day, counted from 1970-01-01 (day 0), proleptic Gregorian.
public struct Day: Sendable, Hashable, Comparable, Strideable, CustomStringConvertible {
    public var number: Int32
    public init(number: Int32) { self.number = number }

    /// The day of a valid calendar date; nil when the date does not exist (2026-02-30).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
              day <= Day.daysIn(year: year, month: month) else { return nil }
        // Days from civil (H. Hinnant's algorithm): exact integer arithmetic, no calendar API.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        number = Int32(era * 146097 + doe - 719468)
    }

    public var components: (year: Int, month: Int, day: Int) {
        let z = Int(number) + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    public static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public static func < (a: Day, b: Day) -> Bool { a.number < b.number }
    public func distance(to other: Day) -> Int { Int(other.number - number) }
    public func advanced(by n: Int) -> Day { Day(number: number + Int32(n)) }

    /// `2026-10-03`.
    public var description: String {
        let c = components
        return "\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2))"
    }
}

func pad(_ v: Int, _ width: Int) -> String {
    let s = String(v)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}

/// A moment as written in the data: the calendar day it belongs to (as written, the store's local date)
/// and the instant used for ordering and durations (the written time minus its offset).
public struct Timestamp: Sendable, Hashable, CustomStringConvertible {
    /// The day the row counts in: the date as written, whatever the offset.
    public var day: Day
    /// Seconds since 1970-01-01T00:00:00Z: the written time minus its offset (none counts as +00:00).
    public var instant: Int64
    /// The text as it was written, for evidence.
    public var text: String

    public init(day: Day, instant: Int64, text: String) {
        self.day = day
        self.instant = instant
        self.text = text
    }

    public var description: String { text }

    /// Reads `2026-10-03`, `2026-10-03T14:05`, `2026-10-03T14:05:00`, `2026-10-03 14:05:00.250`,
    /// with an optional `Z`, `+08:00`, `+0800` or `+08`.
    public static func parse(_ raw: Substring) -> Result<Timestamp, FieldProblem> {
        let text = raw.trimmingSpaces
        // Read the bytes in place when the text is contiguous (it is, for CSV fields): no copy per date.
        if let result = text.utf8.withContiguousStorageIfAvailable({ parse(bytes: $0, text: text) }) { return result }
        return Array(text.utf8).withUnsafeBufferPointer { parse(bytes: $0, text: text) }
    }

    private static func parse(bytes b: UnsafeBufferPointer<UInt8>, text: Substring) -> Result<Timestamp, FieldProblem> {
        func fail() -> Result<Timestamp, FieldProblem> {
            .failure(FieldProblem("is \"\(text)\", not a date. Write dates as YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SS with an optional offset such as +08:00."))
        }
        if b.isEmpty {
            return .failure(FieldProblem("is empty, not a date. Write dates as YYYY-MM-DD."))
        }
        func num(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= b.count else { return nil }
            var v = 0
            for i in from..<(from + count) {
                let c = b[i]
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            return v
        }
        guard b.count >= 10, let y = num(0, 4), b[4] == UInt8(ascii: "-"), let mo = num(5, 2),
              b[7] == UInt8(ascii: "-"), let d = num(8, 2) else { return fail() }
        guard let day = Day(year: y, month: mo, day: d) else {
            return .failure(FieldProblem("is \"\(text)\", a date that does not exist. Check the month (01-12) and the day of the month."))
        }
        var seconds = 0
        var i = 10
        if i < b.count && (b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: " ") || b[i] == UInt8(ascii: "t")) {
            guard let h = num(i + 1, 2), i + 3 < b.count, b[i + 3] == UInt8(ascii: ":"), let mi = num(i + 4, 2)
            else { return fail() }
            var s = 0
            i += 6
            if i < b.count && b[i] == UInt8(ascii: ":") {
                guard let sv = num(i + 1, 2) else { return fail() }
                s = sv
                i += 3
                if i < b.count && (b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: ",")) {
                    i += 1
                    let start = i
                    while i < b.count && b[i] >= 48 && b[i] <= 57 { i += 1 }
                    if i == start { return fail() }
                }
            }
            guard h <= 23, mi <= 59, s <= 60 else {
                return .failure(FieldProblem("is \"\(text)\", a time that does not exist. Hours run 00-23, minutes and seconds 00-59."))
            }
            seconds = h * 3600 + mi * 60 + s
        }
        var offset = 0
        if i < b.count {
            if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
                i += 1
            } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
                let sign = b[i] == UInt8(ascii: "-") ? -1 : 1
                guard let oh = num(i + 1, 2) else { return fail() }
                i += 3
                var om = 0
                if i < b.count && b[i] == UInt8(ascii: ":") {
                    guard let v = num(i + 1, 2) else { return fail() }
                    om = v
                    i += 3
                } else if i < b.count {
                    guard let v = num(i, 2) else { return fail() }
                    om = v
                    i += 2
                }
                guard oh <= 18, om <= 59 else { return fail() }
                offset = sign * (oh * 3600 + om * 60)
            }
        }
        guard i == b.count else { return fail() }
        let instant = Int64(day.number) * 86_400 + Int64(seconds - offset)
        return .success(Timestamp(day: day, instant: instant, text: String(text)))
    }

    /// A day alone: the instant is that day's midnight.
    public static func parseDay(_ raw: Substring) -> Result<Day, FieldProblem> {
        switch parse(raw) {
        case .success(let t): return .success(t.day)
        case .failure(let f): return .failure(f)
        }
    }
}
