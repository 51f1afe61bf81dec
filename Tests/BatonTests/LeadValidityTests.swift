import BatonCore
import Testing

/// Small periods built in code, to pin each rule of docs/kpis.md on its own.
@Suite("Lead validity")
struct LeadValidityTests {
    static func at(_ s: String) -> Timestamp { try! Timestamp.parse(Substring(s)).get() }
    static func lead(_ id: String, _ created: String, phone: String, status: ContactStatus? = nil, demand: Demand? = nil) -> Lead {
        Lead(id: id, createdAt: at(created), channel: "autohome", marketingOwner: "M1", phone: phone,
             contactStatus: status, demand: demand)
    }
    static func judge(_ leads: [Lead], pattern: String = ValidityRules.defaultPhonePattern) throws -> [Verdict] {
        LeadValidity.judge(leads, rules: ValidityRules(phonePattern: pattern), phones: try PhoneRules(pattern: pattern))
    }

    @Test("+86 138-0013-8000 and 13800138000 are one phone")
    func nationalPart() {
        #expect(PhoneRules.normalise("+86 138-0013-8000") == "+8613800138000")
        #expect(PhoneRules.key("+8613800138000") == "13800138000")
        #expect(PhoneRules.key("8613800138000") == "13800138000")
        #expect(PhoneRules.key("13800138000") == "13800138000")
        #expect(PhoneRules.key("+4420794600") == "+4420794600")
    }

    @Test("the first failed rule is kept, in the agreed order")
    func firstRuleWins() throws {
        let v = try Self.judge([
            Self.lead("a", "2026-10-01", phone: "   "),
            Self.lead("b", "2026-10-01", phone: "12-34", status: .vacant),
            Self.lead("c", "2026-10-01", phone: "13900000001", status: .vacant, demand: .no),
            Self.lead("d", "2026-10-01", phone: "13900000002", status: .wrongNumber),
            Self.lead("e", "2026-10-01", phone: "13900000003", status: .poweredOff, demand: .no),
            Self.lead("f", "2026-10-01", phone: "13900000004", status: .noAnswer, demand: .no),
            Self.lead("g", "2026-10-02", phone: "13900000004", status: .reached, demand: .unknown),
            Self.lead("h", "2026-10-02", phone: "13900000005", status: .other("busy"), demand: nil),
        ])
        #expect(v.map { $0.failedRule?.rawValue ?? "valid" } == [
            "missing_phone", "malformed_phone", "vacant", "wrong_number", "powered_off", "no_demand", "duplicate", "valid",
        ])
        #expect(v[6].duplicateOf == 5, "a duplicate of a lead that was itself invalid")
    }

    @Test("the dedupe window: exactly 30 days is a duplicate, one second more is not")
    func window() throws {
        let v = try Self.judge([
            Self.lead("a", "2026-09-01T10:00:00", phone: "13900000001"),
            Self.lead("b", "2026-10-01T10:00:00", phone: "13900000001"),
            Self.lead("c", "2026-09-01T10:00:00", phone: "13900000002"),
            Self.lead("d", "2026-10-01T10:00:01", phone: "13900000002"),
        ])
        #expect(v[1].failedRule == .duplicate)
        #expect(v[3].isValid)
    }

    @Test("duplicates compare with the latest earlier lead, by time and then file order, not file order alone")
    func latestEarlier() throws {
        let v = try Self.judge([
            Self.lead("late", "2026-10-20T10:00:00", phone: "+86 139 0000 0001"),
            Self.lead("early", "2026-09-01T10:00:00", phone: "13900000001"),
            Self.lead("mid", "2026-09-25T10:00:00", phone: "8613900000001"),
            Self.lead("tie1", "2026-10-05T09:00:00", phone: "13900000009"),
            Self.lead("tie2", "2026-10-05T09:00:00", phone: "13900000009"),
        ])
        // mid is 24 days after early; late is 25 days after mid (but 49 after early).
        #expect(v[2].failedRule == .duplicate && v[2].duplicateOf == 1)
        #expect(v[0].failedRule == .duplicate && v[0].duplicateOf == 2)
        #expect(v[3].isValid && v[4].failedRule == .duplicate && v[4].duplicateOf == 3)
    }

    @Test("a plan's own phone pattern decides what is well formed")
    func chinesePattern() throws {
        let v = try Self.judge([
            Self.lead("a", "2026-10-01", phone: "+86 138 0013 8000"),
            Self.lead("b", "2026-10-01", phone: "12345678"),
            Self.lead("c", "2026-10-01", phone: "12800138000"),
        ], pattern: #"^(\+?86)?1[3-9][0-9]{9}$"#)
        #expect(v.map(\.failedRule) == [nil, .malformedPhone, .malformedPhone])
    }
}

@Suite("Scorecard figures")
struct FigureTests {
    static let period = try! Period.parse("2026-10").get()
    static func at(_ s: String) -> Timestamp { try! Timestamp.parse(Substring(s)).get() }
    static let people = [
        Person(id: "M1", name: "李娜", role: "marketing", team: "A"),
        Person(id: "S1", name: "Zhang Wei", role: "sales", team: "A"),
        Person(id: "S2", name: "陈静", role: "sales", team: "A"),
    ]
    static func plan() throws -> Plan {
        Plan(currency: .cny, validity: ValidityRules(), scorecards: [
            ScorecardPlan(role: "marketing", side: .marketing, kpis: [KPIPlan(kpi: KPI.named("valid_leads", side: .marketing)!, weight: Exact(100))]),
            ScorecardPlan(role: "sales", side: .sales, kpis: [KPIPlan(kpi: KPI.named("total_sales", side: .sales)!, weight: Exact(100))]),
        ], origin: "test")
    }

    @Test("a customer buying two cars is one converted lead")
    func twoCarsOneLead() throws {
        let data = PeriodData(
            people: Self.people,
            leads: [Lead(id: "L1", createdAt: Self.at("2026-10-02"), channel: "autohome", marketingOwner: "M1", assignedTo: "S1", phone: "13900000001")],
            deals: [
                Deal(id: "D1", closedAt: Self.at("2026-10-05"), salesPerson: "S1", amount: Money(minorUnits: 15_000_000), units: 2, leadID: "L1"),
                Deal(id: "D2", closedAt: Self.at("2026-10-09"), salesPerson: "S1", amount: Money(minorUnits: 12_000_000), leadID: "L1"),
            ])
        let e = try Evaluator.evaluate(data, plan: try Self.plan(), period: Self.period)
        let s1 = try #require(e.scorecards(.sales).first { $0.person == 1 })
        #expect(s1.figure("deals")?.value == Exact(2))
        #expect(s1.figure("converted_leads")?.value == Exact(1))
        #expect(s1.figure("conversion_rate")?.value == Exact(1))
        // The second deal of the same customer is an existing-customer deal.
        #expect(s1.figure("new_customer_sales")?.value == Exact(150_000))
        #expect(s1.figure("total_sales")?.value == Exact(270_000))
    }

    @Test("a salesperson with no assigned leads has no conversion rate: no data, not 0")
    func noData() throws {
        let data = PeriodData(people: Self.people)
        let e = try Evaluator.evaluate(data, plan: try Self.plan(), period: Self.period)
        let s2 = try #require(e.scorecards(.sales).first { $0.person == 2 })
        #expect(s2.figure("assigned_leads")?.value == Exact(0))
        #expect(s2.figure("conversion_rate")?.value == nil)
        #expect(s2.figure("contacted_24h_rate")?.value == nil)
        #expect(s2.figure("completion_rate")?.value == nil, "no target and no history")
        let m1 = try #require(e.scorecards(.marketing).first)
        #expect(m1.figure("validity_rate")?.value == nil)
        #expect(m1.figure("cost_per_lead")?.value == nil)
    }

    @Test("a team's rate sums numerators and denominators; it is not an average of rates")
    func teamRate() throws {
        var leads: [Lead] = []
        // S1: 1 of 1 assigned converted (100 %); S2: 0 of 3 (0 %). Team: 1 of 4 = 25 %, not 50 %.
        leads.append(Lead(id: "L1", createdAt: Self.at("2026-10-02"), channel: "x", assignedTo: "S1", phone: "13900000001"))
        for i in 2...4 { leads.append(Lead(id: "L\(i)", createdAt: Self.at("2026-10-02"), channel: "x", assignedTo: "S2", phone: "1390000000\(i)")) }
        let data = PeriodData(people: Self.people, leads: leads, deals: [
            Deal(id: "D1", closedAt: Self.at("2026-10-05"), salesPerson: "S1", amount: Money(minorUnits: 100), leadID: "L1"),
        ])
        let e = try Evaluator.evaluate(data, plan: try Self.plan(), period: Self.period)
        let team = try #require(e.teams(.sales).first)
        #expect(team.figure("conversion_rate")?.value == Exact(1, 4))
        #expect(team.figure("conversion_rate")?.numerator == Exact(1))
        #expect(team.figure("conversion_rate")?.denominator == Exact(4))
    }

    @Test("cancelled deals count nowhere")
    func cancelled() throws {
        let data = PeriodData(people: Self.people, deals: [
            Deal(id: "D1", closedAt: Self.at("2026-10-05"), salesPerson: "S1", amount: Money(minorUnits: 100), status: .cancelled),
        ])
        let e = try Evaluator.evaluate(data, plan: try Self.plan(), period: Self.period)
        #expect(e.scorecards(.sales).first?.figure("deals")?.value == Exact(0))
        #expect(e.scorecards(.sales).first?.figure("total_sales")?.value == Exact(0))
    }

    @Test("an ownerless lead goes to the channel's owner: the only one, else the one in the assignee's store, else the store")
    func channelOwner() throws {
        let people = [
            Person(id: "MA", name: "a", role: "marketing", team: "A"), Person(id: "MB", name: "b", role: "marketing", team: "B"),
            Person(id: "MB2", name: "b2", role: "marketing", team: "B"),
            Person(id: "SA", name: "sa", role: "sales", team: "A"), Person(id: "SB", name: "sb", role: "sales", team: "B"),
        ]
        func spend(_ channel: String, _ owner: String) -> Spend {
            Spend(date: Self.at("2026-10-01").day, channel: channel, marketingOwner: owner, amount: Money(minorUnits: 100))
        }
        func lead(_ id: String, _ channel: String, _ assignee: String?) -> Lead {
            Lead(id: id, createdAt: Self.at("2026-10-02"), channel: channel, assignedTo: assignee, phone: "1390000\(id.count)\(id.utf8.last!)")
        }
        let data = PeriodData(people: people, leads: [
            lead("L1", "baidu", "SB"),   // one owner in the whole group → MA, whatever the store
            lead("L2", "douyin", "SB"),  // owners MA and MB; the assignee's store B has MB → MB
            lead("L3", "douyin", "SA"),  // → MA
            lead("L4", "autohome", "SB"), // owners MB and MB2, both in B → B's own row
            lead("L5", "douyin", nil),   // several owners, no assignee → unattributed
        ], spend: [spend("baidu", "MA"), spend("douyin", "MA"), spend("douyin", "MB"), spend("autohome", "MB"), spend("autohome", "MB2")])
        let plan = Plan(currency: .cny, validity: ValidityRules(), scorecards: [
            ScorecardPlan(role: "marketing", side: .marketing, kpis: [KPIPlan(kpi: KPI.named("leads", side: .marketing)!, weight: Exact(100))]),
        ], origin: "test")
        let e = try Evaluator.evaluate(data, plan: plan, period: FigureTests.period)
        #expect(e.credits == [.channelOwner(0), .channelOwner(1), .channelOwner(0), .assigneeTeam("B"), .unattributed])
    }

    @Test("a scorecard for a role no one has is a warning that names the roles people do have")
    func unknownRole() throws {
        let plan = Plan(currency: .cny, validity: ValidityRules(), scorecards: [
            ScorecardPlan(role: "salse", side: .sales, kpis: [KPIPlan(kpi: KPI.named("total_sales", side: .sales)!, weight: Exact(100))]),
        ], origin: "test")
        let e = try Evaluator.evaluate(PeriodData(people: FigureTests.people), plan: plan, period: FigureTests.period)
        #expect(e.warnings.contains { $0.message == "The plan's scorecard 'salse' names a role no one in people.csv has: check the spelling (roles in people.csv: marketing, sales)." })
    }
}
