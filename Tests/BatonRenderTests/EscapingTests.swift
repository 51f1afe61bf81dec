import Foundation
import Testing
@testable import BatonRender

@Suite("XML escaping of hostile text")
struct EscapingTests {
    @Test("the escapers' fast scan (eight bytes at a time, then a table) answers as the exact rules do")
    func fastScan() {
        var cases = ["", "a", "plain text 0123456789", "_x0041_", "a_b", "<", "tab\t", "é", "陈霞", "\u{FFFE}",
                     "\u{FFFF}x", "Kelvin \u{212A}", "AT&T", "it's", "\"q\"", ">", "2026-10-03 12:34:56+08:00",
                     "+86 138 0013 8000", "L0001234567"].map { Array($0.utf8) }
        // Every byte value at the first, a middle and the last place of texts of 1 to 40 bytes.
        for n in [1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 40] {
            for b in 0...255 {
                for at in Set([0, n / 2, n - 1]) {
                    for fill in [UInt8(ascii: "a"), UInt8(ascii: " "), UInt8(ascii: "~")] {
                        var t = Array(repeating: fill, count: n)
                        t[at] = UInt8(b)
                        cases.append(t)
                    }
                }
            }
        }
        // U+FFFE / U+FFFF across a word boundary.
        for at in 0..<12 {
            var t = Array(repeating: UInt8(ascii: "a"), count: 16)
            t[at] = 0xEF; t[at + 1] = 0xBF; t[at + 2] = 0xBE
            cases.append(t)
        }
        for t in cases {
            t.withUnsafeBufferPointer { buf in
                #expect(XMLScan.isPlainText(buf) == XMLEscape.isPlain(buf, ooxml: false), "\(t)")
                #expect(XMLScan.isPlainOOXMLText(buf) == XMLEscape.isPlain(buf, ooxml: true), "\(t)")
            }
        }
    }

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

    @Test("xml:space=\"preserve\" exactly for texts with whitespace at an end, or a TAB, LF or CR anywhere")
    func preserveRule() {
        for s in [" a", "a ", "\ta", "a\n", "\r", " ", "a\tb", "a\nb", "a\rb", "  padded  "] {
            #expect(XMLEscape.needsPreserve(s), "\(s.debugDescription)")
        }
        for s in ["", "a", "a b", "a  b", "\u{A0}a\u{A0}", "\u{3000}x", "\u{85}", "_x0020_", "&amp; <"] {
            #expect(!XMLEscape.needsPreserve(s), "\(s.debugDescription)")
        }
        // Bytes and String agree, plain or not.
        for s in [" a", "a", "a\tb", "<a>", "a\u{07}", "é ", "线索"] {
            let bytes = Array(s.utf8)
            bytes.withUnsafeBufferPointer { b in
                #expect(XMLEscape.needsPreserve(b, plain: false) == XMLEscape.needsPreserve(s))
                if XMLEscape.isPlain(b, ooxml: true) { #expect(XMLEscape.needsPreserve(b, plain: true) == XMLEscape.needsPreserve(s)) }
                #expect(XMLScan.isPlainOOXMLText(b) == XMLEscape.isPlain(b, ooxml: true))
            }
        }
    }

    @Test("xlsx: hostile text round-trips as inert inline strings, with xml:space only where needed")
    func xlsxInlineRoundTrip() throws {
        let wb = Workbook(
            properties: DocumentProperties(created: "2025-01-02"),
            sheets: [Sheet(name: "Inline", columns: [Column("<h1>&amp;\u{200F}", texts: .inline), Column("shared")],
                           rows: hostileTexts.map { Row([.text($0.input), .text($0.input)]) })])
        let bytes = try XLSXWriter.render(wb, templates: try shippedTemplates())
        let parts = try unzip(bytes).parts
        let cells = try SheetCells.parse(parts["xl/worksheets/sheet1.xml"]!, sst: parts["xl/sharedStrings.xml"]).cells
        #expect(cells["A1"]?.type == "s" && cells["A1"]?.value == "<h1>&amp;\u{200F}")  // headers stay shared
        for (i, h) in hostileTexts.enumerated() {
            let inline = cells["A\(i + 2)"], shared = cells["B\(i + 2)"]
            #expect(inline?.type == "inlineStr" && shared?.type == "s")
            #expect(inline?.value?.replacingOccurrences(of: "_x005F_", with: "_") == h.expected, "\(h.input.debugDescription)")
            #expect(inline?.value == shared?.value)
            #expect(inline?.formula == nil)
        }
        let sheet = parts["xl/worksheets/sheet1.xml"]!.utf8String
        #expect(!sheet.contains("<script>") && sheet.contains("&lt;script&gt;"))
        #expect(sheet.contains("<is><t xml:space=\"preserve\">  padded  </t></is>"))
        #expect(sheet.contains("<is><t xml:space=\"preserve\">line1\nline2\ttabbed</t></is>"))
        #expect(sheet.contains("<is><t xml:space=\"preserve\">windows&#13;\nline end</t></is>"))
        #expect(sheet.contains("<is><t>+1</t></is>") && sheet.contains("<is><t>_x005F_x0041_ stays literal</t></is>"))
        let strings = parts["xl/sharedStrings.xml"]!.utf8String
        #expect(strings.contains("<si><t xml:space=\"preserve\">  padded  </t></si>"))
        #expect(strings.contains("<si><t>AT&amp;T &amp; Sons</t></si>"))
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
