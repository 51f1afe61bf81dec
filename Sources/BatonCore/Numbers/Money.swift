/// The plan's currency: its code and how many decimal places its minor unit has.
public struct Currency: Sendable, Hashable {
    public let code: String
    /// Decimal places of the minor unit: 2 for CNY (fen), 0 for JPY.
    public let decimals: Int

    public init(code: String, decimals: Int) {
        self.code = code
        self.decimals = decimals
    }

    /// Currencies whose minor unit is not 1/100. Anything else defaults to 2 decimals; a plan can say
    /// `currency: {code: XYZ, decimals: 3}`.
    static let knownDecimals: [String: Int] = [
        "JPY": 0, "KRW": 0, "VND": 0, "CLP": 0, "ISK": 0, "UGX": 0, "XAF": 0, "XOF": 0, "PYG": 0,
        "BHD": 3, "KWD": 3, "OMR": 3, "JOD": 3, "TND": 3, "LYD": 3, "IQD": 3,
    ]

    public init(code: String) {
        self.init(code: code, decimals: Currency.knownDecimals[code] ?? 2)
    }

    public static let cny = Currency(code: "CNY", decimals: 2)

    /// How many minor units make one major unit (100 for CNY).
    public var minorPerMajor: Int64 {
        var m: Int64 = 1
        for _ in 0..<decimals { m *= 10 }
        return m
    }

    /// Reads a plain decimal amount (`12800`, `12800.50`) into minor units, exactly.
    /// The message of a failure says what is wrong and how to write it instead.
    public func parseAmount(_ raw: Substring, allowNegative: Bool = false) -> Result<Money, FieldProblem> {
        let text = raw.trimmingSpaces
        if text.isEmpty { return .failure(FieldProblem("is empty, not an amount. Write an amount such as 12800.50.")) }
        var units: Int64 = 0
        var places = 0
        var seenPoint = false
        var negative = false
        var digitCount = 0
        var first = true
        for c in text.utf8 {
            defer { first = false }
            if first && c == UInt8(ascii: "-") { negative = true; continue }
            if c == UInt8(ascii: ".") && !seenPoint { seenPoint = true; continue }
            guard c >= 48 && c <= 57 else {
                if c == UInt8(ascii: ",") {
                    return .failure(FieldProblem("is \"\(text)\", not a plain amount. Write it without thousands separators, with a point for decimals: 12800.50."))
                }
                return .failure(FieldProblem("is \"\(text)\", not an amount. Write a plain decimal such as 12800 or 12800.50, without a currency sign."))
            }
            digitCount += 1
            if digitCount > 17 {
                return .failure(FieldProblem("is \"\(text)\", too large an amount. Amounts up to 15 digits before the point are supported."))
            }
            units = units * 10 + Int64(c - 48)
            if seenPoint { places += 1 }
        }
        if digitCount == 0 {
            return .failure(FieldProblem("is \"\(text)\", not an amount. Write a plain decimal such as 12800.50."))
        }
        if places > decimals {
            return .failure(FieldProblem("is \"\(text)\", with more decimal places than \(code) has (\(decimals)). Round it to \(decimals) places."))
        }
        for _ in places..<decimals { units *= 10 }
        if negative && allowNegative { units = -units }
        if negative && !allowNegative {
            return .failure(FieldProblem("is \"\(text)\", a negative amount. Record a cancellation with status cancelled, not a negative amount."))
        }
        return .success(Money(minorUnits: units))
    }

    /// The amount as a plain decimal with the currency's decimals: `12800.50`.
    public func format(_ money: Money) -> String {
        Exact.formatScaled(money.minorUnits.magnitude, negative: money.minorUnits < 0, places: decimals)
    }

    /// A plain decimal with the currency's decimals and thousands separators: `1,234,567.50`.
    public func formatGrouped(_ money: Money) -> String {
        Printing.grouped(format(money))
    }

    /// An amount in minor units as an exact number of major units (the unit KPIs are expressed in).
    public func major(_ money: Money) -> Exact {
        Exact(numerator: money.minorUnits, denominator: minorPerMajor)
    }
}

/// An amount of the plan's currency, held exactly as a whole number of minor units (fen for CNY).
public struct Money: Sendable, Hashable, Comparable {
    public var minorUnits: Int64
    public init(minorUnits: Int64) { self.minorUnits = minorUnits }
    public static let zero = Money(minorUnits: 0)
    public static func + (a: Money, b: Money) -> Money { Money(minorUnits: a.minorUnits + b.minorUnits) }
    public static func += (a: inout Money, b: Money) { a.minorUnits += b.minorUnits }
    public static func < (a: Money, b: Money) -> Bool { a.minorUnits < b.minorUnits }
}

/// What is wrong with one field, in words a person can act on; the reader adds file, line and column.
public struct FieldProblem: Error, Sendable, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
}
