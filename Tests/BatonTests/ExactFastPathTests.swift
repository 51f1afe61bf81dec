@testable import BatonCore
import BigInt
import Testing

/// `Exact` holds values whose reduced terms fit 64 bits inline and computes them in machine integers,
/// falling back to `BigInt` on overflow. These compare every operation with a plain `BigInt` reference
/// (the arithmetic `Exact` used before the fast path) over seeded random values, many of them at the
/// 64-bit edges, so a divergence of the two paths fails here.
@Suite("Exact's 64-bit fast path agrees with plain BigInt arithmetic")
struct ExactFastPathTests {
    /// The reference: a reduced fraction in `BigInt`, computed the plain way.
    struct Ref: Equatable {
        var n: BigInt
        var d: BigInt

        init(_ n: BigInt, _ d: BigInt) {
            precondition(!d.isZero)
            var n = n, d = d
            if d.sign == .minus { n.negate(); d.negate() }
            let g = n.greatestCommonDivisor(with: d)
            if g > 1 { n /= g; d /= g }
            self.n = n; self.d = d
        }

        static func + (a: Ref, b: Ref) -> Ref { Ref(a.n * b.d + b.n * a.d, a.d * b.d) }
        static func - (a: Ref, b: Ref) -> Ref { Ref(a.n * b.d - b.n * a.d, a.d * b.d) }
        static func * (a: Ref, b: Ref) -> Ref { Ref(a.n * b.n, a.d * b.d) }
        static func / (a: Ref, b: Ref) -> Ref { Ref(a.n * b.d, a.d * b.n) }
        static func < (a: Ref, b: Ref) -> Bool { a.n * b.d < b.n * a.d }

        func scaledRounded(_ places: Int) -> BigInt {
            let scaled = n * BigInt(10).power(places)
            let (q, r) = scaled.quotientAndRemainder(dividingBy: d)
            if r.magnitude * 2 >= d.magnitude { return scaled.sign == .minus ? q - 1 : q + 1 }
            return q
        }

        func scaledRoundedHalfEven(_ places: Int) -> BigInt {
            let scaled = n * BigInt(10).power(places)
            let (q, r) = scaled.quotientAndRemainder(dividingBy: d)
            let twice = r.magnitude * 2
            let away = scaled.sign == .minus ? q - 1 : q + 1
            if twice > d.magnitude { return away }
            if twice == d.magnitude { return q.magnitude % 2 == 0 ? q : away }
            return q
        }

        func decimalString(_ places: Int) -> String {
            let scaled = scaledRounded(places)
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

        func shortDecimalString(_ maxPlaces: Int) -> String {
            var places = 0
            while places < maxPlaces {
                if (n * BigInt(10).power(places)) % d == 0 { break }
                places += 1
            }
            return decimalString(places)
        }

        var description: String { d == 1 ? String(n) : "\(n)/\(d)" }

        /// Whether the fast path must hold this value inline.
        var fitsSmall: Bool { n.magnitude <= BigUInt(Int64.max) && d <= BigInt(Int64.max) }
    }

    static let max64 = BigInt(Int64.max)
    static let min64 = BigInt(Int64.min)

    /// Integers of every size that matters: tiny, money-like, around 2^31, 2^32, 2^62, 2^63 (both
    /// sides of Int64.max and Int64.min), powers of two (whose products hit Int64.min exactly), and
    /// past 64 bits.
    static func integer(_ g: inout SplitMix64) -> BigInt {
        let r = g.next()
        let small = BigInt(Int64(truncatingIfNeeded: g.next() % 2001)) - 1000
        let k = BigInt(Int64(g.next() % 5))
        let negative = g.next() % 2 == 0
        var v: BigInt
        switch r % 12 {
        case 0, 1, 2: v = small
        case 3: v = BigInt(Int64(truncatingIfNeeded: g.next() % 10_000_000_000_000))
        case 4: v = max64 - k
        case 5: v = max64 + 1 + k
        case 6: v = BigInt(1) << Int(g.next() % 65)
        case 7: v = (BigInt(1) << Int(30 + g.next() % 4)) + small
        case 8: v = (BigInt(1) << Int(60 + g.next() % 4)) + small
        case 9: v = BigInt(Int64(truncatingIfNeeded: g.next() >> 1))
        case 10: v = BigInt(Int64(truncatingIfNeeded: g.next() >> 1)) * BigInt(Int64(truncatingIfNeeded: g.next() >> 20))
        default: v = BigInt(10).power(Int(g.next() % 22))
        }
        return negative ? -v : v
    }

    static func nonZero(_ g: inout SplitMix64) -> BigInt {
        let v = integer(&g)
        return v.isZero ? 1 : v
    }

    /// A value and its reference, built by the `BigInt` initialiser or by fast-path arithmetic.
    static func value(_ g: inout SplitMix64) -> (Exact, Ref) {
        let n = integer(&g), d = g.next() % 3 == 0 ? BigInt(1) : nonZero(&g)
        return (Exact(n, d), Ref(n, d))
    }

    /// Checks that `x` is the reduced fraction `ref`, in the canonical form.
    static func check(_ x: Exact, _ ref: Ref, _ what: @autoclosure () -> String,
                      sourceLocation: SourceLocation = #_sourceLocation) {
        let ok = x.numerator == ref.n && x.denominator == ref.d && (x.small != nil) == ref.fitsSmall
            && x.description == ref.description && x.isZero == ref.n.isZero
            && x.isNegative == (ref.n.sign == .minus && !ref.n.isZero) && x.isInteger == (ref.d == 1)
        #expect(ok, "\(what()): got \(x) (small: \(x.small != nil)), expected \(ref.description)",
                sourceLocation: sourceLocation)
        if let (n, d) = x.small {
            #expect(BigInt(n) == ref.n && BigInt(d) == ref.d, sourceLocation: sourceLocation)
        }
        // The same value made the plain way is equal and hashes alike.
        let plain = Exact(ref.n, ref.d)
        #expect(plain == x && plain.hashValue == x.hashValue, sourceLocation: sourceLocation)
    }

    @Test("construction is canonical: small exactly when the reduced terms fit 64 bits")
    func construction() {
        var g = SplitMix64(seed: 0xE4AC_7001)
        for _ in 0..<4000 {
            let n = Self.integer(&g), d = Self.nonZero(&g)
            Self.check(Exact(n, d), Ref(n, d), "Exact(\(n), \(d))")
            if let n64 = Int64(exactly: n), let d64 = Int64(exactly: d) {
                Self.check(Exact(numerator: n64, denominator: d64), Ref(n, d), "Exact(numerator: \(n), denominator: \(d))")
            }
        }
        let edges: [Int64] = [0, 1, -1, 2, -2, .max, .min, .max - 1, .min + 1, 1 << 62, -(1 << 62)]
        for n in edges {
            Self.check(Exact(n), Ref(BigInt(n), 1), "Exact(\(n))")
            for d in edges where d != 0 {
                Self.check(Exact(numerator: n, denominator: d), Ref(BigInt(n), BigInt(d)), "\(n)/\(d)")
                Self.check(Exact(BigInt(n), BigInt(d)), Ref(BigInt(n), BigInt(d)), "\(n)/\(d) from BigInt")
            }
        }
    }

    @Test("+ - * / < == hash and negation agree with BigInt arithmetic")
    func arithmetic() {
        var g = SplitMix64(seed: 0xE4AC_7002)
        for i in 0..<3000 {
            let (a, ra) = Self.value(&g)
            let (b, rb) = Self.value(&g)
            Self.check(a + b, ra + rb, "#\(i) \(ra.description) + \(rb.description)")
            Self.check(a - b, ra - rb, "#\(i) \(ra.description) - \(rb.description)")
            Self.check(a * b, ra * rb, "#\(i) \(ra.description) * \(rb.description)")
            if !rb.n.isZero {
                Self.check(a / b, ra / rb, "#\(i) \(ra.description) / \(rb.description)")
                #expect(Exact.ratio(a, b) == a / b)
                // Big intermediates that shrink back: (a × b) / b is a again, in its canonical form.
                Self.check((a * b) / b, ra, "#\(i) (a × b) / b")
            } else {
                #expect(Exact.ratio(a, b) == nil)
            }
            Self.check(-a, Ref(-ra.n, ra.d), "#\(i) -\(ra.description)")
            Self.check((a + b) - b, ra, "#\(i) (a + b) - b")
            var c = a
            c += b
            #expect(c == a + b)
            #expect((a < b) == (ra < rb), "#\(i) \(ra.description) < \(rb.description)")
            #expect((a == b) == (ra == rb), "#\(i) \(ra.description) == \(rb.description)")
            #expect(Exact.min(a, b) == (ra < rb ? a : b) && Exact.max(a, b) == (ra < rb ? b : a))
            if a == b { #expect(a.hashValue == b.hashValue) }
        }
    }

    @Test("results at the Int64 boundaries: sums and products just inside, just past, exactly Int64.min")
    func boundaries() {
        let edges: [Exact] = [Exact(Int64.max), Exact(Int64.min + 1), Exact(Int64.max - 1), Exact(1), Exact(-1), Exact(2),
                              Exact(1 << 31), Exact(-(1 << 32)), Exact(1 << 62), Exact(-(1 << 62)), Exact(numerator: 1, denominator: .max),
                              Exact(numerator: -1, denominator: .max), Exact(numerator: .max, denominator: .max - 1),
                              Exact(numerator: 3, denominator: 1 << 62), Exact(BigInt(Int64.max) + 1), Exact(BigInt(Int64.min)),
                              Exact(BigInt(Int64.min) - 1), Exact(1, BigInt(Int64.max) + 1), Exact.zero]
        for a in edges {
            let ra = Ref(a.numerator, a.denominator)
            for b in edges {
                let rb = Ref(b.numerator, b.denominator)
                Self.check(a + b, ra + rb, "\(a) + \(b)")
                Self.check(a - b, ra - rb, "\(a) - \(b)")
                Self.check(a * b, ra * rb, "\(a) * \(b)")
                if !b.isZero { Self.check(a / b, ra / rb, "\(a) / \(b)") }
                #expect((a < b) == (ra < rb), "\(a) < \(b)")
                #expect((a == b) == (ra == rb), "\(a) == \(b)")
            }
        }
        // Int64.min is one past the inline range: made by arithmetic or given, it is the big form.
        let min = Exact(-(1 << 32)) * Exact(1 << 31)
        #expect(min.small == nil && min == Exact(Int64.min) && min.numerator == BigInt(Int64.min))
        #expect((min + Exact(1)).small != nil && (-min).small == nil && -(-min) == min)
        #expect(Exact(Int64.min).hashValue == min.hashValue)
    }

    @Test("rounding both ways, decimal strings and short decimal strings at many places")
    func printing() {
        var g = SplitMix64(seed: 0xE4AC_7003)
        var values: [(Exact, Ref)] = (0..<1500).map { _ in Self.value(&g) }
        // Ties and near-ties in every sign, at small and huge denominators.
        for d in [2, 8, 200, 2000, 1 << 40, Int64.max - 1] as [Int64] {
            for n in [1, -1, 3, -3, 5, -5, d - 1, -(d - 1), d + 1] as [Int64] {
                values.append((Exact(numerator: n, denominator: d), Ref(BigInt(n), BigInt(d))))
            }
        }
        // Big values that are finite decimals (denominators 2^a × 5^b) or just not (a factor 3 or 7).
        for (a, b) in [(0, 0), (1, 0), (0, 1), (3, 9), (9, 3), (10, 2), (2, 11), (12, 12), (30, 1), (1, 30)] {
            for extra in [1, 3, 7] as [BigInt] {
                let d = BigInt(2).power(a) * BigInt(5).power(b) * extra
                for n in [BigInt(1) << 70 + 1, -(BigInt(1) << 90) - 3, BigInt(Int64.max) * 3] {
                    values.append((Exact(n, d), Ref(n, d)))
                }
            }
        }
        values.append((Exact(Int64.max) / Exact(2), Ref(BigInt(Int64.max), 2)))
        values.append((Exact(Int64.min + 1) / Exact(2), Ref(BigInt(Int64.min) + 1, 2)))
        for (x, r) in values {
            for places in [0, 1, 2, 3, 4, 6, 10, 12, 17, 18, 19, 25] {
                #expect(x.scaledRounded(places: places) == r.scaledRounded(places), "\(r.description) at \(places)")
                #expect(x.scaledRoundedHalfEven(places: places) == r.scaledRoundedHalfEven(places),
                        "\(r.description) half even at \(places)")
                if let s = x.scaledRoundedSmall(places: places) { #expect(BigInt(s) == r.scaledRounded(places)) }
                if let s = x.scaledRoundedHalfEvenSmall(places: places) { #expect(BigInt(s) == r.scaledRoundedHalfEven(places)) }
                #expect(x.decimalString(places: places) == r.decimalString(places), "\(r.description) to \(places)")
                // Written as bytes: the same text, or nil (nothing written) when it does not fit.
                var bytes = [UInt8](repeating: 0, count: 64)
                for capacity in [64, 8] {
                    let n = bytes.withUnsafeMutableBufferPointer { x.writeDecimal(places: places, to: $0.baseAddress!, capacity: capacity) }
                    if let n {
                        #expect(n <= capacity && String(decoding: bytes[..<n], as: UTF8.self) == r.decimalString(places),
                                "\(r.description) written to \(places)")
                    } else {
                        #expect(capacity < r.decimalString(places).utf8.count || x.small == nil || places > 19
                                    || x.scaledRoundedSmall(places: places) == nil, "\(r.description) not written to \(places)")
                    }
                }
                #expect(x.shortDecimalString(maxPlaces: places) == r.shortDecimalString(places),
                        "\(r.description) short to \(places)")
                #expect(x.isDecimal(places: places) == (x.isInteger || Exact(decimal: r.shortDecimalString(places)) == x),
                        "\(r.description) decimal at \(places)")
            }
            #expect(x.shortDecimalString() == r.shortDecimalString(10))
            #expect(x.description == r.description)
        }
    }

    @Test("money: formatting, major units and rounding to minor units agree with the plain forms")
    func money() {
        var g = SplitMix64(seed: 0xE4AC_7004)
        for currency in [Currency.cny, Currency(code: "JPY"), Currency(code: "KWD")] {
            var units: [Int64] = [0, 1, -1, 99, -99, 100, -100, .max, .min + 1, .min]
            for _ in 0..<500 { units.append(Int64(truncatingIfNeeded: g.next()) >> Int(g.next() % 63)) }
            for u in units {
                let m = Money(minorUnits: u)
                let major = currency.major(m)
                Self.check(major, Ref(BigInt(u), BigInt(currency.minorPerMajor)), "\(u) minor units")
                #expect(currency.format(m) == Ref(BigInt(u), 1).decimalString(0).padded(places: currency.decimals))
                #expect(currency.round(major, .halfAwayFromZero) == m && currency.round(major, .halfEven) == m)
            }
            for _ in 0..<500 {
                let (x, r) = Self.value(&g)
                guard let away = Int64(exactly: r.scaledRounded(currency.decimals)),
                      let even = Int64(exactly: r.scaledRoundedHalfEven(currency.decimals)) else { continue }
                #expect(currency.round(x, .halfAwayFromZero) == Money(minorUnits: away))
                #expect(currency.round(x, .halfEven) == Money(minorUnits: even))
            }
        }
    }

    @Test("decimals are read the same by the byte scanner and the BigInt parser")
    func reading() {
        var g = SplitMix64(seed: 0xE4AC_7005)
        let alphabet = Array("0123456789012345678901234567890123456789..-+% \t")
        var texts = ["", "-", "+", ".", "5.", ".5", "-.5", "+7", "-0", "0.000", "1..2", "1-2", "12.5 %", "60%", "%",
                     "9223372036854775807", "9223372036854775808", "-9223372036854775807", "-9223372036854775808",
                     "0.9223372036854775807", "0.000000000000000001", "0.0000000000000000001", "99999999999999999999",
                     "00000000000000000000000000012.50", "123456789012345678901234567890.125"]
        for _ in 0..<6000 {
            let length = Int(g.next() % 26)
            texts.append(String((0..<length).map { _ in alphabet[Int(g.next() % UInt64(alphabet.count))] }))
        }
        for text in texts {
            let plain = Exact.parseDecimalDigits(Substring(text))
            switch Exact.scanDecimal(Substring(text)) {
            case .invalid: #expect(plain == nil, "\(text)")
            case .small(let units, let scale): #expect(plain.map { $0.0 == BigInt(units) && $0.1 == scale } == true, "\(text)")
            case .big: #expect(plain.map { $0.0.magnitude > BigUInt(Int64.max) } == true, "\(text)")
            }
            // The value, with the plain construction (and a trailing % as hundredths).
            var s = Substring(text).trimmingSpaces
            var percent = false
            if s.hasSuffix("%") { percent = true; s = s.dropLast().trimmingSpaces }
            let expected = Exact.parseDecimalDigits(s).map { Exact($0.0, BigInt(10).power($0.1)) / (percent ? Exact.hundred : Exact.one) }
            #expect(Exact(decimal: text) == expected, "\(text)")
        }
    }

    @Test("a plan's percentage says ≈ exactly when four places do not hold it")
    func planPercent() {
        var g = SplitMix64(seed: 0xE4AC_7006)
        for _ in 0..<3000 {
            let (v, _) = Self.value(&g)
            let text = (v * Exact.hundred).shortDecimalString(maxPlaces: 4)
            #expect(percent(v) == (Exact(decimal: text) == v * Exact.hundred ? "" : "≈") + text + "%")
        }
    }
}

private extension String {
    /// An integer's text with the point moved `places` left (the plain `formatScaled`).
    func padded(places: Int) -> String {
        guard places > 0 else { return self }
        var digits = self, sign = ""
        if digits.hasPrefix("-") { sign = "-"; digits.removeFirst() }
        if digits.count <= places { digits = String(repeating: "0", count: places - digits.count + 1) + digits }
        digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -places))
        return sign + digits
    }
}
