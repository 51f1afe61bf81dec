import BatonCore

/// How figures are written for people: thousands separators, percentages with one decimal, money with
/// the currency's decimals and code. The one place display rounding lives (result files use `Printing`).
///
/// A brand's page writes a few hundred thousand figures, so the common case (numerator and denominator
/// within 62 bits) is computed in machine integers, with the same rounding as `Exact.decimalString`
/// (half away from zero) and the same grouping as `Printing.grouped`; anything larger goes the exact way.
struct DisplayFormat: Sendable {
    /// What a format holds, behind one reference: formats are copied into every helper that writes words.
    private final class Parts: Sendable {
        let currency: Currency
        let language: Language
        let labels: Labels
        let code: String
        init(currency: Currency, language: Language) {
            self.currency = currency
            self.language = language
            labels = Labels.table(language)
            code = DisplayText.clean(currency.code)
        }
    }
    private let parts: Parts

    init(currency: Currency, language: Language) {
        parts = Parts(currency: currency, language: language)
    }

    var currency: Currency { parts.currency }
    var language: Language { parts.language }
    var labels: Labels { parts.labels }
    /// The currency code as shown (`DisplayText.clean`ed once).
    var code: String { parts.code }

    /// A KPI's value as shown, or "no data" (never 0) when it has none. A table whose column header
    /// names the currency leaves the code off each money cell (`withCode: false`).
    func value(_ v: KPIValue, withCode: Bool = true) -> String {
        guard let x = v.value else { return labels.noData }
        return number(x, unit: v.kpi.unit, withCode: withCode)
    }

    /// `value(v)` from the figure's value and unit alone (no copy of the figure).
    func value(_ x: Exact?, unit: KPIUnit, withCode: Bool = true) -> String {
        guard let x else { return labels.noData }
        return number(x, unit: unit, withCode: withCode)
    }

    func number(_ x: Exact, unit: KPIUnit, withCode: Bool = true) -> String {
        switch unit {
        case .count: return count(x)
        case .money, .moneyRatio: return withCode ? money(x) : decimal(x, places: currency.decimals)
        case .rate: return percent(x)
        }
    }

    /// `1234` → `1,234`; a fractional count (a history average) keeps up to two decimals.
    func count(_ x: Exact) -> String {
        if let (n, d) = Self.small(x), let places = Self.shortPlaces(n, d, max: 2),
           let s = Self.scaledRounded(n, d, places: places) {
            return Self.written(scaled: s, places: places, grouped: true)
        }
        return DisplayFormat.grouped(x.isInteger ? x.description : x.shortDecimalString(maxPlaces: 2))
    }

    /// A whole count (`1,234`), as `count(Exact(n))` writes it.
    func count(_ n: Int) -> String { Self.written(scaled: n, places: 0, grouped: true) }

    /// `1234567.5` → `1,234,567.50 CNY`, rounded half away from zero to the currency's minor unit.
    func money(_ x: Exact) -> String {
        decimal(x, places: currency.decimals) + " " + code
    }

    /// An amount with the code: `money(currency.major(m))`, its minor units being the scaled value.
    func money(_ m: Money) -> String { amount(m) + " " + code }

    /// An amount without the code (`12,100.00`, `-816.67`): exact in the currency's decimals.
    func amount(_ m: Money) -> String {
        guard currency.decimals <= Self.maxPlaces else { return decimal(currency.major(m), places: currency.decimals) }
        return Self.written(scaled: Int(m.minorUnits), places: currency.decimals, grouped: true)
    }

    /// `0.8333…` → `83.3%`. (x × 100 to one place is x to three places, the point moved.)
    func percent(_ x: Exact) -> String {
        if let (n, d) = Self.small(x), let s = Self.scaledRounded(n, d, places: 3) {
            return Self.written(scaled: s, places: 1, grouped: true) + "%"
        }
        return DisplayFormat.grouped((x * .hundred).decimalString(places: 1)) + "%"
    }

    /// A percentage from a plan (a threshold, a cap, a step) as written there: `50%`, `12.5%`.
    func planPercent(_ x: Exact) -> String {
        if let (n, d) = Self.small(x), case let (h, false) = n.multipliedReportingOverflow(by: 100),
           let places = Self.shortPlaces(h, d, max: 4), let s = Self.scaledRounded(h, d, places: places) {
            return Self.written(scaled: s, places: places, grouped: false) + "%"
        }
        return (x * .hundred).shortDecimalString(maxPlaces: 4) + "%"
    }

    /// A score or points: one decimal (`110.0`, `47.5`).
    func score(_ x: Exact) -> String { decimal(x, places: 1) }

    /// A weight as the plan gave it (`40`), or to two decimals once rescaled (`33.33`).
    func weight(_ x: Exact) -> String {
        if let (n, d) = Self.small(x), let places = Self.shortPlaces(n, d, max: 2),
           let s = Self.scaledRounded(n, d, places: places) {
            return Self.written(scaled: s, places: places, grouped: false)
        }
        return x.shortDecimalString(maxPlaces: 2)
    }

    /// `x` rounded to `places` decimals and grouped: `Printing.grouped(x.decimalString(places:))`.
    func decimal(_ x: Exact, places: Int) -> String {
        if let (n, d) = Self.small(x), let s = Self.scaledRounded(n, d, places: places) {
            return Self.written(scaled: s, places: places, grouped: true)
        }
        return DisplayFormat.grouped(x.decimalString(places: places))
    }

    /// `-1234567.50` → `-1,234,567.50`.
    static func grouped(_ s: String) -> String { Printing.grouped(s) }

    // MARK: Machine-integer arithmetic

    /// The most decimal places written in machine integers (more go the exact way).
    static let maxPlaces = 12

    /// The fraction in machine integers, when both parts are below 2^62 in magnitude.
    @inline(__always)
    static func small(_ x: Exact) -> (Int, Int)? {
        guard let (n, d) = x.small, n.magnitude < 1 << 62, d < 1 << 62 else { return nil }
        return (Int(n), Int(d))
    }

    /// `Exact.scaledRounded(places:)`: n/d × 10^places, rounded half away from zero; nil on overflow.
    static func scaledRounded(_ n: Int, _ d: Int, places: Int) -> Int? {
        guard places <= maxPlaces else { return nil }
        var p = 1
        for _ in 0..<places { p *= 10 }
        let (scaled, overflow) = n.multipliedReportingOverflow(by: p)
        guard !overflow, scaled.magnitude < 1 << 62 else { return nil }
        let q = scaled / d, r = scaled % d
        if r.magnitude * 2 >= UInt(d) { return scaled < 0 ? q - 1 : q + 1 }
        return q
    }

    /// `Exact.shortDecimalString(maxPlaces:)`'s places: the fewest (up to `max`) that write n/d exactly;
    /// nil on overflow.
    static func shortPlaces(_ n: Int, _ d: Int, max: Int) -> Int? {
        var places = 0, p = 1
        while places < max {
            let (m, overflow) = n.multipliedReportingOverflow(by: p)
            if overflow { return nil }
            if m % d == 0 { break }
            places += 1
            p *= 10
        }
        return places
    }

    /// A scaled integer written with `places` decimals, as `Exact.formatScaled` writes it, and with
    /// `grouped` the thousands separators of `Printing.grouped`: `-123456789, 2` → `-1,234,567.89`.
    static func written(scaled: Int, places: Int, grouped: Bool) -> String {
        // Written on the stack (at most 28 bytes: a sign, 20 digits, 6 separators, a point), then copied
        // into the string, which holds up to 15 bytes without an allocation.
        var buffer: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        return withUnsafeMutableBytes(of: &buffer) { b in
            let p = b.baseAddress!.assumingMemoryBound(to: UInt8.self)
            let n = write(scaled: scaled, places: places, grouped: grouped, to: p)
            return String(unsafeUninitializedCapacity: n) { out in
                out.baseAddress!.initialize(from: p, count: n)
                return n
            }
        }
    }

    /// `written(scaled:places:grouped:)` as UTF-8 bytes at `out` (room for `writtenRoom`); returns how many.
    @inline(__always)
    static func write(scaled: Int, places: Int, grouped: Bool, to out: UnsafeMutablePointer<UInt8>) -> Int {
        precondition(places <= maxPlaces)
        // Digits, least significant first, at least one more than the places (20 digits hold any Int).
        var digits: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        return withUnsafeMutableBytes(of: &digits) { d in
            var count = 0
            var m = scaled.magnitude
            repeat { d[count] = UInt8(48 + m % 10); m /= 10; count += 1 } while m > 0
            if places > 0 { while count <= places && count < d.count { d[count] = 48; count += 1 } }
            let whole = count - places
            var n = 0
            if scaled < 0 { out[n] = 45; n += 1 }
            for i in 0..<whole {
                if grouped && i > 0 && (whole - i) % 3 == 0 { out[n] = 44; n += 1 }
                out[n] = d[count - 1 - i]; n += 1
            }
            if places > 0 {
                out[n] = 46; n += 1
                for i in whole..<count { out[n] = d[count - 1 - i]; n += 1 }
            }
            return n
        }
    }

    /// The most bytes `write(scaled:places:grouped:)` writes.
    static let writtenRoom = 32

    // MARK: Figures as bytes

    /// The most bytes `write(_:unit:withCode:to:)` writes: a written figure, a space and the code, or `%`.
    var figureRoom: Int { Self.writtenRoom + 1 + code.utf8.count }

    /// `number(x, unit:, withCode:)` as UTF-8 bytes at `out` (room for `figureRoom`), for a text made of
    /// several figures (`11 / 23`, a history target) without a string per figure; returns how many bytes,
    /// or nil, having written nothing useful, when the figure goes the exact way (`number` writes it).
    func write(_ x: Exact, unit: KPIUnit, withCode: Bool = true, to out: UnsafeMutablePointer<UInt8>) -> Int? {
        guard let (n, d) = Self.small(x) else { return nil }
        switch unit {
        case .count:
            // As `count`.
            guard let places = Self.shortPlaces(n, d, max: 2), let s = Self.scaledRounded(n, d, places: places) else { return nil }
            return Self.write(scaled: s, places: places, grouped: true, to: out)
        case .money, .moneyRatio:
            // As `decimal(x, places: currency.decimals)`, then with the code as `money`.
            let places = currency.decimals
            guard let s = Self.scaledRounded(n, d, places: places) else { return nil }
            var k = Self.write(scaled: s, places: places, grouped: true, to: out)
            guard withCode else { return k }
            out[k] = 0x20
            k += 1
            for b in code.utf8 {
                out[k] = b
                k += 1
            }
            return k
        case .rate:
            // As `percent`.
            guard let s = Self.scaledRounded(n, d, places: 3) else { return nil }
            let k = Self.write(scaled: s, places: 1, grouped: true, to: out)
            out[k] = 0x25
            return k + 1
        }
    }
}

/// Text from the data (names, teams, ids, messages) made safe to place on a page.
///
/// The template's HTML escaping handles `& < > " '`. What escaping cannot handle is a character that
/// changes how the text around it is *laid out*: bidirectional controls (U+202A–U+202E, U+2066–U+2069,
/// U+200E, U+200F, U+061C) can make "刘洋 105.0" read as "0.501 洋刘" or flip a neighbour's figure, and C0/C1
/// controls and noncharacters are not allowed in an HTML document at all. We **replace** each of them with
/// U+FFFD (�) rather than dropping it, so a tampered name stays visibly different from the real one. Tabs and
/// line breaks become spaces. Names in genuinely right-to-left scripts still show correctly: the template
/// wraps data texts in `<bdi>`, which isolates their direction from the surrounding figures.
public enum DisplayText {
    public static func clean(_ text: String) -> String {
        // Most texts need nothing: printable ASCII throughout, or no scalar the rules below touch.
        var text = text
        if !text.withUTF8(mayChange) || !text.unicodeScalars.contains(where: { changes($0) }) { return text }
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            switch s.value {
            case 0x09, 0x0A, 0x0D, 0x2028, 0x2029:
                out.append(" ")
            case 0x00...0x1F, 0x7F...0x9F,
                 0x200E, 0x200F, 0x061C, 0x202A...0x202E, 0x2066...0x2069,
                 0xFDD0...0xFDEF:
                out.append("\u{FFFD}")
            case let v where v & 0xFFFE == 0xFFFE:
                // U+FFFE, U+FFFF and their twins in every plane: noncharacters.
                out.append("\u{FFFD}")
            default:
                out.append(s)
            }
        }
        return String(out)
    }

    /// Whether the UTF-8 bytes may hold a scalar `clean` replaces, by the bytes that begin one: a control
    /// byte, C2 (U+0080–U+009F), D8 (U+061C), E2 80 and E2 81 (the marks and separators of U+2000–U+207F),
    /// EF (U+FDD0–U+FDEF, U+FFFE, U+FFFF) and F0–F4 (the other planes). Most texts, Chinese names and the
    /// pay lines' `×` `≈` `−` `→` among them, have none, and are not read scalar by scalar.
    ///
    /// Eight bytes at a time: a word of printable ASCII (no high bit, no byte below 0x20, no 0x7F) has
    /// none, and only other words are read byte by byte. Pay lines' rules and arithmetic are long ASCII.
    static func mayChange(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = bytes.count
        var i = 0
        if n >= 8, let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            while i + 8 <= n {
                let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                // With no high bit set, `(w - 0x20…20) & ~w & 0x80…80` is nonzero exactly when a byte is
                // below 0x20; `x ^ 0x7F…7F` has a zero byte exactly when `x` has 0x7F.
                let d = w ^ 0x7F7F_7F7F_7F7F_7F7F
                let odd = (w & 0x8080_8080_8080_8080) | ((w &- 0x2020_2020_2020_2020) & ~w & 0x8080_8080_8080_8080)
                    | ((d &- 0x0101_0101_0101_0101) & ~d & 0x8080_8080_8080_8080)
                if odd != 0 {
                    for j in i ..< i + 8 where mayChange(bytes, at: j) { return true }
                }
                i += 8
            }
        }
        while i < n {
            if mayChange(bytes, at: i) { return true }
            i += 1
        }
        return false
    }

    /// Whether the byte at `i` may begin a scalar `clean` replaces.
    @inline(__always)
    private static func mayChange(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        let b = bytes[i]
        if b < 0x20 || b == 0x7F || b == 0xC2 || b == 0xD8 || b == 0xEF || b >= 0xF0 { return true }
        // A continuation byte is 0x80…0xBF: E2 80 and E2 81 are U+2000…U+207F.
        return b == 0xE2 && i + 1 < bytes.count && bytes[i + 1] <= 0x81
    }

    /// `mayChange` one byte after another, for tests.
    static func mayChangeByteByByte(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.indices.contains { mayChange(bytes, at: $0) }
    }

    /// Whether `clean` replaces the scalar (the cases above, in one test).
    private static func changes(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029,
             0x200E, 0x200F, 0x061C, 0x202A...0x202E, 0x2066...0x2069,
             0xFDD0...0xFDEF:
            return true
        case let v where v & 0xFFFE == 0xFFFE:
            return true
        default:
            return false
        }
    }
}
