import Foundation
import Testing
import ZIPFoundation

/// Text from the data never acts: not as markup in the page, not as a formula in a spreadsheet, not as a
/// control character on the terminal.
@Suite("Hostile text comes out inert")
struct HostileTextTests {
    static func evaluate() throws -> (TemporaryFolder, URL, CLI.Result) {
        let tmp = try TemporaryFolder()
        let out = tmp.url.appendingPathComponent("out")
        let r = try CLI.run(["evaluate", "fixtures/hostile", "--period", "2026-10", "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        return (tmp, out, r)
    }

    static func parts(_ xlsx: URL) throws -> [String: String] {
        let archive = try Archive(url: xlsx, accessMode: .read)
        var out: [String: String] = [:]
        for entry in archive {
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            out[entry.path] = String(decoding: data, as: UTF8.self)
        }
        return out
    }

    @Test("the page shows hostile names as text: no markup, no script, no control characters")
    func html() throws {
        let (tmp, out, _) = try Self.evaluate()
        let page = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(!page.contains("<script"))
        #expect(!page.contains("<b>B</b>"))
        #expect(!page.contains("<img"))
        #expect(page.contains("王建儒 ]]&gt; &lt;!-- x --&gt; &amp;amp; {{name}}"), "template syntax in data is shown as text, never expanded")
        #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(page.contains("Store &lt;b&gt;B&lt;/b&gt;"))
        #expect(page.contains("Tom &amp; &quot;Jerry&quot; &#39;O&#39;Neil&#39;"))
        for bad in ["\u{7}", "\u{B}", "\u{202E}", "\u{200F}"] { #expect(!page.contains(bad), "a control character reached the page") }
        _ = tmp
    }

    @Test("in the .xlsx every hostile text is a string cell; the only formulas are Baton's own")
    func xlsx() throws {
        let (tmp, out, _) = try Self.evaluate()
        let parts = try Self.parts(out.appendingPathComponent("scorecards.xlsx"))
        let strings = try #require(parts["xl/sharedStrings.xml"])
        #expect(strings.contains("=HYPERLINK(&quot;http://evil.example&quot;,&quot;click&quot;)"))
        #expect(strings.contains("+SUM(1,2)") && strings.contains("-2+3") && strings.contains("@SUM(A1)"))
        #expect(strings.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(strings.contains("bell\u{FFFD}vt\u{FFFD}"), "characters XML 1.0 forbids become U+FFFD")
        let sheets = parts.filter { $0.key.hasPrefix("xl/worksheets/") }
        #expect(sheets.count >= 6)
        let formula = try Regex(#"<f>([^<]*)</f>"#)
        var formulas = 0
        for (name, xml) in sheets {
            #expect(!xml.contains("<script"), "\(name)")
            for m in xml.matches(of: formula) {
                formulas += 1
                let f = String(m.output[1].substring ?? "")
                // Baton writes cell arithmetic only: references, + - * /, digits, SUM, parentheses, colons.
                #expect(f.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+-*/().:$".contains($0)) }, "\(name): unexpected formula \(f)")
                #expect(!f.contains("HYPERLINK") && !f.contains("cmd"), "\(name): \(f)")
            }
        }
        #expect(formulas > 20)
        for (name, xml) in parts where name.hasSuffix(".xml") || name.hasSuffix(".rels") {
            #expect(!xml.unicodeScalars.contains { $0.value < 0x20 && ![0x9, 0xA, 0xD].contains($0.value) }, "\(name) holds a character XML 1.0 forbids")
        }
        _ = tmp
    }

    @Test("in the 2003 XML every hostile text is String data, never a formula")
    func flatXML() throws {
        let (tmp, out, _) = try Self.evaluate()
        let xml = try String(contentsOf: out.appendingPathComponent("scorecards.xml"), encoding: .utf8)
        #expect(xml.contains("<Data ss:Type=\"String\">=HYPERLINK(&quot;http://evil.example&quot;,&quot;click&quot;)</Data>"))
        let formula = try Regex(#"ss:Formula="([^"]*)""#)
        for m in xml.matches(of: formula) {
            let f = String(m.output[1].substring ?? "")
            #expect(!f.contains("HYPERLINK") && !f.contains("cmd") && !f.contains("&quot;"), "formula \(f)")
        }
        #expect(!xml.contains("<script"))
        _ = tmp
    }

    @Test("the CSV results put an apostrophe before text a spreadsheet would run")
    func csv() throws {
        let (tmp, out, _) = try Self.evaluate()
        let payroll = try String(contentsOf: out.appendingPathComponent("payroll.csv"), encoding: .utf8)
        #expect(payroll.contains("S1,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\""))
        #expect(payroll.contains("S2,'+SUM(1,2)") || payroll.contains("S2,\"'+SUM(1,2)\""))
        #expect(payroll.contains("S3,'-2+3,"))
        #expect(payroll.contains("S4,'@SUM(A1),"))
        let leads = try String(contentsOf: out.appendingPathComponent("leads.csv"), encoding: .utf8)
        #expect(leads.contains("'=cmd|' /C calc'!A0"))
        _ = tmp
    }

    @Test("the terminal summary shows control characters as escapes, never raw")
    func terminal() throws {
        let tmp = try TemporaryFolder()
        let data = try tmp.copy(fixture: "hostile", withExpected: false)
        // A team name with a bell and a right-to-left override reaches the summary.
        let people = data.appendingPathComponent("people.csv")
        let text = try String(contentsOf: people, encoding: .utf8).replacingOccurrences(of: "Store <b>B</b>", with: "Store\u{7}\u{202E}B")
        try Data(text.utf8).write(to: people)
        let r = try CLI.run(["evaluate", "hostile", "--period", "2026-10", "--out", "out"], in: tmp.url)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!r.stdout.contains("\u{7}") && !r.stdout.contains("\u{202E}"))
        #expect(r.stdout.contains("Store\\u{7}\\u{202e}B"))
    }
}
