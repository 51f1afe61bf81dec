import Foundation
import Testing

@Suite("The realistic dealer-group fixture")
struct DealerGroupTests {
    @Test("its data is exactly what baton generate writes for seed 42")
    func provenance() throws {
        let tmp = try TemporaryFolder()
        let r = try CLI.run(["generate", "--out", tmp.url.appendingPathComponent("g").path, "--seed", "42"])
        #expect(r.status == 0, "\(r.stderr)")
        for file in ["people.csv", "leads.csv", "followups.csv", "deals.csv", "spend.csv", "targets.csv"] {
            let generated = try Data(contentsOf: tmp.url.appendingPathComponent("g/\(file)"))
            let fixture = try Data(contentsOf: CLI.fixture("dealer-group").appendingPathComponent(file))
            #expect(generated == fixture, "\(file) differs from the generator's output")
        }
    }

    /// "12800.50" → 1280050, exactly.
    static func cents(_ s: String) throws -> Int64 {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        try #require(parts.count == 2 && parts[1].count == 2, "\(s) is not an amount with two decimals")
        let whole = try #require(Int64(parts[0].replacingOccurrences(of: "-", with: "")))
        let frac = try #require(Int64(parts[1]))
        return (s.hasPrefix("-") ? -1 : 1) * (whole * 100 + frac)
    }

    @Test("payroll.csv sums to the team totals and the grand total exactly, and pay lines sum to each person's pay")
    func reconciles() throws {
        let expected = CLI.fixture("dealer-group").appendingPathComponent("expected")
        let payroll = csvRows(try String(contentsOf: expected.appendingPathComponent("payroll.csv"), encoding: .utf8))
        #expect(payroll.first == ["person_id", "name", "team", "amount", "currency"])
        var byTeam: [String: Int64] = [:]
        var byPerson: [String: Int64] = [:]
        for row in payroll.dropFirst() {
            byTeam[row[2], default: 0] += try Self.cents(row[3])
            byPerson[row[0]] = try Self.cents(row[3])
        }
        #expect(payroll.count > 40)

        var linesByPerson: [String: Int64] = [:]
        for row in csvRows(try String(contentsOf: expected.appendingPathComponent("pay.csv"), encoding: .utf8)).dropFirst() {
            linesByPerson[row[0], default: 0] += try Self.cents(row[2])
        }
        #expect(linesByPerson == byPerson)

        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: expected.appendingPathComponent("scorecards.json"))) as! [String: Any]
        let pay = json["pay"] as! [String: Any]
        var teamTotals: [String: Int64] = [:]
        for t in pay["teams"] as! [[String: Any]] { teamTotals[t["team"] as! String] = try Self.cents(t["total"] as! String) }
        #expect(teamTotals == byTeam)
        #expect(try Self.cents(pay["grand_total"] as! String) == byTeam.values.reduce(0, +))
    }
}
