import BigInt

/// A manual correction to pay, approved by someone (adjustments.csv).
public struct Adjustment: Sendable, Hashable {
    public var personID: String
    /// May be negative.
    public var amount: Money
    public var reason: String
    public var approvedBy: String
    public var source: RowSource
    public init(personID: String, amount: Money, reason: String, approvedBy: String, source: RowSource = RowSource(line: 0)) {
        self.personID = personID; self.amount = amount; self.reason = reason; self.approvedBy = approvedBy
        self.source = source
    }
}

/// A deal's share of a commission paid in an earlier period (that period's commission_deals.csv): what a
/// cancellation claws back.
public struct PaidCommission: Sendable, Hashable {
    public var dealID: String
    public var personID: String
    public var commission: String
    public var share: Money
    /// Where it was read from, for the clawback line's evidence.
    public var origin: String
    public init(dealID: String, personID: String, commission: String, share: Money, origin: String) {
        self.dealID = dealID; self.personID = personID; self.commission = commission; self.share = share
        self.origin = origin
    }
}

/// What kind of pay a line is.
public enum PayLineKind: String, Sendable, Hashable {
    case bonus, gate, commission, adjustment, clawback
}

/// One line of a person's pay: the amount (rounded once), the exact amount, the rule and the arithmetic.
public struct PayLine: Sendable, Hashable {
    public let kind: PayLineKind
    /// `bonus`, `bonus:KPI`, `gate:KPI`, `commission:NAME`, `adjustment`, `clawback:DEAL`.
    public let name: String
    public let amount: Money
    public let exact: Exact
    /// The plan rule that applied, in words.
    public let rule: String
    /// The numbers that produced the amount.
    public let arithmetic: String
}

/// A person's pay for the period, line by line.
public struct PayStatement: Sendable {
    /// Index into `PeriodData.people`.
    public let person: Int
    public let lines: [PayLine]
    /// The sum of the rounded lines.
    public var total: Money { lines.reduce(Money.zero) { $0 + $1.amount } }
}

/// A deal's share of a commission paid this period, recorded for later clawbacks.
public struct CommissionShare: Sendable, Hashable {
    public let deal: Int
    public let person: Int
    public let commission: String
    public let share: Money
}

/// Everyone's pay for the period, with totals that reconcile to the cent.
public struct Payroll: Sendable {
    public let statements: [PayStatement]
    public let commissionShares: [CommissionShare]
    /// Per team, in people.csv order of first appearance: the sum of its people's pay.
    public let teamTotals: [(team: String, amount: Money)]
    public var grandTotal: Money { teamTotals.reduce(Money.zero) { $0 + $1.amount } }

    public func statement(for person: Int) -> PayStatement? { statements.first { $0.person == person } }
}

extension Currency {
    /// An exact amount of major units rounded once to a whole number of minor units.
    public func round(_ x: Exact, _ rule: RoundingRule) -> Money {
        switch rule {
        case .halfAwayFromZero:
            if let units = x.scaledRoundedSmall(places: decimals) { return Money(minorUnits: units) }
            return Money(minorUnits: Int64(x.scaledRounded(places: decimals)))
        case .halfEven:
            if let units = x.scaledRoundedHalfEvenSmall(places: decimals) { return Money(minorUnits: units) }
            return Money(minorUnits: Int64(x.scaledRoundedHalfEven(places: decimals)))
        }
    }
}
