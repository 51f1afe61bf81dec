import BigInt

/// An exact fraction: every derived figure (a rate, a cost per lead, a score, a weighted total) is one.
///
/// Nothing is rounded while computing; a figure is rounded only when printed, by `decimalString(places:)`,
/// half away from zero. Always kept reduced with a positive denominator, so equal values compare equal.
public struct Exact: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let numerator: BigInt
    public let denominator: BigInt

    /// `numerator / denominator`; the denominator must not be zero (use `ratio` when it may be).
    public init(_ numerator: BigInt, _ denominator: BigInt = 1) {
        precondition(!denominator.isZero, "Exact with a zero denominator")
        var n = numerator
        var d = denominator
        if d.sign == .minus { n.negate(); d.negate() }
        let g = n.greatestCommonDivisor(with: d)
        if g > 1 { n /= g; d /= g }
        self.numerator = n
        self.denominator = d
    }

    public init(_ value: Int) { self.init(BigInt(value), 1) }
    public init(_ value: Int64) { self.init(BigInt(value), 1) }

    /// The ratio, or nil ("no data") when the denominator is zero.
    public static func ratio(_ numerator: Exact, _ denominator: Exact) -> Exact? {
        denominator.isZero ? nil : numerator / denominator
    }

    public static let zero = Exact(0)
    public static let one = Exact(1)
    public static let hundred = Exact(100)

    public var isZero: Bool { numerator.isZero }
    public var isNegative: Bool { numerator.sign == .minus && !numerator.isZero }
    public var isInteger: Bool { denominator == 1 }

    public static func + (a: Exact, b: Exact) -> Exact {
        if a.denominator == b.denominator { return Exact(a.numerator + b.numerator, a.denominator) }
        return Exact(a.numerator * b.denominator + b.numerator * a.denominator, a.denominator * b.denominator)
    }
    public static func - (a: Exact, b: Exact) -> Exact {
        if a.denominator == b.denominator { return Exact(a.numerator - b.numerator, a.denominator) }
        return Exact(a.numerator * b.denominator - b.numerator * a.denominator, a.denominator * b.denominator)
    }
    public static func * (a: Exact, b: Exact) -> Exact {
        Exact(a.numerator * b.numerator, a.denominator * b.denominator)
    }
    /// Division by zero is a programming error here; callers with data-driven divisors use `ratio`.
    public static func / (a: Exact, b: Exact) -> Exact {
        Exact(a.numerator * b.denominator, a.denominator * b.numerator)
    }
    public static prefix func - (a: Exact) -> Exact { Exact(-a.numerator, a.denominator) }
    public static func += (a: inout Exact, b: Exact) { a = a + b }

    public static func < (a: Exact, b: Exact) -> Bool {
        a.numerator * b.denominator < b.numerator * a.denominator
    }

    public static func min(_ a: Exact, _ b: Exact) -> Exact { a < b ? a : b }
    public static func max(_ a: Exact, _ b: Exact) -> Exact { a < b ? b : a }

    /// The value scaled by 10^places and rounded half away from zero, as an integer.
    public func scaledRounded(places: Int) -> BigInt {
        let scaled = numerator * BigInt(10).power(places)
        let (q, r) = scaled.quotientAndRemainder(dividingBy: denominator)
        // Half away from zero: compare twice the remainder's magnitude with the denominator.
        if (r.magnitude * 2) >= denominator.magnitude {
            return scaled.sign == .minus ? q - 1 : q + 1
        }
        return q
    }

    /// The value scaled by 10^places and rounded half to even ("banker's rounding"), as an integer.
    public func scaledRoundedHalfEven(places: Int) -> BigInt {
        let scaled = numerator * BigInt(10).power(places)
        let (q, r) = scaled.quotientAndRemainder(dividingBy: denominator)
        let twice = r.magnitude * 2
        let away = scaled.sign == .minus ? q - 1 : q + 1
        if twice > denominator.magnitude { return away }
        if twice == denominator.magnitude { return q.magnitude % 2 == 0 ? q : away }
        return q
    }

    /// A plain decimal with exactly `places` decimal places, rounded half away from zero ("-0.5000").
    public func decimalString(places: Int) -> String {
        let s = scaledRounded(places: places)
        return Exact.formatScaled(s, places: places)
    }

    /// A plain decimal with as many places as needed when the fraction is a finite decimal within
    /// `maxPlaces`, else rounded to `maxPlaces`.
    public func shortDecimalString(maxPlaces: Int = 10) -> String {
        var places = 0
        while places < maxPlaces {
            let p = BigInt(10).power(places)
            if (numerator * p) % denominator == 0 { break }
            places += 1
        }
        return decimalString(places: places)
    }

    static func formatScaled(_ scaled: BigInt, places: Int) -> String {
        let negative = scaled.sign == .minus && !scaled.isZero
        var digits = String(scaled.magnitude)
        if places > 0 {
            if digits.count <= places {
                digits = String(repeating: "0", count: places - digits.count + 1) + digits
            }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -places))
        }
        return negative ? "-" + digits : digits
    }

    public var description: String {
        denominator == 1 ? String(numerator) : "\(numerator)/\(denominator)"
    }

    /// Reads a plain decimal (`12`, `-3.25`, `0.6`) or a percentage (`60%`, `12.5 %`) exactly.
    /// Returns nil for anything else (thousands separators, exponents, words).
    public init?(decimal text: Substring) {
        var s = text.trimmingSpaces
        var percent = false
        if s.hasSuffix("%") {
            percent = true
            s = s.dropLast().trimmingSpaces
        }
        guard let (units, scale) = Exact.parseDecimalDigits(s) else { return nil }
        var value = Exact(units, BigInt(10).power(scale))
        if percent { value = value / Exact.hundred }
        self = value
    }

    public init?(decimal text: String) { self.init(decimal: Substring(text)) }

    /// Digits with an optional sign and one optional decimal point: the integer of all digits and the
    /// number of decimal places.
    static func parseDecimalDigits(_ s: Substring) -> (BigInt, Int)? {
        var utf8 = Array(s.utf8)
        guard !utf8.isEmpty else { return nil }
        var negative = false
        if utf8[0] == UInt8(ascii: "-") || utf8[0] == UInt8(ascii: "+") {
            negative = utf8[0] == UInt8(ascii: "-")
            utf8.removeFirst()
        }
        var digits = [UInt8]()
        var scale = 0
        var seenPoint = false
        for c in utf8 {
            if c == UInt8(ascii: ".") {
                if seenPoint { return nil }
                seenPoint = true
            } else if c >= 48 && c <= 57 {
                digits.append(c)
                if seenPoint { scale += 1 }
            } else {
                return nil
            }
        }
        guard !digits.isEmpty, !(seenPoint && scale == 0 && utf8.last == UInt8(ascii: ".")) else { return nil }
        guard var n = BigInt(String(decoding: digits, as: UTF8.self)) else { return nil }
        if negative { n.negate() }
        return (n, scale)
    }
}

extension Substring {
    /// The text without leading and trailing spaces and tabs (ASCII only: data fields are not localised).
    var trimmingSpaces: Substring {
        let u = utf8
        var start = u.startIndex
        var end = u.endIndex
        while start < end, u[start] == 0x20 || u[start] == 0x09 { start = u.index(after: start) }
        while start < end {
            let before = u.index(before: end)
            guard u[before] == 0x20 || u[before] == 0x09 else { break }
            end = before
        }
        if start == u.startIndex && end == u.endIndex { return self }
        return Substring(u[start..<end])
    }
}
