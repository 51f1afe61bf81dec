/// Rows of the period data behind a figure, by index into the `PeriodData` arrays.
public struct RowRefs: Sendable, Hashable {
    public var leads: [Int] = []
    public var deals: [Int] = []
    public var spend: [Int] = []
    public var followups: [Int] = []
    public init(leads: [Int] = [], deals: [Int] = [], spend: [Int] = [], followups: [Int] = []) {
        self.leads = leads; self.deals = deals; self.spend = spend; self.followups = followups
    }
    public var isEmpty: Bool { leads.isEmpty && deals.isEmpty && spend.isEmpty && followups.isEmpty }
}

/// The raw counts and sums of one subject (a person, or what a team holds in its own name) in one period,
/// with the rows behind each. KPI values are fractions of these; teams add them up.
struct Tally: Sendable {
    // Marketing: leads credited, created in the period.
    var leads: [Int] = []
    var validLeads: [Int] = []
    var spendRows: [Int] = []
    var spend = Money.zero
    var marketingNewDeals: [Int] = []
    var marketingNewSales = Money.zero
    // Sales.
    var assigned: [Int] = []
    var wonDeals: [Int] = []
    var totalSales = Money.zero
    var newDeals: [Int] = []
    var newSales = Money.zero
    /// Deals carrying each converted lead's first deal (one per distinct lead id).
    var convertedLeadDeals: [Int] = []
    var disputed: [Int] = []
    var followupRows: [Int] = []
    var contacted24h: [Int] = []
    var testDrive: [Int] = []

    mutating func add(_ o: Tally) {
        leads += o.leads; validLeads += o.validLeads; spendRows += o.spendRows; spend += o.spend
        marketingNewDeals += o.marketingNewDeals; marketingNewSales += o.marketingNewSales
        assigned += o.assigned; wonDeals += o.wonDeals; totalSales += o.totalSales
        newDeals += o.newDeals; newSales += o.newSales; convertedLeadDeals += o.convertedLeadDeals
        disputed += o.disputed; followupRows += o.followupRows; contacted24h += o.contacted24h
        testDrive += o.testDrive
    }
}

/// Who a lead is credited to on the marketing side, and by which rule.
public enum LeadCredit: Sendable, Hashable {
    /// `marketing_owner` names the person (index into `PeriodData.people`).
    case owner(Int)
    /// No owner: the single owner of the lead's channel on spend.csv in the period.
    case channelOwner(Int)
    /// Neither: the team of the person the lead was assigned to.
    case assigneeTeam(String)
    case unattributed

    public var person: Int? {
        switch self {
        case .owner(let p), .channelOwner(let p): return p
        default: return nil
        }
    }

    /// The rule that credited the lead, as printed on leads.csv.
    public var rule: String {
        switch self {
        case .owner: return "marketing_owner"
        case .channelOwner: return "channel_owner"
        case .assigneeTeam: return "assignee_team"
        case .unattributed: return "unattributed"
        }
    }
}

/// The period-independent facts derived once from the whole data: verdicts, who leads are credited to,
/// which deals are new-customer, and each lead's follow-up timing.
struct Derived: Sendable {
    var personIndex: [String: Int]
    var leadIndex: [String: Int]
    var verdicts: [Verdict]
    /// Per won deal: whether it is a new-customer deal (nil for cancelled deals).
    var dealIsNew: [Bool?]
    /// Per deal: the index of its lead, when its lead_id is in leads.csv.
    var dealLead: [Int?]
    /// Per lead: the earliest follow-up instant, by anyone.
    var firstFollowup: [Int64?]
    /// Per lead: the day of its earliest test drive, by anyone.
    var firstTestDrive: [Day?]
}

/// Builds a subject's tallies for one period.
struct PeriodTally: Sendable {
    var person: [Tally]
    /// Leads credited to a team itself (assignee's team) and spend mapped to a team by channel.
    var teamOwn: [String: Tally]
    var credits: [LeadCredit]
    var unattributedLeads: [Int]
    var unownedSpend: [Int]
    var unownedSpendTotal: Money
    /// Deals whose lead_id is not in leads.csv, closed in the period.
    var dealsWithUnknownLead: [Int]
}

extension Derived {
    init(_ data: PeriodData, rules: ValidityRules, phones: PhoneRules) {
        var personIndex = [String: Int](minimumCapacity: data.people.count)
        for (i, p) in data.people.enumerated() where personIndex[p.id] == nil { personIndex[p.id] = i }
        var leadIndex = [String: Int](minimumCapacity: data.leads.count)
        for (i, l) in data.leads.enumerated() where leadIndex[l.id] == nil { leadIndex[l.id] = i }
        let verdicts = LeadValidity.judge(data.leads, rules: rules, phones: phones)

        var dealLead = [Int?](repeating: nil, count: data.deals.count)
        for (i, d) in data.deals.enumerated() {
            if let id = d.leadID { dealLead[i] = leadIndex[id] }
        }
        // New customer: walk won deals in closing order; a customer key seen before is existing.
        var dealIsNew = [Bool?](repeating: nil, count: data.deals.count)
        let won = data.deals.indices.filter { data.deals[$0].status == .won }.sorted {
            let a = data.deals[$0].closedAt.instant, b = data.deals[$1].closedAt.instant
            return a != b ? a < b : $0 < $1
        }
        var seen = Set<String>()
        for i in won {
            let d = data.deals[i]
            var key: String?
            if let c = d.customerID {
                key = "c:" + c
            } else if let l = dealLead[i] {
                if let c = data.leads[l].customerID {
                    key = "c:" + c
                } else if verdicts[l].failedRule != .missingPhone && verdicts[l].failedRule != .malformedPhone {
                    key = "p:" + PhoneRules.key(verdicts[l].normalisedPhone)
                }
            }
            let isNew: Bool
            switch d.customerType {
            case .new?: isNew = true
            case .existing?: isNew = false
            case nil:
                if let key { isNew = !seen.contains(key) } else { isNew = dealLead[i] != nil }
            }
            dealIsNew[i] = isNew
            if let key { seen.insert(key) }
        }

        var firstFollowup = [Int64?](repeating: nil, count: data.leads.count)
        var firstTestDrive = [Day?](repeating: nil, count: data.leads.count)
        for f in data.followups {
            guard let l = leadIndex[f.leadID] else { continue }
            if firstFollowup[l] == nil || f.at.instant < firstFollowup[l]! { firstFollowup[l] = f.at.instant }
            if f.kind == "test_drive", firstTestDrive[l] == nil || f.at.day < firstTestDrive[l]! {
                firstTestDrive[l] = f.at.day
            }
        }
        self.init(personIndex: personIndex, leadIndex: leadIndex, verdicts: verdicts, dealIsNew: dealIsNew,
                  dealLead: dealLead, firstFollowup: firstFollowup, firstTestDrive: firstTestDrive)
    }
}

extension PeriodTally {
    /// One pass over each table, adding each row in the period to the subject it counts for.
    init(_ data: PeriodData, derived: Derived, plan: Plan, period: Period) {
        let people = data.people
        var person = [Tally](repeating: Tally(), count: people.count)
        var teamOwn = [String: Tally]()
        var unownedSpend = [Int]()
        var unownedSpendTotal = Money.zero

        // The owners of each channel on spend.csv in the period: overall, and per team (-1: several).
        var channelOwners = [String: [Int]]()
        var channelTeamOwner = [String: [String: Int]]()
        for s in data.spend where period.contains(s.date) {
            guard let o = s.marketingOwner, let p = derived.personIndex[o] else { continue }
            if !(channelOwners[s.channel]?.contains(p) ?? false) {
                channelOwners[s.channel, default: []].append(p)
                let team = people[p].team
                if let existing = channelTeamOwner[s.channel]?[team] {
                    if existing != p { channelTeamOwner[s.channel]![team] = -1 }
                } else {
                    channelTeamOwner[s.channel, default: [:]][team] = p
                }
            }
        }
        /// The channel's owner for a lead: the single owner of the channel in the period; with several
        /// (each store runs its own), the single one in the team of the lead's assignee.
        func channelOwner(_ channel: String, assignee: Int?) -> Int? {
            guard let owners = channelOwners[channel], !owners.isEmpty else { return nil }
            if owners.count == 1 { return owners[0] }
            guard let a = assignee, let p = channelTeamOwner[channel]?[people[a].team], p >= 0 else { return nil }
            return p
        }
        for (i, s) in data.spend.enumerated() where period.contains(s.date) {
            if let o = s.marketingOwner, let p = derived.personIndex[o] {
                person[p].spendRows.append(i)
                person[p].spend += s.amount
            } else if let team = plan.channelTeams[s.channel] {
                teamOwn[team, default: Tally()].spendRows.append(i)
                teamOwn[team, default: Tally()].spend += s.amount
            } else {
                unownedSpend.append(i)
                unownedSpendTotal += s.amount
            }
        }

        var credits = [LeadCredit](repeating: .unattributed, count: data.leads.count)
        var unattributed = [Int]()
        for (i, lead) in data.leads.enumerated() {
            var credit = LeadCredit.unattributed
            let assignee = lead.assignedTo.flatMap { derived.personIndex[$0] }
            if let o = lead.marketingOwner, let p = derived.personIndex[o] {
                credit = .owner(p)
            } else if let p = channelOwner(lead.channel, assignee: assignee) {
                credit = .channelOwner(p)
            } else if let a = lead.assignedTo, let p = derived.personIndex[a] {
                credit = .assigneeTeam(people[p].team)
            }
            credits[i] = credit
            guard period.contains(lead.createdAt.day) else { continue }
            let valid = derived.verdicts[i].isValid
            switch credit {
            case .owner(let p), .channelOwner(let p):
                person[p].leads.append(i)
                if valid { person[p].validLeads.append(i) }
            case .assigneeTeam(let team):
                teamOwn[team, default: Tally()].leads.append(i)
                if valid { teamOwn[team, default: Tally()].validLeads.append(i) }
            case .unattributed:
                unattributed.append(i)
            }
            if let a = lead.assignedTo, let s = derived.personIndex[a] {
                person[s].assigned.append(i)
                if valid && lead.salesLabel == .invalid { person[s].disputed.append(i) }
                if let first = derived.firstFollowup[i], first >= lead.createdAt.instant,
                   first - lead.createdAt.instant <= 86_400 {
                    person[s].contacted24h.append(i)
                }
                if let td = derived.firstTestDrive[i], td <= period.last { person[s].testDrive.append(i) }
            }
        }

        var unknownLead = [Int]()
        var convertedSeen = Set<PairKey>()
        for (i, d) in data.deals.enumerated() where d.status == .won && period.contains(d.closedAt.day) {
            guard let s = derived.personIndex[d.salesPerson] else { continue }
            let isNew = derived.dealIsNew[i] ?? false
            person[s].wonDeals.append(i)
            person[s].totalSales += d.amount
            if isNew {
                person[s].newDeals.append(i)
                person[s].newSales += d.amount
            }
            if let leadID = d.leadID, convertedSeen.insert(PairKey(person: s, lead: leadID)).inserted {
                person[s].convertedLeadDeals.append(i)
            }
            if d.leadID != nil && derived.dealLead[i] == nil { unknownLead.append(i) }
            if isNew, let l = derived.dealLead[i] {
                switch credits[l] {
                case .owner(let m), .channelOwner(let m):
                    person[m].marketingNewDeals.append(i)
                    person[m].marketingNewSales += d.amount
                case .assigneeTeam(let team):
                    teamOwn[team, default: Tally()].marketingNewDeals.append(i)
                    teamOwn[team, default: Tally()].marketingNewSales += d.amount
                case .unattributed:
                    break
                }
            }
        }

        for (i, f) in data.followups.enumerated() where period.contains(f.at.day) {
            if let p = derived.personIndex[f.by] { person[p].followupRows.append(i) }
        }

        self.init(person: person, teamOwn: teamOwn, credits: credits, unattributedLeads: unattributed,
                  unownedSpend: unownedSpend, unownedSpendTotal: unownedSpendTotal,
                  dealsWithUnknownLead: unknownLead)
    }
}

private struct PairKey: Hashable {
    var person: Int
    var lead: String
}
