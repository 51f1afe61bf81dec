import BatonCore

extension ScorecardView {
    /// The page's content for an evaluation, in one language. Pure: same evaluation, same view.
    public static func make(_ e: Evaluation, language: Language) -> ScorecardView {
        ScorecardViewBuilder(e: e, format: DisplayFormat(currency: e.plan.currency, language: language)).view()
    }

    /// The page's context for an evaluation: the view, with each person's section made only when the
    /// page reaches it (`LazyPeople`). Renders the same bytes as `make`'s view.
    static func page(_ e: Evaluation, language: Language) -> PageRoot {
        let builder = ScorecardViewBuilder(e: e, format: DisplayFormat(currency: e.plan.currency, language: language))
        return PageRoot(builder.view(withPeople: false), people: LazyPeople(builder: builder, cards: builder.cardOrder))
    }

    /// The KPIs the side-by-side header shows for each side (all figures are in the tables below).
    static let headline: [Side: [String]] = [
        .marketing: ["leads", "valid_leads", "validity_rate", "spend", "cost_per_valid_lead", "new_customer_sales", "marketing_roi"],
        .sales: ["assigned_leads", "converted_leads", "conversion_rate", "total_sales", "new_customer_sales", "completion_rate", "contacted_24h_rate", "test_drive_rate"],
    ]
}

/// Builds the view from the evaluation; holds the formatting choices so each part reads short.
///
/// Everything a person's section needs from the whole evaluation (their scorecard's place, their pay
/// statement, their label disputes, their leads' counts per validity rule) is found once here, so making
/// a section costs the same for the 3,000th person as for the first, on any thread.
struct ScorecardViewBuilder: Sendable {
    let e: Evaluation
    let format: DisplayFormat
    let labels: Labels
    /// People with a marketing scorecard.
    let marketers: Set<Int>
    /// Per person (index into people): the index in `e.people` of their scorecard on each side, or -1.
    let cardIndex: [Side: [Int]]
    /// Per person: whether they have a scorecard (a section of their own).
    let hasSection: [Bool]
    /// Per person: the index of their pay statement in `e.payroll.statements`, or -1.
    let statementIndex: [Int]
    /// Each label dispute as shown (index as in `e.labelDisputes`), and each salesperson's, in order.
    let disputeViews: [DisputeView]
    let disputesOf: [Int?: [Int]]
    /// The salespeople with disputes, in order of their first dispute (nil: unassigned leads).
    let disputeOrder: [Int?]
    /// The period's leads counted per place on the marketing side and failed rule.
    let leadCounts: LeadCounts
    let hasPay: Bool
    /// Each scoring rule of the plan with its words (`ScoreWords.summary`): every person on a scorecard
    /// shares its rules, so the words are made once, not once per person and KPI. A handful: looked up
    /// in order.
    let ruleWords: [(rule: ScoringRule, words: String)]
    /// Each KPI's name, definition and ratio units as the page shows them, per side: every person's
    /// section shows them, so they are made once instead of looked up by name per figure.
    let kpiTexts: (marketing: [KPITexts], sales: [KPITexts])

    init(e: Evaluation, format: DisplayFormat) {
        self.e = e
        self.format = format
        labels = format.labels
        let people = e.data.people.count
        // Scorecards are read where they lie: `e.scorecards(side)` copies every one of them.
        var marketers = Set<Int>()
        for k in e.people.indices where e.people[k].side == .marketing { marketers.insert(e.people[k].person) }
        self.marketers = marketers
        var cardIndex: [Side: [Int]] = [:]
        for side in Side.allCases { cardIndex[side] = Array(repeating: -1, count: people) }
        var hasSection = Array(repeating: false, count: people)
        // The first scorecard of a person on a side, as `first(where:)` found it.
        for k in e.people.indices {
            let side = e.people[k].side, person = e.people[k].person
            if cardIndex[side]![person] < 0 { cardIndex[side]![person] = k }
            hasSection[person] = true
        }
        self.cardIndex = cardIndex
        self.hasSection = hasSection
        var statementIndex = Array(repeating: -1, count: people)
        for (k, st) in e.payroll.statements.enumerated().reversed() { statementIndex[st.person] = k }
        self.statementIndex = statementIndex
        var disputesOf: [Int?: [Int]] = [:]
        var disputeOrder: [Int?] = []
        for (k, d) in e.labelDisputes.enumerated() {
            if disputesOf[d.salesPerson] == nil { disputeOrder.append(d.salesPerson) }
            disputesOf[d.salesPerson, default: []].append(k)
        }
        self.disputesOf = disputesOf
        self.disputeOrder = disputeOrder
        leadCounts = LeadCounts(e, marketers: marketers)
        hasPay = Self.hasPay(e)
        disputeViews = e.labelDisputes.map { Self.dispute($0, e: e, format: format) }
        var ruleWords: [(rule: ScoringRule, words: String)] = []
        for card in e.plan.scorecards {
            for kp in card.kpis where !ruleWords.contains(where: { $0.rule == kp.scoring }) {
                ruleWords.append((kp.scoring, ScoreWords(format: format).summary(kp.scoring)))
            }
        }
        self.ruleWords = ruleWords
        let language = format.language
        kpiTexts = (KPI.all(.marketing).map { KPITexts($0, language: language) },
                    KPI.all(.sales).map { KPITexts($0, language: language) })
    }

    /// `words.summary(rule)`, made once per rule of the plan.
    func summary(_ rule: ScoringRule) -> String {
        // Through a pointer, each entry is compared in place (`for r in ruleWords` copies each rule).
        let made = ruleWords.withUnsafeBufferPointer { r -> String? in
            for k in r.indices where (r.baseAddress! + k).pointee.rule == rule { return (r.baseAddress! + k).pointee.words }
            return nil
        }
        return made ?? words.summary(rule)
    }
    var language: Language { format.language }
    /// Cheap to make: a format is one reference.
    var words: ScoreWords { ScoreWords(format: format) }

    /// `Marketing` / `Sales` in the page's language.
    func sideTitle(_ side: Side) -> String { side == .marketing ? labels.marketing : labels.sales }

    /// Marketing people, then sales people: whose sections the page has.
    var cards: [PersonScorecard] { cardOrder.map { e.people[$0] } }

    /// Where `cards` are in `e.people`.
    var cardOrder: [Int] { Side.allCases.flatMap { side in e.people.indices.filter { e.people[$0].side == side } } }

    /// The view; `withPeople: false` leaves `people` empty, for a caller that makes the sections itself.
    func view(withPeople: Bool = true) -> ScorecardView {
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
            people: withPeople ? cards.map { person($0) } : [],
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
        let n = e.people.indices.reduce(0) { $0 + (e.people[$1].side == side ? 1 : 0) }
        let headcount: String
        switch language {
        case .en: headcount = n == 1 ? "1 person evaluated" : "\(n) people evaluated"
        case .zhHans: headcount = "参与考核 \(n) 人"
        }
        return SideSummaryView(side: side.rawValue, title: sideTitle(side), headcount: headcount, figures: figures)
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
        let indexes = cardIndex[side]!
        let distinct = kpis.withUnsafeBufferPointer(Self.distinctNames)
        let teams = e.teams(side).map { t -> TeamTableView in
            var rows: [TableRowView] = e.people.withUnsafeBufferPointer { cards in
                t.members.compactMap { i in
                    let index = indexes[i]
                    guard index >= 0 else { return nil }
                    // The scorecard and its figures are read in place: copying them retains every row list.
                    let card = cards.baseAddress! + index
                    return TableRowView(name: personName(i), personID: text(e.data.people[i].id), link: "#" + anchor(i),
                                        isTeam: false, total: format.score(card.pointee.weightedTotal),
                                        cells: cells(card.pointee.figures, kpis, distinct: distinct))
                }
            }
            rows.append(TableRowView(name: labels.teamTotal, personID: "", link: nil, isTeam: true, total: "",
                                     cells: cells(t.figures, kpis, distinct: distinct)))
            return TeamTableView(team: text(t.team), note: teamNote(t), rows: rows)
        }
        return SideTablesView(side: side.rawValue, title: sideTitle(side), columns: columns, teams: teams)
    }

    /// A row's cells, one per KPI of `kpis`: `kpis.map { cell(figures, $0.name) }`. A scorecard's figures
    /// are its side's KPIs in order, and the names in `KPI.all` are distinct, so when every figure is
    /// named as the KPI at its place, the first figure of each name is the one at the same place and
    /// the names are not searched for. `distinct`: `distinctNames(kpis)`, found once per table.
    func cells(_ figures: [KPIValue], _ kpis: [KPI], distinct: Bool) -> [String] {
        figures.withUnsafeBufferPointer { f in
            kpis.withUnsafeBufferPointer { k in
                guard distinct, f.count == k.count,
                      f.indices.allSatisfy({ (f.baseAddress! + $0).pointee.kpi.name == k[$0].name })
                else { return k.map { cell(figures, $0.name) } }
                return f.indices.map { j in
                    let v = f.baseAddress! + j
                    return format.value(v.pointee.value, unit: v.pointee.kpi.unit, withCode: false)
                }
            }
        }
    }

    /// Whether no two KPIs have the same name (true of `KPI.all(side)`).
    static func distinctNames(_ kpis: UnsafeBufferPointer<KPI>) -> Bool {
        for i in kpis.indices {
            for j in kpis.indices where j > i && kpis[i].name == kpis[j].name { return false }
        }
        return true
    }

    /// A table cell: the first figure named `name` (as `figure(name)` finds it) without the currency code,
    /// or "no data".
    func cell(_ figures: [KPIValue], _ name: String) -> String {
        figures.withUnsafeBufferPointer { f in
            // Through a pointer, the figure is read in place (`f[j]` copies it, with its references).
            for j in f.indices {
                let v = f.baseAddress! + j
                if v.pointee.kpi.name == name { return format.value(v.pointee.value, unit: v.pointee.kpi.unit, withCode: false) }
            }
            return labels.noData
        }
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

    func person(_ card: borrowing PersonScorecard) -> PersonView {
        withUnsafePointer(to: card) { person(at: $0) }
    }

    /// `person` of a scorecard read where it lies (`people[k]`, or a borrowed scorecard, copies it
    /// with every reference it holds).
    func person(at card: UnsafePointer<PersonScorecard>) -> PersonView {
        // The person's texts, read in place (`people[i]` copies the whole person).
        let (name, id, role, team) = e.data.people.withUnsafeBufferPointer { people in
            precondition(people.indices.contains(card.pointee.person))
            let p = people.baseAddress! + card.pointee.person
            return (text(p.pointee.name), text(p.pointee.id), text(p.pointee.role), text(p.pointee.team))
        }
        let noData = card.pointee.plan.noData
        let table = kpiTexts(card.pointee.side)
        // Scores and figures are read where they lie, and only the parts a text needs are passed on:
        // passing a whole score or figure copies it, retaining every reference it holds (its row lists
        // among them).
        let scored = card.pointee.scores.withUnsafeBufferPointer { scores in
            var out: [ScoredKPIView] = []
            out.reserveCapacity(scores.count)
            for s in scores.indices {
                // Through a pointer, each field is read in place (`scores[s].target` copies the whole score).
                let s = scores.baseAddress! + s
                let unit = s.pointee.plan.kpi.unit
                let target: String, from: String?
                if let t = s.pointee.target {
                    target = format.number(t.value, unit: unit)
                    from = words.origin(t.origin, unit: unit)
                } else {
                    target = labels.noTarget
                    from = nil
                }
                let attainment: String
                switch s.pointee.attainment {
                case .ratio(let a)?: attainment = format.percent(a)
                case .unbounded?: attainment = language == .en ? "unbounded" : "无上限"
                case nil: attainment = s.pointee.value.value == nil ? labels.noData : (s.pointee.target == nil ? labels.noTarget : "—")
                }
                let k = textsIndex(s.pointee.plan.kpi, in: table)
                out.append(ScoredKPIView(
                    kpi: k >= 0 ? table.withUnsafeBufferPointer { ($0.baseAddress! + k).pointee.shown } : language.name(s.pointee.plan.kpi),
                    value: format.value(s.pointee.value.value, unit: s.pointee.value.kpi.unit), target: target,
                    targetFrom: from, attainment: attainment,
                    score: s.pointee.score.map { format.score($0) } ?? labels.noData,
                    weight: format.weight(s.pointee.appliedWeight), points: format.score(s.pointee.points),
                    rule: summary(s.pointee.plan.scoring), why: words.explanation(s, noData: noData)))
            }
            return out
        }
        let figures = table.withUnsafeBufferPointer { texts in
            card.pointee.figures.withUnsafeBufferPointer { values in
                var out: [FigureRowView] = []
                out.reserveCapacity(values.count)
                for v in values.indices {
                    let v = values.baseAddress! + v
                    // A side's figures are in `KPI.all(side)` order: the table's entry at the same place.
                    let k = textsIndex(v.pointee.kpi, in: table, hint: out.count)
                    if k < 0 {
                        out.append(FigureRowView(kpi: language.name(v.pointee.kpi), definition: language.definition(v.pointee.kpi),
                                                 value: format.value(v.pointee.value, unit: v.pointee.kpi.unit), madeOf: madeOf(v.pointee)))
                        continue
                    }
                    let t = texts.baseAddress! + k
                    out.append(FigureRowView(kpi: t.pointee.shown, definition: t.pointee.definition,
                                             value: format.value(v.pointee.value, unit: v.pointee.kpi.unit),
                                             madeOf: madeOf(v, parts: t.pointee.parts)))
                }
                return out
            }
        }
        let validity = card.pointee.side == .marketing ? personValidity(card.pointee.person) : []
        let disputes = card.pointee.side == .sales ? (disputesOf[card.pointee.person] ?? []).map { disputeViews[$0] } : []
        let pay = hasPay ? statement(card.pointee.person, side: card.pointee.side, planPays: card.pointee.plan.pay != nil) : nil
        return PersonView(
            anchor: anchor(card.pointee.person), side: card.pointee.side.rawValue, sideTitle: sideTitle(card.pointee.side),
            name: name, personID: id, role: role, team: team,
            total: format.score(card.pointee.weightedTotal), scoredOnTeam: card.pointee.scoredOnTeam.map { text($0) }, scored: scored,
            hasPay: pay != nil, pay: pay, figures: figures,
            validity: validity, hasValidity: !validity.isEmpty, disputes: disputes, hasDisputes: !disputes.isEmpty)
    }

    /// The parts of a rate (`11 / 23`), or why it has no value.
    func madeOf(_ v: KPIValue) -> String {
        withUnsafePointer(to: v) { madeOf($0, parts: ScorecardViewBuilder.parts[v.kpi.name] ?? (.rate, .rate)) }
    }

    /// `madeOf(v)` for a figure read in place, with the units of the ratio's parts already known.
    func madeOf(_ v: UnsafePointer<KPIValue>, parts: (KPIUnit, KPIUnit)) -> String {
        if v.pointee.value == nil { return language.noDataReason(v.pointee, data: e.data) }
        guard let d = v.pointee.denominator else { return "" }
        return ratioBytes(v.pointee.numerator, d, parts: parts) ?? ratioText(v.pointee.numerator, d, parts: parts)
    }

    /// `11 / 23`: both figures written side by side on the stack and copied once into the text (most fit
    /// in a string without an allocation); nil when a figure goes the exact way.
    func ratioBytes(_ numerator: Exact, _ denominator: Exact, parts: (KPIUnit, KPIUnit)) -> String? {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 2 * format.figureRoom + 3) { buffer -> String? in
            let p = buffer.baseAddress!
            guard let a = format.write(numerator, unit: parts.0, to: p) else { return nil }
            p[a] = 0x20
            p[a + 1] = 0x2F
            p[a + 2] = 0x20
            guard let b = format.write(denominator, unit: parts.1, to: p + a + 3) else { return nil }
            return String(unsafeUninitializedCapacity: a + 3 + b) { out in
                out.baseAddress!.initialize(from: p, count: a + 3 + b)
                return a + 3 + b
            }
        }
    }

    /// `ratioBytes` appended text by text: what it writes, for any figure.
    func ratioText(_ numerator: Exact, _ denominator: Exact, parts: (KPIUnit, KPIUnit)) -> String {
        var s = format.number(numerator, unit: parts.0)
        s += " / "
        s += format.number(denominator, unit: parts.1)
        return s
    }

    /// The page's texts of each KPI of a side, in `KPI.all(side)` order.
    func kpiTexts(_ side: Side) -> [KPITexts] { side == .marketing ? kpiTexts.marketing : kpiTexts.sales }

    /// Where `kpi` is in `table` (looked for at `hint` first), or -1.
    @inline(__always)
    func textsIndex(_ kpi: borrowing KPI, in table: [KPITexts], hint: Int = 0) -> Int {
        table.withUnsafeBufferPointer { t in
            // Through a pointer, an entry is read in place (`t[k]` copies it, with its strings).
            if hint < t.count && KPITexts.are(t.baseAddress! + hint, of: kpi) { return hint }
            for k in t.indices where KPITexts.are(t.baseAddress! + k, of: kpi) { return k }
            return -1
        }
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
    enum Bucket: Hashable, Sendable {
        case marketer(Int)
        case team(String)
        case unattributed
    }

    /// Past this many marketers, the overall table has a column per team instead of per marketer (each
    /// marketer's own counts stay in their section), so a brand's page stays readable.
    static let marketerColumnsLimit = 12

    /// A row of counts as cells: one per failed rule (`nil`: valid leads).
    func cells(_ columns: [LeadCounts.Tally], _ rule: FailedRule?) -> [String] {
        let slot = LeadCounts.slot(rule)
        return columns.map { format.count($0.counts[slot]) } + [format.count(leadCounts.all.counts[slot])]
    }

    func validity() -> ValidityView {
        let byTeam = marketers.count > Self.marketerColumnsLimit
        // Columns: the marketers (unless by team), then the team columns and the unattributed leads in order
        // of their first lead.
        var columns: [(bucket: Bucket, tally: LeadCounts.Tally)] = []
        if !byTeam {
            var seen = Set<Int>()
            for k in e.people.indices where e.people[k].side == .marketing && seen.insert(e.people[k].person).inserted {
                let p = e.people[k].person
                columns.append((.marketer(p), leadCounts.places[.marketer(p)] ?? LeadCounts.Tally()))
            }
        }
        var teams: [String: LeadCounts.Tally] = [:]
        var unattributed: LeadCounts.Tally?
        for (place, tally) in leadCounts.places {
            switch place {
            case .marketer(let p):
                if byTeam { teams[e.data.people[p].team, default: LeadCounts.Tally()].add(tally) }
            case .team(let t): teams[t, default: LeadCounts.Tally()].add(tally)
            case .unattributed: unattributed = tally
            }
        }
        columns += teams.sorted { $0.value.first < $1.value.first }.map { (.team($0.key), $0.value) }
        if let unattributed { columns.append((.unattributed, unattributed)) }
        let titles = columns.map { column -> String in
            switch column.bucket {
            case .marketer(let p): return personName(p)
            case .team(let t) where byTeam: return text(t)
            case .team(let t): return language == .en ? "\(text(t)) (team)" : "\(text(t))（团队）"
            case .unattributed: return labels.unattributed
            }
        } + [labels.everyone]
        let tallies = columns.map(\.tally)
        var rows = FailedRule.allCases.map {
            ValidityRowView(rule: language.name($0), meaning: language.explanation($0), cells: cells(tallies, $0), isTotal: false)
        }
        rows.append(ValidityRowView(rule: labels.validLeads, meaning: language.definition(KPI.named("valid_leads", side: .marketing)!),
                                    cells: cells(tallies, nil), isTotal: true))
        rows.append(ValidityRowView(
            rule: labels.allLeads, meaning: "",
            cells: tallies.map { format.count($0.total) } + [format.count(e.periodLeads.count)],
            isTotal: true))
        return ValidityView(columns: titles, rows: rows)
    }

    func personValidity(_ person: Int) -> [RuleCountView] {
        let mine = leadCounts.places[.marketer(person)] ?? LeadCounts.Tally()
        var out = FailedRule.allCases.map {
            RuleCountView(rule: language.name($0), meaning: language.explanation($0),
                          count: format.count(mine.counts[LeadCounts.slot($0)]), isTotal: false)
        }
        out.append(RuleCountView(rule: labels.validLeads, meaning: "", count: format.count(mine.counts[LeadCounts.slot(nil)]), isTotal: true))
        out.append(RuleCountView(rule: labels.allLeads, meaning: "", count: format.count(mine.total), isTotal: true))
        return out
    }

    // MARK: Disputes and what is outside the tables

    static func dispute(_ d: LabelDispute, e: Evaluation, format: DisplayFormat) -> DisputeView {
        let language = format.language, labels = format.labels
        let verdict: String
        if let rule = d.failedRule {
            verdict = language == .en ? "\(labels.invalid): \(language.name(rule))" : "\(labels.invalid)：\(language.name(rule))"
        } else {
            verdict = labels.valid
        }
        // The id is read in place: `leads[i]` would copy the whole lead.
        let id = e.data.leads.withUnsafeBufferPointer { $0[d.lead].id }
        return DisputeView(lead: DisplayText.clean(id),
                           salesLabel: d.label == .valid ? labels.valid : labels.invalid,
                           verdict: verdict, countsAgainst: d.label == .invalid && d.failedRule == nil)
    }

    func disputeGroups() -> [DisputeGroupView] {
        return disputeOrder.map { who in
            let name = who.map { personName($0) } ?? labels.unassigned
            let link = who.flatMap { cardIndex[.sales]![$0] >= 0 ? "#" + anchor($0) : nil }
            return DisputeGroupView(salesperson: name, link: link,
                                    disputes: (disputesOf[who] ?? []).map { disputeViews[$0] })
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

/// A KPI's texts as the page shows them, made once per builder (`ScorecardViewBuilder.kpiTexts`).
struct KPITexts: Sendable {
    let kpi: KPI
    /// `language.name(kpi)`.
    let shown: String
    /// `language.definition(kpi)`.
    let definition: String
    /// The units of a ratio's numerator and denominator, as `madeOf` writes them.
    let parts: (KPIUnit, KPIUnit)

    /// Whether `texts` are `kpi`'s: the same name, side, unit and definition (what the texts are made of).
    @inline(__always)
    static func are(_ texts: UnsafePointer<KPITexts>, of kpi: borrowing KPI) -> Bool {
        texts.pointee.kpi.name == kpi.name && texts.pointee.kpi.side == kpi.side && texts.pointee.kpi.unit == kpi.unit
            && texts.pointee.kpi.definition == kpi.definition
    }

    init(_ kpi: KPI, language: Language) {
        self.kpi = kpi
        shown = language.name(kpi)
        definition = language.definition(kpi)
        parts = ScorecardViewBuilder.parts[kpi.name] ?? (.rate, .rate)
    }
}

/// The period's leads as the marketing side counts them, in one pass: per place (a marketer, a team's own
/// row, nowhere) how many failed each validity rule or were valid, and where its first lead is.
struct LeadCounts: Sendable {
    /// One place's counts.
    struct Tally: Sendable {
        /// Per failed rule in `FailedRule.allCases` order, then the valid leads.
        var counts = [Int](repeating: 0, count: LeadCounts.slots)
        var total = 0
        /// Position in `periodLeads` of the first lead counted here.
        var first = Int.max

        mutating func add(_ other: Tally) {
            for k in counts.indices { counts[k] += other.counts[k] }
            total += other.total
            first = min(first, other.first)
        }
    }

    static let slots = FailedRule.allCases.count + 1
    static let rules = FailedRule.allCases

    /// A failed rule's slot in `Tally.counts` (nil: valid).
    static func slot(_ rule: FailedRule?) -> Int {
        guard let rule else { return rules.count }
        return rules.firstIndex(of: rule)!
    }

    let places: [ScorecardViewBuilder.Bucket: Tally]
    let all: Tally

    init(_ e: Evaluation, marketers: Set<Int>) {
        let people = e.data.people
        var isMarketer = [Bool](repeating: false, count: people.count)
        for p in marketers { isMarketer[p] = true }
        // Counted in a flat table (place × slot), with each person's place found once.
        var placeOfPerson = [Int](repeating: -1, count: people.count)
        var placeOfTeam: [String: Int] = [:]
        var unattributed = -1
        var buckets: [ScorecardViewBuilder.Bucket] = []
        var counts: [Int] = []
        var firsts: [Int] = []
        func newPlace(_ b: ScorecardViewBuilder.Bucket, at position: Int) -> Int {
            buckets.append(b)
            counts.append(contentsOf: repeatElement(0, count: LeadCounts.slots))
            firsts.append(position)
            return buckets.count - 1
        }
        func team(_ t: String, at position: Int) -> Int {
            if let k = placeOfTeam[t] { return k }
            let k = newPlace(.team(t), at: position)
            placeOfTeam[t] = k
            return k
        }
        var all = Tally()
        for (position, lead) in e.periodLeads.enumerated() {
            let place: Int
            switch e.credits[lead] {
            case .owner(let p), .channelOwner(let p):
                if placeOfPerson[p] < 0 {
                    placeOfPerson[p] = isMarketer[p] ? newPlace(.marketer(p), at: position) : team(people[p].team, at: position)
                }
                place = placeOfPerson[p]
            case .assigneeTeam(let t):
                place = team(t, at: position)
            case .unattributed:
                if unattributed < 0 { unattributed = newPlace(.unattributed, at: position) }
                place = unattributed
            }
            let slot = LeadCounts.slot(e.verdicts.failedRule(lead))
            counts[place * LeadCounts.slots + slot] += 1
            all.counts[slot] += 1
        }
        all.total = e.periodLeads.count
        all.first = 0
        var places: [ScorecardViewBuilder.Bucket: Tally] = [:]
        for (k, b) in buckets.enumerated() {
            var t = Tally()
            t.counts = Array(counts[(k * LeadCounts.slots)..<((k + 1) * LeadCounts.slots)])
            t.total = t.counts.reduce(0, +)
            t.first = firsts[k]
            places[b] = t
        }
        self.places = places
        self.all = all
    }
}

extension Array {
    /// `map`, with each element passed where it lies in the array's buffer instead of copied out first.
    @inline(__always)
    fileprivate func inPlace<T>(_ transform: (borrowing Element) throws -> T) rethrows -> [T] {
        try withUnsafeBufferPointer { buffer in
            var out: [T] = []
            out.reserveCapacity(buffer.count)
            for i in buffer.indices { out.append(try transform(buffer[i])) }
            return out
        }
    }
}
