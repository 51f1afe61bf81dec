/// A person's scorecard for the period: every figure of their side, and the plan's KPIs scored.
public struct PersonScorecard: Sendable {
    /// Index into `PeriodData.people`.
    public let person: Int
    public let side: Side
    public let plan: ScorecardPlan
    /// Every KPI of the side, in the order of docs/kpis.md.
    public let figures: [KPIValue]
    /// The plan's KPIs, scored.
    public let scores: [KPIScore]
    /// Σ weight × score / 100.
    public let weightedTotal: Exact
    /// For a manager paid on the team (`basis: team`): the team whose row was scored.
    public let scoredOnTeam: String?
    /// The figures the scores were computed from: `figures`, or the team's row for a manager.
    public let scoredFigures: [KPIValue]

    public func figure(_ name: String) -> KPIValue? { figures.first { $0.kpi.name == name } }
}

/// A team's row on one side: its members' numerators and denominators summed (never averaged rates),
/// plus what the team holds in its own name.
public struct TeamScorecard: Sendable {
    public let team: String
    public let side: Side
    /// Indexes into `PeriodData.people`.
    public let members: [Int]
    public let figures: [KPIValue]
    /// Leads credited to the team itself and spend mapped to it, beyond its members'.
    public let ownLeads: Int
    public let ownSpend: Money

    public func figure(_ name: String) -> KPIValue? { figures.first { $0.kpi.name == name } }
}

/// A lead whose sales label disagrees with its verdict.
public struct LabelDispute: Sendable, Hashable {
    public let lead: Int
    /// The assigned salesperson (index into people), if any.
    public let salesPerson: Int?
    public let label: SalesLabel
    /// The rule the lead failed; nil when it is valid.
    public let failedRule: FailedRule?
}

/// Something the evaluation noticed that does not stop it.
public struct EvaluationWarning: Sendable, Hashable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Everything one period's evaluation found: the input to every output format.
public struct Evaluation: Sendable {
    public let period: Period
    public let plan: Plan
    public let data: PeriodData
    /// Per lead of the data (history included).
    public let verdicts: Verdicts
    /// Per lead of the data: who it is credited to on the marketing side.
    public let credits: LeadCredits
    /// Per deal: new-customer or not (nil for cancelled deals).
    public let dealIsNew: [Bool?]
    /// Indexes of the leads created in the period, in file order.
    public let periodLeads: [Int]
    public let people: [PersonScorecard]
    public let teams: [TeamScorecard]
    /// People whose role no scorecard covers.
    public let notEvaluated: [Int]
    public let unattributedLeads: RowList
    public let unownedSpend: RowList
    public let unownedSpendTotal: Money
    public let labelDisputes: [LabelDispute]
    public let warnings: [EvaluationWarning]

    public func scorecards(_ side: Side) -> [PersonScorecard] { people.filter { $0.side == side } }
    public func teams(_ side: Side) -> [TeamScorecard] { teams.filter { $0.side == side } }

    /// A side's total over all teams (members summed, plus the teams' own rows).
    public let totals: [Side: [KPIValue]]
    /// Everyone's pay, when the plan pays.
    public let payroll: Payroll
}

/// What stops an evaluation: a plan the data cannot be evaluated with.
public struct EvaluationError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
