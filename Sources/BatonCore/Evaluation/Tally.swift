/// Rows of the period data behind a figure, by index into the `PeriodData` arrays.
public struct RowRefs: Sendable, Hashable {
    public var leads: RowList = []
    public var deals: RowList = []
    public var spend: RowList = []
    public var followups: RowList = []
    public init(leads: RowList = [], deals: RowList = [], spend: RowList = [], followups: RowList = []) {
        self.leads = leads; self.deals = deals; self.spend = spend; self.followups = followups
    }
    public var isEmpty: Bool { leads.isEmpty && deals.isEmpty && spend.isEmpty && followups.isEmpty }
}

/// The raw counts and sums of one subject (a person, or what a team holds in its own name) in one period,
/// with the rows behind each. KPI values are fractions of these; teams add them up.
struct Tally: Sendable {
    // Marketing: leads credited, created in the period.
    var leads: RowList = []
    var validLeads: RowList = []
    var spendRows: RowList = []
    var spend = Money.zero
    var marketingNewDeals: RowList = []
    var marketingNewSales = Money.zero
    // Sales.
    var assigned: RowList = []
    var wonDeals: RowList = []
    var totalSales = Money.zero
    var newDeals: RowList = []
    var newSales = Money.zero
    /// Deals carrying each converted lead's first deal (one per distinct lead id).
    var convertedLeadDeals: RowList = []
    var disputed: RowList = []
    var followupRows: RowList = []
    var contacted24h: RowList = []
    var testDrive: RowList = []

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
/// which deals are new-customer, and each lead's follow-up timing. Every per-row reference to a person,
/// a lead or a channel is resolved here once to an integer index (-1: none), so the period passes that
/// follow never hash a string.
struct Derived: Sendable {
    /// People by id (the first row of a repeated id).
    var personTable: StringTable
    var verdicts: Verdicts
    /// Per won deal: whether it is a new-customer deal (nil for cancelled deals).
    var dealIsNew: [Bool?]
    /// Per deal: the index of its lead, when its lead_id is in leads.csv.
    var dealLead: [Int?]
    /// Per lead: the earliest follow-up instant, by anyone (`Int64.max`: none).
    var firstFollowup: [Int64]
    /// Per lead: the day number of its earliest test drive, by anyone (`Int32.max`: none).
    var firstTestDrive: [Int32]
    /// Per lead: its marketing_owner, assignee (person indexes) and channel (index into `channels`).
    var leadOwner: [Int32]
    var leadAssignee: [Int32]
    var leadChannel: [Int32]
    /// Distinct channels of leads and spend, in order of first appearance.
    var channels: [String]
    /// Per person: the index of their team in `teams`.
    var personTeam: [Int32]
    var teams: [String]
    /// Per deal: its salesperson; per follow-up: who made it; per spend row: its owner and channel.
    var dealPerson: [Int32]
    var followupPerson: [Int32]
    var spendOwner: [Int32]
    var spendChannel: [Int32]
    /// Follow-ups whose lead_id is not in leads.csv.
    var orphanFollowups: Int
    /// The first day holding any dated row (leads, deals, spend): `PeriodData.earliestDay`, found out
    /// while the rows are read here.
    var earliestDay: Day?
}

/// Builds a subject's tallies for one period.
struct PeriodTally: Sendable {
    var person: [Tally]
    /// Leads credited to a team itself (assignee's team) and spend mapped to a team by channel.
    var teamOwn: [String: Tally]
    /// Per lead: its credit in this period (filled for every lead in the evaluated period's tally only).
    var credits: LeadCredits
    var unattributedLeads: RowList
    var unownedSpend: RowList
    var unownedSpendTotal: Money
    /// Deals whose lead_id is not in leads.csv, closed in the period.
    var dealsWithUnknownLead: [Int]
}

/// People by id given as text, remembering the last id: rows often repeat the previous row's person.
private struct PersonLookup {
    let table: StringTable
    var last: (String, Int32)?

    init(table: StringTable) { self.table = table }

    /// The person's index, or -1 when the id is absent or unknown.
    mutating func find(_ id: String?) -> Int32 {
        guard let id else { return -1 }
        if let last, last.0 == id { return last.1 }
        let p = table.find(id) ?? -1
        last = (id, p)
        return p
    }
}

/// Channels numbered densely in order of first appearance, looked up by symbol.
private struct ChannelNumbering {
    var bySymbol: [Int32]
    var names: [String] = []

    init(symbols: Int) { bySymbol = [Int32](repeating: -1, count: symbols) }

    mutating func number(_ s: Symbol) -> Int32 {
        let raw = Int(s.rawValue)
        if raw >= bySymbol.count { bySymbol.append(contentsOf: repeatElement(-1, count: raw + 1 - bySymbol.count)) }
        if bySymbol[raw] >= 0 { return bySymbol[raw] }
        let c = Int32(names.count)
        bySymbol[raw] = c
        names.append(s.string)
        return c
    }
}

/// Interns strings to dense indexes in order of first appearance.
private struct Interner {
    var index: [String: Int32] = [:]
    var values: [String] = []
    /// The last string seen and its index: rows often repeat the previous row's value.
    var last: (String, Int32)?

    mutating func id(_ s: String) -> Int32 {
        if let last, last.0 == s { return last.1 }
        let v: Int32
        if let i = index[s] {
            v = i
        } else {
            v = Int32(values.count)
            index[s] = v
            values.append(s)
        }
        last = (s, v)
        return v
    }
}

extension Derived {
    /// Drops the per-row facts that only `PeriodTally.build` reads (tens of megabytes at brand scale);
    /// keeps verdicts, assignees, new-customer flags and the people table, which the evaluation uses after.
    mutating func releaseTallyInputs() {
        dealLead = []; firstFollowup = []; firstTestDrive = []; leadOwner = []; leadChannel = []
        dealPerson = []; followupPerson = []; spendOwner = []; spendChannel = []
    }

    /// The person with this id.
    func person(_ id: String) -> Int? { personTable.find(id).map(Int.init) }

    init(_ data: PeriodData, rules: ValidityRules, phones: PhoneRules) {
        var personTable = StringTable(capacity: data.people.count)
        for (i, p) in data.people.enumerated() { personTable.insertIfAbsent(p.id, Int32(i)) }
        var teamIDs = Interner()
        let personTeam = data.people.map { teamIDs.id($0.team) }
        // Leads, follow-ups and spend rows name people by interned symbol. Symbols are dense small integers, so people
        // and channels by symbol are plain arrays indexed by the symbol. Every person's symbol exists
        // before the array is sized, so a symbol past its end names nobody.
        let peopleSymbols = data.people.map { Symbol($0.id).rawValue }
        // A constant once built: closures read it without exclusivity checks.
        let personBySymbol = {
            var table = [Int32](repeating: -1, count: Symbol.count)
            for (i, raw) in peopleSymbols.enumerated() where table[Int(raw)] < 0 { table[Int(raw)] = Int32(i) }
            return table
        }()
        @inline(__always) func person(_ s: Symbol?) -> Int32 {
            guard let s, Int(s.rawValue) < personBySymbol.count else { return -1 }
            return personBySymbol[Int(s.rawValue)]
        }
        /// Channels by symbol, numbered densely in order of first appearance. A value passed `inout` to
        /// the loops that number channels (a variable captured by the closures run on both cores would be
        /// checked for exclusive access on every call).
        var channels = ChannelNumbering(symbols: Symbol.count)

        let leads = data.leads
        let followups = data.followups
        let testDrive = Symbol("test_drive")
        // Verdicts (on both cores), then the lead index (when the ids do not increase, a hash table built
        // on both cores).
        let (verdicts, phoneKeys, idsIncrease, earliestLeadDay) = LeadValidity.judgeWithKeys(leads, rules: rules, phones: phones)
        let leadIndex = LeadIndex(leads, idsIncrease: idsIncrease)

        /// Walks a range of follow-up rows: writes who made each into `who` (indexed by row), and calls
        /// `emit(lead, earliest instant, earliest test drive day)` once per run of consecutive rows for one
        /// lead found in leads.csv (follow-ups usually come grouped by lead, so a lead is looked up and
        /// written once per run, not per row). Returns the number of rows whose lead is not in leads.csv.
        func followupRuns(_ range: Range<Int>, who: UnsafeMutableBufferPointer<Int32>,
                          _ emit: (Int, Int64, Int32) -> Void) -> Int {
            var orphans = 0
            followups.withUnsafeBufferPointer { rows in
                // The previous row's lead id and index (-1: not in leads.csv), and the run's earliest times.
                var lastLead: (String, Int)?
                var hint = 0
                var first = Int64.max, drive = Int32.max
                for i in range {
                    who[i] = person(rows[i].bySymbol)
                    let l: Int
                    if let lastLead, lastLead.0 == rows[i].leadID {
                        l = lastLead.1
                    } else {
                        if let lastLead, lastLead.1 >= 0 { emit(lastLead.1, first, drive) }
                        first = .max; drive = .max
                        l = leadIndex.find(rows[i].leadID, hint: &hint).map(Int.init) ?? -1
                        lastLead = (rows[i].leadID, l)
                    }
                    guard l >= 0 else { orphans += 1; continue }
                    let at = rows[i].at
                    if at.instant < first { first = at.instant }
                    if rows[i].kindSymbol == testDrive, at.day.number < drive { drive = at.day.number }
                }
                if let lastLead, lastLead.1 >= 0 { emit(lastLead.1, first, drive) }
            }
            return orphans
        }
        let deals = data.deals
        /// Per deal: its lead and salesperson, and for won deals whether the customer is new.
        func makeDealFacts() -> (lead: [Int?], person: [Int32], isNew: [Bool?], earliestDay: Day?) {
            // A lookup of its own (its cache is written): this runs beside the other core's lookups.
            var people = PersonLookup(table: personTable)
            func person(_ id: String?) -> Int32 { people.find(id) }
            var dealLead = [Int?](repeating: nil, count: deals.count)
            var dealPerson = [Int32](repeating: -1, count: deals.count)
            let leadOfDeal = leadIndex.find(many: deals.map(\.leadID))
            var earliestDealDay: Day?
            for (i, d) in deals.enumerated() {
                dealLead[i] = leadOfDeal[i].map(Int.init)
                dealPerson[i] = person(d.salesPerson)
                let day = d.closedAt.day
                if earliestDealDay == nil || day < earliestDealDay! { earliestDealDay = day }
            }
            // New customer: walk won deals in closing order; a customer key seen before is existing.
            var dealIsNew = [Bool?](repeating: nil, count: deals.count)
            // Sorted by (closing instant, row): the keys are taken out first, so the sort compares integers.
            var closing: [(at: Int64, row: Int)] = []
            for i in deals.indices where deals[i].status == .won { closing.append((deals[i].closedAt.instant, i)) }
            if !closing.indices.dropFirst().allSatisfy({ closing[$0 - 1].at <= closing[$0].at }) {
                closing.sort { $0.at != $1.at ? $0.at < $1.at : $0.row < $1.row }
            }
            let won = closing.map(\.row)
            /// Who a won deal's customer is: its customer id, else its lead's, else its lead's phone key.
            enum Customer: Hashable { case id(String), phone(PhoneKey) }
            var seen = Set<Customer>()
            seen.reserveCapacity(won.count)
            for i in won {
                var key: Customer?
                if let c = deals[i].customerID {
                    key = .id(c)
                } else if let l = dealLead[i] {
                    if let c = leads[l].customerID {
                        key = .id(c)
                    } else if case .none = phoneKeys[l] {
                        // Missing or malformed phone: no key.
                    } else {
                        key = .phone(phoneKeys[l])
                    }
                }
                // Seen before exactly when inserting finds it there.
                let firstTime = key.map { seen.insert($0).inserted }
                let isNew: Bool
                switch deals[i].customerType {
                case .new?: isNew = true
                case .existing?: isNew = false
                case nil: isNew = firstTime ?? (dealLead[i] != nil)
                }
                dealIsNew[i] = isNew
            }
            return (dealLead, dealPerson, dealIsNew, earliestDealDay)
        }
        // The follow-ups in two parts on both cores; the leads' references beside the first, the deals
        // (a search of their leads, a sort and a walk in closing order) beside the second. The first part
        // is the larger (three quarters), so that both cores finish together on the brand-scale workload.
        struct LeadRefs { var owner: [Int32], assignee: [Int32], channel: [Int32] }
        /// Per lead: the earliest follow-up instant and test drive day.
        struct Earliest { var first: [Int64], drive: [Int32] }
        /// A run's earliest follow-up and test drive, as the second part reports them.
        struct Run { var at: Int64; var lead: Int32; var drive: Int32 }
        let middle = followups.count * 3 / 4
        // The first part makes and writes the per-lead arrays; the second lists its runs, merged after
        // (taking the earlier). Both write who made each follow-up into one array, each its own rows.
        var refs = LeadRefs(owner: [], assignee: [], channel: [])
        var earliest = Earliest(first: [], drive: [])
        var lateRuns: [Run] = []
        var orphans = 0
        var dealFacts: (lead: [Int?], person: [Int32], isNew: [Bool?], earliestDay: Day?) = ([], [], [], nil)
        let followupPerson = [Int32](unsafeUninitializedCapacity: followups.count) { who, initialized in
            let who = who
            let ((r, e, early), (runs, lateOrphans, dealResult)) = Parallel.both({
                var r = LeadRefs(owner: [Int32](repeating: -1, count: leads.count),
                                 assignee: [Int32](repeating: -1, count: leads.count),
                                 channel: [Int32](repeating: -1, count: leads.count))
                func numberLeads(_ refs: inout LeadRefs, _ channels: inout ChannelNumbering) {
                    leads.withUnsafeBufferPointer { leads in
                        refs.owner.withUnsafeMutableBufferPointer { owner in
                            refs.assignee.withUnsafeMutableBufferPointer { assignee in
                                refs.channel.withUnsafeMutableBufferPointer { channel in
                                    for i in leads.indices {
                                        owner[i] = person(leads[i].marketingOwnerSymbol)
                                        assignee[i] = person(leads[i].assignedToSymbol)
                                        channel[i] = channels.number(leads[i].channelSymbol)
                                    }
                                }
                            }
                        }
                    }
                }
                numberLeads(&r, &channels)
                var e = Earliest(first: [Int64](repeating: .max, count: leads.count),
                                 drive: [Int32](repeating: .max, count: leads.count))
                func firstPart(_ e: inout Earliest) -> Int {
                    e.first.withUnsafeMutableBufferPointer { first in
                        e.drive.withUnsafeMutableBufferPointer { firstDrive in
                            followupRuns(0..<middle, who: who) { l, at, drive in
                                if at < first[l] { first[l] = at }
                                if drive < firstDrive[l] { firstDrive[l] = drive }
                            }
                        }
                    }
                }
                let orphans = firstPart(&e)
                return (r, e, orphans)
            }, {
                var runs: [Run] = []
                let orphans = followupRuns(middle..<followups.count, who: who) { l, at, drive in
                    runs.append(Run(at: at, lead: Int32(truncatingIfNeeded: l), drive: drive))
                }
                return (runs, orphans, makeDealFacts())
            })
            refs = r
            earliest = e
            lateRuns = runs
            orphans = early + lateOrphans
            dealFacts = dealResult
            initialized = followups.count
        }
        earliest.first.withUnsafeMutableBufferPointer { first in
            earliest.drive.withUnsafeMutableBufferPointer { firstDrive in
                for r in lateRuns {
                    let l = Int(r.lead)
                    if r.at < first[l] { first[l] = r.at }
                    if r.drive < firstDrive[l] { firstDrive[l] = r.drive }
                }
            }
        }
        let (dealLead, dealPerson, dealIsNew, earliestDealDay) = dealFacts
        var earliestDay = [earliestLeadDay, earliestDealDay].compactMap { $0 }.min()

        var spendOwner = [Int32](repeating: -1, count: data.spend.count)
        var spendChannel = [Int32](repeating: -1, count: data.spend.count)
        // By symbol, as for leads: an array read each, no text hashed.
        data.spend.withUnsafeBufferPointer { spend in
            for i in spend.indices {
                spendOwner[i] = person(spend[i].marketingOwnerSymbol)
                spendChannel[i] = channels.number(spend[i].channelSymbol)
                if earliestDay == nil || spend[i].date < earliestDay! { earliestDay = spend[i].date }
            }
        }
        self.init(personTable: personTable, verdicts: verdicts, dealIsNew: dealIsNew,
                  dealLead: dealLead, firstFollowup: earliest.first, firstTestDrive: earliest.drive,
                  leadOwner: refs.owner, leadAssignee: refs.assignee, leadChannel: refs.channel,
                  channels: channels.names, personTeam: personTeam, teams: teamIDs.values,
                  dealPerson: dealPerson, followupPerson: followupPerson, spendOwner: spendOwner,
                  spendChannel: spendChannel, orphanFollowups: orphans, earliestDay: earliestDay)
    }
}

extension PeriodTally {
    /// The tallies of several periods (the evaluated one and the earlier ones its history averages need)
    /// in one pass over each table: each row is added to the period its date falls in. `periods` must be
    /// consecutive and in order; the last one is the evaluated period, whose tally also records every
    /// lead's credit.
    static func build(_ data: PeriodData, derived: Derived, plan: Plan, periods: [Period]) -> [PeriodTally] {
        let people = data.people
        let count = periods.count
        precondition(count > 0)
        // The period of each day, by day number from the first period's first day.
        let base = periods[0].first.number
        // Constants once built (here and below): closures run on both cores read them without checks
        // for exclusive access.
        let bucketOfDay = {
            var bucketOfDay = [Int32](repeating: -1, count: Int(periods[count - 1].last.number - base) + 1)
            for (b, p) in periods.enumerated() {
                for d in p.first.number...p.last.number { bucketOfDay[Int(d - base)] = Int32(b) }
            }
            return bucketOfDay
        }()
        @inline(__always) func bucket(_ day: Day) -> Int {
            let k = Int(day.number) - Int(base)
            return k >= 0 && k < bucketOfDay.count ? Int(bucketOfDay[k]) : -1
        }
        let current = count - 1

        // Every person's tally of every period in one flat array, by list key (period × people + person).
        let peopleCount = people.count
        var flat = [Tally](repeating: Tally(), count: count * peopleCount)
        // Teams by index: people's teams (as in `derived.teams`), then the plan's channel teams no one is in.
        var teamNames = derived.teams
        var teamIndex: [String: Int] = [:]
        for (k, t) in teamNames.enumerated() { teamIndex[t] = k }
        let channelTeam: [Int] = derived.channels.map { channel in
            guard let t = plan.channelTeams[channel] else { return -1 }
            if let k = teamIndex[t] { return k }
            teamNames.append(t)
            teamIndex[t] = teamNames.count - 1
            return teamNames.count - 1
        }
        /// What each team holds in its own name, per period, by team index, changed in place; and which
        /// teams hold anything.
        var teamOwn = [[Tally]](repeating: [Tally](repeating: Tally(), count: teamNames.count), count: count)
        var teamHolds = [[Bool]](repeating: [Bool](repeating: false, count: teamNames.count), count: count)
        var unownedSpend = [RowList](repeating: [], count: count)
        var unownedSpendTotal = [Money](repeating: .zero, count: count)

        // The owners of each channel on spend.csv in each period: overall, and per team (-1: several).
        let channelCount = derived.channels.count
        var channelOwners = [[[Int32]]](repeating: [[Int32]](repeating: [], count: channelCount), count: count)
        var channelTeamOwner = [[[Int32: Int32]]](repeating: [[Int32: Int32]](repeating: [:], count: channelCount), count: count)
        for (i, s) in data.spend.enumerated() {
            let b = bucket(s.date)
            guard b >= 0 else { continue }
            let c = Int(derived.spendChannel[i])
            let p = derived.spendOwner[i]
            if p >= 0 {
                if !channelOwners[b][c].contains(p) {
                    channelOwners[b][c].append(p)
                    let team = derived.personTeam[Int(p)]
                    if let existing = channelTeamOwner[b][c][team] {
                        if existing != p { channelTeamOwner[b][c][team] = -1 }
                    } else {
                        channelTeamOwner[b][c][team] = p
                    }
                }
                flat[b * peopleCount + Int(p)].spendRows.add(i, keep: b == current)
                flat[b * peopleCount + Int(p)].spend += s.amount
            } else if channelTeam[c] >= 0 {
                let team = channelTeam[c]
                teamHolds[b][team] = true
                teamOwn[b][team].spendRows.add(i, keep: b == current)
                teamOwn[b][team].spend += s.amount
            } else {
                unownedSpend[b].add(i, keep: b == current)
                unownedSpendTotal[b] += s.amount
            }
        }
        /// A lead's credit in period `b`: its marketing_owner; else the channel's owner (the single owner
        /// of the channel in the period; with several, as each store runs its own, the single one in the
        /// team of the lead's assignee); else its assignee's team.
        /// Per period and channel (`b * channelCount + channel`): the channel's single owner, -1 for none,
        /// -2 for several (a flat array read per lead, instead of nested arrays).
        let singleOwner: [Int32] = channelOwners.flatMap { $0.map { $0.count == 1 ? $0[0] : ($0.isEmpty ? -1 : -2) } }
        let teamOwnerOf = channelTeamOwner
        func credit(_ l: Int, _ b: Int) -> CompactCredit {
            let owner = derived.leadOwner[l]
            if owner >= 0 { return .owner(Int(owner)) }
            let assignee = derived.leadAssignee[l]
            let channel = Int(derived.leadChannel[l])
            let single = singleOwner[b * channelCount + channel]
            if single >= 0 { return .channelOwner(Int(single)) }
            if single == -2, assignee >= 0,
               let p = teamOwnerOf[b][channel][derived.personTeam[Int(assignee)]], p >= 0 {
                return .channelOwner(Int(p))
            }
            if assignee >= 0 { return .assigneeTeam(Int(derived.personTeam[Int(assignee)])) }
            return .unattributed
        }

        // The leads pass records, per lead, the list key (period × people + person) of its marketing
        // credit and of its assignee, and which of the assignee's lists it joins; the row lists are then
        // made by counting sorts (sequential writes, exact sizes) instead of appends to thousands of arrays.
        // The follow-ups are grouped on the other core meanwhile.
        let leadCount = data.leads.count
        var credits = [UInt32](repeating: CompactCredit.unattributed.raw, count: leadCount)
        var unattributed = [RowList](repeating: [], count: count)
        var creditKey = [Int32](repeating: -1, count: leadCount)
        var assigneeKey = [Int32](repeating: -1, count: leadCount)
        var flags = [UInt8](repeating: 0, count: leadCount)
        let groups = count * peopleCount
        // Only the evaluated period's rows are kept; the earlier periods' (read only by history averages,
        // as counts and sums) are counted.
        let kept = current * peopleCount ..< groups
        /// The leads pass; what it writes is passed `inout` (checked once, not at every write).
        func leadsPass(_ credits: inout [UInt32], _ creditKey: inout [Int32], _ assigneeKey: inout [Int32],
                       _ flags: inout [UInt8], _ teamHolds: inout [[Bool]], _ teamOwn: inout [[Tally]],
                       _ unattributed: inout [RowList]) {
            for i in data.leads.indices {
                let created = data.leads[i].createdAt
                let b = bucket(created.day)
                guard b >= 0 else {
                    // Outside every period: only its credit in the evaluated period is recorded.
                    credits[i] = credit(i, current).raw
                    continue
                }
                let c = credit(i, b)
                if b == current {
                    credits[i] = c.raw
                } else {
                    credits[i] = credit(i, current).raw
                }
                let valid = derived.verdicts.isValid(i)
                var f: UInt8 = valid ? RowFlag.valid : 0
                switch c.kind {
                case .owner, .channelOwner:
                    creditKey[i] = Int32(b * peopleCount + c.index)
                case .assigneeTeam:
                    teamHolds[b][c.index] = true
                    teamOwn[b][c.index].leads.add(i, keep: b == current)
                    if valid { teamOwn[b][c.index].validLeads.add(i, keep: b == current) }
                case .unattributed:
                    unattributed[b].add(i, keep: b == current)
                }
                let s = Int(derived.leadAssignee[i])
                if s >= 0 {
                    assigneeKey[i] = Int32(b * peopleCount + s)
                    if valid && data.leads[i].salesLabel == .invalid { f |= RowFlag.disputed }
                    let first = derived.firstFollowup[i]
                    if first != .max, first >= created.instant, first - created.instant <= 86_400 {
                        f |= RowFlag.contacted24h
                    }
                    if derived.firstTestDrive[i] <= periods[b].last.number { f |= RowFlag.testDrive }
                }
                flags[i] = f
            }
        }
        let ((), followupRows) = Parallel.both({
            leadsPass(&credits, &creditKey, &assigneeKey, &flags, &teamHolds, &teamOwn, &unattributed)
        }, {
            PeriodTally.followupRows(data, derived: derived, periods: count, people: people.count, bucket: bucket, keep: kept)
        })
        /// The won deals pass (sales and marketing's new-customer deals); what it writes is passed `inout`.
        /// Returns, per period, the deals whose lead_id is not in leads.csv.
        func dealsPass(_ person: inout [Tally], _ teamOwn: inout [[Tally]], _ teamHolds: inout [[Bool]]) -> [[Int]] {
            var unknownLead = [[Int]](repeating: [], count: count)
            /// (person, lead id) pairs already counted as converted, per period.
            var convertedSeen = [Set<PairKey>](repeating: [], count: count)
            person.withUnsafeMutableBufferPointer { person in
                for (i, d) in data.deals.enumerated() where d.status == .won {
                    let b = bucket(d.closedAt.day)
                    guard b >= 0 else { continue }
                    let s = Int(derived.dealPerson[i])
                    guard s >= 0 else { continue }
                    let isNew = derived.dealIsNew[i] ?? false
                    person[b * peopleCount + s].wonDeals.add(i, keep: b == current)
                    person[b * peopleCount + s].totalSales += d.amount
                    if isNew {
                        person[b * peopleCount + s].newDeals.add(i, keep: b == current)
                        person[b * peopleCount + s].newSales += d.amount
                    }
                    if let leadID = d.leadID, convertedSeen[b].insert(PairKey(person: s, lead: leadID)).inserted {
                        person[b * peopleCount + s].convertedLeadDeals.add(i, keep: b == current)
                    }
                    if d.leadID != nil && derived.dealLead[i] == nil { unknownLead[b].append(i) }
                    if isNew, let l = derived.dealLead[i] {
                        let c = credit(l, b)
                        switch c.kind {
                        case .owner, .channelOwner:
                            person[b * peopleCount + c.index].marketingNewDeals.add(i, keep: b == current)
                            person[b * peopleCount + c.index].marketingNewSales += d.amount
                        case .assigneeTeam:
                            teamHolds[b][c.index] = true
                            teamOwn[b][c.index].marketingNewDeals.add(i, keep: b == current)
                            teamOwn[b][c.index].marketingNewSales += d.amount
                        case .unattributed:
                            break
                        }
                    }
                }
            }
            return unknownLead
        }
        // The deals pass writes fields of the tallies the row lists below do not: it runs beside them.
        let ((unknownLead, leadLists, validLists), (assignedLists, disputedLists, contactedLists, testDriveLists)) = Parallel.both({
            (dealsPass(&flat, &teamOwn, &teamHolds),
             RowGroups.make(creditKey, groups: groups, keep: kept),
             RowGroups.make(creditKey, groups: groups, flags: flags, flag: RowFlag.valid, keep: kept))
        }, {
            (RowGroups.make(assigneeKey, groups: groups, keep: kept),
             RowGroups.make(assigneeKey, groups: groups, flags: flags, flag: RowFlag.disputed, keep: kept),
             RowGroups.make(assigneeKey, groups: groups, flags: flags, flag: RowFlag.contacted24h, keep: kept),
             RowGroups.make(assigneeKey, groups: groups, flags: flags, flag: RowFlag.testDrive, keep: kept))
        })
        for k in 0..<groups {
            flat[k].leads = leadLists[k]
            flat[k].validLeads = validLists[k]
            flat[k].assigned = assignedLists[k]
            flat[k].disputed = disputedLists[k]
            flat[k].contacted24h = contactedLists[k]
            flat[k].testDrive = testDriveLists[k]
            flat[k].followupRows = followupRows[k]
        }

        let leadCredits = LeadCredits(packed: credits, teams: teamNames)
        return (0..<count).map { b in
            var own: [String: Tally] = [:]
            for k in teamNames.indices where teamHolds[b][k] { own[teamNames[k]] = teamOwn[b][k] }
            return PeriodTally(person: Array(flat[b * peopleCount..<(b + 1) * peopleCount]), teamOwn: own, credits: b == current ? leadCredits : [],
                        unattributedLeads: unattributed[b], unownedSpend: unownedSpend[b],
                        unownedSpendTotal: unownedSpendTotal[b], dealsWithUnknownLead: unknownLead[b])
        }
    }
}

extension PeriodTally {
    /// Each person's follow-up rows in each period, in file order, by list key (period × people + person).
    static func followupRows(_ data: PeriodData, derived: Derived, periods: Int, people: Int,
                             bucket: (Day) -> Int, keep: Range<Int>) -> [RowList] {
        var key = [Int32](repeating: -1, count: data.followups.count)
        data.followups.withUnsafeBufferPointer { rows in
            for i in rows.indices {
                let p = Int(derived.followupPerson[i])
                guard p >= 0 else { continue }
                let b = bucket(rows[i].at.day)
                if b >= 0 { key[i] = Int32(b * people + p) }
            }
        }
        return RowGroups.make(key, groups: periods * people, keep: keep)
    }
}

/// Which of its assignee's lists a lead joins (and whether it is valid), one bit each.
enum RowFlag {
    static let valid: UInt8 = 1
    static let disputed: UInt8 = 2
    static let contacted24h: UInt8 = 4
    static let testDrive: UInt8 = 8
}

/// Row indexes grouped by key, each group in row order: counted first, then placed into one buffer that
/// the groups' lists share (a counting sort). Two passes of sequential writes instead of appends to
/// thousands of arrays, and no copies.
enum RowGroups {
    /// `keys[i]`: row i's group, or -1 for none. With `flags`, only rows whose flags have `flag` set.
    /// The groups in `keep` list their rows; the others are counted only (`RowList.countedOnly`).
    static func make(_ keys: [Int32], groups: Int, flags: [UInt8]? = nil, flag: UInt8 = 0, keep: Range<Int>) -> [RowList] {
        var start = [Int](repeating: 0, count: groups + 1)
        keys.withUnsafeBufferPointer { keys in
            if let flags {
                for i in keys.indices where keys[i] >= 0 && flags[i] & flag != 0 { start[Int(keys[i]) + 1] += 1 }
            } else {
                for i in keys.indices where keys[i] >= 0 { start[Int(keys[i]) + 1] += 1 }
            }
        }
        for k in 0..<groups { start[k + 1] += start[k] }
        let keep = keep.clamped(to: 0..<groups)
        // The kept groups' rows, in key order, are `start[keep.lowerBound] ..< start[keep.upperBound]`.
        let first = start[keep.lowerBound], total = start[keep.upperBound] - first
        // Row indexes are 32-bit in a `RowList`.
        precondition(keys.count <= Int(UInt32.max), "RowGroups: more than 4,294,967,295 rows")
        var next = start
        let low = Int32(truncatingIfNeeded: keep.lowerBound), high = Int32(truncatingIfNeeded: keep.upperBound)
        // Every slot is written exactly once: the kept groups' counts add up to `total`.
        let placed = [UInt32](unsafeUninitializedCapacity: total) { placed, initialized in
            keys.withUnsafeBufferPointer { keys in
                next.withUnsafeMutableBufferPointer { next in
                    for i in keys.indices where keys[i] >= low && keys[i] < high && (flags == nil || flags![i] & flag != 0) {
                        let k = Int(keys[i])
                        placed[next[k] - first] = UInt32(truncatingIfNeeded: i)
                        next[k] += 1
                    }
                }
            }
            initialized = total
        }
        // Each kept group a range of the one buffer: nothing is copied.
        return (0..<groups).map { k in
            let n = start[k + 1] - start[k]
            if n == 0 { return RowList() }
            return keep.contains(k) ? RowList(base: placed, start: start[k] - first, count: n) : .countedOnly(n)
        }
    }
}

private struct PairKey: Hashable {
    var person: Int
    var lead: String
}
