import Foundation
import Testing
@testable import BatonRender

@Suite("Sheet names")
struct SheetNameTests {
    @Test("forbidden characters become underscores")
    func forbidden() {
        #expect(SheetName.clean("a[b]c:d*e?f/g\\h") == "a_b_c_d_e_f_g_h")
        #expect(SheetName.clean("tab\there\u{07}") == "tab_here_")
    }

    @Test("names are cut to 31 UTF-16 units without splitting a character")
    func length() {
        let long = String(repeating: "x", count: 40)
        #expect(SheetName.clean(long) == String(repeating: "x", count: 31))
        let emoji = String(repeating: "a", count: 30) + "🚗"  // 32 UTF-16 units
        #expect(SheetName.clean(emoji) == String(repeating: "a", count: 30))
        #expect(SheetName.clean(String(repeating: "ä", count: 31)).count == 31)
    }

    @Test("quotes and blanks are trimmed, empty and reserved names are replaced")
    func edges() {
        #expect(SheetName.clean("'quoted'") == "quoted")
        #expect(SheetName.clean("  spaced  ") == "spaced")
        #expect(SheetName.clean("") == "Sheet")
        #expect(SheetName.clean("''") == "Sheet")
        #expect(SheetName.clean("History") == "History_")
        #expect(SheetName.clean("it's") == "it's")
    }

    @Test("duplicates ignoring case get deterministic numbers that fit in 31 units")
    func unique() {
        let names = ["Data", "data", "DATA", "Data (2)", "Data"]
        let expected = ["Data", "data (2)", "DATA (3)", "Data (2) (2)", "Data (4)"]
        #expect(SheetName.uniqued(names) == expected)
        #expect(SheetName.uniqued(names) == SheetName.uniqued(names))

        let x31 = String(repeating: "x", count: 31)
        let u = SheetName.uniqued([x31, x31, "a/b", "a:b"])
        #expect(u[0] == x31)
        #expect(u[1] == String(repeating: "x", count: 27) + " (2)")
        #expect(u[1].utf16.count == 31)
        #expect(u[2] == "a_b")
        #expect(u[3] == "a_b (2)")
    }

    @Test("both writers use the sanitised unique names")
    func writersUseThem() throws {
        let wb = Workbook(
            properties: DocumentProperties(created: "2025-01-01T00:00:00Z"),
            sheets: ["Q1/Q2: North*", "q1_q2_ north_", "", String(repeating: "Z", count: 35)].map {
                Sheet(name: $0, columns: [Column("A")], rows: [])
            })
        let expected = ["Q1_Q2_ North_", "q1_q2_ north_ (2)", "Sheet", String(repeating: "Z", count: 31)]
        let templates = try shippedTemplates()
        let parts = try unzip(try XLSXWriter.render(wb, templates: templates)).parts
        let names = try XMLProbe.parse(parts["xl/workbook.xml"]!).all("sheet").compactMap { $0.attributes["name"] }
        #expect(names == expected)
        let flat = try XMLProbe.parse(try FlatXMLWriter.render(wb, templates: templates))
        #expect(flat.all("Worksheet").compactMap { $0.attributes["ss:Name"] } == expected)
    }
}
