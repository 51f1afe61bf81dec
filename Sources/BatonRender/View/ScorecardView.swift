import BatonCore

/// One period's scorecards as a boss reads them: marketing and sales side by side, the lead funnel,
/// a table per side per team, the payroll, a section per person with their pay statement, and the
/// evidence behind validity and label disputes.
///
/// Every value is text already written for display (thousands separators, `83.3%`, `1,234.50 CNY`,
/// "no data" rather than 0), and every text from the data has been through `DisplayText.clean`. A template
/// only places these texts; it does no arithmetic and makes no decision beyond "is this list empty".
/// Built by `ScorecardView.make(_:language:)`.
public struct ScorecardView: Sendable {
    /// The page's `lang` attribute: `en`, `zh-Hans`.
    public let lang: String
    public let labels: Labels
    /// `2026-10`.
    public let period: String
    /// `2026-10-01 – 2026-10-31`.
    public let periodDays: String
    public let plan: String
    public let currency: String
    /// Marketing, then sales: the two sides' totals for the side-by-side header.
    public let sides: [SideSummaryView]
    public let funnel: FunnelView
    /// Marketing, then sales: a table per team.
    public let teamTables: [SideTablesView]
    /// Whether the plan pays anyone or anyone has a pay line; when false the page has no pay section at
    /// all (no payroll, no statements, no "Other pay").
    public let hasPay: Bool
    public let payroll: PayrollView
    /// Marketing people, then sales people.
    public let people: [PersonView]
    /// People paid this period who have no scorecard (an approved adjustment for a receptionist).
    public let otherPay: [OtherPayView]
    public let hasOtherPay: Bool
    public let validity: ValidityView
    /// Label disputes grouped per salesperson.
    public let disputes: [DisputeGroupView]
    public let hasDisputes: Bool
    public let notEvaluated: [PersonRefView]
    public let hasNotEvaluated: Bool
    /// What no table row holds: unattributed leads, unowned spend.
    public let outside: [LabelledTextView]
    public let hasOutside: Bool
    /// The evaluation's warnings, as the core words them (English).
    public let warnings: [String]
    public let hasWarnings: Bool
}

/// A label and its text.
public struct LabelledTextView: Sendable {
    public let label: String
    public let text: String
}

/// One side's totals over all its teams, for the header.
public struct SideSummaryView: Sendable {
    /// `marketing` or `sales`: a CSS class, not shown.
    public let side: String
    public let title: String
    /// `2 people evaluated`.
    public let headcount: String
    public let figures: [LabelledTextView]
}

/// The lead funnel: leads → valid leads (marketing's) → assigned → converted → new-customer sales (sales').
public struct FunnelView: Sendable {
    public let stages: [FunnelStageView]
    public let marketingLegend: String
    public let salesLegend: String
}

/// One stage of the funnel, with its bar in a 1000-wide drawing, centred.
public struct FunnelStageView: Sendable {
    /// `marketing` or `sales`: who owns the stage (a CSS class).
    public let side: String
    public let owner: String
    public let name: String
    public let value: String
    /// The rate that links it to the stage before, when the core has one (`Validity rate 47.8%`).
    public let rate: String?
    /// False for the money stage, which has no common scale with the counts.
    public let hasBar: Bool
    /// The bar's left edge and width in the 0…1000 drawing, already written (`187.5`).
    public let barX: String
    public let barWidth: String
}

/// One side's team tables, with the side's columns.
public struct SideTablesView: Sendable {
    public let side: String
    public let title: String
    public let columns: [ColumnView]
    public let teams: [TeamTableView]
}

public struct ColumnView: Sendable {
    public let label: String
    public let definition: String
}

public struct TeamTableView: Sendable {
    public let team: String
    /// What the team row holds beyond its members (leads credited to the team, spend mapped to it).
    public let note: String?
    /// A row per member, then the team's row.
    public let rows: [TableRowView]
}

public struct TableRowView: Sendable {
    public let name: String
    /// The person's id; empty on the team's row.
    public let personID: String
    /// `#person-3`: the person's section; nil on the team's row.
    public let link: String?
    public let isTeam: Bool
    /// The person's weighted total; empty on the team's row.
    public let total: String
    public let cells: [String]
}

/// A person's scorecard.
public struct PersonView: Sendable {
    /// The HTML id of the section (`person-3`), made by us, never from the data.
    public let anchor: String
    public let side: String
    public let sideTitle: String
    public let name: String
    public let personID: String
    public let role: String
    public let team: String
    public let total: String
    /// For a manager paid on the team (`basis: team`): the team whose row the scored KPIs show. Their
    /// values, attainments and scores are the team's; "All figures" stays the person's own.
    public let scoredOnTeam: String?
    public let scored: [ScoredKPIView]
    /// The page's `hasPay`: the section carries a pay statement (`pay`), even an empty one.
    public let hasPay: Bool
    /// Their pay lines and total; nil when the page has no pay.
    public let pay: PayStatementView?
    public let figures: [FigureRowView]
    /// Marketing people: how the leads credited to them fared against each validity rule.
    public let validity: [RuleCountView]
    public let hasValidity: Bool
    /// Sales people: their leads whose label disagrees with the rules.
    public let disputes: [DisputeView]
    public let hasDisputes: Bool
}

/// A KPI the plan scores: value, target and where it came from, attainment, score, weight, points, rule.
public struct ScoredKPIView: Sendable {
    public let kpi: String
    public let value: String
    public let target: String
    /// Where the target came from; nil when there is none.
    public let targetFrom: String?
    public let attainment: String
    public let score: String
    public let weight: String
    public let points: String
    public let rule: String
    public let why: String
}

/// Any figure of the side, with its definition and what it is made of (`11 / 23`).
public struct FigureRowView: Sendable {
    public let kpi: String
    public let definition: String
    public let value: String
    public let madeOf: String
}

/// How many leads failed one validity rule (or were valid, or all).
public struct RuleCountView: Sendable {
    public let rule: String
    public let meaning: String
    public let count: String
    public let isTotal: Bool
}

/// The failed-rule counts behind validity: a row per rule, a column per marketer (and the team-credited
/// and unattributed leads), and the overall count.
public struct ValidityView: Sendable {
    public let columns: [String]
    public let rows: [ValidityRowView]
}

public struct ValidityRowView: Sendable {
    public let rule: String
    public let meaning: String
    public let cells: [String]
    public let isTotal: Bool
}

public struct DisputeGroupView: Sendable {
    public let salesperson: String
    /// `#person-3`, when the salesperson has a section.
    public let link: String?
    public let disputes: [DisputeView]
}

public struct DisputeView: Sendable {
    public let lead: String
    public let salesLabel: String
    public let verdict: String
    /// A valid lead labelled invalid: counts in `disputed_invalid_labels`.
    public let countsAgainst: Bool
}

public struct PersonRefView: Sendable {
    public let name: String
    public let personID: String
    public let role: String
    public let team: String
}
