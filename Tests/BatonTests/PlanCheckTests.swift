import Foundation
import Testing

/// `baton check` rejects every plan flaw with the plan's file, line and column, and reports alignment.
@Suite("baton check")
struct PlanCheckTests {
    static let base = """
    currency: CNY
    scorecards:
      - name: marketing
        side: marketing
        kpis:
          - {kpi: valid_leads, weight: 60}
          - {kpi: new_customer_sales, weight: 40}
        pay:
          bonus:
            curve:
              - {score: 60, payout: 50%}
              - {score: 100, payout: 100%}
          gates:
            - {kpi: valid_leads, below: 10}
      - name: sales
        side: sales
        kpis:
          - {kpi: total_sales, weight: 100}
        pay:
          commission:
            - name: sales
              base: total_sales
              method: marginal
              tiers:
                - {from: 0, rate: 1%}
                - {from: 300000, rate: 2%}

    """

    struct Flaw: Sendable, CustomTestStringConvertible {
        let name: String
        let old: String
        let new: String
        let message: String
        var testDescription: String { name }
    }

    static let flaws: [Flaw] = [
        Flaw(name: "an unknown KPI", old: "{kpi: valid_leads, weight: 60}", new: "{kpi: valid_lead, weight: 60}",
             message: "plan.yaml:6:15: scorecard 'marketing': 'valid_lead' is not a marketing KPI. Did you mean 'valid_leads'?"),
        Flaw(name: "weights that do not sum to 100", old: "{kpi: valid_leads, weight: 60}", new: "{kpi: valid_leads, weight: 50}",
             message: "plan.yaml:6:7: scorecard 'marketing': the weights sum to 90, not 100."),
        Flaw(name: "overlapping commission tiers", old: "{from: 300000, rate: 2%}", new: "{from: 0, rate: 2%}",
             message: "plan.yaml:26:15: scorecard 'sales': the tiers of commission 'sales' overlap or are out of order: 0 after 0."),
        Flaw(name: "unordered commission tiers", old: "- {from: 0, rate: 1%}\n            - {from: 300000, rate: 2%}",
             new: "- {from: 0, rate: 1%}\n            - {from: 300000, rate: 2%}\n            - {from: 200000, rate: 3%}",
             message: "plan.yaml:27:15: scorecard 'sales': the tiers of commission 'sales' overlap or are out of order: 200000 after 300000."),
        Flaw(name: "tiers that do not start at 0", old: "{from: 0, rate: 1%}", new: "{from: 1000, rate: 1%}",
             message: "plan.yaml:25:15: scorecard 'sales': the first tier of commission 'sales' must start at 0"),
        Flaw(name: "a payout curve that goes down", old: "{score: 100, payout: 100%}", new: "{score: 100, payout: 40%}",
             message: "plan.yaml:12:13: scorecard 'marketing': the payout curve goes down (40% after 50%): a higher score must never pay less."),
        Flaw(name: "a gate on a KPI the scorecard does not have", old: "{kpi: valid_leads, below: 10}", new: "{kpi: validity_rate, below: 60%}",
             message: "plan.yaml:14:17: scorecard 'marketing': a gate on validity_rate, which the scorecard does not have."),
        Flaw(name: "a commission on a figure that is not money", old: "base: total_sales", new: "base: deals",
             message: "plan.yaml:22:17: scorecard 'sales': commission base 'deals' is not a money KPI of the sales side."),
        Flaw(name: "a negative commission rate", old: "{from: 300000, rate: 2%}", new: "{from: 300000, rate: -2%}",
             message: "plan.yaml:26:36: scorecard 'sales': a commission rate cannot be negative."),
    ]

    @Test("a plan flaw is rejected with the plan's file, line and column", arguments: flaws)
    func rejected(_ f: Flaw) throws {
        let tmp = try TemporaryFolder()
        #expect(Self.base.contains(f.old))
        try tmp.write("plan.yaml", Self.base.replacingOccurrences(of: f.old, with: f.new))
        let r = try CLI.run(["check", "plan.yaml"], in: tmp.url)
        #expect(r.status == 65)
        #expect(r.stderr.contains(f.message), "stderr: \(r.stderr)")
    }

    @Test("the sound base plan passes")
    func sound() throws {
        let tmp = try TemporaryFolder()
        try tmp.write("plan.yaml", Self.base)
        let r = try CLI.run(["check", "plan.yaml"], in: tmp.url)
        #expect(r.status == 0, "\(r.stderr)")
    }

    @Test("a marketer with 40 % on new-customer sales, and sales paid only on total sales, is told it is unmirrored")
    func alignment() throws {
        let tmp = try TemporaryFolder()
        try tmp.write("plan.yaml", Self.base)
        let r = try CLI.run(["check", "plan.yaml"], in: tmp.url)
        #expect(r.stdout.contains("marketing (marketing): 40% of its weight depends on the sales side's work."))
        #expect(r.stdout.contains("warning: new_customer_sales (40%) depends on sales converting the leads, and no sales scorecard carries new_customer_sales: 40% of a marketing person's evaluation is outside their control and unmirrored."), "\(r.stdout)")
        #expect(r.stderr.contains("plan.yaml:7:9: warning: new_customer_sales on scorecard 'marketing' is unmirrored"))
        let strict = try CLI.run(["check", "plan.yaml", "--strict"], in: tmp.url)
        #expect(strict.status == 65)
        // With the mirror on the sales scorecard, the warning goes.
        try tmp.write("plan.yaml", Self.base.replacingOccurrences(of: "- {kpi: total_sales, weight: 100}", with: "- {kpi: total_sales, weight: 60}\n      - {kpi: new_customer_sales, weight: 40}"))
        let mirrored = try CLI.run(["check", "plan.yaml", "--strict"], in: tmp.url)
        #expect(mirrored.status == 0, "\(mirrored.stdout)\(mirrored.stderr)")
        #expect(mirrored.stdout.contains("mirrored: a sales scorecard carries new_customer_sales."))
    }

    @Test("with --data, a scorecard for a role no one has is reported")
    func unknownRole() throws {
        let tmp = try TemporaryFolder()
        _ = try tmp.copy(fixture: "hand", withExpected: false)
        try tmp.write("plan.yaml", Self.base.replacingOccurrences(of: "  - name: sales\n", with: "  - name: salse\n"))
        let r = try CLI.run(["check", "plan.yaml", "--data", "hand"], in: tmp.url)
        #expect(r.status == 65)
        #expect(r.stderr.contains("plan.yaml:15:5: scorecard 'salse' names a role no one in people.csv has."), "\(r.stderr)")
    }
}
