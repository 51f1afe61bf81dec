/// How figures are printed in result files: the one place the rounding rule lives.
///
/// Counts print as integers; money sums (spend, total_sales, new_customer_sales) with the currency's
/// decimals (exact: they are whole minor units); every other fraction with `places` decimal places, rounded
/// half away from zero. No data prints as nil (an empty cell, JSON null).
public enum Printing {
    public static let places = 10

    public static func value(_ v: KPIValue, currency: Currency) -> String? {
        guard let x = v.value else { return nil }
        return number(x, unit: v.kpi.unit, currency: currency)
    }

    public static func number(_ x: Exact, unit: KPIUnit, currency: Currency) -> String {
        switch unit {
        case .count: return x.isInteger ? x.description : x.decimalString(places: places)
        case .money: return x.decimalString(places: currency.decimals)
        case .moneyRatio, .rate: return x.decimalString(places: places)
        }
    }

    /// An exact value as a plain decimal when it is one within `places`, else rounded to `places`.
    public static func exact(_ x: Exact) -> String { x.shortDecimalString(maxPlaces: places) }

    /// A fraction for display to people: `83.3%`.
    public static func percent(_ x: Exact, decimals: Int = 1) -> String {
        (x * .hundred).decimalString(places: decimals) + "%"
    }

    /// `1234567.50` → `1,234,567.50` (thousands separators on the whole part).
    public static func grouped(_ s: String) -> String {
        var intPart = Substring(s)
        var rest = ""
        if let dot = s.firstIndex(of: ".") { intPart = s[..<dot]; rest = String(s[dot...]) }
        var sign = ""
        if intPart.hasPrefix("-") { sign = "-"; intPart = intPart.dropFirst() }
        var out = ""
        for (i, ch) in intPart.enumerated() {
            if i > 0 && (intPart.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return sign + out + rest
    }
}
