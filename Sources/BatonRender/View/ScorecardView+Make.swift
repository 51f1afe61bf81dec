import BatonCore

extension ScorecardView {
    /// The page's content for an evaluation, in one language. Pure: same evaluation, same view.
    public static func make(_ e: Evaluation, language: Language) -> ScorecardView {
        ScorecardViewBuilder(e: e, format: DisplayFormat(currency: e.plan.currency, language: language)).view()
    }

    /// The KPIs the side-by-side header shows for each side (all figures are in the tables below).
    static let headline: [Side: [String]] = [
        .marketing: ["leads", "valid_leads", "validity_rate", "spend", "cost_per_valid_lead", "new_customer_sales", "marketing_roi"],
        .sales: ["assigned_leads", "converted_leads", "conversion_rate", "total_sales", "new_customer_sales", "completion_rate", "contacted_24h_rate", "test_drive_rate"],
    ]
}

/// Builds the view from the evaluation; holds the formatting choices so each part reads short.
struct ScorecardViewBuilder {
    let e: Evaluation
    let format: DisplayFormat
    /// People with a marketing scorecard.
    let marketers: Set<Int>
    /// Each period lead's place on the marketing side, computed once (index as in `e.periodLeads`).
    let leadBuckets: [Bucket]
    /// The period leads in each place, in file order.
    let leadsOf: [Bucket: [Int]]

    init(e: Evaluation, format: DisplayFormat) {
        self.e = e
        self.format = format
        let marketers = Set(e.scorecards(.marketing).map(\.person))
        self.marketers = marketers
        var buckets: [Bucket] = []
        buckets.reserveCapacity(e.periodLeads.count)
        var leadsOf: [Bucket: [Int]] = [:]
        for i in e.periodLeads {
            let b = ScorecardViewBuilder.bucket(i, in: e, marketers: marketers)
            buckets.append(b)
            leadsOf[b, default: []].append(i)
        }
        self.leadBuckets = buckets
        self.leadsOf = leadsOf
    }
    var language: Language { format.language }
    var labels: Labels { format.labels }
    var words: ScoreWords { ScoreWords(format: format) }

    func view() -> ScorecardView {
        let disputes = disputeGroups()
        let notEvaluated = e.notEvaluated.map { i -> PersonRefView in
            let p = e.data.people[i]
            return PersonRefView(name: text(p.name), personID: text(p.id), role: text(p.role), team: text(p.team))
        }
        let out = outside()
        let warnings = e.warnings.map { text($0.message) }
        let pays = hasPay
        let others = pays ? otherPay() : []
        return ScorecardView(
            lang: language.tag,
            labels: labels,
            period: text(e.period.description),
            periodDays: "\(e.period.first) – \(e.period.last)",
            plan: text(e.plan.label),
            currency: text(e.plan.currency.code),
            sides: Side.allCases.map(sideSummary),
            funnel: FunnelView.make(e, format: format),
            teamTables: Side.allCases.map(sideTables),
            hasPay: pays,
            payroll: payroll(),
            people: Side.allCases.flatMap { e.scorecards($0) }.map(person),
            otherPay: others,
            hasOtherPay: !others.isEmpty,
            validity: validity(),
            disputes: disputes,
            hasDisputes: !disputes.isEmpty,
            notEvaluated: notEvaluated,
            hasNotEvaluated: !notEvaluated.isEmpty,
            outside: out,
            hasOutside: !out.isEmpty,
            warnings: warnings,
            hasWarnings: !warnings.isEmpty
        )
    }

    /// Every text that comes from the data passes here.
    func text(_ s: String) -> String { DisplayText.clean(s) }

    func anchor(_ person: Int) -> String { "person-\(person)" }

    func personName(_ i: Int) -> String { text(e.data.people[i].name) }

    // MARK: Header

    func sideSummary(_ side: Side) -> SideSummaryView {
        let totals = e.totals[side] ?? []
        let figures = (ScorecardView.headline[side] ?? []).compactMap { name -> LabelledTextView? in
            guard let v = totals.first(where: { $0.kpi.name == name }) else { return nil }
            return LabelledTextView(label: language.name(v.kpi), text: format.value(v))
        }
        let n = e.scorecards(side).count
        let headcount: String
        switch language {
        case .en: headcount = n == 1 ? "1 person evaluated" : "\(n) people evaluated"
        case .zhHans: headcount = "参与考核 \(n) 人"
        }
        return SideSummaryView(side: side.rawValue, title: language.side(side), headcount: headcount, figures: figures)
    }

    // MARK: Team tables

    func sideTables(_ side: Side) -> SideTablesView {
        let kpis = KPI.all(side)
        // Money cells leave the currency code to the column header, so the tables stay narrow.
        let code = text(e.plan.currency.code)
        let columns = kpis.map { k in
            ColumnView(label: k.unit == .money || k.unit == .moneyRatio ? "\(language.name(k)) (\(code))" : language.name(k),
                       definition: language.definition(k))
        }
        let teams = e.teams(side).map { t -> TeamTableView in
            var rows: [TableRowView] = t.members.compactMap { i in
                guard let card = e.people.first(where: { $0.person == i && $0.side == side }) else { return nil }
                return TableRowView(name: personName(i), personID: text(e.data.people[i].id), link: "#" + anchor(i),
                                    isTeam: false, total: format.score(card.weightedTotal),
                                    cells: kpis.map { k in card.figure(k.name).map { format.value($0, withCode: false) } ?? labels.noData })
            }
            rows.append(TableRowView(name: labels.teamTotal, personID: "", link: nil, isTeam: true, total: "",
                                     cells: kpis.map { k in t.figure(k.name).map { format.value($0, withCode: false) } ?? labels.noData }))
            return TeamTableView(team: text(t.team), note: teamNote(t), rows: rows)
        }
        return SideTablesView(side: side.rawValue, title: language.side(side), columns: columns, teams: teams)
    }

    func teamNote(_ t: TeamScorecard) -> String? {
        guard t.side == .marketing, t.ownLeads > 0 || t.ownSpend > .zero else { return nil }
        let money = format.money(t.ownSpend)
        switch language {
        case .en:
            return "The team total includes \(t.ownLeads) lead(s) credited to the team itself and \(money) of spend mapped to it."
        case .zhHans:
            return "团队合计包含直接归属团队的 \(t.ownLeads) 条线索，以及划归团队的费用 \(money)。"
        }
    }

    // MARK: People

    func person(_ card: PersonScorecard) -> PersonView {
        let p = e.data.people[card.person]
        let noData = card.plan.noData
        let scored = card.scores.map { s -> ScoredKPIView in
            let unit = s.plan.kpi.unit
            let target = s.target.map { format.number($0.value, unit: unit) } ?? labels.noTarget
            let from = s.target.map { words.origin($0.origin, unit: unit) }
            let attainment: String
            switch s.attainment {
            case .ratio(let a)?: attainment = format.percent(a)
            case .unbounded?: attainment = language == .en ? "unbounded" : "无上限"
            case nil: attainment = s.value.value == nil ? labels.noData : (s.target == nil ? labels.noTarget : "—")
            }
            return ScoredKPIView(
                kpi: language.name(s.plan.kpi), value: format.value(s.value), target: target, targetFrom: from,
                attainment: attainment, score: s.score.map(format.score) ?? labels.noData,
                weight: format.weight(s.appliedWeight), points: format.score(s.points),
                rule: words.summary(s.plan.scoring), why: words.explanation(s, noData: noData))
        }
        let figures = card.figures.map { v in
            FigureRowView(kpi: language.name(v.kpi), definition: language.definition(v.kpi), value: format.value(v),
                          madeOf: madeOf(v))
        }
        let validity = card.side == .marketing ? personValidity(card.person) : []
        let disputes = card.side == .sales ? e.labelDisputes.filter { $0.salesPerson == card.person }.map(dispute) : []
        let pay = hasPay ? statement(card.person, card: card) : nil
        return PersonView(
            anchor: anchor(card.person), side: card.side.rawValue, sideTitle: language.side(card.side),
            name: text(p.name), personID: text(p.id), role: text(p.role), team: text(p.team),
            total: format.score(card.weightedTotal), scoredOnTeam: card.scoredOnTeam.map(text), scored: scored,
            hasPay: pay != nil, pay: pay, figures: figures,
            validity: validity, hasValidity: !validity.isEmpty, disputes: disputes, hasDisputes: !disputes.isEmpty)
    }

    /// The parts of a rate (`11 / 23`), or why it has no value.
    func madeOf(_ v: KPIValue) -> String {
        if v.value == nil { return language.noDataReason(v, data: e.data) }
        guard let d = v.denominator else { return "" }
        let (nu, du) = ScorecardViewBuilder.parts[v.kpi.name] ?? (.rate, .rate)
        return format.number(v.numerator, unit: nu) + " / " + format.number(d, unit: du)
    }

    /// The units of a ratio's numerator and denominator.
    static let parts: [String: (KPIUnit, KPIUnit)] = [
        "validity_rate": (.count, .count),
        "cost_per_lead": (.money, .count),
        "cost_per_valid_lead": (.money, .count),
        "marketing_roi": (.money, .money),
        "new_customer_share": (.money, .money),
        "conversion_rate": (.count, .count),
        "average_deal_value": (.money, .count),
        "completion_rate": (.money, .money),
        "contacted_24h_rate": (.count, .count),
        "test_drive_rate": (.count, .count),
    ]

    // MARK: Validity

    /// Where a lead of the period is counted on the marketing side: a marketer, a team's own row, or nowhere.
    enum Bucket: Hashable {
        case marketer(Int)
        case team(String)
        case unattributed
    }

    static func bucket(_ lead: Int, in e: Evaluation, marketers: Set<Int>) -> Bucket {
        switch e.credits[lead] {
        case .owner(let p), .channelOwner(let p):
            return marketers.contains(p) ? .marketer(p) : .team(e.data.people[p].team)
        case .assigneeTeam(let t): return .team(t)
        case .unattributed: return .unattributed
        }
    }

    /// Counts per failed rule (nil: valid) for the given leads.
    func ruleCounts(_ leads: [Int]) -> [FailedRule?: Int] {
        var counts: [FailedRule?: Int] = [:]
        for i in leads { counts[e.verdicts[i].failedRule, default: 0] += 1 }
        return counts
    }

    /// Past this many marketers, the overall table has a column per team instead of per marketer (each
    /// marketer's own counts stay in their section), so a brand's page stays readable.
    static let marketerColumnsLimit = 12

    func validity() -> ValidityView {
        let byTeam = marketers.count > Self.marketerColumnsLimit
        func column(_ b: Bucket) -> Bucket {
            if byTeam, case .marketer(let p) = b { return .team(e.data.people[p].team) }
            return b
        }
        var order: [Bucket] = []
        var seen = Set<Bucket>()
        var leadsOf: [Bucket: [Int]] = [:]
        if !byTeam {
            for c in e.scorecards(.marketing) where seen.insert(.marketer(c.person)).inserted { order.append(.marketer(c.person)) }
        }
        for (i, b) in zip(e.periodLeads, leadBuckets) {
            let c = column(b)
            leadsOf[c, default: []].append(i)
            if seen.insert(c).inserted { order.append(c) }
        }
        // Team-credited and unattributed columns after the marketers, in order of first appearance.
        let buckets = order.filter { if case .marketer = $0 { return true } else { return false } }
            + order.filter { if case .team = $0 { return true } else { return false } }
            + order.filter { $0 == .unattributed }
        let columns = buckets.map { b -> String in
            switch b {
            case .marketer(let p): return personName(p)
            case .team(let t) where byTeam: return text(t)
            case .team(let t): return language == .en ? "\(text(t)) (team)" : "\(text(t))（团队）"
            case .unattributed: return labels.unattributed
            }
        } + [labels.everyone]
        let counts = buckets.map { ruleCounts(leadsOf[$0] ?? []) }
        let all = ruleCounts(e.periodLeads)
        func row(_ rule: FailedRule?, name: String, meaning: String, isTotal: Bool = false) -> ValidityRowView {
            ValidityRowView(rule: name, meaning: meaning,
                            cells: counts.map { format.count(Exact($0[rule] ?? 0)) } + [format.count(Exact(all[rule] ?? 0))],
                            isTotal: isTotal)
        }
        var rows = FailedRule.allCases.map { row($0, name: language.name($0), meaning: language.explanation($0)) }
        rows.append(row(nil, name: labels.validLeads, meaning: language.definition(KPI.named("valid_leads", side: .marketing)!), isTotal: true))
        rows.append(ValidityRowView(
            rule: labels.allLeads, meaning: "",
            cells: buckets.map { format.count(Exact(leadsOf[$0]?.count ?? 0)) } + [format.count(Exact(e.periodLeads.count))],
            isTotal: true))
        return ValidityView(columns: columns, rows: rows)
    }

    func personValidity(_ person: Int) -> [RuleCountView] {
        let mine = leadsOf[.marketer(person)] ?? []
        let counts = ruleCounts(mine)
        var out = FailedRule.allCases.map {
            RuleCountView(rule: language.name($0), meaning: language.explanation($0),
                          count: format.count(Exact(counts[$0] ?? 0)), isTotal: false)
        }
        out.append(RuleCountView(rule: labels.validLeads, meaning: "", count: format.count(Exact(counts[nil] ?? 0)), isTotal: true))
        out.append(RuleCountView(rule: labels.allLeads, meaning: "", count: format.count(Exact(mine.count)), isTotal: true))
        return out
    }

    // MARK: Disputes and what is outside the tables

    func dispute(_ d: LabelDispute) -> DisputeView {
        let verdict: String
        if let rule = d.failedRule {
            verdict = language == .en ? "\(labels.invalid): \(language.name(rule))" : "\(labels.invalid)：\(language.name(rule))"
        } else {
            verdict = labels.valid
        }
        return DisputeView(lead: text(e.data.leads[d.lead].id),
                           salesLabel: d.label == .valid ? labels.valid : labels.invalid,
                           verdict: verdict, countsAgainst: d.label == .invalid && d.failedRule == nil)
    }

    func disputeGroups() -> [DisputeGroupView] {
        var order: [Int?] = []
        for d in e.labelDisputes where !order.contains(d.salesPerson) { order.append(d.salesPerson) }
        let evaluated = Set(e.scorecards(.sales).map(\.person))
        return order.map { who in
            let name = who.map(personName) ?? labels.unassigned
            let link = who.flatMap { evaluated.contains($0) ? "#" + anchor($0) : nil }
            return DisputeGroupView(salesperson: name, link: link,
                                    disputes: e.labelDisputes.filter { $0.salesPerson == who }.map(dispute))
        }
    }

    func outside() -> [LabelledTextView] {
        var out: [LabelledTextView] = []
        if !e.unattributedLeads.isEmpty {
            out.append(LabelledTextView(label: labels.unattributedLeads,
                                        text: e.unattributedLeads.map { text(e.data.leads[$0].id) }.joined(separator: ", ")))
        }
        if !e.unownedSpend.isEmpty || e.unownedSpendTotal > .zero {
            let lines = e.unownedSpend.map { String(e.data.spend[$0].source.line) }
            let money = format.money(e.unownedSpendTotal)
            let where_ = language == .en
                ? " (spend.csv line\(lines.count == 1 ? "" : "s") \(lines.joined(separator: ", ")))"
                : "（spend.csv 第 \(lines.joined(separator: "、")) 行）"
            out.append(LabelledTextView(label: labels.unownedSpend, text: money + (lines.isEmpty ? "" : where_)))
        }
        return out
    }
}
