import Foundation
import Testing
@testable import BatonRender

@Suite("XML escaping of hostile text")
struct EscapingTests {
    @Test("the five XML specials are escaped in text and attributes")
    func specials() {
        #expect(XMLEscape.text("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;")
        #expect(XMLEscape.text("AT&T \"a\" 'b'") == "AT&amp;T &quot;a&quot; &apos;b&apos;")
        #expect(XMLEscape.attribute("a&b<c>\"'") == "a&amp;b&lt;c&gt;&quot;&apos;")
        #expect(XMLEscape.text("plain text") == "plain text")
    }

    @Test("illegal XML 1.0 characters are replaced by U+FFFD; TAB, LF, CR and bidi marks survive")
    func controls() {
        #expect(XMLEscape.text("a\u{0}b\u{07}c\u{1F}d") == "a\u{FFFD}b\u{FFFD}c\u{FFFD}d")
        #expect(XMLEscape.text("x\u{FFFE}\u{FFFF}y") == "x\u{FFFD}\u{FFFD}y")
        #expect(XMLEscape.text("tab\tlf\n") == "tab\tlf\n")
        #expect(XMLEscape.text("cr\r") == "cr&#13;")
        #expect(XMLEscape.attribute("tab\tlf\ncr\r") == "tab&#9;lf&#10;cr&#13;")
        #expect(XMLEscape.text("\u{200F}rtl\u{202E}") == "\u{200F}rtl\u{202E}")
        #expect(XMLEscape.text("\u{85}c1") == "\u{85}c1")  // C1 controls are legal XML 1.0
    }

    @Test("formula-like text is not altered by escaping")
    func formulaLike() {
        for s in ["=HYPERLINK(\"http://x\",\"y\")", "+1", "-x", "@SUM(A1)"] {
            #expect(XMLEscape.text(s).replacingOccurrences(of: "&quot;", with: "\"") == s)
        }
    }

    @Test("OOXML text protects literal _xHHHH_ sequences only")
    func ooxmlUnderscore() {
        #expect(XMLEscape.ooxmlText("_x0041_") == "_x005F_x0041_")
        #expect(XMLEscape.ooxmlText("a_x00e9_b_x12_") == "a_x005F_x00e9_b_x12_")
        #expect(XMLEscape.ooxmlText("snake_xcase") == "snake_xcase")
        #expect(XMLEscape.text("_x0041_") == "_x0041_")
    }

    /// One sheet of hostile texts (also in the header, the sheet name and the title).
    func hostileWorkbook() -> Workbook {
        Workbook(
            properties: DocumentProperties(title: "<Title> & \"x\"\u{07}", subject: "'s'", creator: "a<b", created: "2025-01-02"),
            sheets: [Sheet(
                name: "<Evil> & 'sheet'",
                columns: [Column("<h1>&amp;\u{200F}"), Column("=1+1")],
                rows: hostileTexts.map { Row([.text($0.input), .text($0.input)]) })])
    }

    @Test("xlsx: hostile text round-trips as inert shared strings")
    func xlsxRoundTrip() throws {
        let bytes = try XLSXWriter.render(hostileWorkbook(), templates: try shippedTemplates())
        let parts = try unzip(bytes).parts
        for (path, part) in parts {
            _ = try XMLProbe.parse(part)  // every part well formed
            #expect(part.utf8String.hasPrefix("<?xml"), "\(path)")
        }
        let sst = try XMLProbe.parse(parts["xl/sharedStrings.xml"]!)
        let texts = sst.all("t").map { $0.text.replacingOccurrences(of: "_x005F_", with: "_") }
        for h in hostileTexts {
            #expect(texts.contains(h.expected), "missing \(h.expected.debugDescription)")
        }
        #expect(texts.contains("<h1>&amp;\u{200F}"))
        #expect(texts.contains("=1+1"))

        let sheet = try XMLProbe.parse(parts["xl/worksheets/sheet1.xml"]!)
        #expect(sheet.all("f").isEmpty, "no formula may appear")
        let cells = sheet.all("c")
        #expect(cells.count == 2 * (hostileTexts.count + 1))
        #expect(cells.allSatisfy { $0.attributes["t"] == "s" })
        #expect(!parts["xl/sharedStrings.xml"]!.utf8String.contains("<script>"))

        let wb = try XMLProbe.parse(parts["xl/workbook.xml"]!)
        #expect(wb.all("sheet").first?.attributes["name"] == "<Evil> & 'sheet")  // a trailing ' is not allowed
        let core = try XMLProbe.parse(parts["docProps/core.xml"]!)
        #expect(core.all("dc:title").first?.text == "<Title> & \"x\"\u{FFFD}")
    }

    @Test("flat XML: hostile text is ss:Type=\"String\" with no ss:Formula")
    func flatRoundTrip() throws {
        let bytes = try FlatXMLWriter.render(hostileWorkbook(), templates: try shippedTemplates())
        let doc = try XMLProbe.parse(bytes)
        let cells = doc.all("Cell")
        #expect(cells.count == 2 * (hostileTexts.count + 1))
        #expect(cells.allSatisfy { $0.attributes["ss:Formula"] == nil })
        let data = doc.all("Data")
        #expect(data.allSatisfy { $0.attributes["ss:Type"] == "String" })
        let texts = data.map(\.text)
        for h in hostileTexts {
            #expect(texts.contains(h.expected), "missing \(h.expected.debugDescription)")
        }
        #expect(doc.all("Worksheet").first?.attributes["ss:Name"] == "<Evil> & 'sheet")
        #expect(!bytes.utf8String.contains("<script>"))
    }
}
