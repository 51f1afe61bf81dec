import BigInt

/// An exact fraction: every derived figure (a rate, a cost per lead, a score, a weighted total) is one.
///
/// Nothing is rounded while computing; a figure is rounded only when printed, by `decimalString(places:)`,
/// half away from zero. Always kept reduced with a positive denominator, so equal values compare equal.
///
/// Almost every figure of a period (counts, money in minor units, rates of counts) has terms that fit in
/// 64 bits, so those are held inline as two `Int64` and computed with overflow-checked machine arithmetic
/// and a binary GCD; only a result that does not fit takes `BigInt`. The form is canonical (a value is
/// small exactly when its reduced terms fit, see `Form`), so `==`, `hash` and `<` agree whichever way a
/// value was computed. ExactFastPathTests compares every operation with plain `BigInt` arithmetic.
public struct Exact: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The reduced fraction, denominator positive: the view the arithmetic switches on (stored as `n`,
    /// `d` and `big`).
    @usableFromInline
    enum Form {
        /// |numerator| <= Int64.max (so never Int64.min: negation cannot overflow) and
        /// 1 <= denominator <= Int64.max. Every value whose reduced terms fit is held this way.
        case small(Int64, Int64)
        /// Everything else (a term beyond Int64), never a value that would fit `small`.
        case big(Big)
    }

    /// The terms of a value too large for `Form.small` (a class, so `Exact` stays three words).
    @usableFromInline
    final class Big: Sendable, Hashable {
        @usableFromInline let numerator: BigInt
        @usableFromInline let denominator: BigInt
        init(_ numerator: BigInt, _ denominator: BigInt) { self.numerator = numerator; self.denominator = denominator }
        @usableFromInline static func == (a: Big, b: Big) -> Bool {
            a.numerator == b.numerator && a.denominator == b.denominator
        }
        @usableFromInline func hash(into h: inout Hasher) { h.combine(numerator); h.combine(denominator) }
    }

    // Stored as the small terms beside an optional reference rather than as the enum itself: a struct of
    // plain words and one optional reference is copied and destroyed by a retain and a release (both
    // nothing for nil), where a two-payload enum asks the runtime for its case whenever a KPIValue or
    // a scorecard is copied generically.
    /// The small form's terms; 0 and 0 when `big` is set.
    @usableFromInline let n: Int64
    @usableFromInline let d: Int64
    /// The big form, nil for a small value.
    @usableFromInline let big: Big?

    @inlinable
    var form: Form {
        @inline(__always) get {
            if let big { return .big(big) }
            return .small(n, d)
        }
    }

    @inlinable @inline(__always)
    init(form: Form) {
        switch form {
        case .small(let n, let d): self.n = n; self.d = d; self.big = nil
        case .big(let b): self.n = 0; self.d = 0; self.big = b
        }
    }

    /// The numerator of the reduced fraction (negative for a negative value).
    public var numerator: BigInt {
        switch form {
        case .small(let n, _): return Exact.bigInt(n)
        case .big(let b): return b.numerator
        }
    }

    /// The denominator of the reduced fraction, always positive.
    public var denominator: BigInt {
        switch form {
        case .small(_, let d): return Exact.bigInt(d)
        case .big(let b): return b.denominator
        }
    }

    /// The reduced terms when both fit in 64 bits (|numerator| <= Int64.max, denominator positive):
    /// what the fast printers use instead of `numerator` and `denominator`.
    @inlinable
    public var small: (numerator: Int64, denominator: Int64)? {
        if case .small(let n, let d) = form { return (n, d) }
        return nil
    }

    /// `numerator / denominator`; the denominator must not be zero (use `ratio` when it may be).
    public init(_ numerator: BigInt, _ denominator: BigInt = 1) {
        precondition(!denominator.isZero, "Exact with a zero denominator")
        if let n = Exact.int64(numerator), let d = Exact.int64(denominator), let s = Exact.reduced(n, d) {
            self = s
            return
        }
        var n = numerator
        var d = denominator
        if d.sign == .minus { n.negate(); d.negate() }
        let g = n.greatestCommonDivisor(with: d)
        if g > 1 { n /= g; d /= g }
        self.init(canonical: n, d)
    }

    /// A reduced fraction with a positive denominator, in the form its size calls for.
    init(canonical n: BigInt, _ d: BigInt) {
        if let sn = Exact.int64(n), sn != .min, let sd = Exact.int64(d) {
            self.init(form: .small(sn, sd))
        } else {
            self.init(form: .big(Big(n, d)))
        }
    }

    public init(_ value: Int) { self.init(Int64(value)) }
    public init(_ value: Int64) {
        if value != .min { self.init(form: .small(value, 1)) } else { self.init(BigInt(value), 1) }
    }

    /// `numerator / denominator` from machine integers; the denominator must not be zero.
    public init(numerator: Int64, denominator: Int64) {
        precondition(denominator != 0, "Exact with a zero denominator")
        if let s = Exact.reduced(numerator, denominator) {
            self = s
        } else {
            self.init(Exact.bigInt(numerator), Exact.bigInt(denominator))
        }
    }

    /// The ratio, or nil ("no data") when the denominator is zero.
    public static func ratio(_ numerator: Exact, _ denominator: Exact) -> Exact? {
        denominator.isZero ? nil : numerator / denominator
    }

    public static let zero = Exact(0)
    public static let one = Exact(1)
    public static let hundred = Exact(100)

    @inlinable
    public var isZero: Bool {
        if case .small(let n, _) = form { return n == 0 }
        return false // zero is always small
    }

    @inlinable
    public var isNegative: Bool {
        switch form {
        case .small(let n, _): return n < 0
        case .big(let b): return b.numerator.sign == .minus && !b.numerator.isZero
        }
    }

    @inlinable
    public var isInteger: Bool {
        switch form {
        case .small(_, let d): return d == 1
        case .big(let b): return b.denominator == 1
        }
    }

    // MARK: arithmetic

    public static func + (a: Exact, b: Exact) -> Exact {
        if case .small(let an, let ad) = a.form, case .small(let bn, let bd) = b.form,
           let s = sum(an, ad, bn, bd) {
            return s
        }
        let an = a.numerator, ad = a.denominator, bn = b.numerator, bd = b.denominator
        if ad == bd { return Exact(an + bn, ad) }
        return Exact(an * bd + bn * ad, ad * bd)
    }

    public static func - (a: Exact, b: Exact) -> Exact {
        if case .small(let an, let ad) = a.form, case .small(let bn, let bd) = b.form,
           let s = sum(an, ad, -bn, bd) {
            return s
        }
        let an = a.numerator, ad = a.denominator, bn = b.numerator, bd = b.denominator
        if ad == bd { return Exact(an - bn, ad) }
        return Exact(an * bd - bn * ad, ad * bd)
    }

    public static func * (a: Exact, b: Exact) -> Exact {
        if case .small(let an, let ad) = a.form, case .small(let bn, let bd) = b.form,
           let p = product(an, ad, bn, bd) {
            return p
        }
        return Exact(a.numerator * b.numerator, a.denominator * b.denominator)
    }

    /// Division by zero is a programming error here; callers with data-driven divisors use `ratio`.
    public static func / (a: Exact, b: Exact) -> Exact {
        if case .small(let an, let ad) = a.form, case .small(let bn, let bd) = b.form {
            precondition(bn != 0, "Exact with a zero denominator")
            // b's reciprocal, sign on the numerator (neither term is Int64.min, so negation is safe).
            if let p = bn < 0 ? product(an, ad, -bd, -bn) : product(an, ad, bd, bn) { return p }
        }
        return Exact(a.numerator * b.denominator, a.denominator * b.numerator)
    }

    public static prefix func - (a: Exact) -> Exact {
        switch a.form {
        case .small(let n, let d): return Exact(form: .small(-n, d))
        // |n| is symmetric, so the negation of a big value is big too.
        case .big(let b): return Exact(form: .big(Big(-b.numerator, b.denominator)))
        }
    }

    public static func += (a: inout Exact, b: Exact) { a = a + b }

    public static func < (a: Exact, b: Exact) -> Bool {
        if case .small(let an, let ad) = a.form, case .small(let bn, let bd) = b.form {
            if ad == bd { return an < bn }
            // Cross products in 128 bits: never overflow.
            let l = an.multipliedFullWidth(by: bd), r = bn.multipliedFullWidth(by: ad)
            return l.high < r.high || (l.high == r.high && l.low < r.low)
        }
        return a.numerator * b.denominator < b.numerator * a.denominator
    }

    public static func min(_ a: Exact, _ b: Exact) -> Exact { a < b ? a : b }
    public static func max(_ a: Exact, _ b: Exact) -> Exact { a < b ? b : a }

    // MARK: machine-integer helpers

    /// `an/ad + bn/bd` for reduced small terms (`bn` may be any Int64 but Int64.min), or nil when a
    /// step would overflow. Over the denominators' GCD first, as Knuth does, so fewer sums overflow.
    @inline(__always)
    static func sum(_ an: Int64, _ ad: Int64, _ bn: Int64, _ bd: Int64) -> Exact? {
        if ad == bd {
            let (n, o) = an.addingReportingOverflow(bn)
            return o ? nil : reduced(n, ad)
        }
        let g = Int64(gcd(UInt64(ad), UInt64(bd)))
        let ad1 = ad / g, bd1 = bd / g
        let (x, o1) = an.multipliedReportingOverflow(by: bd1)
        let (y, o2) = bn.multipliedReportingOverflow(by: ad1)
        let (n, o3) = x.addingReportingOverflow(y)
        let (d, o4) = ad.multipliedReportingOverflow(by: bd1)
        if o1 || o2 || o3 || o4 { return nil }
        return reduced(n, d)
    }

    /// `(an/ad) × (bn/bd)` for reduced terms with positive denominators (`bn` not Int64.min), or nil
    /// on overflow. Cancelling across first keeps the terms small and leaves the product reduced.
    @inline(__always)
    static func product(_ an: Int64, _ ad: Int64, _ bn: Int64, _ bd: Int64) -> Exact? {
        let g1 = Int64(gcd(an.magnitude, UInt64(bd)))
        let g2 = Int64(gcd(bn.magnitude, UInt64(ad)))
        let (n, o1) = (an / g1).multipliedReportingOverflow(by: bn / g2)
        let (d, o2) = (ad / g2).multipliedReportingOverflow(by: bd / g1)
        if o1 || o2 || n == .min { return nil }
        return Exact(form: .small(n, d))
    }

    /// `n/d` reduced with a positive denominator (`d` not zero), or nil when that is not a small form
    /// (a term Int64.min that cannot be negated or reduced away).
    @inline(__always)
    static func reduced(_ n: Int64, _ d: Int64) -> Exact? {
        var n = n, d = d
        if d < 0 {
            if n == .min || d == .min { return nil }
            n = -n; d = -d
        }
        let g = gcd(n.magnitude, UInt64(d))
        if g != 1 {
            let s = Int64(g) // g <= d <= Int64.max
            n /= s; d /= s
        }
        return n == .min ? nil : Exact(form: .small(n, d))
    }

    /// Binary GCD (Stein): shifts and subtractions, no division. gcd(0, b) = b.
    @usableFromInline @inline(__always)
    static func gcd(_ a: UInt64, _ b: UInt64) -> UInt64 {
        if a == 0 { return b }
        if b == 0 { return a }
        if a == 1 || b == 1 { return 1 }
        let shift = (a | b).trailingZeroBitCount
        var u = a >> a.trailingZeroBitCount
        var v = b
        repeat {
            v >>= v.trailingZeroBitCount
            if u > v { swap(&u, &v) }
            v -= u
        } while v != 0
        return u << shift
    }

    /// The value of a big integer when it fits Int64 (read through the magnitude's words: the generic
    /// `Int64(exactly:)` costs more than the arithmetic it saves).
    @inline(__always)
    static func int64(_ x: BigInt) -> Int64? {
        let words = x.magnitude.words
        let m: UInt64
        switch words.count {
        case 0: return 0
        case 1: m = UInt64(words[words.startIndex])
        default: return nil
        }
        if x.sign == .minus {
            return m <= UInt64(Int64.max) ? -Int64(m) : (m == UInt64(Int64.max) + 1 ? .min : nil)
        }
        return m <= UInt64(Int64.max) ? Int64(m) : nil
    }

    /// A big integer of a machine integer, without the generic conversion's array for negatives.
    @inline(__always)
    static func bigInt(_ x: Int64) -> BigInt {
        BigInt(sign: x < 0 ? .minus : .plus, magnitude: BigUInt(x.magnitude))
    }

    /// 10^0 ... 10^19, the powers that fit UInt64.
    static let powersOfTen: [UInt64] = (0...19).map { p in (0..<p).reduce(1) { r, _ in r * 10 } }

    // MARK: rounding and printing

    /// The value scaled by 10^places and rounded (half away from zero, or half to even), as magnitude
    /// and sign, when the terms are small and the rounded magnitude fits UInt64; else nil. The product
    /// |n| × 10^places is taken in 128 bits, so only a quotient past 64 bits falls back.
    @inline(__always)
    func roundedMagnitude(places: Int, halfEven: Bool) -> (magnitude: UInt64, negative: Bool)? {
        guard case .small(let n, let d) = form, places >= 0, places <= 19 else { return nil }
        let ud = UInt64(d)
        let wide = n.magnitude.multipliedFullWidth(by: Exact.powersOfTen[places])
        guard wide.high < ud else { return nil } // the quotient would not fit 64 bits
        // A product that fits 64 bits (most do) is divided by one machine division, not a 128-bit one.
        let (q, r) = wide.high == 0 ? wide.low.quotientAndRemainder(dividingBy: ud) : ud.dividingFullWidth(wide)
        // r < d <= Int64.max, so twice r fits.
        let twice = r &* 2
        let away = twice > ud || (twice == ud && (!halfEven || q % 2 != 0))
        if !away { return (q, n < 0) }
        let (up, overflow) = q.addingReportingOverflow(1)
        return overflow ? nil : (up, n < 0)
    }

    /// A rounded magnitude and sign as Int64, when it fits.
    @inline(__always)
    static func signed(_ m: (magnitude: UInt64, negative: Bool)?) -> Int64? {
        guard let (m, negative) = m else { return nil }
        if negative { return m <= UInt64(Int64.max) + 1 ? Int64(truncatingIfNeeded: 0 &- m) : nil }
        return m <= UInt64(Int64.max) ? Int64(m) : nil
    }

    /// `scaledRounded(places:)` when it fits Int64 (else nil): no `BigInt` on the way.
    public func scaledRoundedSmall(places: Int) -> Int64? {
        Exact.signed(roundedMagnitude(places: places, halfEven: false))
    }

    /// `scaledRoundedHalfEven(places:)` when it fits Int64 (else nil).
    public func scaledRoundedHalfEvenSmall(places: Int) -> Int64? {
        Exact.signed(roundedMagnitude(places: places, halfEven: true))
    }

    /// The value scaled by 10^places and rounded half away from zero, as an integer.
    public func scaledRounded(places: Int) -> BigInt {
        if let q = scaledRoundedSmall(places: places) { return Exact.bigInt(q) }
        let numerator = self.numerator, denominator = self.denominator
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
        if let q = scaledRoundedHalfEvenSmall(places: places) { return Exact.bigInt(q) }
        let numerator = self.numerator, denominator = self.denominator
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
        if let (m, negative) = roundedMagnitude(places: places, halfEven: false) {
            return Exact.formatScaled(m, negative: negative, places: places)
        }
        let s = scaledRounded(places: places)
        return Exact.formatScaled(s, places: places)
    }

    /// Writes `decimalString(places:)` as UTF-8 bytes at `out` when the value's terms fit 64 bits (all the
    /// counts, money and rates of a period) and the text fits `capacity` bytes, with no `String` made; returns
    /// its length. Nil otherwise, and nothing is written: the caller takes `decimalString(places:)`.
    public func writeDecimal(places: Int, to out: UnsafeMutablePointer<UInt8>, capacity: Int) -> Int? {
        guard let (m, negative) = roundedMagnitude(places: places, halfEven: false),
              Exact.scaledWidth(m, negative: negative, places: places) <= capacity else { return nil }
        return Exact.writeScaled(m, negative: negative, places: places, into: out)
    }

    /// A plain decimal with as many places as needed when the fraction is a finite decimal within
    /// `maxPlaces`, else rounded to `maxPlaces`.
    public func shortDecimalString(maxPlaces: Int = 10) -> String {
        decimalString(places: shortPlaces(maxPlaces: maxPlaces))
    }

    /// The fewest places `p < maxPlaces` at which the value is a whole number of 10^-p, else `maxPlaces`
    /// (at least 0).
    func shortPlaces(maxPlaces: Int) -> Int {
        var places = 0
        if case .small(let n, let d) = form {
            // On the remainder, so it stays below d: (n × 10^p) mod d is 0 exactly when
            // ((|n| mod d) × 10^p) mod d is.
            let ud = UInt64(d)
            var r = n.magnitude % ud
            while places < maxPlaces {
                if r == 0 { break }
                // 10r < 10d: the quotient by d is below 10, so the full-width division cannot trap.
                r = ud.dividingFullWidth((10 as UInt64).multipliedFullWidth(by: r)).remainder
                places += 1
            }
            return places
        }
        // A big value: reduced, so n × 10^p is a multiple of d exactly when d divides 10^p, i.e. when
        // d = 2^a × 5^b with a, b <= p; the fewest places are max(a, b). (No products of big numbers.)
        let fallback = Swift.max(0, maxPlaces)
        guard case .big(let big) = form else { return fallback }
        let twos = big.denominator.magnitude.trailingZeroBitCount
        if twos >= maxPlaces { return fallback }
        var rest = big.denominator.magnitude >> twos
        var fives = 0
        while fives < maxPlaces {
            let (q, r) = rest.quotientAndRemainder(dividingBy: 5)
            if !r.isZero { break }
            rest = q
            fives += 1
        }
        let needed = Swift.max(twos, fives)
        return rest == 1 && needed < maxPlaces ? needed : fallback
    }

    /// Whether the value is a whole number of 10^-places, i.e. whether `decimalString(places:)` (and so
    /// `shortDecimalString(maxPlaces: places)`) writes it exactly and reads back as the same value.
    public func isDecimal(places: Int) -> Bool {
        if isInteger { return true }
        return shortPlaces(maxPlaces: places + 1) <= places
    }

    static func formatScaled(_ scaled: BigInt, places: Int) -> String {
        if let s = int64(scaled) { return formatScaled(s.magnitude, negative: s < 0, places: places) }
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

    /// `formatScaled` of a machine integer given as magnitude and sign: digits with the point moved
    /// `places` left, at least one digit before it, `-` only when the number is not zero.
    static func formatScaled(_ magnitude: UInt64, negative: Bool, places: Int) -> String {
        String(unsafeUninitializedCapacity: scaledWidth(magnitude, negative: negative, places: places)) { buffer in
            writeScaled(magnitude, negative: negative, places: places, into: buffer.baseAddress!)
        }
    }

    /// How many bytes `writeScaled` writes.
    @inline(__always)
    static func scaledWidth(_ magnitude: UInt64, negative: Bool, places: Int) -> Int {
        let digits = digitCount(magnitude)
        let width = places > 0 ? Swift.max(digits, places + 1) + 1 : digits
        return (negative && magnitude != 0 ? 1 : 0) + width
    }

    /// Decimal digits of `v` (1 for 0): from its bit length (log10 2 ≈ 1233 / 4096), then one comparison.
    @inline(__always)
    static func digitCount(_ v: UInt64) -> Int {
        let bits = 64 - (v | 1).leadingZeroBitCount
        let d = (bits &* 1233) &>> 12
        return v >= powersOfTen[d] ? d + 1 : Swift.max(d, 1)
    }

    /// "00" "01" ... "99": two digits at once.
    private static let digitPairs: StaticString = """
        00010203040506070809101112131415161718192021222324252627282930313233343536373839\
        40414243444546474849505152535455565758596061626364656667686970717273747576777879\
        8081828384858687888990919293949596979899
        """

    /// Writes `formatScaled`'s text at `out` and returns its length (`scaledWidth`).
    @inline(__always)
    static func writeScaled(_ magnitude: UInt64, negative: Bool, places: Int, into out: UnsafeMutablePointer<UInt8>) -> Int {
        let total = scaledWidth(magnitude, negative: negative, places: places)
        let sign = negative && magnitude != 0 ? 1 : 0
        if sign == 1 { out[0] = UInt8(ascii: "-") }
        var i = total
        var m = magnitude
        // From the right: the `places` fraction digits (two at a time) and the point, then the whole part,
        // zeros up to the width.
        let pairs = digitPairs.utf8Start
        if places > 0 {
            var k = places
            while k >= 2 {
                let q = m / 100
                let r = Int(truncatingIfNeeded: m &- q &* 100) &* 2
                i -= 2
                out[i] = pairs[r]
                out[i + 1] = pairs[r + 1]
                m = q
                k -= 2
            }
            if k == 1 {
                i -= 1
                out[i] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: m % 10)
                m /= 10
            }
            i -= 1
            out[i] = UInt8(ascii: ".")
        }
        repeat {
            i -= 1
            out[i] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: m % 10)
            m /= 10
        } while i > sign
        return total
    }

    public var description: String {
        switch form {
        case .small(let n, let d): return d == 1 ? String(n) : "\(n)/\(d)"
        case .big(let b): return b.denominator == 1 ? String(b.numerator) : "\(b.numerator)/\(b.denominator)"
        }
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
        var value: Exact
        switch Exact.scanDecimal(s) {
        case .invalid: return nil
        case .small(let units, let scale) where scale <= 18:
            value = Exact(numerator: units, denominator: Int64(Exact.powersOfTen[scale]))
        default:
            guard let (units, scale) = Exact.parseDecimalDigits(s) else { return nil }
            value = Exact(units, BigInt(10).power(scale))
        }
        if percent { value = value / Exact.hundred }
        self = value
    }

    public init?(decimal text: String) { self.init(decimal: Substring(text)) }

    /// What `scanDecimal` found.
    enum ScannedDecimal {
        /// Not a decimal `parseDecimalDigits` accepts.
        case invalid
        /// The integer of all digits (it fits Int64, and not as Int64.min) and the decimal places.
        case small(Int64, Int)
        /// A decimal whose digits do not fit 64 bits: `parseDecimalDigits` reads it.
        case big
    }

    /// `parseDecimalDigits` on the bytes in place, in machine integers (no array, string or BigInt):
    /// the same grammar, an optional sign, digits with at most one point, not ending in a bare point.
    static func scanDecimal(_ s: Substring) -> ScannedDecimal {
        var it = s.utf8.makeIterator()
        guard var c = it.next() else { return .invalid }
        var negative = false
        var last: UInt8 = 0
        if c == UInt8(ascii: "-") || c == UInt8(ascii: "+") {
            negative = c == UInt8(ascii: "-")
            guard let next = it.next() else { return .invalid }
            c = next
        }
        var m: UInt64 = 0
        var fits = true
        var digits = 0
        var scale = 0
        var seenPoint = false
        while true {
            last = c
            if c == UInt8(ascii: ".") {
                if seenPoint { return .invalid }
                seenPoint = true
            } else if c >= 48 && c <= 57 {
                digits += 1
                if seenPoint { scale += 1 }
                if fits {
                    let (t, o1) = m.multipliedReportingOverflow(by: 10)
                    let (u, o2) = t.addingReportingOverflow(UInt64(c - 48))
                    if o1 || o2 || u > UInt64(Int64.max) { fits = false } else { m = u }
                }
            } else {
                return .invalid
            }
            guard let next = it.next() else { break }
            c = next
        }
        guard digits > 0, !(seenPoint && scale == 0 && last == UInt8(ascii: ".")) else { return .invalid }
        guard fits else { return .big }
        return .small(negative ? -Int64(m) : Int64(m), scale)
    }

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
