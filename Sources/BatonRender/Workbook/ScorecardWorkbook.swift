import BatonCore
import Dispatch
import Foundation

/// The evaluation as a workbook for HR: one sheet per side (a row per person, team subtotals, a grand
/// total), the KPI definitions, every scored KPI's target and score, every lead's verdict, and the pay.
///
/// Figures that derive from others on the same row (rates, costs per lead, weighted totals) and all
/// subtotals are Excel formulas carrying their cached value, so a reader can audit them in place. Cells
/// with no data are empty, never 0. Pure: the same evaluation gives the same workbook.
public enum ScorecardWorkbook {
    public static func make(_ e: Evaluation, language: Language) -> Workbook {
        let builder = Builder(e: e, language: language)
        // The sheets are independent: they are built on all cores (the formatting of exact numbers is
        // most of the work), each into its own slot, so the order never depends on timing. (Inside another
        // `concurrentPerform` that already fills the cores, as in `baton evaluate`'s render, libdispatch
        // runs this nested loop on the calling thread alone.)
        let parts: [@Sendable () -> Sheet] = [
            { builder.sideSheet(.marketing) }, { builder.sideSheet(.sales) }, { builder.payTable() },
            { builder.targetsSheet() }, { builder.definitionsSheet() }, { builder.leadsSheet() },
        ]
        let built = SheetSlots(count: parts.count)
        // Longest first (sales, targets, pay: measured), so the last one started does not run on alone.
        let order = [1, 3, 2, 0, 4, 5]
        DispatchQueue.concurrentPerform(iterations: parts.count) { k in
            let i = order[k]
            built.set(i, parts[i]())
        }
        let sheets = built.all()
        let l = Labels.table(language)
        let props = DocumentProperties(
            title: "\(l.title) \(e.period)", subject: "\(l.period) \(e.period.first)..\(e.period.last)",
            creator: "Baton", created: "\(e.period.last)T00:00:00Z")
        return Workbook(properties: props, sheets: sheets)
    }
}

/// Sheets built on several threads, one slot each.
private final class SheetSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Sheet?]
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ sheet: Sheet) { lock.lock(); slots[i] = sheet; lock.unlock() }
    func all() -> [Sheet] { lock.lock(); defer { lock.unlock() }; return slots.map { $0! } }
}

/// Sheet names and the few headers the page's label table does not have.
struct WorkbookWords {
    let marketing, sales, pay, targets, kpis, leads: String
    let name, scoreOf, weightedTotal, teamOwn, outside, allTeams, target, contacted24h, testDrives: String
    let item, amount, arithmetic, payTotal, teamPay, kpiKey, side, unit, better, scorecard, weight, targetSource: String
    let scoringRule, value, from, attainment, score, points, explanation, teamTotal: String

    static func table(_ language: Language) -> WorkbookWords {
        switch language {
        case .en:
            return WorkbookWords(
                marketing: "Marketing", sales: "Sales", pay: "Pay", targets: "Targets and scores", kpis: "KPI definitions",
                leads: "Leads", name: "Name", scoreOf: "Score: ", weightedTotal: "Weighted total",
                teamOwn: "(credited to the team itself)", outside: "(outside any team)", allTeams: "All teams",
                target: "Target: total sales", contacted24h: "Contacted within 24 h", testDrives: "Test drives",
                item: "Item", amount: "Amount", arithmetic: "Arithmetic", payTotal: "Pay total", teamPay: "Team pay",
                kpiKey: "KPI", side: "Side", unit: "Unit", better: "Better", scorecard: "Scorecard", weight: "Weight",
                targetSource: "Target source", scoringRule: "Scoring rule", value: "Value", from: "Target from",
                attainment: "Attainment", score: "Score", points: "Points", explanation: "How the score came about",
                teamTotal: "Team total")
        case .zhHans:
            return WorkbookWords(
                marketing: "市场", sales: "销售", pay: "薪酬", targets: "目标与得分", kpis: "指标定义",
                leads: "线索", name: "姓名", scoreOf: "得分：", weightedTotal: "加权总分",
                teamOwn: "（归属团队本身）", outside: "（不属于任何团队）", allTeams: "全部团队",
                target: "目标：销售总额", contacted24h: "24小时内联系", testDrives: "试驾",
                item: "项目", amount: "金额", arithmetic: "计算过程", payTotal: "薪酬合计", teamPay: "团队薪酬",
                kpiKey: "指标", side: "方", unit: "单位", better: "方向", scorecard: "考核表", weight: "权重",
                targetSource: "目标来源", scoringRule: "计分规则", value: "数值", from: "目标出处",
                attainment: "达成率", score: "得分", points: "加权分", explanation: "得分说明",
                teamTotal: "团队合计")
        }
    }
}

/// The texts of the few distinct values a sheet repeats (the plan's weights and rules, a targets.csv line
/// that sets a whole role's target), each made once. A few only: the search is linear, and past 16 values
/// new ones are made each time, not kept (values that do not repeat are not worth keeping).
private struct FewTexts<Key: Equatable> {
    private var made: [(key: Key, text: String)] = []

    mutating func text(_ key: Key, _ make: (Key) -> String) -> String {
        for m in made where m.key == key { return m.text }
        let text = make(key)
        if made.count < 16 { made.append((key, text)) }
        return text
    }
}

/// A weight as the sheets print it (10 places, as the definitions sheet).
private struct Weight: Equatable {
    let value: Exact
    var text: String { value.decimalString(places: 10) }
}

private struct Builder: Sendable {
    let e: Evaluation
    let language: Language
    let words: WorkbookWords
    let currency: Currency

    init(e: Evaluation, language: Language) {
        self.e = e
        self.language = language
        self.words = WorkbookWords.table(language)
        self.currency = e.plan.currency
    }

    // MARK: cells

    /// The places of a computed value (a rate, a score, a formula's cached result): enough for a double,
    /// exact up to its precision; never through floating point.
    static let cachedPlaces = 15

    func format(_ unit: KPIUnit) -> NumberFormat {
        switch unit {
        case .count: return .integer
        case .money, .moneyRatio: return .money(decimals: currency.decimals)
        case .rate: return .percent(decimals: 1)
        }
    }

    func text(_ s: String) -> Cell { .text(s) }

    /// A value of a KPI of `unit` appended to `rows` (empty for no data): a whole count as it is, money
    /// with the currency's places, anything else with `cachedPlaces`; written from the number, with no
    /// `Cell` or `String` between.
    func put(_ x: Exact?, _ unit: KPIUnit, into rows: inout PackedRows) {
        guard let x else { return rows.empty() }
        switch unit {
        // An integer's `description` is its decimal string with no places.
        case .count: rows.number(x, places: x.isInteger ? 0 : Self.cachedPlaces, format: .integer)
        case .money: rows.number(x, places: currency.decimals, format: format(unit))
        default: rows.number(x, places: Self.cachedPlaces, format: format(unit))
        }
    }

    /// Static, so the closures that make references do not capture (and copy) the builder.
    static func ref(_ column: Int, _ row: Int) -> String { FormulaReferences.a1(row: row, column: column) }
    func ref(_ column: Int, _ row: Int) -> String { FormulaReferences.a1(row: row, column: column) }

    // MARK: the side sheets

    /// A column of a side sheet: an identity text, a figure that adds up across rows, a fraction of two
    /// other columns, or a score.
    enum Kind {
        case team, id, name
        case additive(String)            // a count or money KPI (subtotals: SUM)
        case numerator(String)           // the numerator of a rate, as a count (contacted within 24 h)
        case fraction(String, num: Int, den: Int)   // KPI = column num / column den
        case target                      // the total_sales target
        case score(String)
        case weightedTotal
    }

    struct Column2 {
        let header: String
        let width: Double
        let kind: Kind
        let format: NumberFormat
    }

    func columns(_ side: Side) -> [Column2] {
        let l = Labels.table(language)
        func k(_ name: String) -> KPI { KPI.named(name, side: side)! }
        func col(_ name: String, _ kind: Kind, width: Double = 12) -> Column2 {
            Column2(header: language.name(k(name)), width: width, kind: kind, format: format(k(name).unit))
        }
        var cols = [
            Column2(header: l.team, width: 16, kind: .team, format: .general),
            Column2(header: l.id, width: 16, kind: .id, format: .general),
            Column2(header: words.name, width: 14, kind: .name, format: .general),
        ]
        // Columns are 1-based in formulas: identity columns are 1...3.
        switch side {
        case .marketing:
            cols += [
                col("leads", .additive("leads")), col("valid_leads", .additive("valid_leads")),
                col("validity_rate", .fraction("validity_rate", num: 5, den: 4)),
                col("spend", .additive("spend"), width: 14),
                col("cost_per_lead", .fraction("cost_per_lead", num: 7, den: 4)),
                col("cost_per_valid_lead", .fraction("cost_per_valid_lead", num: 7, den: 5)),
                col("new_customer_sales", .additive("new_customer_sales"), width: 16),
                col("marketing_roi", .fraction("marketing_roi", num: 10, den: 7)),
            ]
        case .sales:
            cols += [
                col("assigned_leads", .additive("assigned_leads")),
                col("total_sales", .additive("total_sales"), width: 16),
                col("new_customer_sales", .additive("new_customer_sales"), width: 16),
                col("new_customer_share", .fraction("new_customer_share", num: 6, den: 5)),
                col("deals", .additive("deals")), col("converted_leads", .additive("converted_leads")),
                col("conversion_rate", .fraction("conversion_rate", num: 9, den: 4)),
                col("average_deal_value", .fraction("average_deal_value", num: 5, den: 8), width: 14),
                Column2(header: words.target, width: 16, kind: .target, format: .money(decimals: currency.decimals)),
                col("completion_rate", .fraction("completion_rate", num: 5, den: 12)),
                col("disputed_invalid_labels", .additive("disputed_invalid_labels")),
                col("followups", .additive("followups")),
                Column2(header: words.contacted24h, width: 12, kind: .numerator("contacted_24h_rate"), format: .integer),
                col("contacted_24h_rate", .fraction("contacted_24h_rate", num: 16, den: 4)),
                Column2(header: words.testDrives, width: 12, kind: .numerator("test_drive_rate"), format: .integer),
                col("test_drive_rate", .fraction("test_drive_rate", num: 18, den: 4)),
            ]
        }
        // One score column per KPI scored by any scorecard of the side, in plan order.
        var scored: [KPI] = []
        for card in e.plan.scorecards where card.side == side {
            for kp in card.kpis where !scored.contains(kp.kpi) { scored.append(kp.kpi) }
        }
        for kpi in scored {
            cols.append(Column2(header: words.scoreOf + language.name(kpi), width: 12, kind: .score(kpi.name), format: .decimal(decimals: 1)))
        }
        cols.append(Column2(header: words.weightedTotal, width: 12, kind: .weightedTotal, format: .decimal(decimals: 1)))
        return cols
    }

    /// One figure row's cells: a person, a team's own part, a team subtotal or the grand total.
    struct FigureRow {
        var team: String
        var id: String
        var name: String
        /// Per KPI: the value (nil: no data), its numerator and denominator; found by name (the first of a
        /// name counts). An array rather than a dictionary: a person's figures are used as they are.
        var values: [KPIValue]
        var target: Exact?
        var scores: [KPIScore]
        var weightedTotal: Exact?
        /// For subtotal rows: the sheet rows summed (nil: plain numbers).
        var sumOf: [Int]?
        var style: RowStyle
    }

    /// The position of KPI `name`'s value in `values` (the caller reads the fields it needs in place: a
    /// `KPIValue` copied retains all of its parts). Looked for at `hint` first (where the previous row had
    /// it: every row of a side lists its KPIs in the same order), then from the start. A figures list holds
    /// each KPI once (``Evaluation`` makes them so), so the one found at the hint is the first.
    func value(_ name: String, in values: [KPIValue], hint: inout Int) -> Int? {
        if hint < values.count, values[hint].kpi.name == name { return hint }
        guard let j = values.firstIndex(where: { $0.kpi.name == name }) else { return nil }
        hint = j
        return j
    }

    /// One figure row, appended to `rows` cell by cell.
    func put(_ r: FigureRow, row: Int, columns cols: [Column2], hints: inout [Int], into rows: inout PackedRows) {
        if hints.count < cols.count { hints = Array(repeating: 0, count: cols.count) }
        rows.begin(r.style)
        for (i, c) in cols.enumerated() {
            let column = i + 1
            switch c.kind {
            case .team: rows.text(r.team)
            case .id: rows.textOrEmpty(r.id)
            case .name: rows.textOrEmpty(r.name)
            case .additive(let k), .numerator(let k):
                let found = value(k, in: r.values, hint: &hints[i])
                let v: Exact?
                if case .numerator = c.kind { v = found.map { r.values[$0].numerator } } else { v = found.flatMap { r.values[$0].value } }
                if let sumRows = r.sumOf, !sumRows.isEmpty {
                    let f = sumFormula(sumRows.map { Self.ref(column, $0) })
                    // `cachedCount`: an integer as it is, else with the currency's places.
                    if let v {
                        rows.formula(f, cached: v, places: v.isInteger ? 0 : currency.decimals, format: c.format)
                    } else {
                        rows.formula(f, cached: nil, format: c.format)
                    }
                } else if case .numerator = c.kind {
                    put(v, .count, into: &rows)
                } else {
                    put(v, found.map { r.values[$0].kpi.unit } ?? .count, into: &rows)
                }
            case .fraction(let k, let num, let den):
                if let j = value(k, in: r.values, hint: &hints[i]), let v = r.values[j].value {
                    rows.formula("\(ref(num, row))/\(ref(den, row))", cached: v, places: Self.cachedPlaces, format: c.format)
                } else {
                    rows.empty()
                }
            case .target:
                rows.number(r.target, places: currency.decimals, format: c.format)
            case .score(let k):
                // Scores are read in place (a `KPIScore` copied retains all of its parts).
                if let j = r.scores.firstIndex(where: { $0.plan.kpi.name == k }), let score = r.scores[j].score {
                    rows.number(score, places: Self.cachedPlaces, format: c.format)
                } else {
                    rows.empty()
                }
            case .weightedTotal:
                guard let total = r.weightedTotal else { rows.empty(); continue }
                var terms: [String] = []
                for (j, cc) in cols.enumerated() {
                    guard case .score(let k) = cc.kind, let s = r.scores.firstIndex(where: { $0.plan.kpi.name == k }) else { continue }
                    terms.append("\(ref(j + 1, row))*\(r.scores[s].appliedWeight.shortDecimalString(maxPlaces: 15))")
                }
                if terms.isEmpty {
                    rows.number(total, places: Self.cachedPlaces, format: c.format)
                } else {
                    rows.formula("(\(terms.joined(separator: "+")))/100", cached: total, places: Self.cachedPlaces, format: c.format)
                }
            }
        }
        rows.end()
    }

    /// `SUM(D2:D5)` for a run of rows, `D2+D9+D14` otherwise.
    func sumFormula(_ refs: [String]) -> String {
        refs.count == 1 ? refs[0] : refs.joined(separator: "+")
    }

    /// What `total` holds beyond the sum of `parts`, for the additive figures (nil when nothing); one value
    /// per KPI name (a later one replaces an earlier one of the same name).
    func remainder(_ total: [KPIValue], minus parts: [[KPIValue]], side: Side) -> [KPIValue]? {
        var out: [KPIValue] = []
        func set(_ v: KPIValue) {
            if let j = out.firstIndex(where: { $0.kpi.name == v.kpi.name }) { out[j] = v } else { out.append(v) }
        }
        var any = false
        for j in total.indices {
            let unit = total[j].kpi.unit
            guard unit == .count || unit == .money, let t = total[j].value else { continue }
            // Each part lists its KPIs (each once) in the total's order: looked for at the same place first.
            // Values are read in place (a `KPIValue` copied retains all of its parts).
            var sum = Exact.zero
            for p in parts {
                if j < p.count, p[j].kpi == total[j].kpi {
                    sum = sum + (p[j].value ?? .zero)
                } else if let k = p.firstIndex(where: { $0.kpi == total[j].kpi }) {
                    sum = sum + (p[k].value ?? .zero)
                }
            }
            let rest = t - sum
            if !rest.isZero { any = true }
            set(KPIValue(kpi: total[j].kpi, value: rest, numerator: rest, denominator: nil, numeratorRows: RowRefs()))
        }
        // Counts behind rates (contacted within 24 h, test drives) add up too.
        for name in ["contacted_24h_rate", "test_drive_rate"] where side == .sales {
            guard let v = total.first(where: { $0.kpi.name == name }) else { continue }
            let sum = parts.reduce(Exact.zero) { acc, p in acc + (p.first { $0.kpi.name == name }?.numerator ?? .zero) }
            let rest = v.numerator - sum
            if !rest.isZero { any = true }
            set(KPIValue(kpi: v.kpi, value: nil, numerator: rest, denominator: nil, numeratorRows: RowRefs()))
        }
        return any ? out : nil
    }

    /// The total_sales target of a figures list: the denominator of its first completion_rate, read in
    /// place (`figure(_:)` copies the figure, retaining all of its parts).
    static func target(in figures: [KPIValue]) -> Exact? {
        figures.withUnsafeBufferPointer { f in
            for j in f.indices where f[j].kpi.name == "completion_rate" { return f[j].denominator }
            return nil
        }
    }

    func sideSheet(_ side: Side) -> Sheet {
        let cols = columns(side)
        let people = e.data.people
        var rows = PackedRows()
        var subtotalRows: [Int] = []
        var hints: [Int] = []
        func add(_ r: FigureRow) -> Int {
            let rowNumber = rows.count + 2
            put(r, row: rowNumber, columns: cols, hints: &hints, into: &rows)
            return rowNumber
        }
        // Each team's members in scorecard order, found in one pass (not one filter of everyone per team).
        // The side's scorecards are found by their place in `e.people` and read there (`e.scorecards(side)`
        // would copy each, retaining all of its parts).
        let cards = e.people
        var membersOf: [String: [Int]] = [:]
        for i in cards.indices where cards[i].side == side { membersOf[people[cards[i].person].team, default: []].append(i) }
        for team in e.teams(side) {
            var memberRows: [Int] = []
            var memberValues: [[KPIValue]] = []
            for m in membersOf[team.team] ?? [] {
                // Fields read in place (a scorecard or a person copied retains all of its parts).
                let person = cards[m].person
                memberRows.append(add(FigureRow(
                    team: team.team, id: people[person].id, name: people[person].name, values: cards[m].figures,
                    target: Self.target(in: cards[m].figures), scores: cards[m].scores,
                    weightedTotal: cards[m].weightedTotal, sumOf: nil, style: .normal)))
                memberValues.append(cards[m].figures)
            }
            if let own = remainder(team.figures, minus: memberValues, side: side) {
                memberRows.append(add(FigureRow(team: team.team, id: "", name: words.teamOwn, values: own, target: nil,
                                                scores: [], weightedTotal: nil, sumOf: nil, style: .normal)))
            }
            subtotalRows.append(add(FigureRow(
                team: team.team, id: "team:" + team.team, name: words.teamTotal, values: team.figures,
                target: Self.target(in: team.figures), scores: [], weightedTotal: nil,
                sumOf: memberRows, style: .subtotal)))
        }
        let total = e.totals[side] ?? []
        var totalParts = subtotalRows
        if let outside = remainder(total, minus: e.teams(side).map(\.figures), side: side) {
            totalParts.append(add(FigureRow(team: "", id: "", name: words.outside, values: outside, target: nil,
                                            scores: [], weightedTotal: nil, sumOf: nil, style: .normal)))
        }
        _ = add(FigureRow(team: "", id: "total", name: words.allTeams, values: total,
                          target: Self.target(in: total), scores: [],
                          weightedTotal: nil, sumOf: totalParts, style: .total))
        return Sheet(name: side == .marketing ? words.marketing : words.sales,
                     columns: cols.map { Column($0.header, width: $0.width, format: $0.format) }, packed: rows)
    }

    // MARK: targets and scores

    func put(_ a: Attainment?, into rows: inout PackedRows) {
        switch a {
        case .ratio(let x)?: rows.number(x, places: Self.cachedPlaces, format: .percent(decimals: 1))
        case .unbounded?: rows.text("∞")
        case nil: rows.empty()
        }
    }

    func targetsSheet() -> Sheet {
        let l = Labels.table(language)
        let cols = [
            Column(l.id, width: 12), Column(words.name, width: 14), Column(l.team, width: 16), Column(words.scorecard, width: 14),
            Column(words.kpiKey, width: 22), Column(words.value, width: 14), Column(l.target, width: 14),
            Column(words.from, width: 34), Column(words.attainment, width: 12, format: .percent(decimals: 1)),
            Column(words.score, width: 10, format: .decimal(decimals: 1)), Column(words.weight, width: 8, format: .general),
            Column(words.points, width: 10, format: .decimal(decimals: 1)), Column(words.explanation, width: 50),
        ]
        var rows = PackedRows()
        var weights = FewTexts<Weight>()
        // A history average is one person's own: made each time, never kept.
        var origins = FewTexts<TargetOrigin>()
        // Scorecards, people and scores are read in place (each copied would retain all of its parts).
        for c in e.people.indices {
            let person = e.people[c].person
            let (id, name, team, role) = (e.data.people[person].id, e.data.people[person].name, e.data.people[person].team,
                                          e.people[c].plan.role)
            let scores = e.people[c].scores
            for k in scores.indices {
                let r = rows.count + 2
                let unit = scores[k].plan.kpi.unit
                rows.begin()
                rows.text(id); rows.text(name); rows.text(team); rows.text(role); rows.text(language.name(scores[k].plan.kpi))
                put(scores[k].value.value, unit, into: &rows)
                put(scores[k].target?.value, unit == .count ? .rate : unit, into: &rows)
                if let origin = scores[k].target?.origin {
                    if case .history = origin { rows.text(origin.description) } else { rows.text(origins.text(origin, \.description)) }
                } else {
                    rows.empty()
                }
                put(scores[k].attainment, into: &rows)
                rows.number(scores[k].score, places: Self.cachedPlaces, format: .decimal(decimals: 1))
                rows.number(weights.text(Weight(value: scores[k].appliedWeight), \.text), format: .general)
                if scores[k].score == nil {
                    rows.number(scores[k].points, places: Self.cachedPlaces, format: .decimal(decimals: 1))
                } else {
                    rows.formula("\(ref(10, r))*\(ref(11, r))/100", cached: scores[k].points, places: Self.cachedPlaces, format: .decimal(decimals: 1))
                }
                rows.text(scores[k].explanation)
                rows.end()
            }
        }
        return Sheet(name: words.targets, columns: cols, packed: rows)
    }

    // MARK: definitions

    func definitionsSheet() -> Sheet {
        let cols = [
            Column(words.kpiKey, width: 24), Column(words.name, width: 20), Column(words.side, width: 10),
            Column(words.unit, width: 10), Column(words.better, width: 8), Column(Labels.table(language).definition, width: 60),
            Column(words.scorecard, width: 14), Column(words.weight, width: 8), Column(words.targetSource, width: 14),
            Column(words.scoringRule, width: 50),
        ]
        var rows: [Row] = []
        for side in Side.allCases {
            for kpi in KPI.all(side) {
                let base: [Cell] = [text(kpi.name), text(language.name(kpi)), text(language.side(side)), text(kpi.unit.rawValue),
                                    text(kpi.direction.rawValue), text(language.definition(kpi))]
                let uses = e.plan.scorecards.filter { $0.side == side }.compactMap { card in
                    card.kpis.first { $0.kpi == kpi }.map { (card, $0) }
                }
                if uses.isEmpty {
                    rows.append(Row(base + [.empty, .empty, .empty, .empty]))
                }
                for (card, kp) in uses {
                    rows.append(Row(base + [text(card.role), .number(kp.weight.decimalString(places: 10), format: .general),
                                            text(kp.target.description), text(kp.scoring.summary)]))
                }
            }
        }
        return Sheet(name: words.kpis, columns: cols, rows: rows)
    }

    // MARK: leads

    /// A row per lead of the period, made on demand from the evaluation (which is kept anyway) rather
    /// than held as 300k rows of cells; every cell is one of the evaluation's own strings.
    func leadsSheet() -> Sheet {
        // Texts that are (nearly) all different (ids, timestamps, phones) are inline strings in the .xlsx:
        // the shared-string table would hold each once anyway, at the cost of an entry, a lookup and an
        // index per cell. Repeated texts (channels, people, rule names) stay shared: measured on a million
        // leads, the whole sheet inline gives a 4% smaller file but deflates 30% more bytes, for more CPU.
        let cols = [
            Column("lead_id", width: 12, texts: .inline), Column("created_at", width: 20, texts: .inline),
            Column("channel", width: 12), Column("campaign", width: 14),
            Column("phone", width: 18, texts: .inline), Column("normalised_phone", width: 16, texts: .inline),
            Column("credited_to", width: 14), Column("credit_rule", width: 14), Column("assigned_to", width: 12),
            Column("verdict", width: 9), Column("failed_rule", width: 15), Column("duplicate_of", width: 12, texts: .inline),
            Column("sales_label", width: 10),
        ]
        let (periodLeads, leads, people, verdicts, credits) = (e.periodLeads, e.data.leads, e.data.people, e.verdicts, e.credits)
        // Each row's texts are copied as bytes into the writer's row buffer: no `Cell` or `String` per
        // cell, and the timestamp is rendered straight into it.
        let source = RowSource(count: periodLeads.count, columns: cols.count) { row, out in
            // Fields are read in place (a whole `Lead` copied per row would retain each of its strings).
            let i = periodLeads[row]
            let credit = credits[i]
            out.set(0, leads[i].id)
            leads[i].createdAt.withText { out.set(1, $0) }
            // Interned texts through their symbols (inlined table reads, not the model's property calls).
            // Repeated texts go with a key (symbol, person or case number), so each writer handles each
            // distinct text once and afterwards does not even read it.
            let channel = leads[i].channelSymbol
            out.set(2, key: channel.rawValue, channel.string)
            if let campaign = leads[i].campaignSymbol { out.set(3, key: campaign.rawValue, campaign.string) }
            out.set(4, leads[i].phone)
            verdicts.withNormalisedPhone(i) { if !$0.isEmpty { out.set(5, UnsafeRawBufferPointer($0)) } }
            switch credit {
            case .owner(let p):
                out.set(6, key: UInt32(p), people[p].id)
                out.set(7, key: 0, credit.rule)
            case .channelOwner(let p):
                out.set(6, key: UInt32(p), people[p].id)
                out.set(7, key: 1, credit.rule)
            case .assigneeTeam(let t):
                out.set(6, prefix: "team:", t)
                out.set(7, key: 2, credit.rule)
            case .unattributed:
                out.set(7, key: 3, credit.rule)
            }
            if let assigned = leads[i].assignedToSymbol { out.set(8, key: assigned.rawValue, assigned.string) }
            if verdicts.isValid(i) {
                out.set(9, key: 0, "valid")
            } else {
                out.set(9, key: 1, "invalid")
                if let rule = verdicts.failedRule(i) { out.set(10, key: Self.ruleKey(rule), rule.rawValue) }
            }
            out.set(11, verdicts.duplicateOf(i).map { leads[$0].id })
            switch leads[i].salesLabel {
            case .valid?: out.set(12, key: 0, SalesLabel.valid.rawValue)
            case .invalid?: out.set(12, key: 1, SalesLabel.invalid.rawValue)
            case nil: break
            }
        }
        return Sheet(name: words.leads, columns: cols, source: source)
    }

    /// A failed rule's number, as the key of its text in the leads sheet's rows.
    private static func ruleKey(_ rule: FailedRule) -> UInt32 {
        switch rule {
        case .missingPhone: 0
        case .malformedPhone: 1
        case .vacant: 2
        case .wrongNumber: 3
        case .poweredOff: 4
        case .noDemand: 5
        case .duplicate: 6
        }
    }

    // MARK: pay

    func payTable() -> Sheet {
        let l = Labels.table(language)
        let money = NumberFormat.money(decimals: currency.decimals)
        let cols = [
            Column(l.team, width: 16), Column(l.id, width: 12), Column(words.name, width: 14), Column(words.item, width: 24),
            Column(words.value, width: 14), Column(l.target, width: 14), Column(words.attainment, width: 11, format: .percent(decimals: 1)),
            Column(words.score, width: 9, format: .decimal(decimals: 1)), Column(words.weight, width: 8),
            Column(words.amount + " (\(currency.code))", width: 14, format: money), Column(l.rule, width: 50),
            Column(words.arithmetic, width: 60),
        ]
        var rows = PackedRows()
        var personTotalRow: [String: [Int]] = [:]
        var teamOrder: [String] = []
        let people = e.data.people
        // A person's first scorecard, by person index.
        var cardOf = [Int](repeating: -1, count: people.count)
        for (i, card) in e.people.enumerated() where cardOf[card.person] < 0 { cardOf[card.person] = i }
        var weights = FewTexts<Weight>()
        // Everyone on a scorecard shares its rules: each rule's words are made once.
        var summaries = FewTexts<ScoringRule>()
        for st in e.payroll.statements {
            // The person's texts read in place (a `Person` copied retains all of its parts).
            let p = (team: people[st.person].team, id: people[st.person].id, name: people[st.person].name)
            if personTotalRow[p.team] == nil { teamOrder.append(p.team); personTotalRow[p.team] = [] }
            if case let c = cardOf[st.person], c >= 0 {
                // Scores read in place (each copied would retain all of its parts).
                let scores = e.people[c].scores
                for k in scores.indices {
                    let unit = scores[k].plan.kpi.unit
                    rows.begin()
                    rows.text(p.team); rows.text(p.id); rows.text(p.name); rows.text(language.name(scores[k].plan.kpi))
                    put(scores[k].value.value, unit, into: &rows)
                    put(scores[k].target?.value, unit == .count ? .rate : unit, into: &rows)
                    put(scores[k].attainment, into: &rows)
                    rows.number(scores[k].score, places: Self.cachedPlaces, format: .decimal(decimals: 1))
                    rows.number(weights.text(Weight(value: scores[k].appliedWeight), \.text), format: .general)
                    rows.empty()
                    rows.text(summaries.text(scores[k].plan.scoring, \.summary)); rows.text(scores[k].explanation)
                    rows.end()
                }
            }
            var lineRows: [Int] = []
            for line in st.lines {
                lineRows.append(rows.count + 2)
                rows.begin()
                rows.text(p.team); rows.text(p.id); rows.text(p.name); rows.text(line.name)
                for _ in 0..<5 { rows.empty() }
                rows.number(currency.format(line.amount), format: money)
                rows.text(line.rule); rows.text(line.arithmetic)
                rows.end()
            }
            let r = rows.count + 2
            personTotalRow[p.team]!.append(r)
            let sum = lineRows.isEmpty ? "0" : "SUM(\(ref(10, lineRows.first!)):\(ref(10, lineRows.last!)))"
            rows.begin(.subtotal)
            rows.text(p.team); rows.text(p.id); rows.text(p.name); rows.text(words.payTotal)
            for _ in 0..<5 { rows.empty() }
            rows.formula(sum, cached: currency.format(st.total), format: money)
            rows.empty(); rows.empty()
            rows.end()
        }
        var teamRows: [Int] = []
        for (team, amount) in e.payroll.teamTotals {
            let refs = (personTotalRow[team] ?? []).map { Self.ref(10, $0) }
            teamRows.append(rows.count + 2)
            rows.append(Row([
                text(team), text("team:" + team), .empty, text(words.teamPay), .empty, .empty, .empty, .empty, .empty,
                refs.isEmpty ? .number(currency.format(amount), format: money)
                    : .formula(sumFormula(refs), cached: currency.format(amount), format: money),
                .empty, .empty,
            ], style: .subtotal))
        }
        if !e.payroll.statements.isEmpty {
            let refs = teamRows.map { Self.ref(10, $0) }
            rows.append(Row([
                .empty, text("total"), .empty, text(words.allTeams), .empty, .empty, .empty, .empty, .empty,
                .formula(sumFormula(refs), cached: currency.format(e.payroll.grandTotal), format: money), .empty, .empty,
            ], style: .total))
        }
        return Sheet(name: words.pay, columns: cols, packed: rows)
    }
}
