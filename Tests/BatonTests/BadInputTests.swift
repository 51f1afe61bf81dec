import Foundation
import Testing

/// Bad input must name the file, line and column, say what is wrong and how to fix it, exit with the
/// documented code, and leave no output behind.
@Suite("Bad input is reported where it is, and nothing is written")
struct BadInputTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let file: String
        let edit: @Sendable (String) -> String
        let status: Int32
        let message: String
        var testDescription: String { name }
    }

    static func replace(_ old: String, _ new: String) -> @Sendable (String) -> String {
        { text in
            precondition(text.contains(old), "fixture no longer contains \(old)")
            return text.replacingOccurrences(of: old, with: new)
        }
    }

    static let cases: [Case] = [
        Case(name: "a missing required file", file: "people.csv", edit: { _ in "" }, status: 66,
             message: "people.csv: not found. A data folder needs people.csv, leads.csv and deals.csv"),
        Case(name: "a missing column", file: "leads.csv",
             edit: replace("lead_id,created_at,channel", "lead_id,created,channel"), status: 65,
             message: "leads.csv:1: has no column 'created_at'. The header has: lead_id, created, channel"),
        Case(name: "a date that does not exist", file: "leads.csv",
             edit: replace("L-1003,2026-10-02T10:00:01", "L-1003,2026-13-01"), status: 65,
             message: "leads.csv:11:2: 'created_at' is \"2026-13-01\", a date that does not exist. Check the month (01-12) and the day of the month."),
        Case(name: "text where a date belongs", file: "deals.csv",
             edit: replace("D-0801,2026-08-08,", "D-0801,8/8/2026,"), status: 65,
             message: "deals.csv:2:2: 'closed_at' is \"8/8/2026\", not a date. Write dates as YYYY-MM-DD"),
        Case(name: "money with thousands separators", file: "deals.csv",
             edit: replace("D-0801,2026-08-08,S2,230000.00,", "D-0801,2026-08-08,S2,\"230,000.00\","), status: 65,
             message: "deals.csv:2:4: 'amount' is \"230,000.00\", not a plain amount. Write it without thousands separators, with a point for decimals: 12800.50."),
        Case(name: "money with more decimals than the currency", file: "spend.csv",
             edit: replace("2026-08-01,autohome,summer,M1,900.00", "2026-08-01,autohome,summer,M1,900.005"), status: 65,
             message: "spend.csv:2:5: 'amount' is \"900.005\", with more decimal places than CNY has (2). Round it to 2 places."),
        Case(name: "a number that is not one", file: "deals.csv",
             edit: replace("D-0801,2026-08-08,S2,230000.00,1,", "D-0801,2026-08-08,S2,230000.00,two,"), status: 65,
             message: "deals.csv:2:5: 'units' is \"two\", not a whole number of cars. Write 1, 2, ... or leave it empty for 1."),
        Case(name: "an unknown person in leads", file: "leads.csv",
             edit: replace("L-1003,2026-10-02T10:00:01,baidu_sem,brand,M1,S1,", "L-1003,2026-10-02T10:00:01,baidu_sem,brand,M1,S9,"), status: 65,
             message: "leads.csv:11:6: 'assigned_to' is \"S9\", a person not in people.csv. Did you mean 'S1'? Add them to people.csv or correct the id."),
        Case(name: "an unknown person in deals", file: "deals.csv",
             edit: replace("D-0802,2026-08-20,S1,", "D-0802,2026-08-20,Z1,"), status: 65,
             message: "deals.csv:3:3: 'sales_person' is \"Z1\", a person not in people.csv."),
        Case(name: "a duplicate lead id", file: "leads.csv",
             edit: replace("L-1004,2026-10-03T11:00:00", "L-1003,2026-10-03T11:00:00"), status: 65,
             message: "leads.csv:12:1: 'lead_id' \"L-1003\" is already used on line 11. Lead ids must be unique"),
        Case(name: "a duplicate person id", file: "people.csv",
             edit: replace("S2,陈静,sales", "S1,陈静,sales"), status: 65,
             message: "people.csv:5:1: 'person_id' \"S1\" is already used on line 4. Give each person one row with a unique id."),
        Case(name: "an unclosed quote", file: "spend.csv",
             edit: replace("2026-09-03,baidu_sem,brand,M2,1200.00", "2026-09-03,\"baidu_sem,brand,M2,1200.00"), status: 65,
             message: "spend.csv:3:2: "),
        Case(name: "a plan naming an unknown KPI", file: "plan.yaml",
             edit: replace("      - kpi: total_sales\n", "      - kpi: total_sale\n"), status: 65,
             message: "plan.yaml:39:14: scorecard 'sales': 'total_sale' is not a sales KPI. Did you mean 'total_sales'?"),
        Case(name: "weights that do not sum to 100", file: "plan.yaml",
             edit: replace("      - kpi: total_sales\n        weight: 40\n", "      - kpi: total_sales\n        weight: 45\n"), status: 65,
             message: "scorecard 'sales': the weights sum to 105, not 100. Change them so they add up to 100."),
        Case(name: "an invalid regular expression", file: "plan.yaml",
             edit: replace("phone_pattern: '^\\+?[0-9]{7,15}$'", "phone_pattern: '^(\\+?86?1[3-9][0-9]{9}$'"), status: 65,
             message: "plan.yaml:5:18: validity.phone_pattern \"^(\\+?86?1[3-9][0-9]{9}$\" is not a valid regular expression"),
        Case(name: "a plan that is not YAML", file: "plan.yaml",
             edit: replace("currency: CNY\n", "currency: [CNY\n"), status: 65,
             message: "plan.yaml:"),
    ]

    @Test("bad input is reported with its place and fix, and nothing is written", arguments: cases)
    func rejected(_ c: Case) throws {
        let tmp = try TemporaryFolder()
        let data = try tmp.copy(fixture: "hand", withExpected: false)
        let file = data.appendingPathComponent(c.file)
        if c.file == "people.csv" && c.name.contains("missing") {
            try FileManager.default.removeItem(at: file)
        } else {
            let text = try String(contentsOf: file, encoding: .utf8)
            try Data(c.edit(text).utf8).write(to: file)
        }
        let before = try tmp.contents()
        let r = try CLI.run(["evaluate", "hand", "--period", "2026-10", "--out", "out"], in: tmp.url)
        #expect(r.status == c.status, "\(r.stderr)")
        #expect(r.stderr.contains(c.message), "stderr was: \(r.stderr)")
        #expect(r.stdout.isEmpty)
        #expect(try tmp.contents() == before, "something was written beside the data")
    }

    @Test("a period that does not parse is a command-line error with the accepted forms")
    func badPeriod() throws {
        let tmp = try TemporaryFolder()
        let r = try CLI.run(["evaluate", "fixtures/hand", "--period", "2026-13", "--out", tmp.url.appendingPathComponent("out").path])
        #expect(r.status == 64)
        #expect(r.stderr.contains("\"2026-13\" is not a period. Write a month (2026-10), a quarter (2026-Q4) or a range of days (2026-10-01..2026-10-31)."), "\(r.stderr)")
        #expect(try tmp.contents().isEmpty)
    }

    @Test("a failed evaluation leaves the previous results in place, untouched")
    func previousResultsKept() throws {
        let tmp = try TemporaryFolder()
        let data = try tmp.copy(fixture: "hand", withExpected: false)
        let ok = try CLI.run(["evaluate", "hand", "--period", "2026-10", "--out", "out", "--quiet"], in: tmp.url)
        #expect(ok.status == 0)
        let before = try tmp.read("out/kpis.csv")
        let leads = data.appendingPathComponent("leads.csv")
        try Data(try String(contentsOf: leads, encoding: .utf8).replacingOccurrences(of: "2026-10-02T10:00:01", with: "2026-10-32").utf8).write(to: leads)
        let bad = try CLI.run(["evaluate", "hand", "--period", "2026-10", "--out", "out"], in: tmp.url)
        #expect(bad.status == 65)
        #expect(try tmp.read("out/kpis.csv") == before)
        #expect(try tmp.contents() == ["hand", "out"])
    }

    @Test("several problems are all reported in one go")
    func manyProblems() throws {
        let tmp = try TemporaryFolder()
        let data = try tmp.copy(fixture: "hand", withExpected: false)
        let deals = data.appendingPathComponent("deals.csv")
        var text = try String(contentsOf: deals, encoding: .utf8)
        text = text.replacingOccurrences(of: "D-0801,2026-08-08,S2,230000.00,", with: "D-0801,2026-08-08,S2,abc,")
        text = text.replacingOccurrences(of: "D-0802,2026-08-20,S1,80000.00,1,,C-3001,,won", with: "D-0802,2026-08-20,S1,80000.00,1,,C-3001,,lost")
        try Data(text.utf8).write(to: deals)
        let r = try CLI.run(["evaluate", "hand", "--period", "2026-10", "--out", "out"], in: tmp.url)
        #expect(r.status == 65)
        #expect(r.stderr.contains("deals.csv:2:4: 'amount' is \"abc\", not an amount."))
        #expect(r.stderr.contains("deals.csv:3:9: 'status' is \"lost\"; write won or cancelled (empty means won)."))
    }
}
