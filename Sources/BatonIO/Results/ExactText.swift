import BatonCore

/// The printed forms of exact numbers, written as bytes: the same text as `Exact.decimalString(places:)`,
/// `Exact.shortDecimalString(maxPlaces:)`, `Exact.description` and `Printing`, but in 64-bit integer
/// arithmetic when the fraction's terms fit (counts, money, the rates of one period always do), with no
/// `BigInt` or `String` in between. Anything larger takes the `BigInt` path of the core, so the text is
/// the same either way (ResultStreamTests compares the two).
enum ExactText {
    /// 10^0 ... 10^19.
    private static let powersOfTen: [UInt64] = (0...19).map { p in (0..<p).reduce(1) { r, _ in r * 10 } }

    /// The fraction's terms when both fit in 64 bits (`Exact.small`, held inline): magnitude of the
    /// numerator, its sign, the (positive) denominator.
    @inline(__always)
    static func small(_ x: Exact) -> (magnitude: UInt64, negative: Bool, denominator: UInt64)? {
        guard let (n, d) = x.small else { return nil }
        return (n.magnitude, n < 0, UInt64(d))
    }

    /// `x.decimalString(places:)`: exactly `places` decimals, rounded half away from zero.
    static func decimal(_ x: Exact, places: Int, into out: inout SinkBuffer) {
        if let (m, negative, d) = small(x), let q = scaledRounded(m, d, places: places) {
            writeScaled(q, negative: negative, places: places, into: &out)
        } else {
            out.text(x.decimalString(places: places))
        }
    }

    /// `x.shortDecimalString(maxPlaces:)`: as many decimals as the value needs, at most `maxPlaces`
    /// (rounded there).
    static func short(_ x: Exact, maxPlaces: Int = Printing.places, into out: inout SinkBuffer) {
        if maxPlaces <= 19, let (m, negative, d) = small(x) {
            let places: Int
            switch decimalPlaces(m, d, upTo: maxPlaces - 1) {
            case .places(let p): places = p
            case .none: places = maxPlaces
            case .unknown: out.text(x.shortDecimalString(maxPlaces: maxPlaces)); return
            }
            if let q = scaledRounded(m, d, places: places) {
                writeScaled(q, negative: negative, places: places, into: &out)
                return
            }
        }
        out.text(x.shortDecimalString(maxPlaces: maxPlaces))
    }

    /// `Printing.exact(x)`.
    @inline(__always)
    static func exact(_ x: Exact, into out: inout SinkBuffer) { short(x, maxPlaces: Printing.places, into: &out) }

    /// Whether `Printing.exact(x)` is `x` itself (a decimal within `Printing.places`), i.e. whether it
    /// reads back as the same fraction. When not, scorecards.json gives the fraction as well.
    static func printsExactly(_ x: Exact) -> Bool {
        if let (m, _, d) = small(x) {
            switch decimalPlaces(m, d, upTo: Printing.places) {
            case .places: return true
            case .none: return false
            case .unknown: break
            }
        }
        // Printing.exact(x) is x itself exactly when x is a whole number of 10^-places.
        return x.isDecimal(places: Printing.places)
    }

    /// `x.description`: `12` or `5/3`.
    static func fraction(_ x: Exact, into out: inout SinkBuffer) {
        if let (m, negative, d) = small(x) {
            let p = out.reserve(42)
            var e = p
            if negative { e.pointee = 45; e += 1 }
            e = Digits.write(m, to: e)
            if d != 1 {
                e.pointee = 47
                e = Digits.write(d, to: e + 1)
            }
            out.advance(to: e)
        } else {
            out.text(x.description)
        }
    }

    /// `Printing.number(x, unit:currency:)`.
    static func number(_ x: Exact, unit: KPIUnit, currency: Currency, into out: inout SinkBuffer) {
        switch unit {
        case .count:
            if let (m, negative, d) = small(x), d == 1 {
                let p = out.reserve(21)
                var e = p
                if negative { e.pointee = 45; e += 1 }
                out.advance(to: Digits.write(m, to: e))
            } else if x.isInteger {
                out.text(x.description)
            } else {
                decimal(x, places: Printing.places, into: &out)
            }
        case .money: decimal(x, places: currency.decimals, into: &out)
        case .moneyRatio, .rate: decimal(x, places: Printing.places, into: &out)
        }
    }

    /// `Currency.format(m)`: whole minor units with the currency's decimals.
    static func money(_ m: Money, _ currency: Currency, into out: inout SinkBuffer) {
        let v = m.minorUnits
        writeScaled(v.magnitude, negative: v < 0, places: currency.decimals, into: &out)
    }

    // MARK: arithmetic

    /// `m / d` scaled by 10^places and rounded half away from zero, or nil when it would overflow.
    @inline(__always)
    private static func scaledRounded(_ m: UInt64, _ d: UInt64, places: Int) -> UInt64? {
        guard places >= 0 && places <= 19 else { return nil }
        let (scaled, overflow) = m.multipliedReportingOverflow(by: powersOfTen[places])
        if overflow { return nil }
        var q = scaled / d
        let r = scaled % d
        // Twice the remainder at least the denominator, without overflowing: r >= d - r.
        if r >= d - r { q += 1 }
        return q
    }

    /// How many decimal places a fraction needs to be printed exactly.
    enum Places {
        /// `p` places are enough, and no fewer are.
        case places(Int)
        /// More than the limit.
        case none
        /// The 64-bit arithmetic would overflow: ask the core.
        case unknown
    }

    /// The fewest places `p <= limit` for which `m * 10^p` is a multiple of `d` (the loop of
    /// `Exact.shortDecimalString`, on the remainder so it stays small).
    @inline(__always)
    static func decimalPlaces(_ m: UInt64, _ d: UInt64, upTo limit: Int) -> Places {
        var r = m % d
        var p = 0
        while r != 0 {
            if p >= limit { return .none }
            let (t, overflow) = r.multipliedReportingOverflow(by: 10)
            if overflow { return .unknown }
            r = t % d
            p += 1
        }
        return .places(p)
    }

    /// Writes `q / 10^places` with exactly `places` decimals (`Exact.formatScaled`): a leading `0.` and
    /// zeros as needed, `-` only when the rounded value is not zero.
    @inline(__always)
    static func writeScaled(_ q: UInt64, negative: Bool, places: Int, into out: inout SinkBuffer) {
        let digits = Digits.count(q)
        let p = out.reserve(24 + places)
        var e = p
        if negative && q != 0 { e.pointee = 45; e += 1 }
        if places == 0 {
            out.advance(to: Digits.write(q, to: e))
            return
        }
        // Room for `places + 1` digits at least, then the point moved in.
        let width = max(digits, places + 1)
        e.update(repeating: 48, count: width - digits)
        _ = Digits.write(q, to: e + (width - digits))
        // Shift the last `places` digits right by one to make room for the point.
        let point = e + (width - places)
        (point + 1).update(from: point, count: places)
        point.pointee = 46
        out.advance(to: e + width + 1)
    }
}
