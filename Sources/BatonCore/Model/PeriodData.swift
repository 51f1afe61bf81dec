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

    /// An optional status in 4 bytes, as a `Lead` stores it: 0 none, 1-5 the cases in order, and a
    /// value outside the contract as its interned text with the top bit set.
    public struct Code: Sendable, Hashable {
        public let rawValue: UInt32
        public static let none = Code(rawValue: 0)
        /// Only for a value taken from an existing code.
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        public init(_ status: ContactStatus?) {
            switch status {
            case nil: rawValue = 0
            case .reached?: rawValue = 1
            case .noAnswer?: rawValue = 2
            case .poweredOff?: rawValue = 3
            case .vacant?: rawValue = 4
            case .wrongNumber?: rawValue = 5
            case .other(let text)?: rawValue = otherFlag | Symbol(text).rawValue
            }
        }

        /// A value outside the contract, by its interned text.
        public init(other text: Symbol) { rawValue = otherFlag | text.rawValue }

        public var status: ContactStatus? {
            switch rawValue {
            case 0: return nil
            case 1: return .reached
            case 2: return .noAnswer
            case 3: return .poweredOff
            case 4: return .vacant
            case 5: return .wrongNumber
            default: return .other(Symbol(rawValue: rawValue & ~otherFlag).string)
            }
        }
    }
}

/// Top bit of a `ContactStatus.Code` or `Demand.Code`: the rest is the symbol of a value outside the contract.
private let otherFlag: UInt32 = 1 << 31
/// An absent optional text in a symbol field.
@usableFromInline let noSymbol: UInt32 = .max

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

    /// An optional demand in 4 bytes, as a `Lead` stores it: 0 none, 1-3 the cases in order, and a
    /// value outside the contract as its interned text with the top bit set.
    public struct Code: Sendable, Hashable {
        public let rawValue: UInt32
        public static let none = Code(rawValue: 0)
        /// Only for a value taken from an existing code.
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        public init(_ demand: Demand?) {
            switch demand {
            case nil: rawValue = 0
            case .yes?: rawValue = 1
            case .no?: rawValue = 2
            case .unknown?: rawValue = 3
            case .other(let text)?: rawValue = otherFlag | Symbol(text).rawValue
            }
        }

        /// A value outside the contract, by its interned text.
        public init(other text: Symbol) { rawValue = otherFlag | text.rawValue }

        public var demand: Demand? {
            switch rawValue {
            case 0: return nil
            case 1: return .yes
            case 2: return .no
            case 3: return .unknown
            default: return .other(Symbol(rawValue: rawValue & ~otherFlag).string)
            }
        }
    }
}

/// How sales labelled a lead: the claim a validity verdict can dispute.
public enum SalesLabel: String, Sendable, Hashable {
    case valid, invalid
}

extension Optional where Wrapped == Symbol {
    /// The 4-byte form of an optional symbol in a row.
    @inlinable
    var stored: UInt32 { self?.rawValue ?? noSymbol }
}

/// The optional symbol of a row's 4-byte form (the getters of every row type's symbol columns).
@inlinable
func symbol(_ stored: UInt32) -> Symbol? { stored == noSymbol ? nil : Symbol(rawValue: stored) }

@inline(__always)
private func stored(_ text: String?) -> UInt32 { text.map { Symbol($0).rawValue } ?? noSymbol }

@inlinable
func storedLine(_ source: RowSource) -> UInt32 {
    precondition(source.line >= 0 && source.line <= Int(UInt32.max), "a row's line must be 0...\(UInt32.max)")
    return UInt32(source.line)
}

/// A prospective customer's contact reaching the company (leads.csv).
///
/// 88 bytes: the texts that repeat over rows (channel, campaign, people, statuses) are interned
/// `Symbol`s, read back as `String` by the properties of the same names; the line is 4 bytes.
public struct Lead: Sendable, Hashable {
    public var id: String
    public var createdAt: Timestamp
    /// The phone as captured, untouched.
    public var phone: String
    public var customerID: String?
    /// `channel` as a symbol.
    public var channelSymbol: Symbol
    @usableFromInline var campaignStored: UInt32
    @usableFromInline var marketingOwnerStored: UInt32
    @usableFromInline var assignedToStored: UInt32
    /// `contactStatus` in its 4-byte form.
    public var contactStatusCode: ContactStatus.Code
    /// `demand` in its 4-byte form.
    public var demandCode: Demand.Code
    @usableFromInline var line: UInt32
    public var salesLabel: SalesLabel?

    public var channel: String {
        get { channelSymbol.string }
        set { channelSymbol = Symbol(newValue) }
    }
    public var campaign: String? {
        get { campaignSymbol?.string }
        set { campaignStored = stored(newValue) }
    }
    public var marketingOwner: String? {
        get { marketingOwnerSymbol?.string }
        set { marketingOwnerStored = stored(newValue) }
    }
    public var assignedTo: String? {
        get { assignedToSymbol?.string }
        set { assignedToStored = stored(newValue) }
    }
    public var contactStatus: ContactStatus? {
        get { contactStatusCode.status }
        set { contactStatusCode = ContactStatus.Code(newValue) }
    }
    public var demand: Demand? {
        get { demandCode.demand }
        set { demandCode = Demand.Code(newValue) }
    }
    public var source: RowSource {
        get { RowSource(line: Int(line)) }
        set { line = storedLine(newValue) }
    }

    /// `campaign`, `marketingOwner` and `assignedTo` as symbols: equal symbols are equal texts, so
    /// lookups can be keyed by `rawValue` instead of by string.
    @inlinable public var campaignSymbol: Symbol? { symbol(campaignStored) }
    @inlinable public var marketingOwnerSymbol: Symbol? {
        symbol(marketingOwnerStored)
    }
    @inlinable public var assignedToSymbol: Symbol? { symbol(assignedToStored) }

    public init(id: String, createdAt: Timestamp, channel: String, campaign: String? = nil,
                marketingOwner: String? = nil, assignedTo: String? = nil, phone: String,
                contactStatus: ContactStatus? = nil, demand: Demand? = nil, salesLabel: SalesLabel? = nil,
                customerID: String? = nil, source: RowSource = RowSource(line: 0)) {
        self.init(id: id, createdAt: createdAt, channel: Symbol(channel), campaign: campaign.map(Symbol.init),
                  marketingOwner: marketingOwner.map(Symbol.init), assignedTo: assignedTo.map(Symbol.init),
                  phone: phone, contactStatus: ContactStatus.Code(contactStatus), demand: Demand.Code(demand),
                  salesLabel: salesLabel, customerID: customerID, source: source)
    }

    /// The same lead from texts already interned (for readers making millions of rows). Always
    /// inlined: out of line, the optimizer copied and destroyed the whole lead once per row.
    @inlinable @inline(__always)
    public init(id: String, createdAt: Timestamp, channel: Symbol, campaign: Symbol?, marketingOwner: Symbol?,
                assignedTo: Symbol?, phone: String, contactStatus: ContactStatus.Code, demand: Demand.Code,
                salesLabel: SalesLabel?, customerID: String?, source: RowSource) {
        self.id = id; self.createdAt = createdAt; self.channelSymbol = channel; self.campaignStored = campaign.stored
        self.marketingOwnerStored = marketingOwner.stored; self.assignedToStored = assignedTo.stored
        self.phone = phone; self.contactStatusCode = contactStatus; self.demandCode = demand
        self.salesLabel = salesLabel; self.customerID = customerID; self.line = storedLine(source)
    }
}

/// A contact with a lead after it arrived (followups.csv): a call, visit, test drive, message.
///
/// 40 bytes: `by`, `kind` and `outcome` are interned `Symbol`s (read back as `String` by the
/// properties of those names), the line is 4 bytes.
public struct Followup: Sendable, Hashable {
    public var leadID: String
    public var at: Timestamp
    /// `by`, `kind` and `outcome` as symbols (equal symbols are equal texts).
    public var bySymbol: Symbol
    public var kindSymbol: Symbol
    public var outcomeSymbol: Symbol
    @usableFromInline var line: UInt32

    public var by: String {
        get { bySymbol.string }
        set { bySymbol = Symbol(newValue) }
    }
    public var kind: String {
        get { kindSymbol.string }
        set { kindSymbol = Symbol(newValue) }
    }
    public var outcome: String {
        get { outcomeSymbol.string }
        set { outcomeSymbol = Symbol(newValue) }
    }
    public var source: RowSource {
        get { RowSource(line: Int(line)) }
        set { line = storedLine(newValue) }
    }

    public init(leadID: String, at: Timestamp, by: String, kind: String, outcome: String = "",
                source: RowSource = RowSource(line: 0)) {
        self.init(leadID: leadID, at: at, by: Symbol(by), kind: Symbol(kind), outcome: Symbol(outcome), source: source)
    }

    /// The same follow-up from texts already interned (for readers making millions of rows).
    @inlinable
    public init(leadID: String, at: Timestamp, by: Symbol, kind: Symbol, outcome: Symbol, source: RowSource) {
        self.leadID = leadID; self.at = at; self.bySymbol = by; self.kindSymbol = kind; self.outcomeSymbol = outcome
        self.line = storedLine(source)
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
    /// `channel` as a symbol.
    public var channelSymbol: Symbol
    @usableFromInline var campaignStored: UInt32
    @usableFromInline var marketingOwnerStored: UInt32
    @usableFromInline var line: UInt32
    public var amount: Money

    public var channel: String {
        get { channelSymbol.string }
        set { channelSymbol = Symbol(newValue) }
    }
    public var campaign: String? {
        get { campaignSymbol?.string }
        set { campaignStored = stored(newValue) }
    }
    public var marketingOwner: String? {
        get { marketingOwnerSymbol?.string }
        set { marketingOwnerStored = stored(newValue) }
    }
    public var source: RowSource {
        get { RowSource(line: Int(line)) }
        set { line = storedLine(newValue) }
    }
    /// `campaign` and `marketingOwner` as symbols.
    @inlinable public var campaignSymbol: Symbol? { symbol(campaignStored) }
    @inlinable public var marketingOwnerSymbol: Symbol? {
        symbol(marketingOwnerStored)
    }

    public init(date: Day, channel: String, campaign: String? = nil, marketingOwner: String? = nil,
                amount: Money, source: RowSource = RowSource(line: 0)) {
        self.init(date: date, channel: Symbol(channel), campaign: campaign.map(Symbol.init),
                  marketingOwner: marketingOwner.map(Symbol.init), amount: amount, source: source)
    }

    /// The same row from texts already interned (for readers of big tables).
    @inlinable
    public init(date: Day, channel: Symbol, campaign: Symbol?, marketingOwner: Symbol?, amount: Money, source: RowSource) {
        self.date = date; self.channelSymbol = channel; self.campaignStored = campaign.stored
        self.marketingOwnerStored = marketingOwner.stored; self.amount = amount; self.line = storedLine(source)
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
