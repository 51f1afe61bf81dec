import BatonCore

/// The payroll for the period as HR signs it: each team's people and total, the grand total, and how
/// the amounts were rounded (docs/pay.md "Exactness and rounding"). Shown only when the page `hasPay`.
public struct PayrollView: Sendable {
    /// Per team, in people.csv order of first appearance (as `Payroll.teamTotals`).
    public let teams: [PayrollTeamView]
    /// The sum of the teams' totals, with the currency code (`69,305.00 CNY`).
    public let grandTotal: String
    /// The same, without the code, for the table whose header names the currency.
    public let grandTotalAmount: String
    /// The column header of the amounts: `Amount (CNY)`.
    public let amountColumn: String
    /// The plan's rounding rule and what it means for the totals, in the page's language.
    public let rounding: String
    /// `12 people paid`.
    public let headcount: String
    /// How many people are paid, as a table cell (`12`).
    public let count: String
}

/// One team's part of the payroll: a row per person paid, then the team's total.
public struct PayrollTeamView: Sendable {
    public let team: String
    public let people: [PayrollRowView]
    /// How many of its people are paid (`9`).
    public let count: String
    /// The sum of its people's pay, without the currency code.
    public let total: String
    public let isNegative: Bool
}

public struct PayrollRowView: Sendable {
    public let name: String
    public let personID: String
    public let role: String
    /// `#person-3` (their scorecard) or `#pay-3` (the "Other pay" section, for people without one).
    public let link: String
    /// Their pay, without the currency code.
    public let amount: String
    public let isNegative: Bool
}

/// A person's pay lines and total: the second half of their pay statement (the first is the scored
/// KPI table of their section).
///
/// `rule` and `arithmetic` are the core's own texts (`PayLine.rule`, `PayLine.arithmetic`): English
/// only, the exact words of pay.csv, so HR can match the page to the file. They are shown as given in
/// every language (like the evaluation's warnings); only the line's name and the labels around it are
/// translated. They pass `DisplayText.clean` because an adjustment's reason and approver are data.
public struct PayStatementView: Sendable {
    public let lines: [PayLineView]
    public let hasLines: Bool
    /// The column header of the amounts: `Amount (CNY)`.
    public let amountColumn: String
    /// The sum of the rounded lines, without the currency code (`12,100.00`).
    public let total: String
    /// The same with the code (`12,100.00 CNY`), for the person's header.
    public let totalWithCode: String
    public let isNegative: Bool
    /// Why there are no lines, when there are none.
    public let empty: String?
}

/// One pay line.
public struct PayLineView: Sendable {
    /// `bonus`, `gate`, `commission`, `adjustment`, `clawback`: a CSS class, not shown.
    public let kind: String
    /// The kind in the page's language: `Commission` / `提成`.
    public let label: String
    /// What the line is about: a KPI (translated), a commission's name from the plan, a deal's id.
    public let detail: String?
    /// The line as pay.csv names it (`commission:sales`), to find it there.
    public let code: String
    /// Rounded once, without the currency code (`5,500.00`, `-816.67`).
    public let amount: String
    public let isNegative: Bool
    /// A gate line: 0.00, evidence for the bonus line above it.
    public let isEvidence: Bool
    /// The rule that applied: the core's English text, as in pay.csv.
    public let rule: String
    /// The numbers that produced the amount: the core's English text, as in pay.csv.
    public let arithmetic: String
}

/// Someone paid this period who has no scorecard (a receptionist with an approved adjustment).
public struct OtherPayView: Sendable {
    /// The HTML id of the section (`pay-7`), made by us, never from the data.
    public let anchor: String
    public let name: String
    public let personID: String
    public let role: String
    public let team: String
    public let pay: PayStatementView
}
