import ArgumentParser
import BatonIO
import Foundation

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a seeded synthetic dealer group's data folder (examples, fixtures, benchmarks).",
        discussion: """
        The same seed and sizes always give the same bytes. The last month is the one to evaluate; the months
        before it are history (duplicates across months, returning customers, history-average targets).
        Presets: realistic (5 stores, 3,000 leads a month, 3 months) and brand (200 stores, 3,200 people,
        --leads leads over 3 months; 1,000,000 gives about 2.6M follow-ups and 70k deals).
        The folder is written as a whole, and replaces an existing one only when complete.
        """
    )

    enum Preset: String, ExpressibleByArgument, CaseIterable {
        case realistic, brand
    }

    @Option(help: "The folder to write.")
    var out: String

    @Option(help: "realistic or brand.")
    var preset: Preset = .realistic

    @Option(help: "The seed of the generator.")
    var seed: UInt64 = 42

    @Option(help: "Number of stores (teams).")
    var stores: Int?

    @Option(help: "Marketers per store.")
    var marketersPerStore: Int?

    @Option(help: "Sales consultants per store.")
    var salesPerStore: Int?

    @Option(help: "Leads per month across all stores.")
    var leadsPerMonth: Int?

    @Option(help: "Leads in all months together (brand preset).")
    var leads: Int = 1_000_000

    @Option(help: "Months of data; the last is the evaluation period.")
    var months: Int?

    @Option(help: "The last month, e.g. 2026-10.")
    var lastMonth: String?

    func validate() throws {
        for (name, v) in [("--stores", stores), ("--marketers-per-store", marketersPerStore), ("--sales-per-store", salesPerStore),
                          ("--leads-per-month", leadsPerMonth), ("--months", months)] {
            if let v, v < 1 { throw ValidationError("\(name) must be at least 1.") }
        }
        if leads < 3 { throw ValidationError("--leads must be at least 3.") }
        if let lastMonth, SyntheticParameters.Month(parsing: lastMonth) == nil {
            throw ValidationError("--last-month \"\(lastMonth)\" is not a month. Write it as 2026-10.")
        }
    }

    func run() throws {
        var p = preset == .brand ? SyntheticParameters.brandScale(leads: leads, seed: seed) : .realistic(seed: seed)
        p.seed = seed
        if let stores { p.stores = stores }
        if let marketersPerStore { p.marketersPerStore = marketersPerStore }
        if let salesPerStore { p.salesPerStore = salesPerStore }
        if let leadsPerMonth { p.leadsPerMonth = leadsPerMonth }
        if let months { p.months = months }
        if let lastMonth, let m = SyntheticParameters.Month(parsing: lastMonth) { p.lastMonth = m }
        report("generate: \(p.stores) stores, \(p.leadsPerMonth) leads a month, \(p.months) months to \(p.lastMonth) (seed \(p.seed))")
        let files = SyntheticPeriod.generate(p).map { OutputFile(name: $0.name, bytes: $0.bytes) }
        do {
            try OutputFolder.write(files, to: fileURL(out))
        } catch {
            report(error.description)
            throw ExitCode(Exit.cannotWrite)
        }
        let bytes = files.reduce(0) { $0 + $1.bytes.count }
        print("Wrote \(files.map(\.name).joined(separator: ", ")) to \(out) (\(bytes / 1_000_000) MB). Evaluate with: baton evaluate \(out) --period \(p.lastMonth)")
    }
}
