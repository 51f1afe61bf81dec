// Seeded, deterministic generator of a realistic dealer group's data folder (see shared/period-data.md).
// Pure: parameters in, CSV bytes out. No file I/O, no clock, no system randomness, and no floating point
// anywhere a value can reach a file, so one seed gives the same bytes on every machine.

/// What to generate: the size of the dealer group, how many months, and the seed.
///
/// The last of `months` months is the evaluation period; the earlier ones are history (needed by
/// duplicate detection, new-vs-existing customers and target fallbacks). Follow-ups, deals and
/// cancellations may run up to 5 days past the last month, as in an export taken a few days later.
public struct SyntheticParameters: Sendable, Equatable {
    /// A calendar month, e.g. `"2026-10"` or `Month(year: 2026, month: 10)`.
    public struct Month: Sendable, Equatable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
        public var year: Int
        public var month: Int

        public init(year: Int, month: Int) {
            precondition((1...12).contains(month), "month must be 1...12")
            self.year = year
            self.month = month
        }

        /// Parses `YYYY-MM`; nil when malformed. (Labelled: an unlabelled `Month("…")` with a literal
        /// would be taken as the string literal initializer, which traps, by SE-0213.)
        public init?(parsing text: String) {
            let parts = text.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
                  let y = Int(parts[0]), let m = Int(parts[1]), (1...12).contains(m) else { return nil }
            self.init(year: y, month: m)
        }

        /// Traps on a malformed literal (a programming error, caught at first run).
        public init(stringLiteral value: String) {
            guard let parsed = Month(parsing: value) else { preconditionFailure("not a YYYY-MM month: \(value)") }
            self = parsed
        }

        public var description: String {
            (year < 1000 ? String(repeating: "0", count: 4 - String(year).count) : "") + String(year)
                + (month < 10 ? "-0" : "-") + String(month)
        }
    }

    public var seed: UInt64
    /// Stores (teams) `Store 01`...; store 3 and store 7, when present, carry Chinese names.
    public var stores: Int
    public var marketersPerStore: Int
    public var salesPerStore: Int
    /// Leads across all stores in each month (exact: leads.csv has `leadsPerMonth * months` rows).
    public var leadsPerMonth: Int
    /// Months of data; the last is the evaluation period.
    public var months: Int
    public var lastMonth: Month

    public init(seed: UInt64, stores: Int, marketersPerStore: Int = 2, salesPerStore: Int = 6,
                leadsPerMonth: Int, months: Int = 3, lastMonth: Month = "2026-10") {
        self.seed = seed
        self.stores = stores
        self.marketersPerStore = marketersPerStore
        self.salesPerStore = salesPerStore
        self.leadsPerMonth = leadsPerMonth
        self.months = months
        self.lastMonth = lastMonth
    }

    /// A small group: 5 stores, 3,000 leads a month, 3 months ending 2026-10.
    public static func realistic(seed: UInt64) -> Self {
        Self(seed: seed, stores: 5, leadsPerMonth: 3_000)
    }

    /// A brand-wide workload for speed work: 200 stores of 2 marketers, 12 consultants, a manager and a
    /// receptionist (3,200 people), `leads` spread over 3 months ending 2026-10 (rounded to a whole number per
    /// month). 1M leads give about 2.6M follow-ups, 70k deals and 190k spend rows.
    public static func brandScale(leads: Int, seed: UInt64) -> Self {
        Self(seed: seed, stores: 200, marketersPerStore: 2, salesPerStore: 12,
             leadsPerMonth: (leads + 1) / 3, months: 3)
    }
}

/// One generated CSV file of the data folder.
public struct SyntheticFile: Sendable {
    public let name: String
    public let bytes: [UInt8]

    public init(name: String, bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
    }
}

/// Generates a data folder: `people.csv`, `leads.csv`, `followups.csv`, `deals.csv`, `spend.csv`,
/// `targets.csv`, in that order, with the contract's columns in the contract's order.
public enum SyntheticPeriod {
    public static func generate(_ p: SyntheticParameters) -> [SyntheticFile] {
        precondition(p.stores >= 1 && p.months >= 1, "need at least one store and one month")
        precondition(p.marketersPerStore >= 0 && p.salesPerStore >= 0 && p.leadsPerMonth >= 0)
        let world = SynthWorld(p)
        let people = world.peopleCSV()
        var activity = SynthActivity(world: world)
        activity.run()
        let spend = world.spendCSV()
        let targets = world.targetsCSV()
        return [
            SyntheticFile(name: "people.csv", bytes: people.bytes),
            SyntheticFile(name: "leads.csv", bytes: activity.leads.bytes),
            SyntheticFile(name: "followups.csv", bytes: activity.followups.bytes),
            SyntheticFile(name: "deals.csv", bytes: activity.dealsCSV().bytes),
            SyntheticFile(name: "spend.csv", bytes: spend.bytes),
            SyntheticFile(name: "targets.csv", bytes: targets.bytes),
        ]
    }
}
