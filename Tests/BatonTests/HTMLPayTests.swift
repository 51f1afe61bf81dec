import BatonCore
import BatonIO
import BatonRender
import Foundation
import Testing

/// The pay statement and payroll on the boss's page: the pay fixtures rendered through the shipped
/// templates, checked against the amounts their READMEs work out by hand.
@Suite("The HTML page's pay statements and payroll")
struct HTMLPayTests {
    /// A fixture evaluated as its fixture.yaml says (period, previous result folders).
    static func evaluate(_ name: String) throws -> Evaluation {
        let folder = CLI.fixture(name)
        let manifest = try String(contentsOf: folder.appendingPathComponent("fixture.yaml"), encoding: .utf8)
        var period = "2026-10"
        var previous: [URL] = []
        for line in manifest.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.first == "period" { period = parts[1] }
            if parts.first == "previous" { previous.append(folder.appendingPathComponent(parts[1])) }
        }
        return try EvaluationRun.evaluate(dataFolder: folder, period: try EvaluationRun.period(period), plan: nil, previous: previous)
    }

    static func readme(_ name: String) throws -> String {
        try String(contentsOf: CLI.fixture(name).appendingPathComponent("README.md"), encoding: .utf8)
    }

    /// A README amount (`11250.00`, `-250.50`) as the page writes it in a table whose header names the
    /// currency: thousands separators, no code. Written out here, not borrowed from the renderer.
    static func shown(_ amount: String) -> String {
        var digits = amount
        var sign = ""
        if digits.hasPrefix("-") { sign = "-"; digits.removeFirst() }
        let dot = digits.firstIndex(of: ".") ?? digits.endIndex
        let whole = Array(digits[..<dot])
        var out = ""
        for (i, c) in whole.enumerated() {
            if i > 0 && (whole.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return sign + out + String(digits[dot...])
    }

    /// The HTML of the section with this anchor, up to its `</article>`.
    static func article(_ page: String, anchor: String) throws -> String {
        let start = try #require(page.range(of: "id=\"\(anchor)\""))
        let end = try #require(page.range(of: "</article>", range: start.upperBound..<page.endIndex))
        return String(page[start.lowerBound..<end.upperBound])
    }

    /// The section of a person with a scorecard, or their "Other pay" section.
    static func statement(_ page: String, _ view: ScorecardView, person id: String) throws -> String {
        if let p = view.people.first(where: { $0.personID == id }) { return try article(page, anchor: p.anchor) }
        let other = try #require(view.otherPay.first { $0.personID == id }, "\(id) has a section")
        return try article(page, anchor: other.anchor)
    }

    /// The payroll section of the page.
    static func payroll(_ page: String) throws -> String {
        let start = try #require(page.range(of: "<section class=\"payroll\""))
        let end = try #require(page.range(of: "</section>", range: start.upperBound..<page.endIndex))
        return String(page[start.lowerBound..<end.upperBound])
    }

    /// Every `## Expected pay` line of the README is in its person's statement, named as pay.csv names
    /// it and with its amount beside it; every `## Expected payroll` amount is the statement's total and
    /// the payroll's row.
    static func checkExpected(_ name: String) throws {
        let e = try evaluate(name)
        let view = ScorecardView.make(e, language: .en)
        let page = try HTMLReportTests.page(e, .en)
        let readme = try readme(name)
        let lines = try PayFixtureTests.table(readme, "Expected pay")
        try #require(!lines.isEmpty)
        for row in lines {
            let (id, line, amount) = (row[0], row[1], row[2])
            let section = try statement(page, view, person: id)
            #expect(section.contains("<bdi>\(line)</bdi></span></th><td class=\"amount\">\(shown(amount))</td>")
                    || section.contains("<bdi>\(line)</bdi></span></th><td class=\"amount\">\(shown(amount))<span"),
                    "\(name): \(id) \(line) \(shown(amount))")
        }
        let payroll = try Self.payroll(page)
        for row in try PayFixtureTests.table(readme, "Expected payroll") {
            let (id, amount) = (row[0], row[1])
            let section = try statement(page, view, person: id)
            #expect(section.contains("<th scope=\"row\">Total pay</th><td class=\"amount\">\(shown(amount))</td>"), "\(name): \(id) total")
            #expect(section.contains("<strong>\(shown(amount)) CNY</strong>"), "\(name): \(id) total in the header")
            #expect(payroll.contains("ID <bdi>\(id)</bdi> · <bdi>\(e.data.people.first { $0.id == id }!.role)</bdi></span></th><td class=\"amount\">\(shown(amount))</td>"),
                    "\(name): \(id) on the payroll with \(shown(amount))")
        }
    }

    @Test("pay-03: each commission line's amount is in the statement, beside its rule and arithmetic")
    func accelerator() throws {
        try Self.checkExpected("pay-03-accelerator")
        let e = try Self.evaluate("pay-03-accelerator")
        let view = ScorecardView.make(e, language: .en)
        let page = try HTMLReportTests.page(e, .en)
        let s2 = try Self.statement(page, view, person: "S2")
        #expect(s2.contains("<span class=\"line-kind\">Commission</span> · <bdi>sales</bdi>"))
        #expect(s2.contains("<td class=\"amount\">11,250.00</td>"))
        // The rule and the arithmetic, as the core wrote them for pay.csv.
        let line = try #require(e.payroll.statement(for: 1)?.lines.first)
        #expect(line.arithmetic.contains("above 100% of target"))
        #expect(s2.contains("<bdi lang=\"en\">\(line.rule)</bdi>"))
        #expect(s2.contains("<bdi lang=\"en\">\(line.arithmetic)</bdi>"))
        #expect(s2.contains("<strong>24,750.00 CNY</strong>"))
        // The scored KPIs come first, then the pay lines.
        let kpis = try #require(s2.range(of: "<table class=\"scored\">"))
        let pay = try #require(s2.range(of: "<table class=\"pay\">"))
        #expect(kpis.lowerBound < pay.lowerBound)

        let payroll = try Self.payroll(page)
        #expect(payroll.contains("<tr><th scope=\"row\"><bdi>Store A</bdi></th><td>3</td><td class=\"amount\">50,350.00</td></tr>"))
        #expect(payroll.contains("<th scope=\"row\">Team total</th><td class=\"amount\">50,350.00</td>"))
        #expect(payroll.contains("<th scope=\"row\">Grand total</th><td>3</td><td class=\"amount\">50,350.00</td>"))
        #expect(payroll.contains("<strong>50,350.00 CNY</strong>"))
        #expect(payroll.contains("Each pay line is rounded once, to 0.01 CNY, half away from zero (plan rounding: half_away_from_zero)."))
        #expect(payroll.contains("every total reconciles exactly with the lines under it"))
    }

    @Test("pay-11: the manager's statement says the scores are the team's; each team's total and the grand total")
    func manager() throws {
        try Self.checkExpected("pay-11-manager")
        let e = try Self.evaluate("pay-11-manager")
        let view = ScorecardView.make(e, language: .en)
        let page = try HTMLReportTests.page(e, .en)
        let sm1 = try Self.statement(page, view, person: "SM1")
        #expect(sm1.contains("<p class=\"note team-scored\">Scores are the team&#39;s: the values, attainments and scores below are those of team <bdi>Store A</bdi>, its members&#39; figures summed"))
        #expect(sm1.contains("<span class=\"line-kind\">Bonus</span></span><span class=\"aside code\"><bdi>bonus</bdi></span></th><td class=\"amount\">21,600.00</td>"))
        #expect(sm1.contains("<strong>23,280.00 CNY</strong>"))
        #expect(view.people.first { $0.personID == "SM1" }?.scoredOnTeam == "Store A")
        for id in ["S1", "S2", "S3"] {
            #expect(!(try Self.statement(page, view, person: id)).contains("team-scored"), "\(id) is scored on their own figures")
        }
        let payroll = try Self.payroll(page)
        #expect(payroll.contains("<tr><th scope=\"row\"><bdi>Store A</bdi></th><td>3</td><td class=\"amount\">50,805.00</td></tr>"))
        #expect(payroll.contains("<tr><th scope=\"row\"><bdi>Store B</bdi></th><td>1</td><td class=\"amount\">18,500.00</td></tr>"))
        #expect(payroll.contains("<caption><bdi>Store B</bdi></caption>"))
        #expect(payroll.contains("Team total</th><td class=\"amount\">18,500.00</td>"))
        #expect(payroll.contains("Grand total</th><td>4</td><td class=\"amount\">69,305.00</td>"))
        #expect(payroll.contains("<strong>69,305.00 CNY</strong> <span class=\"headcount\">4 people paid</span>"))
        // Store A before Store B, as people.csv first names them.
        let a = try #require(payroll.range(of: "<bdi>Store A</bdi>")), b = try #require(payroll.range(of: "<bdi>Store B</bdi>"))
        #expect(a.lowerBound < b.lowerBound)

        let zh = try HTMLReportTests.page(e, .zhHans)
        let zhView = ScorecardView.make(e, language: .zhHans)
        let sm1zh = try Self.statement(zh, zhView, person: "SM1")
        #expect(sm1zh.contains("得分按团队计算：下表的实际值、达成率与得分均为团队 <bdi>Store A</bdi>的合计"))
        #expect(sm1zh.contains("<span class=\"line-kind\">奖金</span>"))
        #expect(sm1zh.contains("<span class=\"line-kind\">提成</span> · <bdi>override</bdi>"))
        #expect(zh.contains("<th scope=\"row\">总计</th><td>4</td><td class=\"amount\">69,305.00</td>"))
    }

    @Test("pay-09: adjustments, a negative one marked, and a receptionist paid without a scorecard")
    func adjustments() throws {
        try Self.checkExpected("pay-09-adjustment")
        let e = try Self.evaluate("pay-09-adjustment")
        let view = ScorecardView.make(e, language: .en)
        let page = try HTMLReportTests.page(e, .en)
        let s2 = try Self.statement(page, view, person: "S2")
        #expect(s2.contains("<tr class=\"pay-line adjustment negative\"><th scope=\"row\"><span class=\"line-name\"><span class=\"line-kind\">Adjustment</span></span><span class=\"aside code\"><bdi>adjustment</bdi></span></th><td class=\"amount\">-250.50</td>"))
        #expect(s2.contains("adjustment: Demo car fuel card overspend, recovered (approved by Li Ming (GM))"))
        #expect(s2.contains("<strong>8,249.50 CNY</strong>"))

        // R1 has no scorecard: she is under "Other pay", linked from the payroll, in the team's total.
        #expect(view.otherPay.map(\.personID) == ["R1"])
        #expect(!view.people.contains { $0.personID == "R1" })
        let r1 = try Self.statement(page, view, person: "R1")
        #expect(r1.contains("<h3><bdi>赵敏</bdi></h3>"))
        #expect(r1.contains("<td class=\"amount\">300.00</td>"))
        #expect(page.contains("<h2>Other pay</h2>"))
        let payroll = try Self.payroll(page)
        #expect(payroll.contains("<a href=\"#\(view.otherPay[0].anchor)\"><bdi>赵敏</bdi></a>"))
        #expect(payroll.contains("<tr><th scope=\"row\"><bdi>Store A</bdi></th><td>3</td><td class=\"amount\">19,049.50</td></tr>"))
        #expect(payroll.contains("Team total</th><td class=\"amount\">19,049.50</td>"))
        #expect(payroll.contains("Grand total</th><td>3</td><td class=\"amount\">19,049.50</td>"))

        let zh = try HTMLReportTests.page(e, .zhHans)
        #expect(zh.contains("<span class=\"line-kind\">调整</span>"))
        #expect(zh.contains("<h2>其他薪酬</h2>"))
        #expect(zh.contains("<h2>薪酬汇总</h2>"))
        #expect(zh.contains("逢半远离零"))
        // The core's English texts are shown as given, marked as English.
        #expect(zh.contains("<bdi lang=\"en\">adjustment: Golden Week reception cover (approved by Li Ming (GM))</bdi>"))
    }

    @Test("pay-10 and pay-06: a clawback and gates, named in Chinese")
    func clawbackAndGates() throws {
        try Self.checkExpected("pay-10-clawback")
        try Self.checkExpected("pay-06-gate")
        let e = try Self.evaluate("pay-10-clawback")
        let view = ScorecardView.make(e, language: .zhHans)
        let page = try HTMLReportTests.page(e, .zhHans)
        let s1 = try Self.statement(page, view, person: "S1")
        #expect(s1.contains("<tr class=\"pay-line clawback negative\"><th scope=\"row\"><span class=\"line-name\"><span class=\"line-kind\">追回</span> · <bdi>D-0901</bdi></span><span class=\"aside code\"><bdi>clawback:D-0901</bdi></span></th><td class=\"amount\">-816.67</td>"))
        #expect(s1.contains("<span class=\"line-kind\">提成</span> · <bdi>sales</bdi>"))
        #expect(s1.contains("<th scope=\"row\">应发合计</th><td class=\"amount\">1,933.33</td>"))

        let gates = try Self.evaluate("pay-06-gate")
        let gView = ScorecardView.make(gates, language: .zhHans)
        let gPage = try HTMLReportTests.page(gates, .zhHans)
        let m1 = try Self.statement(gPage, gView, person: "M1")
        #expect(m1.contains("<span class=\"line-kind\">门槛</span> · <bdi>有效率</bdi></span><span class=\"aside code\"><bdi>gate:validity_rate</bdi></span></th><td class=\"amount\">0.00<span class=\"aside\">佐证：其影响已计入奖金</span></td>"))
        #expect(m1.contains("<span class=\"line-kind\">奖金</span>"))
        #expect(!gPage.contains("Total pay"), "no English labels on the Chinese page")
    }

    @Test("a plan that pays nothing has no pay section at all")
    func noPay() throws {
        let e = try HTMLReportTests.evaluate()
        #expect(e.payroll.statements.isEmpty)
        for language in Language.allCases {
            let view = ScorecardView.make(e, language: language)
            #expect(!view.hasPay)
            #expect(!view.hasOtherPay)
            #expect(view.people.allSatisfy { !$0.hasPay && $0.pay == nil })
            let whole = try HTMLReportTests.page(e, language)
            // The style sheet names the pay classes whether or not they are used: look at the body.
            let page = String(whole[try #require(whole.range(of: "<body>")).lowerBound...])
            for absent in ["class=\"payroll\"", "class=\"pay\"", "pay-total", "other-pay", "Pay statement", "薪酬明细", "Payroll", "薪酬汇总"] {
                #expect(!page.contains(absent), "\(language): \(absent)")
            }
        }
    }

    @Test("a plan that pays nothing, with an approved adjustment: the page has pay, and says who has none")
    func adjustmentOnly() throws {
        let tmp = try TemporaryFolder()
        let data = try tmp.copy(fixture: "hand", withExpected: false)
        try Data("person_id,amount,reason,approved_by\nM1,1234.5,Trade-show weekend,GM\n".utf8)
            .write(to: data.appendingPathComponent("adjustments.csv"))
        let e = try HTMLReportTests.evaluate(data)
        #expect(e.plan.scorecards.allSatisfy { $0.pay == nil })
        let view = ScorecardView.make(e, language: .en)
        #expect(view.hasPay)
        let page = try HTMLReportTests.page(e, .en)
        let m1 = try Self.statement(page, view, person: "M1")
        #expect(m1.contains("<td class=\"amount\">1,234.50</td>"))
        #expect(m1.contains("<strong>1,234.50 CNY</strong>"))
        let m2 = try Self.statement(page, view, person: "M2")
        #expect(m2.contains("<p class=\"note\">Their scorecard has no pay section: no pay this period.</p>"))
        #expect(!m2.contains("<table class=\"pay\">"))
        #expect(try Self.payroll(page).contains("<strong>1,234.50 CNY</strong> <span class=\"headcount\">1 person paid</span>"))
    }

    @Test("an adjustment's reason is data: escaped and cleaned in the rule")
    func hostileReason() throws {
        let tmp = try TemporaryFolder()
        let data = try tmp.copy(fixture: "pay-09-adjustment", withExpected: false)
        let file = data.appendingPathComponent("adjustments.csv")
        let csv = try String(contentsOf: file, encoding: .utf8)
        try Data(csv.replacingOccurrences(of: "Golden Week reception cover", with: "<img src=x>\u{202E}cover").utf8).write(to: file)
        let e = try EvaluationRun.evaluate(dataFolder: data, period: try EvaluationRun.period("2026-10"), plan: nil)
        for language in Language.allCases {
            let page = try HTMLReportTests.page(e, language)
            #expect(!page.contains("<img"))
            #expect(!page.contains("\u{202E}"))
            #expect(page.contains("adjustment: &lt;img src=x&gt;\u{FFFD}cover (approved by Li Ming (GM))"))
        }
    }

    @Test("the dealer group's page: every person paid is on the payroll, managers scored on their store")
    func dealerGroup() throws {
        let e = try EvaluationRun.evaluate(dataFolder: CLI.fixture("dealer-group"), period: try EvaluationRun.period("2026-10"), plan: nil)
        let view = ScorecardView.make(e, language: .en)
        #expect(view.hasPay)
        #expect(view.payroll.teams.map(\.people.count).reduce(0, +) == e.payroll.statements.count)
        #expect(view.people.filter { $0.scoredOnTeam != nil }.count == 5)
        #expect(view.people.allSatisfy { $0.pay?.hasLines == true })
        let page = try HTMLReportTests.page(e, .en)
        #expect(page.contains("<strong>\(view.payroll.grandTotal)</strong>"))
    }
}
