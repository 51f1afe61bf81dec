/// Where a row came from, so every figure can point at the rows behind it.
public struct RowSource: Sendable, Hashable {
    /// 1-based line in its CSV file where the record starts.
    public var line: Int
    public init(line: Int) { self.line = line }
}

/// A member of staff (people.csv). The role picks the scorecard; the team is what rows roll up to.
public struct Person: Sendable, Hashable {
    public var id: String
    public var name: String
    public var role: String
    public var team: String
    public var managerID: String?
    public var startDate: Day?
    public var endDate: Day?
    public var targetIncentive: Money?
    public var source: RowSource

    public init(id: String, name: String, role: String, team: String, managerID: String? = nil,
                startDate: Day? = nil, endDate: Day? = nil, targetIncentive: Money? = nil,
                source: RowSource = RowSource(line: 0)) {
        self.id = id; self.name = name; self.role = role; self.team = team; self.managerID = managerID
        self.startDate = startDate; self.endDate = endDate; self.targetIncentive = targetIncentive
        self.source = source
    }
}

/// What the caller reached when phoning a lead.
public enum ContactStatus: Sendable, Hashable {
    case reached, noAnswer, poweredOff, vacant, wrongNumber
    /// A value outside the contract: kept, it fails no rule.
    case other(String)

    public init(_ text: String) {
        switch text.lowercased() {
        case "reached": self = .reached
        case "no_answer": self = .noAnswer
        case "powered_off": self = .poweredOff
        case "vacant": self = .vacant
        case "wrong_number": self = .wrongNumber
        default: self = .other(text)
        }
    }
}

/// Whether the lead wants to buy, as captured.
public enum Demand: Sendable, Hashable {
    case yes, no, unknown
    case other(String)
    public init(_ text: String) {
        switch text.lowercased() {
        case "yes": self = .yes
        case "no": self = .no
        case "unknown": self = .unknown
        default: self = .other(text)
        }
    }
}

/// How sales labelled a lead: the claim a validity verdict can dispute.
public enum SalesLabel: String, Sendable, Hashable {
    case valid, invalid
}

/// A prospective customer's contact reaching the company (leads.csv).
public struct Lead: Sendable, Hashable {
    public var id: String
    public var createdAt: Timestamp
    public var channel: String
    public var campaign: String?
    public var marketingOwner: String?
    public var assignedTo: String?
    /// The phone as captured, untouched.
    public var phone: String
    public var contactStatus: ContactStatus?
    public var demand: Demand?
    public var salesLabel: SalesLabel?
    public var customerID: String?
    public var source: RowSource

    public init(id: String, createdAt: Timestamp, channel: String, campaign: String? = nil,
                marketingOwner: String? = nil, assignedTo: String? = nil, phone: String,
                contactStatus: ContactStatus? = nil, demand: Demand? = nil, salesLabel: SalesLabel? = nil,
                customerID: String? = nil, source: RowSource = RowSource(line: 0)) {
        self.id = id; self.createdAt = createdAt; self.channel = channel; self.campaign = campaign
        self.marketingOwner = marketingOwner; self.assignedTo = assignedTo; self.phone = phone
        self.contactStatus = contactStatus; self.demand = demand; self.salesLabel = salesLabel
        self.customerID = customerID; self.source = source
    }
}

/// A contact with a lead after it arrived (followups.csv): a call, visit, test drive, message.
public struct Followup: Sendable, Hashable {
    public var leadID: String
    public var at: Timestamp
    public var by: String
    public var kind: String
    public var outcome: String
    public var source: RowSource

    public init(leadID: String, at: Timestamp, by: String, kind: String, outcome: String = "",
                source: RowSource = RowSource(line: 0)) {
        self.leadID = leadID; self.at = at; self.by = by; self.kind = kind; self.outcome = outcome
        self.source = source
    }
}

public enum CustomerType: String, Sendable, Hashable { case new, existing }
public enum DealStatus: String, Sendable, Hashable { case won, cancelled }

/// A signed order (deals.csv).
public struct Deal: Sendable, Hashable {
    public var id: String
    public var closedAt: Timestamp
    public var salesPerson: String
    /// Net of discount.
    public var amount: Money
    public var units: Int
    public var leadID: String?
    public var customerID: String?
    public var customerType: CustomerType?
    public var status: DealStatus
    public var cancelledAt: Timestamp?
    public var discount: Money?
    public var source: RowSource

    public init(id: String, closedAt: Timestamp, salesPerson: String, amount: Money, units: Int = 1,
                leadID: String? = nil, customerID: String? = nil, customerType: CustomerType? = nil,
                status: DealStatus = .won, cancelledAt: Timestamp? = nil, discount: Money? = nil,
                source: RowSource = RowSource(line: 0)) {
        self.id = id; self.closedAt = closedAt; self.salesPerson = salesPerson; self.amount = amount
        self.units = units; self.leadID = leadID; self.customerID = customerID
        self.customerType = customerType; self.status = status; self.cancelledAt = cancelledAt
        self.discount = discount; self.source = source
    }
}

/// Money spent on a channel (spend.csv).
public struct Spend: Sendable, Hashable {
    public var date: Day
    public var channel: String
    public var campaign: String?
    public var marketingOwner: String?
    public var amount: Money
    public var source: RowSource

    public init(date: Day, channel: String, campaign: String? = nil, marketingOwner: String? = nil,
                amount: Money, source: RowSource = RowSource(line: 0)) {
        self.date = date; self.channel = channel; self.campaign = campaign
        self.marketingOwner = marketingOwner; self.amount = amount; self.source = source
    }
}

/// Who a target row applies to; the most specific scope wins (person, then team, then role).
public enum TargetScope: Sendable, Hashable, CustomStringConvertible {
    case person(String)
    case team(String)
    case role(String)

    public var description: String {
        switch self {
        case .person(let id): return id
        case .team(let t): return "team:\(t)"
        case .role(let r): return "role:\(r)"
        }
    }
}

/// A target from targets.csv, in the KPI's own unit (currency units for money, a fraction for rates).
public struct TargetRow: Sendable, Hashable {
    public var scope: TargetScope
    public var kpi: String
    public var target: Exact
    public var source: RowSource

    public init(scope: TargetScope, kpi: String, target: Exact, source: RowSource = RowSource(line: 0)) {
        self.scope = scope; self.kpi = kpi; self.target = target; self.source = source
    }
}

/// One data folder: the period's rows and the history before it. Values only; readers fill it.
public struct PeriodData: Sendable {
    public var people: [Person]
    public var leads: [Lead]
    public var followups: [Followup]
    public var deals: [Deal]
    public var spend: [Spend]
    public var targets: [TargetRow]
    /// Approved manual pay corrections (adjustments.csv).
    public var adjustments: [Adjustment] = []
    /// Whether spend.csv was given: without it, cost figures have no data (not a cost of 0).
    public var hasSpend: Bool = true
    /// Whether followups.csv was given: without it, follow-up figures have no data.
    public var hasFollowups: Bool = true

    public init(people: [Person] = [], leads: [Lead] = [], followups: [Followup] = [], deals: [Deal] = [],
                spend: [Spend] = [], targets: [TargetRow] = []) {
        self.people = people; self.leads = leads; self.followups = followups; self.deals = deals
        self.spend = spend; self.targets = targets
    }

    /// The first day holding any dated row (leads, deals, spend): where history begins.
    public var earliestDay: Day? {
        var d: Day?
        func see(_ x: Day) { if d == nil || x < d! { d = x } }
        for l in leads { see(l.createdAt.day) }
        for x in deals { see(x.closedAt.day) }
        for s in spend { see(s.date) }
        return d
    }
}
