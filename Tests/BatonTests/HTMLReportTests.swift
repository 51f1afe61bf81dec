import BatonCore
import BatonIO
import BatonRender
import Foundation
import Testing

/// The boss's page: the hand fixture rendered through the shipped templates, read as a person would.
@Suite("The HTML scorecards page")
struct HTMLReportTests {
    static let templates = HTMLReport.defaultTemplatesFolder(root: CLI.root)

    static func evaluate(_ folder: URL = CLI.fixture("hand")) throws -> Evaluation {
        try EvaluationRun.evaluate(dataFolder: folder, period: try EvaluationRun.period("2026-10"), plan: nil)
    }

    static func page(_ e: Evaluation, _ language: Language, templates: URL = templates) throws -> String {
        String(decoding: try HTMLReport.render(ScorecardView.make(e, language: language), templates: templates), as: UTF8.self)
    }

    /// The HTML of one person's section.
    static func section(_ page: String, _ view: ScorecardView, person id: String) throws -> String {
        let anchor = try #require(view.people.first { $0.personID == id }).anchor
        let start = try #require(page.range(of: "id=\"\(anchor)\""))
        let end = try #require(page.range(of: "</article>", range: start.upperBound..<page.endIndex))
        return String(page[start.lowerBound..<end.upperBound])
    }

    @Test("M1's section shows 11 valid leads, a 47.8% validity rate and the rest of the README's figures, formatted")
    func handFiguresEnglish() throws {
        let e = try Self.evaluate()
        let view = ScorecardView.make(e, language: .en)
        let page = try Self.page(e, .en)
        let m1 = try Self.section(page, view, person: "M1")
        #expect(m1.contains("<bdi>李娜</bdi>"))
        #expect(m1.contains("<tr><th scope=\"row\">Valid leads</th><td>11</td><td>10<span class=\"aside\"><span class=\"aside-label\">Target from:</span> targets.csv line 4 (team:Store A)</span></td><td>110.0%</td><td>110.0</td><td>40</td><td>44.0</td>"))
        #expect(m1.contains("<tr><th scope=\"row\">Validity rate</th><td>47.8%</td><td>11 / 23</td>"))
        #expect(m1.contains("<td>400.00 CNY</td><td>4,400.00 CNY / 11</td>"))
        #expect(m1.contains("<td>270,000.00 CNY</td>"))
        #expect(m1.contains("<strong>105.0</strong>"))
        #expect(m1.contains("step from 80%"))
        // The failed rules behind M1's 23 leads: 6 duplicates, 11 valid.
        #expect(m1.contains("<th scope=\"row\">Duplicate</th><td>6</td><td class=\"text\">same phone arrived as a lead within the dedupe window</td>"))

        let m3 = try Self.section(page, view, person: "M3")
        #expect(m3.contains("<tr><th scope=\"row\">Validity rate</th><td>no data</td><td>no leads</td>"), "a rate with no leads is no data, never 0")
        #expect(m3.contains("<tr><th scope=\"row\">Validity rate</th><td>no data</td><td>50.0%<span"))
        #expect(m3.contains("</span></td><td>no data</td><td>no data</td><td>20</td><td>0.0</td><td class=\"text\">no data; scores 0<span"))

        let s3 = try Self.section(page, view, person: "S3")
        #expect(s3.contains("<tr><th scope=\"row\">Total sales</th><td>305,000.00 CNY</td><td>no target</td><td>no target</td><td>no data</td>"))
        #expect(s3.contains("<tr><th scope=\"row\">Completion rate</th><td>no data</td><td>no total_sales target</td>"))
        #expect(s3.contains("<bdi>L-1024</bdi>"), "S3's disputed label is listed in S3's section")

        let s2 = try Self.section(page, view, person: "S2")
        #expect(s2.contains("average of 2026-08 (230,000.00 CNY), 2026-09 (270,000.00 CNY)"))

        // The side-by-side header and the team tables.
        #expect(page.contains("<dt>Validity rate</dt><dd>53.8%</dd>"), "marketing total: 14 valid of 26 leads, the unattributed one included")
        #expect(page.contains("<dt>Total sales</dt><dd>898,000.00 CNY</dd>"))
        #expect(page.contains("<html lang=\"en\">"))
        #expect(page.contains("<meta charset=\"utf-8\">"))
    }

    @Test("the Chinese page uses dealer HR wording for KPIs, rules and missing values")
    func handFiguresChinese() throws {
        let e = try Self.evaluate()
        let view = ScorecardView.make(e, language: .zhHans)
        let page = try Self.page(e, .zhHans)
        #expect(page.contains("<html lang=\"zh-Hans\">"))
        for word in ["有效线索", "有效率", "单条有效线索成本", "新客户销售额", "完成率", "转化率", "24小时联系率", "试驾率",
                     "无号码", "号码格式错误", "空号", "错号", "关机", "无需求", "重复线索", "无数据", "无目标", "线索漏斗"] {
            #expect(page.contains(word), "\(word) is on the Chinese page")
        }
        let m1 = try Self.section(page, view, person: "M1")
        #expect(m1.contains("<tr><th scope=\"row\">有效率</th><td>47.8%</td><td>11 / 23</td>"))
        #expect(m1.contains("达成 80% 起的阶梯"))
        #expect(!page.contains("no data"), "no English filler on the Chinese page")
    }

    @Test("the English explanation of every score is the core's own")
    func explanationsMatchCore() throws {
        let e = try Self.evaluate()
        let view = ScorecardView.make(e, language: .en)
        for card in e.people {
            let id = e.data.people[card.person].id
            let person = try #require(view.people.first { $0.personID == id })
            #expect(person.scored.map(\.why) == card.scores.map(\.explanation), "\(id)")
            #expect(person.scored.map(\.rule) == card.scores.map { $0.plan.scoring.summary }, "\(id)")
        }
    }

    @Test("the same evaluation gives the same bytes, in both languages")
    func deterministic() throws {
        let e = try Self.evaluate()
        for language in Language.allCases {
            let a = try HTMLReport.render(e, language: language, templates: Self.templates)
            let b = try HTMLReport.render(try Self.evaluate(), language: language, templates: Self.templates)
            #expect(a == b)
            #expect(a.count > 10_000)
        }
    }

    @Test("the funnel's bars are proportional to the counts, and the stages are marked by owner")
    func funnel() throws {
        let view = ScorecardView.make(try Self.evaluate(), language: .en)
        let stages = view.funnel.stages
        #expect(stages.map(\.value) == ["26", "14", "25", "5", "670,000.00 CNY"])
        #expect(stages.map(\.side) == ["marketing", "marketing", "sales", "sales", "sales"])
        #expect(stages.map(\.barWidth) == ["1000.0", "538.5", "961.5", "192.3", "0"])
        #expect(stages.map(\.barX) == ["0.0", "230.8", "19.2", "403.8", "0"])
        #expect(stages.map(\.hasBar) == [true, true, true, true, false])
        #expect(stages[1].rate == "Validity rate 53.8%")
        #expect(stages[3].rate == "Conversion rate 20.0%")
    }

    @Test("a hostile name is shown as text: no markup, no reordering, no formula")
    func hostileNames() throws {
        let tmp = try TemporaryFolder()
        let data = try tmp.copy(fixture: "hand", withExpected: false)
        let hostile = "<script>alert(1)</script>&\"'\u{202E}=HYPERLINK(\"x\")"
        let people = data.appendingPathComponent("people.csv")
        let csv = try String(contentsOf: people, encoding: .utf8)
        let quoted = "\"" + hostile.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        try Data(csv.replacingOccurrences(of: "M1,李娜,", with: "M1,\(quoted),").utf8).write(to: people)
        let e = try Self.evaluate(data)
        #expect(e.data.people[0].name == hostile)
        for language in Language.allCases {
            let page = try Self.page(e, language)
            #expect(!page.contains("<script"))
            #expect(!page.contains("\u{202E}"))
            #expect(page.contains("<bdi>&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;&#39;\u{FFFD}=HYPERLINK(&quot;x&quot;)</bdi>"))
        }
    }

    @Test("layout and control characters in data are replaced, visibly")
    func displayText() {
        #expect(DisplayText.clean("a\u{202E}b\u{2066}c\u{200F}d") == "a\u{FFFD}b\u{FFFD}c\u{FFFD}d")
        #expect(DisplayText.clean("a\u{0}b\u{7}c\u{1B}d\u{85}e") == "a\u{FFFD}b\u{FFFD}c\u{FFFD}d\u{FFFD}e")
        #expect(DisplayText.clean("line\none\ttab") == "line one tab")
        #expect(DisplayText.clean("王建儒 שלום Store A") == "王建儒 שלום Store A")
    }

    @Test("a copy of the templates with a changed heading changes the page")
    func templateOverride() throws {
        let tmp = try TemporaryFolder()
        let copy = tmp.url.appendingPathComponent("html")
        try FileManager.default.copyItem(at: Self.templates, to: copy)
        let index = copy.appendingPathComponent("index.html.mustache")
        let text = try String(contentsOf: index, encoding: .utf8)
        #expect(text.contains("<h1>{{labels.title}}"))
        try Data(text.replacingOccurrences(of: "<h1>{{labels.title}}", with: "<h1>Board pack: {{labels.title}}").utf8).write(to: index)
        let e = try Self.evaluate()
        #expect(try Self.page(e, .en, templates: copy).contains("<h1>Board pack: Scorecards"))
        #expect(!(try Self.page(e, .en)).contains("Board pack"))
    }

    @Test("a section never closed fails naming the template file and the line it opened on")
    func unclosedSection() throws {
        let tmp = try TemporaryFolder()
        let copy = tmp.url.appendingPathComponent("html")
        try FileManager.default.copyItem(at: Self.templates, to: copy)
        let index = copy.appendingPathComponent("index.html.mustache")
        let text = try String(contentsOf: index, encoding: .utf8)
        let line = try #require(text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0 == "{{#teamTables}}" }) + 1
        try Data(text.replacingOccurrences(of: "{{/teamTables}}\n", with: "").utf8).write(to: index)
        let view = ScorecardView.make(try Self.evaluate(), language: .en)
        let problem = #expect(throws: HTMLTemplateProblem.self) { try HTMLReport.render(view, templates: copy) }
        #expect(problem?.file == "index.html.mustache")
        #expect(problem?.line == line)
        #expect(problem?.description.hasPrefix("index.html.mustache:\(line):1: section \"teamTables\" is opened here and never closed") == true)
    }

    @Test("a minimal broken template and a missing partial point at file and line")
    func brokenTemplates() throws {
        let tmp = try TemporaryFolder()
        try tmp.write("t/index.html.mustache", "<p>one</p>\n<p>two</p>\n  {{#section}}\n<p>never closed</p>\n")
        let view = ScorecardView.make(try Self.evaluate(), language: .en)
        let unclosed = #expect(throws: HTMLTemplateProblem.self) { try HTMLReport.render(view, templates: tmp.url.appendingPathComponent("t")) }
        #expect(unclosed?.description.hasPrefix("index.html.mustache:3:3: section \"section\"") == true, "\(String(describing: unclosed))")

        try tmp.write("u/index.html.mustache", "<p>one</p>\n{{> persn}}\n")
        let missing = #expect(throws: HTMLTemplateProblem.self) { try HTMLReport.render(view, templates: tmp.url.appendingPathComponent("u")) }
        #expect(missing?.description == "index.html.mustache:2:1: includes the partial \"persn\", but there is no persn.mustache in the templates folder.")

        try tmp.write("v/index.html.mustache", "<p>{{#a}}{{/b}}</p>\n")
        let mismatched = #expect(throws: HTMLTemplateProblem.self) { try HTMLReport.render(view, templates: tmp.url.appendingPathComponent("v")) }
        #expect(mismatched?.file == "index.html.mustache")
        #expect(mismatched?.line == 1)

        let empty = #expect(throws: HTMLTemplateProblem.self) { try HTMLReport.render(view, templates: tmp.url.appendingPathComponent("none")) }
        #expect(empty?.file == "index.html.mustache")
    }

    @Test("the shipped templates escape every data text and load nothing from elsewhere")
    func selfContained() throws {
        for file in try FileManager.default.contentsOfDirectory(atPath: Self.templates.path) {
            let text = try String(contentsOf: Self.templates.appendingPathComponent(file), encoding: .utf8)
            #expect(!text.contains("{{{") && !text.contains("{{&"), "\(file) has an unescaped tag")
        }
        let page = try Self.page(try Self.evaluate(), .en)
        for forbidden in ["<script", "http://", "https://", "url(", "@import", "@font-face", "<link", "<img"] {
            #expect(!page.contains(forbidden), "the page has \(forbidden)")
        }
        #expect(page.contains("<svg"))
        #expect(page.contains("@page { size: A4; margin: 12mm; }"))
    }

    /// Writes the hand fixture's pages (or those of the data folder BATON_HTML_DATA names, with the
    /// earlier result folder BATON_HTML_PREVIOUS names, if any) where BATON_HTML_OUT says, for looking at
    /// them in a browser and checking them with a validator.
    @Test("write the hand fixture's pages on request", .enabled(if: ProcessInfo.processInfo.environment["BATON_HTML_OUT"] != nil))
    func writePages() throws {
        let out = URL(fileURLWithPath: ProcessInfo.processInfo.environment["BATON_HTML_OUT"]!)
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let env = ProcessInfo.processInfo.environment
        let e = try EvaluationRun.evaluate(
            dataFolder: env["BATON_HTML_DATA"].map { URL(fileURLWithPath: $0) } ?? CLI.fixture("hand"),
            period: try EvaluationRun.period("2026-10"), plan: nil,
            previous: env["BATON_HTML_PREVIOUS"].map { [URL(fileURLWithPath: $0)] } ?? [])
        for language in Language.allCases {
            try Data(HTMLReport.render(e, language: language, templates: Self.templates))
                .write(to: out.appendingPathComponent("scorecards.\(language.tag).html"))
        }
    }
}
