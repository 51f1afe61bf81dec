import BatonCore

// Calendar arithmetic and text formatting for the synthetic generator.
// Times are whole minutes since 1970-01-01T00:00 local wall time (the dealers' clock, +08:00);
// days are days since 1970-01-01. No Foundation, no time zone database, no clock.

enum SynthCalendar {
    static let minutesPerDay = 1440

    /// Days since 1970-01-01 of a civil date: the core's calendar (`Day`), so both agree by construction.
    static func day(year: Int, month: Int, day: Int) -> Int {
        Int(Day(year: year, month: month, day: day)!.number)
    }

    static func civil(_ days: Int) -> (year: Int, month: Int, day: Int) {
        Day(number: Int32(days)).components
    }

    static func daysIn(year: Int, month: Int) -> Int { Day.daysIn(year: year, month: month) }

    /// 0 = Sunday ... 6 = Saturday (1970-01-01 was a Thursday).
    static func weekday(_ days: Int) -> Int { ((days % 7) + 11) % 7 }
}

enum SynthText {
    /// `2026-10-03`
    static func date(_ days: Int) -> String {
        let (y, m, d) = SynthCalendar.civil(days)
        return String(unsafeUninitializedCapacity: 10) { buf in
            put4(buf, 0, y); buf[4] = 45; put2(buf, 5, m); buf[7] = 45; put2(buf, 8, d)
            return 10
        }
    }

    /// `2026-10-03T14:05:00`, or with `+08:00` appended.
    static func timestamp(_ minute: Int, offset: Bool = false) -> String {
        let days = minute >= 0 ? minute / 1440 : (minute - 1439) / 1440
        let mod = minute - days * 1440
        let (y, m, d) = SynthCalendar.civil(days)
        let count = offset ? 25 : 19
        return String(unsafeUninitializedCapacity: count) { buf in
            put4(buf, 0, y); buf[4] = 45; put2(buf, 5, m); buf[7] = 45; put2(buf, 8, d)
            buf[10] = 84; put2(buf, 11, mod / 60); buf[13] = 58; put2(buf, 14, mod % 60)
            buf[16] = 58; buf[17] = 48; buf[18] = 48
            if offset {
                buf[19] = 43; buf[20] = 48; buf[21] = 56; buf[22] = 58; buf[23] = 48; buf[24] = 48
            }
            return count
        }
    }

    /// Money from integer cents as a plain decimal: `12800` or `12800.50`. Never floating point.
    static func money(cents: Int) -> String {
        precondition(cents >= 0)
        let yuan = cents / 100, fraction = cents % 100
        if fraction == 0 { return String(yuan) }
        return String(yuan) + (fraction < 10 ? ".0" : ".") + String(fraction)
    }

    /// `prefix` + `value` zero-padded to `width` digits (wider values are written in full).
    static func id(_ prefix: String, _ value: Int, width: Int) -> String {
        let digits = String(value)
        if digits.utf8.count >= width { return prefix + digits }
        return prefix + String(repeating: "0", count: width - digits.utf8.count) + digits
    }

    static func digitCount(_ n: Int) -> Int {
        var n = max(n, 0), c = 1
        while n >= 10 { n /= 10; c += 1 }
        return c
    }

    @inline(__always)
    private static func put2(_ buf: UnsafeMutableBufferPointer<UInt8>, _ at: Int, _ v: Int) {
        buf[at] = UInt8(48 + v / 10); buf[at + 1] = UInt8(48 + v % 10)
    }

    @inline(__always)
    private static func put4(_ buf: UnsafeMutableBufferPointer<UInt8>, _ at: Int, _ v: Int) {
        put2(buf, at, v / 100 % 100); put2(buf, at + 2, v % 100)
    }
}
