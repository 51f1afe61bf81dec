import BatonCore
import Testing

@Suite("Money and figures are exact")
struct ExactNumberTests {
    @Test("0.10 + 0.20 is exactly 0.30: amounts are whole minor units, never floating point")
    func centsSumExactly() throws {
        let c = Currency.cny
        let a = try c.parseAmount("0.10").get(), b = try c.parseAmount("0.20").get()
        #expect(a + b == Money(minorUnits: 30))
        #expect(c.format(a + b) == "0.30")
        #expect(c.major(a) + c.major(b) == Exact(decimal: "0.3"))
        // A thousand dimes make exactly 100.00, the sum floating point gets wrong.
        var total = Money.zero
        for _ in 0..<1000 { total += a }
        #expect(c.format(total) == "100.00")
    }

    @Test("amounts parse exactly and refuse what would lose money", arguments: [
        ("12800", "12800.00"), ("12800.5", "12800.50"), ("12800.50", "12800.50"), (" 7 ", "7.00"), ("0", "0.00"),
    ])
    func amounts(_ input: String, _ printed: String) throws {
        #expect(Currency.cny.format(try Currency.cny.parseAmount(Substring(input)).get()) == printed)
    }

    @Test("a currency without minor units rejects decimals; JPY is whole yen")
    func yen() throws {
        let jpy = Currency(code: "JPY")
        #expect(jpy.decimals == 0)
        #expect(jpy.format(try jpy.parseAmount("1500").get()) == "1500")
        guard case .failure(let f) = jpy.parseAmount("1500.5") else { Issue.record("accepted 1500.5 yen"); return }
        #expect(f.message.contains("more decimal places than JPY has (0)"))
    }

    @Test("rates print with 10 decimal places, rounded half away from zero", arguments: [
        (2, 3, "0.6666666667"), (1, 3, "0.3333333333"), (11, 23, "0.4782608696"), (1, 1, "1.0000000000"),
        (-2, 3, "-0.6666666667"), (5, 100_000_000_000, "0.0000000001"), (4, 100_000_000_000, "0.0000000000"),
        (0, 7, "0.0000000000"),
    ])
    func tenPlaces(_ n: Int, _ d: Int, _ printed: String) {
        #expect(Exact(.init(n), .init(d)).decimalString(places: 10) == printed)
    }

    @Test("a tie rounds away from zero: 0.125 to two places is 0.13, -0.125 is -0.13")
    func tie() {
        #expect(Exact(decimal: "0.125")!.decimalString(places: 2) == "0.13")
        #expect(Exact(decimal: "-0.125")!.decimalString(places: 2) == "-0.13")
        #expect(Exact(decimal: "2.5")!.decimalString(places: 0) == "3")
    }

    @Test("a rate with a zero denominator is no data, never 0")
    func zeroDenominator() {
        #expect(Exact.ratio(Exact(5), Exact(0)) == nil)
        #expect(Exact.ratio(Exact(0), Exact(5)) == Exact.zero)
    }

    @Test("percentages and decimals in plans and targets are read exactly", arguments: [
        ("60%", "3/5"), ("0.6", "3/5"), ("12.5 %", "1/8"), ("1500000", "1500000"), ("-3.25", "-13/4"),
    ])
    func decimals(_ text: String, _ fraction: String) {
        #expect(Exact(decimal: text)?.description == fraction)
    }

    @Test("text that is not a plain number is refused", arguments: ["", "1,000", "1e3", "abc", "1.2.3", "%", "."])
    func notNumbers(_ text: String) {
        #expect(Exact(decimal: text) == nil)
    }
}

@Suite("Dates and periods")
struct PeriodTests {
    @Test("months, quarters and ranges", arguments: [
        ("2026-10", "2026-10-01", "2026-10-31"), ("2026-02", "2026-02-01", "2026-02-28"),
        ("2024-02", "2024-02-01", "2024-02-29"), ("2026-Q4", "2026-10-01", "2026-12-31"),
        ("2026-q1", "2026-01-01", "2026-03-31"), ("2026-10-05..2026-10-11", "2026-10-05", "2026-10-11"),
    ])
    func periods(_ text: String, _ first: String, _ last: String) throws {
        let p = try Period.parse(text).get()
        #expect(p.first.description == first)
        #expect(p.last.description == last)
    }

    @Test("periods that do not parse", arguments: ["2026-13", "2026-Q5", "2026", "October", "2026-10-31..2026-10-01", "2026-10-01..", ""])
    func badPeriods(_ text: String) {
        guard case .failure = Period.parse(text) else { Issue.record("\(text) parsed"); return }
    }

    @Test("the period before: month, quarter, and a range of equal length")
    func previous() throws {
        #expect(try Period.parse("2026-01").get().previous.description == "2025-12")
        #expect(try Period.parse("2026-Q1").get().previous.description == "2025-Q4")
        #expect(try Period.parse("2026-10-08..2026-10-14").get().previous.description == "2026-10-01..2026-10-07")
    }

    @Test("timestamps: the written date decides the day; the offset moves only the instant")
    func timestamps() throws {
        let a = try Timestamp.parse("2026-10-01T06:00:00+08:00").get()
        let b = try Timestamp.parse("2026-09-30T22:00:00Z").get()
        #expect(a.day.description == "2026-10-01")
        #expect(a.instant == b.instant)
        let c = try Timestamp.parse("2026-10-03").get()
        let d = try Timestamp.parse("2026-10-03 00:00:00.250").get()
        #expect(c.instant == d.instant)
        #expect(try Timestamp.parse("2026-10-03T14:05").get().instant == c.instant + 14 * 3600 + 5 * 60)
        #expect(try Timestamp.parse("2026-10-03T14:05:00+0800").get().instant == c.instant + 6 * 3600 + 5 * 60)
    }

    @Test("dates that do not exist or are not dates", arguments: ["2026-02-30", "2026-13-01", "03/10/2026", "2026-10-03T25:00", "2026-10-03T10:00:00+8", "2026-10-03X"])
    func badDates(_ text: String) {
        guard case .failure = Timestamp.parse(Substring(text)) else { Issue.record("\(text) parsed"); return }
    }
}
