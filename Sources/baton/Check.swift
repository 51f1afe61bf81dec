import ArgumentParser
import BatonCore
import BatonIO
import Foundation

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a plan (and optionally a data folder) without evaluating.",
        discussion: """
        Reports every problem with its file, line and column: unknown KPIs, weights that do not sum to
        100, an invalid phone pattern, unordered score steps, overlapping or unordered commission tiers, a
        payout curve that goes down, a gate on a KPI the scorecard does not have; with --data, every bad
        field and reference, and roles of the plan that no one has.
        Then the alignment report: for each scorecard, the share of its weight on KPIs that depend on the
        other side's work, with a warning when no scorecard of the other side carries the mirror KPI.
        Exit 0 when the plan is sound (warnings included unless --strict), 65 when it is not.
        """
    )

    @Argument(help: "The plan file.")
    var plan: String

    @Option(help: "A data folder to check against the plan.")
    var data: String?

    @Flag(help: "Treat alignment warnings as failures (exit 65).")
    var strict = false

    func run() throws {
        let plan: Plan
        do { plan = try PlanFile.load(fileURL(self.plan)) } catch { throw fail(error) }
        print("\(self.plan): ok, \(plan.scorecards.count) scorecard(s): \(plan.scorecards.map { "\($0.role) (\($0.side.rawValue))" }.joined(separator: ", "))")
        print("")
        print("Alignment:")
        let reports = Alignment.report(plan)
        var unmirrored: [Alignment.Finding] = []
        for r in reports {
            for line in r.lines { print("  " + line) }
            unmirrored += r.findings.filter { !$0.mirrored }
        }
        for f in unmirrored {
            if let loc = f.location { report("\(loc): warning: \(f.kpi) on scorecard '\(f.role)' is unmirrored on the other side.") }
        }
        if let data {
            let d: PeriodData
            do { d = try DataFolder.load(fileURL(data), currency: plan.currency) } catch { throw fail(error) }
            print("\(data): ok, \(d.people.count) people, \(d.leads.count) leads, \(d.deals.count) deals")
            let held = Set(d.people.map(\.role))
            let unknown = plan.scorecards.filter { !held.contains($0.role) }
            for card in unknown {
                report("\(card.location.map { "\($0): " } ?? "")scorecard '\(card.role)' names a role no one in people.csv has. Check the spelling (roles in people.csv: \(held.sorted().joined(separator: ", "))).")
            }
            if !unknown.isEmpty { throw ExitCode(Exit.badData) }
            let uncovered = held.subtracting(plan.scorecards.map(\.role)).sorted()
            if !uncovered.isEmpty {
                print("note: role(s) \(uncovered.joined(separator: ", ")) have no scorecard and will be listed as not evaluated.")
            }
        }
        if strict && !unmirrored.isEmpty { throw ExitCode(Exit.badData) }
    }
}
