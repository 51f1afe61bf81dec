import Foundation
import Mustache
import Testing
@testable import BatonRender

@Suite("Templates")
struct TemplateTests {
    /// Copies one shipped template into an override folder, changed by `edit`.
    func override(_ name: String, in dir: URL, _ edit: (String) -> String) throws {
        let source = try String(contentsOf: templatesURL.appendingPathComponent(name + ".mustache"), encoding: .utf8)
        let target = dir.appendingPathComponent(name + ".mustache")
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try edit(source).write(to: target, atomically: true, encoding: .utf8)
    }

    @Test("every expected template is shipped, the hidden .rels one included")
    func shipped() throws {
        let names = try shippedTemplates().names
        for name in ["xlsx/[Content_Types].xml", "xlsx/_rels/.rels", "xlsx/docProps/core.xml", "xlsx/docProps/app.xml",
                     "xlsx/xl/workbook.xml", "xlsx/xl/_rels/workbook.xml.rels", "xlsx/xl/styles.xml",
                     "xlsx/xl/worksheets/sheet.xml", "xlsx/xl/sharedStrings.xml", "xlsx/xl/theme/theme1.xml",
                     "xml/scorecards.xml"] {
            #expect(names.contains(name), "\(name)")
        }
    }

    @Test("a copied template with changed text overrides the fallback, file by file")
    func overrideWins() throws {
        let dir = try makeTempDir()
        try override("xlsx/docProps/app.xml", in: dir) {
            $0.replacingOccurrences(of: "<Application>Baton</Application>", with: "<Application>Baton HR Export</Application>")
        }
        try override("xlsx/xl/worksheets/sheet.xml", in: dir) {
            // header cells get a taller row: a visible change in the per-row section
            $0.replacingOccurrences(of: "<row r=\"{{{r}}}\"", with: "<row r=\"{{{r}}}\"{{#isHeader}} ht=\"30\" customHeight=\"1\"{{/isHeader}}")
        }
        try override("xml/scorecards.xml", in: dir) {
            $0.replacingOccurrences(of: "<Title>{{{title}}}</Title>", with: "<Title>HR copy: {{{title}}}</Title>")
        }
        let shipped = try shippedTemplates()
        let custom = try TemplateSet.load(directory: dir, fallback: templatesURL)
        #expect(custom.url(of: "xlsx/docProps/app.xml")?.path.hasPrefix(dir.path) == true)
        #expect(custom.url(of: "xlsx/xl/styles.xml")?.path.hasPrefix(templatesURL.path) == true)

        let wb = sampleWorkbook()
        let a = try unzip(try XLSXWriter.render(wb, templates: shipped)).parts
        let b = try unzip(try XLSXWriter.render(wb, templates: custom)).parts
        #expect(b["docProps/app.xml"]!.utf8String.contains("<Application>Baton HR Export</Application>"))
        #expect(!a["docProps/app.xml"]!.utf8String.contains("HR Export"))
        #expect(b["xl/worksheets/sheet1.xml"]!.utf8String.contains("<row r=\"1\" ht=\"30\" customHeight=\"1\""))
        #expect(!b["xl/worksheets/sheet1.xml"]!.utf8String.contains("<row r=\"2\" ht="))
        #expect(a["xl/styles.xml"] == b["xl/styles.xml"])
        #expect(a["xl/workbook.xml"] == b["xl/workbook.xml"])

        let flat = try FlatXMLWriter.render(wb, templates: custom).utf8String
        #expect(flat.contains("<Title>HR copy: Scorecards &lt;Q1&gt; &amp; &quot;Co&quot;</Title>"))
    }

    @Test("a Mustache syntax error names the template file and its line")
    func syntaxError() throws {
        let dir = try makeTempDir()
        var brokenLine = 0
        try override("xlsx/xl/styles.xml", in: dir) { source in
            var lines = source.components(separatedBy: "\n")
            let i = lines.firstIndex { $0.contains("<fonts count") }!
            lines[i] = "  {{#fonts}}<fonts>{{/fontz}}"
            brokenLine = i + 1
            return lines.joined(separator: "\n")
        }
        do {
            _ = try TemplateSet.load(directory: dir, fallback: templatesURL)
            Issue.record("expected a TemplateError")
        } catch let error as TemplateError {
            #expect(error.file.hasSuffix("xlsx/xl/styles.xml.mustache"))
            #expect(error.line == brokenLine)
            #expect(error.reason == .syntax("sectionCloseNameIncorrect"))
            #expect(error.description.contains("styles.xml.mustache:\(brokenLine):"))
        }
    }

    @Test("an unclosed tag reports its line too")
    func unclosedTag() throws {
        let dir = try makeTempDir()
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("xml"), withIntermediateDirectories: true)
        try "<a>\n<b>\n{{title <b>\n</a>\n".write(to: dir.appendingPathComponent("xml/scorecards.xml.mustache"), atomically: true, encoding: .utf8)
        #expect {
            try TemplateSet.load(directory: dir, fallback: nil)
        } throws: { error in
            guard let e = error as? TemplateError else { return false }
            return e.file.hasSuffix("xml/scorecards.xml.mustache") && e.line == 3
        }
    }

    @Test("a missing template and a sheet template without a rows section are reported")
    func missingAndStructure() throws {
        let empty = try makeTempDir()
        let none = try TemplateSet.load(directory: empty, fallback: nil)
        #expect(throws: TemplateError(file: "xlsx/xl/worksheets/sheet.xml", line: nil, column: nil, reason: .missing)) {
            try XLSXWriter.render(sampleWorkbook(), templates: none)
        }
        let dir = try makeTempDir()
        try override("xlsx/xl/worksheets/sheet.xml", in: dir) {
            $0.replacingOccurrences(of: "{{#rows}}", with: "{{#lines}}").replacingOccurrences(of: "{{/rows}}", with: "{{/lines}}")
        }
        let bad = try TemplateSet.load(directory: dir, fallback: templatesURL)
        #expect {
            try XLSXWriter.render(sampleWorkbook(), templates: bad)
        } throws: { error in
            guard let e = error as? TemplateError, case .structure = e.reason else { return false }
            return e.file.hasSuffix("sheet.xml.mustache")
        }
        #expect(throws: TemplateError.self) { try TemplateSet.load(directory: empty.appendingPathComponent("nope"), fallback: nil) }
    }

    @Test("rendering a section item by item gives exactly what Mustache gives for the whole template")
    func splitEquivalence() throws {
        let sources = [
            "<a x=\"{{{top}}}\">\n  {{#rows}}\n  <r>{{{v}}}{{{top}}}</r>\n  {{/rows}}\n</a>\n",
            "<a>{{#rows}}<r>{{{v}}}</r>{{/rows}}</a>",
            "head\n{{#rows}}\n{{{v}}}\n{{/rows}}",
            "{{! comment {{#x}} }}\n{{^rows}}none{{/rows}}\n{{#rows}}[{{{v}}}]{{/rows}}\ntail {{{top}}}\n",
        ]
        for (source, items) in sources.flatMap({ s in [(s, [["v": "1"], ["v": "<2>"], ["v": "3"]]), (s, [])] })
            as [(String, [[String: Any]])] {
            let whole = try MustacheTemplate(string: source).render(["top": "T", "rows": items] as [String: Any])
            let split = try SplitTemplate.make(source: source, file: "t", lineOffset: 0, section: "rows", library: MustacheLibrary())
            let scope: [String: Any] = ["top": "T", "rows": !items.isEmpty]
            var out: [UInt8] = []
            split.renderHead(scope, into: &out)
            for item in items { split.renderBody(Scope(top: item, parent: scope), into: &out) }
            split.renderTail(scope, into: &out)
            #expect(out.utf8String == whole, "\(source.debugDescription)")
        }
        #expect(throws: TemplateError.self) {
            try SplitTemplate.make(source: "{{=<% %>=}}\n<%#rows%>x<%/rows%>", file: "t", lineOffset: 0, section: "rows", library: MustacheLibrary())
        }
    }
}

@Suite("Shape-cached row rendering")
struct SectionRendererTests {
    func both(_ templates: TemplateSet) throws -> (fast: [[UInt8]], engine: [[UInt8]]) {
        let wb = sampleWorkbook()
        let fast = [try XLSXWriter.render(wb, templates: templates), try FlatXMLWriter.render(wb, templates: templates)]
        let engine = try SectionRenderer.$engineOnly.withValue(true) {
            [try XLSXWriter.render(wb, templates: templates), try FlatXMLWriter.render(wb, templates: templates)]
        }
        return (fast, engine)
    }

    @Test("spliced rows are byte-identical to rows rendered by the Mustache engine")
    func identical() throws {
        let (fast, engine) = try both(try shippedTemplates())
        #expect(fast == engine)
    }

    @Test("double-mustache escaping and value transforms in user templates render as the engine does")
    func userTemplates() throws {
        let dir = try makeTempDir()
        let flat = try String(contentsOf: templatesURL.appendingPathComponent("xml/scorecards.xml.mustache"), encoding: .utf8)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("xml"), withIntermediateDirectories: true)
        try flat.replacingOccurrences(of: "<Data ss:Type=\"{{{type}}}\">", with: "<Data ss:Type=\"{{{type}}}\" x:Kind=\"{{lowercased(type)}}\">")
            .write(to: dir.appendingPathComponent("xml/scorecards.xml.mustache"), atomically: true, encoding: .utf8)
        let sheet = try String(contentsOf: templatesURL.appendingPathComponent("xlsx/xl/worksheets/sheet.xml.mustache"), encoding: .utf8)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("xlsx/xl/worksheets"), withIntermediateDirectories: true)
        // {{formula}} escapes the already-escaped text once more: ugly but it must match the engine
        try sheet.replacingOccurrences(of: "<f>{{{formula}}}</f>", with: "<f>{{formula}}</f>")
            .write(to: dir.appendingPathComponent("xlsx/xl/worksheets/sheet.xml.mustache"), atomically: true, encoding: .utf8)
        let templates = try TemplateSet.load(directory: dir, fallback: templatesURL)
        let (fast, engine) = try both(templates)
        #expect(fast == engine)
        #expect(fast[1].utf8String.contains("<Data ss:Type=\"Number\" x:Kind=\"number\">"))
        let parts = try unzip(fast[0]).parts
        #expect(parts["xl/worksheets/sheet1.xml"]!.utf8String.contains("<f>SUM($C$2:$C$4)</f>"))
        #expect(SectionRenderer.valueOpaque("{{#cells}}{{{ref}}}{{#last()}}x{{/last()}}{{/cells}}"))
        #expect(!SectionRenderer.valueOpaque("{{lowercased(type)}}"))
        #expect(!SectionRenderer.valueOpaque("{{> partial}}"))
    }
}
