import ArgumentParser
import BatonCore
import BatonIO
import Foundation

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a plan (and optionally a data folder) without evaluating.",
        discussion: """
        Reports every problem with its file, line and column: unknown KPIs, weights that do not sum to
        100, an invalid phone pattern, unordered steps, and with --data, every bad field and reference.
        """
    )

    @Argument(help: "The plan file.")
    var plan: String

    @Option(help: "A data folder to check against the plan.")
    var data: String?

    func run() throws {
        let plan: Plan
        do { plan = try PlanFile.load(fileURL(self.plan)) } catch { throw fail(error) }
        print("\(self.plan): ok, \(plan.scorecards.count) scorecard(s): \(plan.scorecards.map { "\($0.role) (\($0.side.rawValue))" }.joined(separator: ", "))")
        if let data {
            do {
                let d = try DataFolder.load(fileURL(data), currency: plan.currency)
                let roles = Set(plan.scorecards.map(\.role))
                let uncovered = Set(d.people.map(\.role)).subtracting(roles).sorted()
                print("\(data): ok, \(d.people.count) people, \(d.leads.count) leads, \(d.deals.count) deals")
                if !uncovered.isEmpty {
                    print("note: role(s) \(uncovered.joined(separator: ", ")) have no scorecard and will be listed as not evaluated.")
                }
            } catch {
                throw fail(error)
            }
        }
    }
}
