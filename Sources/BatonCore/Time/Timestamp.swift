#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A calendar day, counted from 1970-01-01 (day 0), proleptic Gregorian.
public struct Day: Sendable, Hashable, Comparable, Strideable, CustomStringConvertible {
    public var number: Int32
    public init(number: Int32) { self.number = number }

    /// The day of a valid calendar date; nil when the date does not exist (2026-02-30).
    @inlinable
    public init?(year: Int, month: Int, day: Int) {
        guard year >= 1 && year <= 9999, month >= 1 && month <= 12, day >= 1 else { return nil }
        // Exact integer arithmetic, no calendar API: the days of the whole years since 1970 (leap
        // days counted up to the year before), of the whole months, then of the month.
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        // Month lengths less 28, two bits a month from January: 3 0 3 2 3 2 3 3 2 3 2 3.
        let length = month == 2 ? (leap ? 29 : 28) : 28 + (0b11_10_11_10_11_11_10_11_10_11_00_11 >> (2 * (month &- 1))) & 3
        guard day <= length else { return nil }
        let y = year - 1
        let leapDays = y / 4 - y / 100 + y / 400 - 477  // 477 leap days before 1970
        // Days before the month: 0 and 31 for January and February; from March on, the 30.6-day
        // pattern of the months (March first) after February's 59, plus the leap day.
        let before = month <= 2 ? (month == 1 ? 0 : 31) : (153 * (month - 3) + 2) / 5 + 59 + (leap ? 1 : 0)
        number = Int32(365 * (year - 1970) + leapDays + before + day - 1)
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

    @inlinable
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
        // Written as bytes: ten bytes are a `String` without an allocation, and interpolating three padded
        // numbers cost more than the text (a page prints a date for every lead and history point).
        guard (0...9999).contains(c.year) else { return "\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2))" }
        return String(unsafeUninitializedCapacity: 10) { b in
            putDigits(c.year, 4, b, at: 0)
            b[4] = 0x2D
            putDigits(c.month, 2, b, at: 5)
            b[7] = 0x2D
            putDigits(c.day, 2, b, at: 8)
            return 10
        }
    }
}

/// `v` in decimal, with zeros in front up to `width` characters (a negative number keeps its sign first
/// and is padded as its text: `pad(-5, 4)` is `00-5`).
func pad(_ v: Int, _ width: Int) -> String {
    if v >= 0 && v < 10_000 && width <= 4 {
        let n = max(width, v < 10 ? 1 : v < 100 ? 2 : v < 1000 ? 3 : 4)
        return String(unsafeUninitializedCapacity: n) { b in putDigits(v, n, b, at: 0); return n }
    }
    let s = String(v)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}

/// Writes the last `n` decimal digits of `v` (not negative) at `b[at..<at + n]`, zeros in front.
@inline(__always)
func putDigits(_ v: Int, _ n: Int, _ b: UnsafeMutableBufferPointer<UInt8>, at: Int) {
    var x = v
    var i = at + n - 1
    while i >= at {
        b[i] = UInt8(truncatingIfNeeded: 48 + x % 10)
        x /= 10
        i -= 1
    }
}

/// A moment as written in the data: the calendar day it belongs to (as written, the store's local date)
/// and the instant used for ordering and durations (the written time minus its offset).
///
/// 8 bytes and no allocation: instead of a copy of the text, a timestamp keeps how the text was written
/// (date only, minutes, seconds, up to three fraction digits, the separator, the offset and its spelling)
/// and rebuilds `text` on demand, byte for byte; the day follows from the instant and the written offset.
/// A timestamp that does not fit that form (an instant before 1970 or after 2106, more fraction digits,
/// a leap second, a text that does not match the day and instant it was given with) is kept whole in a
/// process-wide table, as `Symbol` keeps texts: equal values always get the same entry.
public struct Timestamp: Sendable, Hashable, CustomStringConvertible {
    /// Bits 0-31: a compact `TimestampLayout` (bit 31 clear), or bit 31 set and bits 0-30 the entry in
    /// `TimestampTable`. Bits 32-63: the instant (0 ..< 2^32 seconds since 1970) of a compact layout.
    /// One form per value, so the synthesized equality and hash are those of (day, instant, text).
    @usableFromInline var bits: UInt64

    /// Seconds since 1970-01-01T00:00:00Z: the written time minus its offset (none counts as +00:00).
    /// Setting it keeps the text as it was.
    @inlinable
    public var instant: Int64 {
        get { bits & UInt64(TimestampLayout.keptFlag) == 0 ? Int64(bits >> 32) : TimestampTable.entry(bits).instant }
        set { if newValue != instant { self = Timestamp(day: day, instant: newValue, text: text) } }
    }

    /// The day the row counts in: the date as written, whatever the offset. Setting it keeps the text.
    @inlinable
    public var day: Day {
        get {
            guard bits & UInt64(TimestampLayout.keptFlag) == 0 else { return Day(number: TimestampTable.entry(bits).day) }
            // The written local time is the instant plus the written offset; its day is the written date.
            let local = Int64(bits >> 32) + Int64(TimestampLayout.offsetSeconds(UInt32(truncatingIfNeeded: bits)))
            return Day(number: Int32(truncatingIfNeeded: local >= 0 ? local / 86_400 : (local - 86_399) / 86_400))
        }
        set { if newValue != day { self = Timestamp(day: newValue, instant: instant, text: text) } }
    }

    /// How the text was written: a compact layout, or `keptFlag` and the `Symbol` of the text.
    @inlinable var layout: UInt32 {
        bits & UInt64(TimestampLayout.keptFlag) == 0 ? UInt32(truncatingIfNeeded: bits) : TimestampTable.entry(bits).layout
    }

    public init(day: Day, instant: Int64, text: String) {
        self.init(day: day, instant: instant, layout: TimestampLayout.of(text, day: day, instant: instant))
    }

    /// A timestamp from its parts; `layout` is compact only when reading the text gives `day` and
    /// `instant` (as `TimestampLayout.read` and `.of` make it).
    @inlinable
    init(day: Day, instant: Int64, layout: UInt32) {
        if layout & TimestampLayout.keptFlag == 0 && instant >= 0 && instant <= Int64(UInt32.max) {
            bits = UInt64(instant) << 32 | UInt64(layout)
        } else {
            bits = TimestampTable.intern(day: day.number, instant: instant, layout: layout)
        }
    }

    /// The text as it was written, for evidence.
    public var text: String {
        get {
            let layout = self.layout
            if layout & TimestampLayout.keptFlag != 0 { return Symbol(rawValue: layout & ~TimestampLayout.keptFlag).string }
            return withText { String(decoding: $0, as: UTF8.self) }
        }
        set { self = Timestamp(day: day, instant: instant, text: newValue) }
    }

    public var description: String { text }

    /// Calls `body` with the UTF-8 bytes of `text`, without making a String (the bytes are only valid
    /// inside `body`). For writers that copy the text into their output; inlinable, so a writer's call is
    /// specialised (no generic metadata made per row).
    @inlinable
    public func withText<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let layout = self.layout
        if layout & TimestampLayout.keptFlag != 0 {
            var s = Symbol(rawValue: layout & ~TimestampLayout.keptFlag).string
            return try s.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
        }
        return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: TimestampLayout.maxLength) { buffer in
            let n = TimestampLayout.render(layout, day: day, instant: instant, into: buffer.baseAddress!)
            return try body(UnsafeRawBufferPointer(start: buffer.baseAddress, count: n))
        }
    }

    /// Reads `2026-10-03`, `2026-10-03T14:05`, `2026-10-03T14:05:00`, `2026-10-03 14:05:00.250`,
    /// with an optional `Z`, `+08:00`, `+0800` or `+08`.
    public static func parse(_ raw: Substring) -> Result<Timestamp, FieldProblem> {
        let text = raw.trimmingSpaces
        // Read the bytes in place when the text is contiguous (it is, for CSV fields): no copy per date.
        if let result = text.utf8.withContiguousStorageIfAvailable({ parseTrimmed(UnsafeRawBufferPointer($0)) }) {
            return result
        }
        return Array(text.utf8).withUnsafeBytes { parseTrimmed($0) }
    }

    /// `parse` on UTF-8 bytes (e.g. a CSV field in place): surrounding spaces and tabs are ignored, as
    /// there. Allocates only for a problem's message or a text that has to be kept.
    public static func parse(utf8 raw: UnsafeRawBufferPointer) -> Result<Timestamp, FieldProblem> {
        var start = 0
        var end = raw.count
        while start < end, raw[start] == 0x20 || raw[start] == 0x09 { start += 1 }
        while end > start, raw[end - 1] == 0x20 || raw[end - 1] == 0x09 { end -= 1 }
        return parseTrimmed(UnsafeRawBufferPointer(rebasing: raw[start..<end]))
    }

    /// The two usual forms only, `2026-10-03` and `2026-10-03T14:05:00` (nothing around them), read
    /// with a few checks; nil for anything else, which `parse(utf8:)` reads with its exact answer.
    /// For readers of big tables.
    @inlinable
    public static func plain(utf8 b: UnsafeRawBufferPointer) -> Timestamp? {
        guard b.count == 19 || b.count == 10 else { return nil }
        return TimestampLayout.readPlain(b)
    }

    private static func parseTrimmed(_ b: UnsafeRawBufferPointer) -> Result<Timestamp, FieldProblem> {
        do {
            return .success(try TimestampLayout.read(b))
        } catch let reason {
            let text = String(decoding: b, as: UTF8.self)
            switch reason {
            case .empty:
                return .failure(FieldProblem("is empty, not a date. Write dates as YYYY-MM-DD."))
            case .notADate:
                return .failure(FieldProblem("is \"\(text)\", not a date. Write dates as YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SS with an optional offset such as +08:00."))
            case .noSuchDate:
                return .failure(FieldProblem("is \"\(text)\", a date that does not exist. Check the month (01-12) and the day of the month."))
            case .noSuchTime:
                return .failure(FieldProblem("is \"\(text)\", a time that does not exist. Hours run 00-23, minutes and seconds 00-59."))
            }
        }
    }

    /// A day alone: the instant is that day's midnight.
    public static func parseDay(_ raw: Substring) -> Result<Day, FieldProblem> {
        switch parse(raw) {
        case .success(let t): return .success(t.day)
        case .failure(let f): return .failure(f)
        }
    }
}

/// `Timestamp.plain(utf8:)` for the rows of one table, remembering the last month seen: rows mostly
/// fall in a few months, so the calendar arithmetic runs once per change of month.
public struct PlainTimestamps: Sendable {
    /// The bytes `YYYY-MM-` of the last month read, its first day and its length.
    @usableFromInline var month: UInt64 = 0
    @usableFromInline var first: Int32 = 0
    @usableFromInline var length: UInt32 = 0

    public init() {}

    /// The same answer as `Timestamp.plain(utf8:)`.
    @inlinable
    public mutating func read(utf8 b: UnsafeRawBufferPointer) -> Timestamp? {
        guard b.count == 19 || b.count == 10 else { return nil }
        let p = b.baseAddress!
        let prefix = p.loadUnaligned(as: UInt64.self)
        let d0 = UInt32(p.load(fromByteOffset: 8, as: UInt8.self) &- 48)
        let d1 = UInt32(p.load(fromByteOffset: 9, as: UInt8.self) &- 48)
        if prefix == month {
            // The year and month were read and checked when remembered.
            let dayOfMonth = d0 * 10 + d1
            guard d0 <= 9 && d1 <= 9 && dayOfMonth >= 1 && dayOfMonth <= length else { return nil }
            return TimestampLayout.withPlainTime(b, day: Day(number: first + Int32(dayOfMonth) - 1))
        }
        guard let t = TimestampLayout.readPlain(b) else { return nil }
        let year = p.load(as: UInt8.self) &- 48, y1 = p.load(fromByteOffset: 1, as: UInt8.self) &- 48
        let y2 = p.load(fromByteOffset: 2, as: UInt8.self) &- 48, y3 = p.load(fromByteOffset: 3, as: UInt8.self) &- 48
        let m0 = p.load(fromByteOffset: 5, as: UInt8.self) &- 48, m1 = p.load(fromByteOffset: 6, as: UInt8.self) &- 48
        month = prefix
        first = t.day.number - Int32(d0 * 10 + d1) + 1
        length = UInt32(Day.daysIn(year: Int(year) * 1000 + Int(y1) * 100 + Int(y2) * 10 + Int(y3),
                                   month: Int(m0) * 10 + Int(m1)))
        return t
    }
}

/// How a timestamp's text was written, in 32 bits.
///
/// With bit 31 clear: bits 0-1 the time (0 date only, 1 `HH:MM`, 2 `HH:MM:SS`), bits 2-3 the separator
/// (0 `T`, 1 space, 2 `t`), bits 4-7 the offset's spelling (0 none, 1 `Z`, 2 `z`, 3 `+HH:MM`, 4 `-HH:MM`,
/// 5 `+HHMM`, 6 `-HHMM`, 7 `+HH`, 8 `-HH`), bits 8-12 the offset's hours, bits 13-18 its minutes, bits
/// 19-29 the fraction of a second (0 none; 1 + v for one digit v, 11 + v for two, 111 + v for three)
/// and bit 30 its separator (0 `.`, 1 `,`). With bit 31 set, bits 0-30 are the `Symbol` of the text.
@usableFromInline
enum TimestampLayout {
    @usableFromInline static let keptFlag: UInt32 = 1 << 31
    /// `2026-10-03T14:05:00.250+08:00` and shorter.
    @usableFromInline static let maxLength = 32

    /// The written offset of a compact layout, in seconds (0 for none, `Z` and `z`).
    @inlinable @inline(__always)
    static func offsetSeconds(_ layout: UInt32) -> Int {
        let zone = (layout >> 4) & 15
        guard zone > 2 else { return 0 }
        let seconds = Int((layout >> 8) & 31) * 3600 + Int((layout >> 13) & 63) * 60
        return zone & 1 == 0 ? -seconds : seconds
    }

    enum Failure: Error { case empty, notADate, noSuchDate, noSuchTime }

    /// The layout of `text` for a timestamp with this day and instant: compact when reading `text`
    /// gives exactly that day and instant, the text kept otherwise.
    static func of(_ text: String, day: Day, instant: Int64) -> UInt32 {
        var copy = text
        let compact: UInt32? = copy.withUTF8 { bytes in
            guard let t = try? read(UnsafeRawBufferPointer(bytes)), t.day == day, t.instant == instant,
                  t.layout & keptFlag == 0 else { return nil }
            return t.layout
        }
        return compact ?? (keptFlag | Symbol(text).rawValue)
    }

    /// Reads a trimmed timestamp text (the grammar of `Timestamp.parse`).
    static func read(_ b: UnsafeRawBufferPointer) throws(Failure) -> Timestamp {
        let n = b.count
        if n == 0 { throw .empty }
        // The usual forms, `2026-10-03` and `2026-10-03T14:05:00`, in a few word operations.
        if n == 19 || n == 10, let t = readPlain(b) { return t }
        @inline(__always) func num(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= n else { return nil }
            var v = 0
            for i in from..<(from + count) {
                let c = b[i]
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int(c &- 48)
            }
            return v
        }
        guard n >= 10, let y = num(0, 4), b[4] == UInt8(ascii: "-"), let mo = num(5, 2),
              b[7] == UInt8(ascii: "-"), let d = num(8, 2) else { throw .notADate }
        guard let day = Day(year: y, month: mo, day: d) else { throw .noSuchDate }
        var layout: UInt32 = 0
        var keep = false
        var seconds = 0
        var i = 10
        if i < n && (b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: " ") || b[i] == UInt8(ascii: "t")) {
            layout |= b[i] == UInt8(ascii: "T") ? 0 : b[i] == UInt8(ascii: " ") ? 1 << 2 : 2 << 2
            guard let h = num(i + 1, 2), i + 3 < n, b[i + 3] == UInt8(ascii: ":"), let mi = num(i + 4, 2)
            else { throw .notADate }
            layout |= 1
            var s = 0
            i += 6
            if i < n && b[i] == UInt8(ascii: ":") {
                guard let sv = num(i + 1, 2) else { throw .notADate }
                layout = layout & ~3 | 2
                s = sv
                i += 3
                if i < n && (b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: ",")) {
                    if b[i] == UInt8(ascii: ",") { layout |= 1 << 30 }
                    i += 1
                    let start = i
                    var value: UInt32 = 0
                    while i < n && b[i] >= 48 && b[i] <= 57 {
                        if i - start < 3 { value = value * 10 + UInt32(b[i] &- 48) }
                        i += 1
                    }
                    switch i - start {
                    case 0: throw .notADate
                    case 1: layout |= (1 + value) << 19
                    case 2: layout |= (11 + value) << 19
                    case 3: layout |= (111 + value) << 19
                    default: keep = true
                    }
                }
            }
            guard h <= 23, mi <= 59, s <= 60 else { throw .noSuchTime }
            if s == 60 { keep = true }
            seconds = h * 3600 + mi * 60 + s
        }
        var offset = 0
        if i < n {
            if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
                layout |= (b[i] == UInt8(ascii: "Z") ? 1 : 2) << 4
                i += 1
            } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
                let negative = b[i] == UInt8(ascii: "-")
                guard let oh = num(i + 1, 2) else { throw .notADate }
                i += 3
                var om = 0
                var spelling: UInt32 = 7
                if i < n && b[i] == UInt8(ascii: ":") {
                    guard let v = num(i + 1, 2) else { throw .notADate }
                    om = v
                    i += 3
                    spelling = 3
                } else if i < n {
                    guard let v = num(i, 2) else { throw .notADate }
                    om = v
                    i += 2
                    spelling = 5
                }
                guard oh <= 18, om <= 59 else { throw .notADate }
                offset = (negative ? -1 : 1) * (oh * 3600 + om * 60)
                layout |= (spelling + (negative ? 1 : 0)) << 4 | UInt32(oh) << 8 | UInt32(om) << 13
            }
        }
        guard i == n else { throw .notADate }
        let instant = Int64(day.number) * 86_400 + Int64(seconds - offset)
        if keep { layout = keptFlag | Symbol(utf8: b).rawValue }
        return Timestamp(day: day, instant: instant, layout: layout)
    }

    /// `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS` (`b.count` is 10 or 19) without the general parser's
    /// bookkeeping; nil for anything else (including dates and times that do not exist), which
    /// `read` then reads the long way for its exact answer.
    @inlinable
    static func readPlain(_ b: UnsafeRawBufferPointer) -> Timestamp? {
        let p = b.baseAddress!.assumingMemoryBound(to: UInt8.self)
        // Each digit's value; a byte that is not a digit gives more than 9 (bytes below '0' wrap).
        @inline(__always) func digit(_ i: Int) -> UInt32 { UInt32(p[i] &- 48) }
        let y0 = digit(0), y1 = digit(1), y2 = digit(2), y3 = digit(3)
        let m0 = digit(5), m1 = digit(6), d0 = digit(8), d1 = digit(9)
        guard y0 <= 9 && y1 <= 9 && y2 <= 9 && y3 <= 9 && m0 <= 9 && m1 <= 9 && d0 <= 9 && d1 <= 9,
              p[4] == UInt8(ascii: "-"), p[7] == UInt8(ascii: "-"),
              let day = Day(year: Int(y0 * 1000 + y1 * 100 + y2 * 10 + y3), month: Int(m0 * 10 + m1),
                            day: Int(d0 * 10 + d1)) else { return nil }
        return withPlainTime(b, day: day)
    }

    /// The timestamp of `day` with the time of `b` (10 bytes: none; 19: `THH:MM:SS` after the date).
    @inlinable @inline(__always)
    static func withPlainTime(_ b: UnsafeRawBufferPointer, day: Day) -> Timestamp? {
        if b.count == 10 { return Timestamp(day: day, instant: Int64(day.number) * 86_400, layout: 0) }
        let p = b.baseAddress!.assumingMemoryBound(to: UInt8.self)
        @inline(__always) func digit(_ i: Int) -> UInt32 { UInt32(p[i] &- 48) }
        let h0 = digit(11), h1 = digit(12), n0 = digit(14), n1 = digit(15), s0 = digit(17), s1 = digit(18)
        guard h0 <= 2 && h1 <= 9 && n0 <= 5 && n1 <= 9 && s0 <= 5 && s1 <= 9,
              p[10] == UInt8(ascii: "T"), p[13] == UInt8(ascii: ":"), p[16] == UInt8(ascii: ":") else { return nil }
        let h = h0 * 10 + h1
        guard h <= 23 else { return nil }
        // Layout 2: seconds, separator T, no offset.
        let seconds = Int64(h * 3600 + (n0 * 10 + n1) * 60 + s0 * 10 + s1)
        return Timestamp(day: day, instant: Int64(day.number) * 86_400 + seconds, layout: 2)
    }

    /// Writes the text of a compact layout; returns its length (at most `maxLength`).
    @usableFromInline
    static func render(_ layout: UInt32, day: Day, instant: Int64, into out: UnsafeMutablePointer<UInt8>) -> Int {
        var n = 0
        @inline(__always) func put(_ b: UInt8) { out[n] = b; n += 1 }
        @inline(__always) func two(_ v: Int) { put(UInt8(48 + v / 10)); put(UInt8(48 + v % 10)) }
        let c = day.components
        two(c.year / 100)
        two(c.year % 100)
        put(UInt8(ascii: "-"))
        two(c.month)
        put(UInt8(ascii: "-"))
        two(c.day)
        let zone = (layout >> 4) & 15
        let oh = Int((layout >> 8) & 31), om = Int((layout >> 13) & 63)
        let offset = offsetSeconds(layout)
        let time = layout & 3
        if time != 0 {
            let local = Int(instant - Int64(day.number) * 86_400) + offset
            let separator = (layout >> 2) & 3
            put(separator == 0 ? UInt8(ascii: "T") : separator == 1 ? UInt8(ascii: " ") : UInt8(ascii: "t"))
            two(local / 3600)
            put(UInt8(ascii: ":"))
            two(local / 60 % 60)
            if time == 2 {
                put(UInt8(ascii: ":"))
                two(local % 60)
                let fraction = Int((layout >> 19) & 2047)
                if fraction != 0 {
                    put(layout & (1 << 30) != 0 ? UInt8(ascii: ",") : UInt8(ascii: "."))
                    if fraction <= 10 {
                        put(UInt8(48 + fraction - 1))
                    } else if fraction <= 110 {
                        two(fraction - 11)
                    } else {
                        let v = fraction - 111
                        put(UInt8(48 + v / 100))
                        two(v % 100)
                    }
                }
            }
        }
        switch zone {
        case 0: break
        case 1: put(UInt8(ascii: "Z"))
        case 2: put(UInt8(ascii: "z"))
        default:
            put(zone & 1 == 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            two(oh)
            if zone <= 4 { put(UInt8(ascii: ":")); two(om) } else if zone <= 6 { two(om) }
        }
        return n
    }
}

/// The timestamps that do not fit `Timestamp`'s 8 bytes, kept whole for the life of the process (few in
/// real data: texts with more fraction digits or leap seconds, instants outside 1970...2106, texts given
/// with a day and instant they do not match). Built like `SymbolTable`: entries in fixed chunks that never
/// move (reading needs no lock), an index used under a lock when adding, and equal entries deduplicated,
/// so a timestamp has one form whatever thread made it.
@usableFromInline
enum TimestampTable {
    @usableFromInline
    struct Entry: Hashable, Sendable {
        @usableFromInline var instant: Int64
        @usableFromInline var day: Int32
        @usableFromInline var layout: UInt32
    }

    @usableFromInline static let chunkShift: UInt64 = 12
    @usableFromInline static let chunkMask: UInt64 = (1 << 12) - 1
    static let maxChunks = 1 << 19

    /// Chunk pointers; an entry is written before its index is handed out, and never changes.
    @usableFromInline
    nonisolated(unsafe) static let directory: UnsafeMutablePointer<UnsafeMutablePointer<Entry>?> = {
        let raw = calloc(maxChunks, MemoryLayout<UnsafeMutablePointer<Entry>?>.stride)!
        return raw.bindMemory(to: UnsafeMutablePointer<Entry>?.self, capacity: maxChunks)
    }()

    /// The entry of a timestamp's bits (bit 31 set, bits 0-30 the index).
    @inlinable
    static func entry(_ bits: UInt64) -> Entry {
        let index = bits & 0x7FFF_FFFF
        return directory[Int(index >> chunkShift)].unsafelyUnwrapped[Int(index & chunkMask)]
    }

    /// Guarded by `lock`.
    nonisolated(unsafe) static var index: [Entry: UInt64] = [:]
    nonisolated(unsafe) static let lock: UnsafeMutablePointer<pthread_mutex_t> = {
        let m = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        pthread_mutex_init(m, nil)
        return m
    }()

    /// The bits of the timestamp kept as this entry (added on first use).
    @usableFromInline
    static func intern(day: Int32, instant: Int64, layout: UInt32) -> UInt64 {
        let e = Entry(instant: instant, day: day, layout: layout)
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        if let i = index[e] { return UInt64(TimestampLayout.keptFlag) | i }
        let i = UInt64(index.count)
        let chunk = Int(i >> chunkShift)
        precondition(chunk < maxChunks, "too many distinct unusual timestamps to keep")
        if directory[chunk] == nil { directory[chunk] = .allocate(capacity: Int(chunkMask) + 1) }
        (directory[chunk].unsafelyUnwrapped + Int(i & chunkMask)).initialize(to: e)
        index[e] = i
        return UInt64(TimestampLayout.keptFlag) | i
    }
}
