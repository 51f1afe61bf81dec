import BatonCore
import Dispatch
import Foundation

/// One output file: its name inside the output folder and its bytes.
public struct OutputFile: Sendable {
    public let name: String
    public let bytes: [UInt8]
    public init(name: String, bytes: [UInt8]) { self.name = name; self.bytes = bytes }
}

/// The result files of an evaluation: `scorecards.json` (everything), `kpis.csv` (long form, one figure a
/// row), `leads.csv` (each lead of the period with its verdict) and the pay files. Same evaluation, same
/// bytes.
///
/// Each file is written as it is produced, straight into a sink (a file in the staged output folder, or
/// memory for `render` and `baton verify`), so no file has to be whole in memory; there is one code path
/// for both.
public enum ResultFiles {
    /// The files, in the order they are written and named in the summary.
    public enum File: Int, CaseIterable, Sendable {
        case scorecards, kpis, leads, payroll, pay, commissionDeals

        public var name: String {
            switch self {
            case .scorecards: return "scorecards.json"
            case .kpis: return "kpis.csv"
            case .leads: return "leads.csv"
            case .payroll: return "payroll.csv"
            case .pay: return "pay.csv"
            case .commissionDeals: return PreviousResults.file
            }
        }
    }

    /// Every file in memory (for `verify` and tests).
    public static func render(_ e: Evaluation) -> [OutputFile] {
        File.allCases.map { f in
            let sink = MemorySink()
            write(f, e, into: sink)
            return OutputFile(name: f.name, bytes: sink.bytes)
        }
    }

    /// The result files written from one thread: scorecards.json, which is most of the work, and the CSV
    /// files with the previous results, which are a few. A caller that runs its own jobs side by side runs
    /// these two as two of them (see `write(_:_:into:)`).
    public static let groups: [[File]] = [[.scorecards], [.kpis, .leads, .payroll, .pay, .commissionDeals]]

    /// Writes `files` into the staged output folder, one after another. Returns the bytes written.
    public static func write(_ files: [File], _ e: Evaluation, into staging: OutputFolder.Staging) throws -> Int {
        var total = 0
        for f in files { total += write(f, e, into: try staging.file(f.name)) }
        return total
    }

    /// Writes every file into the staged output folder. Returns the bytes written.
    ///
    /// scorecards.json is most of the work; the CSV files are written meanwhile on another thread (each
    /// file by one writer, so the bytes are the same either way). Called from inside another
    /// `concurrentPerform` (as `baton evaluate` renders its outputs side by side), libdispatch runs this
    /// nested loop on the calling thread alone when the outer one already fills the cores.
    public static func write(_ e: Evaluation, into staging: OutputFolder.Staging) throws -> Int {
        let outcomes = Outcomes(count: groups.count)
        DispatchQueue.concurrentPerform(iterations: groups.count) { g in
            outcomes.set(g, Result { try write(groups[g], e, into: staging) })
        }
        return try outcomes.all().reduce(0) { try $0 + $1.get() }
    }

    /// The groups' outcomes, each set once from its thread.
    private final class Outcomes: @unchecked Sendable {
        private let lock = NSLock()
        private var slots: [Result<Int, Error>?]
        init(count: Int) { slots = Array(repeating: nil, count: count) }
        func set(_ i: Int, _ r: Result<Int, Error>) { lock.lock(); slots[i] = r; lock.unlock() }
        func all() -> [Result<Int, Error>] { lock.lock(); defer { lock.unlock() }; return slots.map { $0! } }
    }

    /// Writes one file into `sink`. Returns the bytes written.
    @discardableResult
    public static func write(_ file: File, _ e: Evaluation, into sink: ByteSink) -> Int {
        switch file {
        case .scorecards: return writeScorecards(e, into: sink)
        case .kpis: return writeKPIs(e, into: sink)
        case .leads: return writeLeads(e, into: sink)
        case .payroll: return writePayroll(e, into: sink)
        case .pay: return writePay(e, into: sink)
        case .commissionDeals: return writeCommissionDeals(e, into: sink)
        }
    }

    static func bytes(_ file: File, _ e: Evaluation) -> [UInt8] {
        let sink = MemorySink()
        write(file, e, into: sink)
        return sink.bytes
    }

    // MARK: pay

    /// `person_id,name,team,amount,currency`: one row per person with any pay line, in people.csv order.
    public static func payrollCSV(_ e: Evaluation) -> [UInt8] { bytes(.payroll, e) }

    static func writePayroll(_ e: Evaluation, into sink: ByteSink) -> Int {
        var w = CSVStream(sink, neutralizeFormulas: true)
        w.row(["person_id", "name", "team", "amount", "currency"])
        let c = e.plan.currency
        for s in e.payroll.statements {
            let p = e.data.people[s.person]
            w.field(p.id)
            w.field(p.name)
            w.field(p.team)
            w.numberField { ExactText.money(s.total, c, into: &$0) }
            w.field(c.code)
            w.endRow()
        }
        return w.finish()
    }

    /// `person_id,line,amount,rule,arithmetic`: every pay line with the rule and numbers behind it.
    public static func payCSV(_ e: Evaluation) -> [UInt8] { bytes(.pay, e) }

    static func writePay(_ e: Evaluation, into sink: ByteSink) -> Int {
        var w = CSVStream(sink, neutralizeFormulas: true)
        w.row(["person_id", "line", "amount", "rule", "arithmetic"])
        let c = e.plan.currency
        for s in e.payroll.statements {
            let id = e.data.people[s.person].id
            for l in s.lines {
                w.field(id)
                w.field(l.name)
                w.numberField { ExactText.money(l.amount, c, into: &$0) }
                w.field(l.rule)
                w.field(l.arithmetic)
                w.endRow()
            }
        }
        return w.finish()
    }

    /// `deal_id,person_id,commission,share`: each deal's share of the commission paid this period, which a
    /// later period claws back if the deal is cancelled (`--previous`).
    public static func commissionDealsCSV(_ e: Evaluation) -> [UInt8] { bytes(.commissionDeals, e) }

    static func writeCommissionDeals(_ e: Evaluation, into sink: ByteSink) -> Int {
        var w = CSVStream(sink, neutralizeFormulas: true)
        w.row(["deal_id", "person_id", "commission", "share"])
        let c = e.plan.currency
        for s in e.payroll.commissionShares {
            w.field(e.data.deals[s.deal].id)
            w.field(e.data.people[s.person].id)
            w.field(s.commission)
            w.numberField { ExactText.money(s.share, c, into: &$0) }
            w.endRow()
        }
        return w.finish()
    }

    // MARK: kpis.csv

    /// `person_id,side,kpi,value`: each evaluated person's figures, then each team's (`team:NAME`).
    public static func kpisCSV(_ e: Evaluation) -> [UInt8] { bytes(.kpis, e) }

    static func writeKPIs(_ e: Evaluation, into sink: ByteSink) -> Int {
        var w = CSVStream(sink, neutralizeFormulas: true)
        w.row(["person_id", "side", "kpi", "value"])
        let currency = e.plan.currency
        func figure(_ f: UnsafePointer<KPIValue>, _ side: Side, _ w: inout CSVStream) {
            w.field(side.rawValue)
            w.field(f.pointee.kpi.name)
            if let x = f.pointee.value {
                w.numberField { ExactText.number(x, unit: f.pointee.kpi.unit, currency: currency, into: &$0) }
            } else {
                w.field("")
            }
            w.endRow()
        }
        for side in Side.allCases {
            e.people.eachInPlace { card in
                guard card.pointee.side == side else { return }
                let id = e.data.people[card.pointee.person].id
                card.pointee.figures.eachInPlace { f in
                    w.field(id)
                    figure(f, side, &w)
                }
            }
            for team in e.teams(side) {
                let id = "team:" + team.team
                team.figures.eachInPlace { f in
                    w.field(id)
                    figure(f, side, &w)
                }
            }
        }
        return w.finish()
    }

    // MARK: leads.csv

    public static let leadColumns = [
        "lead_id", "created_at", "channel", "campaign", "phone", "normalised_phone", "credited_to", "credit_rule",
        "assigned_to", "verdict", "failed_rule", "duplicate_of", "sales_label", "label_dispute",
    ]

    /// Each lead created in the period, in file order, with its verdict and the evidence for it.
    public static func leadsCSV(_ e: Evaluation) -> [UInt8] { bytes(.leads, e) }

    static func writeLeads(_ e: Evaluation, into sink: ByteSink) -> Int {
        var w = CSVStream(sink, neutralizeFormulas: true)
        w.row(leadColumns)
        let people = e.data.people
        // Fields are read in place through a pointer to the lead: copying a whole `Lead` (or calling one of
        // its computed properties, which copies it first) would retain all its strings. The interned texts
        // (channel, campaign, assignee) are read through their symbols, and the timestamp's text is written
        // from its bytes, without a String per lead.
        var symbols = EncodedSymbols(neutralizeFormulas: true)
        e.data.leads.withUnsafeBufferPointer { leads in
        let verdicts = e.verdicts
        let credits = e.credits
        do {
            for i in e.periodLeads {
                precondition(i >= 0 && i < leads.count && i < verdicts.count && i < credits.count, "lead index out of range")
                let lead = leads.baseAddress! + i
                w.field(lead.pointee.id)
                lead.pointee.createdAt.withText { w.field($0) }
                symbols.write(lead.pointee.channelSymbol, &w)
                symbols.write(lead.pointee.campaignSymbol ?? .empty, &w)
                w.field(lead.pointee.phone)
                verdicts.withNormalisedPhone(i) { w.field($0) }
                switch credits[i] {
                case .owner(let p), .channelOwner(let p): w.field(people[p].id)
                case .assigneeTeam(let t): w.field("team:" + t)
                case .unattributed: w.field("")
                }
                w.field(credits[i].rule)
                symbols.write(lead.pointee.assignedToSymbol ?? .empty, &w)
                let valid = verdicts.isValid(i)
                w.field(valid ? "valid" : "invalid")
                w.field(verdicts.failedRule(i)?.rawValue)
                if let d = verdicts.duplicateOf(i) {
                    precondition(d >= 0 && d < leads.count, "lead index out of range")
                    w.field(leads[d].id)
                } else {
                    w.field("")
                }
                let label = lead.pointee.salesLabel
                w.field(label?.rawValue)
                if let label, (label == .valid) != valid {
                    w.field(label == .invalid ? "labelled invalid, valid by the rules" : "labelled valid, invalid by the rules")
                } else {
                    w.field("")
                }
                w.endRow()
            }
        }
        }
        return w.finish()
    }

    /// Interned texts (a lead's channel, campaign and assignee: a few distinct texts over a million
    /// rows) as CSV fields: each encoded once, by the same encoder as any field, and then copied, without
    /// touching the shared strings. A small direct-mapped table by symbol; a symbol that finds its slot
    /// taken by another is encoded again into it.
    struct EncodedSymbols {
        private static let slots = 1 << 14
        let neutralizeFormulas: Bool
        /// Per slot: the symbol whose field it holds (`UInt32.max`: none), and where its bytes are.
        private var owner = [UInt32](repeating: .max, count: slots)
        private var start = [Int](repeating: 0, count: slots)
        private var length = [Int](repeating: 0, count: slots)
        private var bytes: [UInt8] = []

        init(neutralizeFormulas: Bool) { self.neutralizeFormulas = neutralizeFormulas }

        /// The symbol's text as the next field of `w`'s record (never its first field).
        @inline(__always)
        mutating func write(_ symbol: Symbol, _ w: inout CSVStream) {
            let slot = Int(symbol.rawValue) & (Self.slots - 1)
            if owner[slot] != symbol.rawValue { encode(symbol, slot) }
            let from = start[slot], n = length[slot]
            // Not a number, but the same: a field already encoded, written after the comma as it is.
            w.numberField { out in bytes.withUnsafeBufferPointer { out.bytes(UnsafeBufferPointer(rebasing: $0[from ..< from + n])) } }
        }

        @inline(never)
        private mutating func encode(_ symbol: Symbol, _ slot: Int) {
            if bytes.count > 1 << 18 {
                // Many distinct texts: start over rather than grow.
                bytes.removeAll(keepingCapacity: true)
                for k in owner.indices { owner[k] = .max }
            }
            var text = symbol.string
            let from = bytes.count
            text.withUTF8 { utf8 in
                let room = 2 * utf8.count + 4
                bytes.append(contentsOf: repeatElement(0, count: room))
                let n = bytes.withUnsafeMutableBufferPointer { buffer in
                    let at = buffer.baseAddress! + from
                    return CSVWriter.encode(utf8, neutralizeFormulas: neutralizeFormulas, to: at) - at
                }
                bytes.removeLast(room - n)
            }
            owner[slot] = symbol.rawValue
            start[slot] = from
            length[slot] = bytes.count - from
        }
    }

    // MARK: scorecards.json

    /// What the JSON writer needs at hand besides the evaluation: row ids escaped once, row line numbers
    /// in compact tables, and the scoring rules' summaries (the same few rules on every scorecard).
    final class JSONContext {
        let e: Evaluation
        let currency: Currency
        let leadIDs: RowTexts
        let dealIDs: RowTexts
        let spendLines: RowTexts
        let followupLines: RowTexts
        private var summaries: [(rule: ScoringRule, text: String)] = []

        init(_ e: Evaluation) {
            self.e = e
            currency = e.plan.currency
            let data = e.data
            leadIDs = .ids(count: data.leads.count) { data.leads[$0].id }
            dealIDs = .ids(count: data.deals.count) { data.deals[$0].id }
            spendLines = .lines(count: data.spend.count) { data.spend[$0].source.line }
            followupLines = .lines(count: data.followups.count) { data.followups[$0].source.line }
            // Rendered in file order before writing: the rows the period's leads and the totals list (the
            // totals list every row the people's figures list), marked first so that rows no figure lists
            // (earlier months' leads and follow-ups, when the file is not in date order) are not rendered.
            var leads = RowMarks(count: data.leads.count), deals = RowMarks(count: data.deals.count)
            var spend = RowMarks(count: data.spend.count), followups = RowMarks(count: data.followups.count)
            for i in e.periodLeads { leads.mark(i) }
            for side in Side.allCases {
                for v in e.totals[side] ?? [] {
                    for r in [v.numeratorRows, v.denominatorRows] {
                        leads.mark(r.leads); deals.mark(r.deals); spend.mark(r.spend); followups.mark(r.followups)
                    }
                }
            }
            leadIDs.prefill(leads)
            dealIDs.prefill(deals)
            spendLines.prefill(spend)
            followupLines.prefill(followups)
        }

        /// `rule.summary`, worked out once per distinct rule.
        func summary(_ rule: ScoringRule) -> String {
            if let hit = summaries.first(where: { $0.rule == rule }) { return hit.text }
            let text = rule.summary
            summaries.append((rule, text))
            return text
        }
    }

    static func writeScorecards(_ e: Evaluation, into sink: ByteSink) -> Int {
        let c = JSONContext(e)
        let people = e.data.people
        var w = JSONWriter(sink)
        w.beginObject()
        w.key("format"); w.int(1)
        w.key("period"); w.beginObject()
        w.key("label"); w.string(e.period.description)
        w.key("first"); w.string(e.period.first.description)
        w.key("last"); w.string(e.period.last.description)
        w.endObject()
        w.key("plan"); plan(e.plan, &w)

        // Leads of the period by verdict, in one pass.
        let rules = FailedRule.allCases
        var failed = [Int](repeating: 0, count: rules.count)
        var valid = 0
        for i in e.periodLeads {
            if let rule = e.verdicts.failedRule(i) {
                if let k = rules.firstIndex(of: rule) { failed[k] += 1 }
            } else {
                valid += 1
            }
        }
        w.key("leads"); w.beginObject()
        w.key("in_period"); w.int(e.periodLeads.count)
        w.key("valid"); w.int(valid)
        w.key("invalid_by_rule"); w.beginObject()
        for (k, rule) in rules.enumerated() { w.dataKey(rule.rawValue); w.int(failed[k]) }
        w.endObject()
        w.endObject()

        for side in Side.allCases {
            w.dataKey(side.rawValue); w.beginObject()
            w.key("people"); w.beginArray()
            // In place, the side's scorecards in order: `e.scorecards(side)` would copy every one.
            e.people.eachInPlace { card in
                guard card.pointee.side == side else { return }
                let p = people[card.pointee.person]
                w.item(); w.beginObject()
                w.key("person_id"); w.string(p.id)
                w.key("name"); w.string(p.name)
                w.key("role"); w.string(p.role)
                w.key("team"); w.string(p.team)
                w.key("figures"); figures(card.pointee.figures, c, &w)
                w.key("scored_on_team"); w.string(card.pointee.scoredOnTeam)
                w.key("scores"); w.beginArray()
                card.pointee.scores.eachInPlace { s in w.item(); score(s, c, &w) }
                w.endArray()
                w.key("weighted_total"); w.quoted { ExactText.exact(card.pointee.weightedTotal, into: &$0) }
                w.key("weighted_total_rounded")
                w.quoted { ExactText.decimal(card.pointee.weightedTotal, places: Printing.places, into: &$0) }
                w.endObject()
            }
            w.endArray()
            w.key("teams"); w.beginArray()
            for t in e.teams(side) {
                w.item(); w.beginObject()
                w.key("team"); w.string(t.team)
                w.key("members"); w.strings(t.members) { people[$0].id }
                if side == .marketing {
                    w.key("own_leads"); w.int(t.ownLeads)
                    w.key("own_spend"); w.quoted { ExactText.money(t.ownSpend, c.currency, into: &$0) }
                }
                w.key("figures"); figures(t.figures, c, &w)
                w.endObject()
            }
            w.endArray()
            w.key("total"); figures(e.totals[side] ?? [], c, &w)
            w.endObject()
        }

        w.key("pay"); pay(c, &w)
        w.key("label_disputes"); w.beginArray()
        for d in e.labelDisputes {
            w.item(); w.beginObject()
            w.key("lead_id"); w.string(e.data.leads[d.lead].id)
            w.key("assigned_to"); w.string(d.salesPerson.map { people[$0].id })
            w.key("sales_label"); w.string(d.label.rawValue)
            w.key("verdict"); w.string(d.failedRule == nil ? "valid" : "invalid")
            w.key("failed_rule"); w.string(d.failedRule?.rawValue)
            w.endObject()
        }
        w.endArray()
        w.key("unattributed_leads"); w.rows(e.unattributedLeads, c.leadIDs)
        w.key("unowned_spend"); w.beginObject()
        w.key("amount"); w.quoted { ExactText.money(e.unownedSpendTotal, c.currency, into: &$0) }
        w.key("spend_lines"); w.rows(e.unownedSpend, c.spendLines)
        w.endObject()
        w.key("not_evaluated"); w.beginArray()
        for i in e.notEvaluated {
            w.item(); w.beginObject()
            w.key("person_id"); w.string(people[i].id)
            w.key("role"); w.string(people[i].role)
            w.key("team"); w.string(people[i].team)
            w.endObject()
        }
        w.endArray()
        w.key("warnings"); w.strings(e.warnings) { $0.message }
        w.endObject()
        return w.finish()
    }

    static func pay(_ c: JSONContext, _ w: inout JSONWriter) {
        let e = c.e
        let currency = c.currency
        let people = e.data.people
        w.beginObject()
        w.key("people"); w.beginArray()
        for s in e.payroll.statements {
            let p = people[s.person]
            w.item(); w.beginObject()
            w.key("person_id"); w.string(p.id)
            w.key("name"); w.string(p.name)
            w.key("team"); w.string(p.team)
            w.key("total"); w.quoted { ExactText.money(s.total, currency, into: &$0) }
            w.key("lines"); w.beginArray()
            for l in s.lines {
                w.item(); w.beginObject()
                w.key("line"); w.string(l.name)
                w.key("amount"); w.quoted { ExactText.money(l.amount, currency, into: &$0) }
                w.key("exact"); w.quoted { ExactText.fraction(l.exact, into: &$0) }
                w.key("rule"); w.string(l.rule)
                w.key("arithmetic"); w.string(l.arithmetic)
                w.endObject()
            }
            w.endArray()
            w.endObject()
        }
        w.endArray()
        w.key("teams"); w.beginArray()
        for t in e.payroll.teamTotals {
            w.item(); w.beginObject()
            w.key("team"); w.string(t.team)
            w.key("total"); w.quoted { ExactText.money(t.amount, currency, into: &$0) }
            w.endObject()
        }
        w.endArray()
        w.key("grand_total"); w.quoted { ExactText.money(e.payroll.grandTotal, currency, into: &$0) }
        w.key("rounding"); w.string(e.plan.rounding.rawValue)
        w.endObject()
    }

    static func plan(_ p: Plan, _ w: inout JSONWriter) {
        w.beginObject()
        w.key("plan"); w.string(p.label)
        w.key("currency"); w.string(p.currency.code)
        w.key("currency_decimals"); w.int(p.currency.decimals)
        w.key("validity"); w.beginObject()
        w.key("phone_pattern"); w.string(p.validity.phonePattern)
        w.key("dedupe_days"); w.int(p.validity.dedupeDays)
        w.key("rules_in_order"); w.strings(FailedRule.allCases) { $0.rawValue }
        w.endObject()
        w.key("scorecards"); w.beginArray()
        for card in p.scorecards {
            w.item(); w.beginObject()
            w.key("role"); w.string(card.role)
            w.key("side"); w.string(card.side.rawValue)
            w.key("no_data"); w.string(card.noData.rawValue)
            w.key("kpis"); w.beginArray()
            for k in card.kpis {
                w.item(); w.beginObject()
                w.key("kpi"); w.string(k.kpi.name)
                w.key("weight"); w.quoted { ExactText.exact(k.weight, into: &$0) }
                w.key("direction"); w.string(k.direction.rawValue)
                w.key("target"); w.string(k.target.description)
                w.key("scoring"); w.string(k.scoring.summary)
                w.endObject()
            }
            w.endArray()
            w.endObject()
        }
        w.endArray()
        w.endObject()
    }

    /// A scorecard's figures by KPI name.
    static func figures(_ values: [KPIValue], _ c: JSONContext, _ w: inout JSONWriter) {
        w.beginObject()
        values.eachInPlace { v in
            w.dataKey(v.pointee.kpi.name)
            figure(v, c, &w)
        }
        w.endObject()
    }

    /// A figure: its value, the fraction when the printed value is rounded, numerator and denominator,
    /// and the rows behind each.
    static func figure(_ v: UnsafePointer<KPIValue>, _ c: JSONContext, _ w: inout JSONWriter) {
        w.beginObject()
        w.key("value")
        if let x = v.pointee.value {
            w.quoted { ExactText.number(x, unit: v.pointee.kpi.unit, currency: c.currency, into: &$0) }
            if !ExactText.printsExactly(x) {
                // Not a finite decimal within the printed places: give the fraction too.
                w.key("exact"); w.quoted { ExactText.fraction(x, into: &$0) }
            }
        } else {
            w.null()
        }
        w.key("numerator"); w.quoted { ExactText.exact(v.pointee.numerator, into: &$0) }
        if let d = v.pointee.denominator { w.key("denominator"); w.quoted { ExactText.exact(d, into: &$0) } }
        // The row lists are read where they lie: passed by value, each of their lists was retained and released.
        w.key("rows"); rows(v.pointer(to: \.numeratorRows)!, c, &w)
        if !v.pointee.denominatorRows.isEmpty && v.pointee.denominatorRows != v.pointee.numeratorRows {
            w.key("denominator_rows"); rows(v.pointer(to: \.denominatorRows)!, c, &w)
        }
        if let n = v.pointee.note { w.key("note"); w.string(n) }
        w.endObject()
    }

    /// The rows behind a figure: lead and deal ids, spend.csv and followups.csv line numbers.
    static func rows(_ r: UnsafePointer<RowRefs>, _ c: JSONContext, _ w: inout JSONWriter) {
        w.beginObject()
        if !r.pointee.leads.isEmpty { w.key("leads"); w.rows(r.pointee.leads, c.leadIDs) }
        if !r.pointee.deals.isEmpty { w.key("deals"); w.rows(r.pointee.deals, c.dealIDs) }
        if !r.pointee.spend.isEmpty { w.key("spend_lines"); w.rows(r.pointee.spend, c.spendLines) }
        if !r.pointee.followups.isEmpty { w.key("followup_lines"); w.rows(r.pointee.followups, c.followupLines) }
        w.endObject()
    }

    /// `origin.description`; the history average written directly, as it prints each period's value.
    static func origin(_ origin: TargetOrigin, _ w: inout JSONWriter) {
        guard case .history(let points) = origin else { return w.string(origin.description) }
        w.out.byte(34)
        w.out.bytes("the average of ")
        for (k, point) in points.enumerated() {
            if k > 0 { w.out.bytes(", ") }
            w.text(point.period.description)
            w.out.bytes(" (")
            ExactText.short(point.value, into: &w.out)
            w.out.bytes(")")
        }
        w.out.byte(34)
    }

    static func score(_ s: UnsafePointer<KPIScore>, _ c: JSONContext, _ w: inout JSONWriter) {
        w.beginObject()
        w.key("kpi"); w.string(s.pointee.plan.kpi.name)
        w.key("value")
        if let x = s.pointee.value.value {
            w.quoted { ExactText.number(x, unit: s.pointee.value.kpi.unit, currency: c.currency, into: &$0) }
        } else {
            w.null()
        }
        w.key("target")
        if let t = s.pointee.target {
            w.beginObject()
            w.key("value"); w.quoted { ExactText.exact(t.value, into: &$0) }
            w.key("from"); origin(t.origin, &w)
            w.endObject()
        } else {
            w.null()
        }
        w.key("attainment")
        switch s.pointee.attainment {
        case .ratio(let a)?: w.quoted { ExactText.decimal(a, places: Printing.places, into: &$0) }
        case .unbounded?: w.string("unbounded")
        case nil: w.null()
        }
        w.key("score")
        if let x = s.pointee.score { w.quoted { ExactText.decimal(x, places: Printing.places, into: &$0) } } else { w.null() }
        w.key("weight"); w.quoted { ExactText.exact(s.pointee.appliedWeight, into: &$0) }
        w.key("points"); w.quoted { ExactText.decimal(s.pointee.points, places: Printing.places, into: &$0) }
        w.key("rule"); w.string(c.summary(s.pointee.plan.scoring))
        w.key("explanation"); w.string(s.pointee.explanation)
        w.endObject()
    }
}

extension Array {
    /// Calls `body` with each element where it lies: `for x in array` copies each element, retaining
    /// every reference it holds (a figure has a dozen), which shows at millions of figures and rows.
    @inline(__always)
    func eachInPlace(_ body: (UnsafePointer<Element>) throws -> Void) rethrows {
        try withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            for i in buffer.indices { try body(base + i) }
        }
    }
}
