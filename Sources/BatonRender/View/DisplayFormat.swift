import BatonCore

/// How figures are written for people: thousands separators, percentages with one decimal, money with
/// the currency's decimals and code. The one place display rounding lives (result files use `Printing`).
struct DisplayFormat: Sendable {
    let currency: Currency
    let language: Language

    var labels: Labels { Labels.table(language) }

    /// A KPI's value as shown, or "no data" (never 0) when it has none. A table whose column header
    /// names the currency leaves the code off each money cell (`withCode: false`).
    func value(_ v: KPIValue, withCode: Bool = true) -> String {
        guard let x = v.value else { return labels.noData }
        return number(x, unit: v.kpi.unit, withCode: withCode)
    }

    func number(_ x: Exact, unit: KPIUnit, withCode: Bool = true) -> String {
        switch unit {
        case .count: return count(x)
        case .money, .moneyRatio: return withCode ? money(x) : DisplayFormat.grouped(x.decimalString(places: currency.decimals))
        case .rate: return percent(x)
        }
    }

    /// `1234` → `1,234`; a fractional count (a history average) keeps up to two decimals.
    func count(_ x: Exact) -> String {
        DisplayFormat.grouped(x.isInteger ? String(x.numerator) : x.shortDecimalString(maxPlaces: 2))
    }

    /// `1234567.5` → `1,234,567.50 CNY`, rounded half away from zero to the currency's minor unit.
    func money(_ x: Exact) -> String {
        DisplayFormat.grouped(x.decimalString(places: currency.decimals)) + " " + DisplayText.clean(currency.code)
    }

    func money(_ m: Money) -> String { money(currency.major(m)) }

    /// `0.8333…` → `83.3%`.
    func percent(_ x: Exact) -> String {
        DisplayFormat.grouped((x * .hundred).decimalString(places: 1)) + "%"
    }

    /// A percentage from a plan (a threshold, a cap, a step) as written there: `50%`, `12.5%`.
    func planPercent(_ x: Exact) -> String {
        (x * .hundred).shortDecimalString(maxPlaces: 4) + "%"
    }

    /// A score or points: one decimal (`110.0`, `47.5`).
    func score(_ x: Exact) -> String { DisplayFormat.grouped(x.decimalString(places: 1)) }

    /// A weight as the plan gave it (`40`), or to two decimals once rescaled (`33.33`).
    func weight(_ x: Exact) -> String { x.shortDecimalString(maxPlaces: 2) }

    /// `-1234567.50` → `-1,234,567.50`.
    static func grouped(_ s: String) -> String { Printing.grouped(s) }
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
}
