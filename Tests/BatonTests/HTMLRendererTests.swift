import BatonCore
import BatonIO
@testable import BatonRender
import Foundation
import Mustache
import Testing

/// The page renderer against swift-mustache itself: for every fixture, language and a set of edited
/// templates, the same bytes as swift-mustache rendering the reflected view (`MustacheTree`), which is
/// how the page was rendered before and what a template author's Mustache knowledge predicts.
@Suite("The page renderer prints what swift-mustache prints")
struct HTMLRendererTests {
    static let templates = HTMLReport.defaultTemplatesFolder(root: CLI.root)
    static let fixtures = ["hand", "dealer-group", "hostile", "pay-06-gate", "pay-09-adjustment", "pay-10-clawback", "pay-11-manager"]

    static func evaluate(_ name: String) throws -> Evaluation {
        try EvaluationRun.evaluate(dataFolder: CLI.fixture(name), period: try EvaluationRun.period("2026-10"), plan: nil)
    }

    /// swift-mustache over the reflected view: the page as it was rendered before `PageRenderer`.
    static func reference(_ view: ScorecardView, _ t: HTMLTemplates) -> [UInt8] {
        Array((t.library.render(MustacheTree.from(view), withTemplate: HTMLTemplates.page) ?? "").utf8)
    }

    /// The same bytes, or where they first differ.
    static func same(_ a: [UInt8], _ b: [UInt8], _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        guard a != b else { return }
        let i = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
        let around = { (x: [UInt8]) in String(decoding: x[max(0, i - 80)..<min(x.count, i + 80)], as: UTF8.self).debugDescription }
        Issue.record("\(what): \(a.count) bytes against \(b.count), first differing at \(i): \(around(a)) against \(around(b))",
                     sourceLocation: sourceLocation)
    }

    /// Tiny chunks, rounds and pieces, and every list of two or more split over threads: every boundary
    /// of the streaming and the parallel rendering is crossed many times.
    static let tiny = PageRenderer.Sizes(chunk: 7, parallelFrom: 2, round: 5, pieces: 3)

    @Test("the shipped templates compile for the renderer (none of them needs swift-mustache's own rendering)")
    func shippedTemplatesCompile() throws {
        let t = try HTMLTemplates.load(from: Self.templates)
        #expect(t.programs != nil)
        #expect(t.programs?.keys.sorted() == ["index.html", "paylines", "person", "style"])
    }

    @Test("every fixture, both languages: the same bytes as swift-mustache, in memory, streamed, and made person by person",
          arguments: fixtures)
    func fixturesMatch(_ fixture: String) throws {
        let e = try Self.evaluate(fixture)
        let t = try HTMLTemplates.load(from: Self.templates)
        for language in Language.allCases {
            let view = ScorecardView.make(e, language: language)
            let expected = Self.reference(view, t)
            Self.same(t.render(view), expected, "\(fixture) \(language)")
            let sink = MemorySink()
            t.render(e, language: language, into: sink)
            Self.same(sink.bytes, expected, "\(fixture) \(language), from the evaluation")
            let small = MemorySink()
            _ = t.render(ScorecardView.page(e, language: language), into: small, sizes: Self.tiny)
            Self.same(small.bytes, expected, "\(fixture) \(language), tiny chunks and pieces")
            Self.same(t.render(PageRoot(view), into: nil, sizes: Self.tiny), expected, "\(fixture) \(language), in memory, tiny pieces")
        }
    }

    /// Edits a person might make, each over a copy of the shipped templates: `file` gets `text`.
    static let edits: [(name: String, file: String, text: String)] = [
        ("indented partials", "index.html.mustache", "{{#people}}\n    {{> person}}\n{{/people}}\n"),
        ("indented partial inside an indented partial", "person.mustache",
         "<p>{{name}}</p>\n{{#pay}}\n\t  {{> paylines}}\n{{/pay}}\n  {{#scored}}\n  <i>{{kpi}}</i>\n  {{/scored}}\n"),
        ("CR LF line ends", "index.html.mustache", "<ul>\r\n{{#people}}\r\n  <li>{{name}}</li>\r\n{{/people}}\r\n</ul>\r\n{{#people}}\r\n  {{> person}}\r\n{{/people}}\r\n"),
        ("dotted names, the current object, local names", "index.html.mustache",
         "{{labels.title}} {{funnel.marketingLegend}} {{#people}}{{.name}} {{.labels.title}} {{labels.title}} {{#pay}}{{total}}{{.name}}{{/pay}}|{{/people}} {{missing}} {{labels.missing}} {{lang.x}}\n"),
        ("inverted sections and empty lists", "index.html.mustache",
         "{{^people}}nobody {{.}}{{/people}}{{^warnings}}no warnings {{.}} {{lang}}{{/warnings}}{{#warnings}}[{{.}}]{{/warnings}}{{^hasPay}}unpaid{{/hasPay}}{{^missing}}absent{{/missing}}{{^lang}}x{{/lang}}\n"),
        ("a list and a flag printed whole", "index.html.mustache", "{{warnings}} {{hasPay}} {{#validity}}{{columns}}{{/validity}} {{#people}}{{hasValidity}}{{/people}}\n"),
        ("unescaped data", "index.html.mustache", "{{#people}}{{{name}}} {{& team}} {{name}}{{/people}}\n"),
        ("set delimiters and comments", "index.html.mustache",
         "{{! a comment }}\n{{=<% %>=}}\n<%#people%><% name %> <%/people%>\n<%={{ }}=%>\n  {{! standalone comment }}\n{{lang}}\n"),
        ("a section over text and a struct", "index.html.mustache",
         "{{#lang}}[{{.}}|{{lang}}]{{/lang}}{{#labels}}{{title}}{{/labels}}{{#people}}{{#scoredOnTeam}}<{{.}}>{{/scoredOnTeam}}{{/people}}\n"),
        ("a partial that is not there prints nothing", "index.html.mustache", "{{=<% %>=}}a<%> nowhere%>b\n  <%> nowhere%>\nc\n"),
        // The page includes itself in each person's context: the same steps print names found in the root
        // (kept after the first time) and names a person has (looked up every time).
        ("the same step finds a name in the root in one place and nearer in another", "index.html.mustache",
         "{{hasDisputes}} {{hasPay}} {{labels.title}} {{{labels.title}}} {{lang}} {{labels.missing}}|{{^anchor}}\n{{#people}}\n  {{> index.html}}\n{{/people}}\n{{/anchor}}\n"),
        ("whitespace and standalone lines", "index.html.mustache",
         "  {{#people}}  \n  x{{name}}  \n {{/people}} \n\t{{^people}}\n{{/people}}\nend  {{#hasPay}} \n y \n {{/hasPay}}  \n"),
    ]

    @Test("edited templates: the same bytes as swift-mustache", arguments: 0..<edits.count)
    func editsMatch(_ k: Int) throws {
        let edit = Self.edits[k]
        let folder = try Self.copy(edit.file, edit.text)
        defer { try? FileManager.default.removeItem(at: folder) }
        let t = try HTMLTemplates.load(from: folder)
        #expect(t.programs != nil, "\(edit.name): the renderer handles it")
        for fixture in ["hand", "hostile", "dealer-group"] {
            let e = try Self.evaluate(fixture)
            for language in Language.allCases {
                let view = ScorecardView.make(e, language: language)
                let expected = Self.reference(view, t)
                Self.same(t.render(PageRoot(view), into: nil, sizes: Self.tiny), expected, "\(edit.name), \(fixture) \(language)")
                let sink = MemorySink()
                t.render(e, language: language, into: sink)
                Self.same(sink.bytes, expected, "\(edit.name), \(fixture) \(language), from the evaluation")
            }
        }
    }

    @Test("transforms, inheritance and content types are left to swift-mustache, with the same page")
    func beyondTheRenderer() throws {
        let texts = [
            "{{#people}}{{index()}} {{uppercased(name)}}{{#first()}} first{{/first()}}|{{/people}}\n",
            "{{<layout}}{{$body}}{{#people}}{{name}}{{/people}}{{/body}}{{/layout}}\n",
            "{{%CONTENT_TYPE:TEXT}}{{#people}}{{name}}{{/people}}\n",
            "{{#people}}{{> *side}}{{/people}}\n",
        ]
        for text in texts {
            let folder = try Self.copy("index.html.mustache", text)
            defer { try? FileManager.default.removeItem(at: folder) }
            try "<main>{{$body}}default{{/body}}</main>\n".write(to: folder.appendingPathComponent("layout.mustache"), atomically: true, encoding: .utf8)
            let t = try HTMLTemplates.load(from: folder)
            #expect(t.programs == nil, "\(text)")
            let view = ScorecardView.make(try Self.evaluate("hostile"), language: .en)
            let page = t.render(view)
            Self.same(page, Self.reference(view, t), text)
            #expect(!page.isEmpty)
        }
    }

    @Test("HTML escaping is swift-mustache's, Character by Character, on hostile texts")
    func escaping() throws {
        let texts = [
            "plain", "", "<script>alert(1)</script>", "AT&T's \"best\"", "{{name}}", "<\u{338} ≮ combining", "'\u{301}quote",
            "\"\u{200D}joined", "\u{600}<prepend", "e\u{301}<b>", "王建儒 <b>", "\u{202E}<rtl>", "a\r\n<b>\r\n", "emoji 👍🏽<", "&amp;",
            "\u{FFFD}&\u{FFFD}", "x\u{0}<y", "🇨🇳<🇨🇳>", "<", ">", "&", "\"", "'",
        ]
        let template = try MustacheTemplate(string: "{{x}}")
        for text in texts {
            var out: [UInt8] = []
            HTMLEscape.append(text, to: &out)
            #expect(out == Array(template.render(["x": text]).utf8), "\(text.debugDescription)")
        }
    }

    @Test("the escaper's scan, eight bytes at a time, finds each special byte at every place and length")
    func escapingScan() throws {
        let template = try MustacheTemplate(string: "{{x}}")
        for length in 0..<20 {
            for place in 0..<max(length, 1) {
                for special in ["<", ">", "&", "\"", "'", "é", "=", "\u{2022}"] {
                    var chars = Array(repeating: "a", count: length)
                    if place < length { chars[place] = special }
                    let text = chars.joined()
                    var bytes = Array(text.utf8)
                    let found = bytes.withUnsafeBufferPointer { HTMLEscape.hasSpecial($0) }
                    #expect(found == bytes.contains(where: HTMLEscape.isSpecial), "\(text.debugDescription)")
                    bytes = []
                    HTMLEscape.append(text, to: &bytes)
                    #expect(bytes == Array(template.render(["x": text]).utf8), "\(text.debugDescription)")
                }
            }
        }
        // Every byte value at every place of a word and of the tail.
        for b in UInt8.min...UInt8.max {
            for place in 0..<11 {
                var bytes = [UInt8](repeating: 0x61, count: 11)
                bytes[place] = b
                #expect(bytes.withUnsafeBufferPointer { HTMLEscape.hasSpecial($0) } == HTMLEscape.isSpecial(b), "\(b) at \(place)")
            }
        }
    }

    @Test("every view struct answers exactly the names its reflected tree has, with the same values",
          arguments: fixtures)
    func keysMatchTheReflectedTree(_ fixture: String) throws {
        let e = try Self.evaluate(fixture)
        for language in Language.allCases {
            let view = ScorecardView.make(e, language: language)
            Self.compare(.item(PageRoot.List([PageRoot(view)]), 0), MustacheTree.from(view), path: "view")
            let lazy = ScorecardView.page(e, language: language)
            Self.compare(.item(PageRoot.List([lazy]), 0), MustacheTree.from(view), path: "page")
        }
    }

    static func compare(_ value: PageValue, _ tree: Any, path: String) {
        switch (value, tree) {
        case (.text(let a), let b as String):
            #expect(a == b, "\(path)")
        case (.flag(let a), let b as Bool):
            #expect(a == b, "\(path)")
        case (.list(let list), let b as [Any]):
            #expect(list.count == b.count, "\(path)")
            for i in 0..<min(list.count, b.count) { compare(list.item(i), b[i], path: "\(path)[\(i)]") }
        case (.item, let b as [String: Any]):
            for (key, v) in b {
                guard let k = PageKey(rawValue: key), let field = value.field(k) else {
                    Issue.record("\(path).\(key) is in the tree but not answered")
                    continue
                }
                compare(field, v, path: "\(path).\(key)")
            }
            for k in allKeys where b[k.rawValue] == nil {
                #expect(value.field(k) == nil, "\(path).\(k.rawValue) is answered but not in the tree")
            }
            // A lookup skips a row for names outside its list's `keys`: they must hold every name the row
            // answers, and every property its struct has (an absent optional included).
            guard case .item(let list, let i) = value else { break }
            for k in allKeys where value.field(k) != nil {
                #expect(list.keys.contains(k), "\(path).\(k.rawValue) is answered but not in the list's keys")
            }
            if let items = list as? any ItemList {
                for name in propertyNames(items, i) {
                    #expect(PageKey(rawValue: name).map(list.keys.contains) ?? (list is PageRoot.List),
                            "\(path).\(name) is a property but not in the list's keys")
                }
            }
        default:
            Issue.record("\(path): \(value) against \(type(of: tree))")
        }
    }

    @Test("a row's cells taken by place are the cells found by name, figures in order or not", arguments: fixtures)
    func cellsByPlace(_ fixture: String) throws {
        let e = try Self.evaluate(fixture)
        for language in Language.allCases {
            let b = ScorecardViewBuilder(e: e, format: DisplayFormat(currency: e.plan.currency, language: language))
            for card in e.people {
                let kpis = KPI.all(card.side)
                let distinct = kpis.withUnsafeBufferPointer(ScorecardViewBuilder.distinctNames)
                #expect(distinct)
                let byName = kpis.map { b.cell(card.figures, $0.name) }
                #expect(b.cells(card.figures, kpis, distinct: distinct) == byName)
                // Figures out of order, one missing, or a name twice: found by name.
                #expect(b.cells(card.figures.reversed(), kpis, distinct: distinct) == kpis.map { b.cell(card.figures.reversed(), $0.name) })
                #expect(b.cells(Array(card.figures.dropFirst()), kpis, distinct: distinct) == kpis.map { b.cell(Array(card.figures.dropFirst()), $0.name) })
                let twice = kpis + kpis.prefix(1)
                #expect(b.cells(card.figures + card.figures.prefix(1), twice, distinct: false) == twice.map { b.cell(card.figures, $0.name) })
            }
        }
    }

    @Test("a KPI's texts from the table are the language's own, and a KPI not in the table is not found")
    func kpiTexts() throws {
        let e = try Self.evaluate("hand")
        for language in Language.allCases {
            let b = ScorecardViewBuilder(e: e, format: DisplayFormat(currency: e.plan.currency, language: language))
            for side in Side.allCases {
                let table = b.kpiTexts(side)
                for (k, kpi) in KPI.all(side).enumerated() {
                    for hint in [k, 0, table.count - 1, table.count + 3] {
                        let i = b.textsIndex(kpi, in: table, hint: hint)
                        #expect(i == k)
                    }
                    #expect(table[k].shown == language.name(kpi))
                    #expect(table[k].definition == language.definition(kpi))
                    #expect(table[k].parts == (ScorecardViewBuilder.parts[kpi.name] ?? (.rate, .rate)))
                    // The other side's table: no KPI of this side is there (new_customer_sales has the
                    // same name on both sides, with another definition).
                    let other = b.kpiTexts(side == .marketing ? .sales : .marketing)
                    #expect(b.textsIndex(kpi, in: other, hint: min(k, other.count - 1)) == -1)
                }
            }
        }
    }

    /// The stored properties of element `i`, absent optionals included.
    static func propertyNames<L: ItemList>(_ list: L, _ i: Int) -> [String] {
        Mirror(reflecting: list.all[i]).children.compactMap(\.label)
    }

    @Test("each name has its own bit in a key set, and a set holds exactly the names put in it")
    func keySets() {
        #expect(Set(Self.allKeys.map(\.ordinal)).count == Self.allKeys.count)
        for r in 0..<3 {
            let some = Self.allKeys.enumerated().filter { $0.offset % 3 == r }.map(\.element)
            let set = PageKeySet(some)
            for k in Self.allKeys {
                #expect(set.contains(k) == some.contains(k), "\(r): \(k.rawValue)")
            }
        }
        #expect(Self.allKeys.allSatisfy { PageKeySet.all.contains($0) && !PageKeySet.none.contains($0) })
    }

    /// Every `PageKey`, read off the enum's names in this file's source of truth: its raw values.
    static let allKeys: [PageKey] = {
        let names = ["adjustment", "allLeads", "amount", "amountColumn", "anchor", "arithmetic", "attainment", "barWidth", "barX",
                     "bonus", "cells", "clawback", "code", "columns", "commission", "count", "countsAgainst", "currency",
                     "definition", "detail", "disputes", "disputesNote", "disputesTitle", "empty", "everyone", "evidence",
                     "failedRule", "figures", "figuresTitle", "footer", "funnel", "funnelMarketingLegend", "funnelNote",
                     "funnelSalesLegend", "funnelTitle", "gate", "grandTotal", "grandTotalAmount", "hasBar", "hasDisputes",
                     "hasLines", "hasNotEvaluated", "hasOtherPay", "hasOutside", "hasPay", "hasValidity", "hasWarnings",
                     "headcount", "id", "invalid", "isEvidence", "isNegative", "isTeam", "isTotal", "kind", "kpi", "label",
                     "labels", "lang", "lead", "leadCount", "lines", "link", "madeOf", "marketing", "marketingLegend",
                     "meaning", "name", "noData", "noDisputes", "noTarget", "none", "notEvaluated", "notEvaluatedNote",
                     "notEvaluatedTitle", "note", "otherPay", "otherPayNote", "otherPayTitle", "outside", "outsideTitle",
                     "owner", "pay", "payHow", "payLine", "payNote", "payRule", "payTitle", "payTotal", "payTotalNote",
                     "payroll", "payrollTitle", "people", "peoplePaid", "peopleTitle", "period", "periodDays", "person",
                     "personID", "plan", "points", "rate", "role", "rounding", "rows", "rule", "sales", "salesLabel",
                     "salesLegend", "salesperson", "score", "scored", "scoredOnTeam", "scoredOnTeamAfter",
                     "scoredOnTeamBefore", "scoredTitle", "side", "sideTitle", "sides", "stages", "subtitle", "target",
                     "targetFrom", "team", "teamTables", "teamTotal", "teams", "teamsTitle", "text", "title", "total",
                     "totalWithCode", "unassigned", "unattributed", "unattributedLeads", "unownedSpend", "valid",
                     "validLeads", "validity", "validityNote", "validityTitle", "value", "verdict", "warnings",
                     "warningsTitle", "weight", "weightedTotal", "why"]
        return names.map { PageKey(rawValue: $0)! }
    }()

    /// A copy of the shipped templates with `file` replaced by `text`.
    static func copy(_ file: String, _ text: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("baton-html-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: templates, to: folder)
        try text.write(to: folder.appendingPathComponent(file), atomically: true, encoding: .utf8)
        return folder
    }
}

extension PageValue: CustomStringConvertible {
    public var description: String {
        switch self {
        case .text(let s): return "text \(s.debugDescription)"
        case .flag(let b): return "flag \(b)"
        case .list(let l): return "list of \(l.count)"
        case .item: return "struct"
        }
    }
}

/// Figures written in machine integers against the exact way (`Exact.decimalString`, `Printing.grouped`).
@Suite("Display figures: the fast way writes what the exact way writes")
struct DisplayFormatTests {
    static let format = DisplayFormat(currency: .cny, language: .en)

    static var samples: [Exact] {
        var rng = SplitMix64(seed: 20261001)
        var out: [Exact] = [.zero, .one, .hundred, -.one, Exact(1) / Exact(3), Exact(-2) / Exact(3), Exact(1) / Exact(8),
                            Exact(-1) / Exact(8), Exact(5) / Exact(1000), Exact(-5) / Exact(1000), Exact(-4) / Exact(100),
                            Exact(999_999_995) / Exact(1000), Exact(Int64.max), Exact(Int64.min) / Exact(7),
                            Exact(1 << 62) / Exact(3), Exact(1 << 61) / Exact(1 << 61 - 1)]
        for _ in 0..<4000 {
            let n = Int(truncatingIfNeeded: rng.next()) >> Int(rng.next() % 63)
            let d = max(1, Int(rng.next() >> (1 + rng.next() % 63)))
            out.append(Exact(n) / Exact(d))
        }
        return out
    }

    @Test("decimals, counts, percentages, plan percentages, weights, scores and amounts")
    func sameAsExact() {
        let f = Self.format
        for x in Self.samples {
            for places in 0...4 {
                #expect(f.decimal(x, places: places) == Printing.grouped(x.decimalString(places: places)), "\(x) \(places)")
            }
            #expect(f.count(x) == Printing.grouped(x.isInteger ? String(x.numerator) : x.shortDecimalString(maxPlaces: 2)), "\(x)")
            #expect(f.percent(x) == Printing.grouped((x * .hundred).decimalString(places: 1)) + "%", "\(x)")
            #expect(f.planPercent(x) == (x * .hundred).shortDecimalString(maxPlaces: 4) + "%", "\(x)")
            #expect(f.weight(x) == x.shortDecimalString(maxPlaces: 2), "\(x)")
            #expect(f.score(x) == Printing.grouped(x.decimalString(places: 1)), "\(x)")
        }
        var rng = SplitMix64(seed: 7)
        for currency in [Currency.cny, Currency(code: "JPY", decimals: 0), Currency(code: "KWD", decimals: 3), Currency(code: "X", decimals: 14)] {
            let f = DisplayFormat(currency: currency, language: .en)
            for _ in 0..<2000 {
                let m = Money(minorUnits: Int64(truncatingIfNeeded: rng.next()) >> Int64(rng.next() % 64))
                #expect(f.amount(m) == Printing.grouped(currency.major(m).decimalString(places: currency.decimals)), "\(m)")
                #expect(f.money(m) == f.amount(m) + " " + currency.code)
            }
            #expect(f.amount(Money(minorUnits: .min)) == Printing.grouped(currency.major(Money(minorUnits: .min)).decimalString(places: currency.decimals)))
        }
        for n in [0, 1, -1, 999, 1000, -1000, 1_234_567, Int.max, Int.min + 1] {
            #expect(f.count(n) == Printing.grouped(String(n)))
        }
    }

    @Test("DisplayText.clean returns every text as the scalar-by-scalar rules make it")
    func cleanSameAsRules() {
        func rules(_ text: String) -> String {
            var out = String.UnicodeScalarView()
            for s in text.unicodeScalars {
                switch s.value {
                case 0x09, 0x0A, 0x0D, 0x2028, 0x2029: out.append(" ")
                case 0x00...0x1F, 0x7F...0x9F, 0x200E, 0x200F, 0x061C, 0x202A...0x202E, 0x2066...0x2069, 0xFDD0...0xFDEF:
                    out.append("\u{FFFD}")
                case let v where v & 0xFFFE == 0xFFFE: out.append("\u{FFFD}")
                default: out.append(s)
                }
            }
            return String(out)
        }
        let texts = ["plain", "", "tab\there", "王建儒", "a\u{202E}b", "\u{7F}", "\u{85}", "\u{9F}x", "\u{A0}nbsp", "\u{FFFE}", "\u{1FFFF}",
                     String(Unicode.Scalar(0xFDD0)!), String(Unicode.Scalar(0xFDEF)!) + "x", "\u{FDF0}", "line\u{2028}sep", "\u{061C}", "\u{2066}\u{2069}", "\u{200D}zwj", "e\u{301}",
                     "\r\n", "~ ascii end", "\u{10FFFE}", "\u{E000}", "\u{200B}"]
        for t in texts { #expect(DisplayText.clean(t) == rules(t), "\(t.debugDescription)") }
        // Every scalar, 64 to a text (the fast scan reads lead bytes; each must say what the rules say).
        let more = ["a × b ≈ c − d → e", "\u{2027}\u{202F}\u{2065}\u{206A}\u{2070}\u{20AC}", "\u{FDCF}\u{FFFD}\u{FFFC}", "\u{1F600}\u{1FFFD}"]
        for t in more { #expect(DisplayText.clean(t) == rules(t), "\(t.debugDescription)") }
        var scalars = String.UnicodeScalarView(), n = 0
        for v in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(v) else { continue }
            scalars.append(scalar)
            n += 1
            if n == 64 || v == 0x10FFFF {
                let t = String(scalars)
                if DisplayText.clean(t) != rules(t) { Issue.record("scalars up to \(String(v, radix: 16))") }
                scalars = String.UnicodeScalarView()
                n = 0
            }
        }
    }
}
