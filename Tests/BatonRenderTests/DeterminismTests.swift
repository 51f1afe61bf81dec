import Foundation
import Testing
import ZIPFoundation
@testable import BatonRender

@Suite("Deterministic output")
struct DeterminismTests {
    @Test("rendering the same workbook twice gives byte-identical xlsx and flat XML")
    func sameBytes() throws {
        let templates = try shippedTemplates()
        let a = try XLSXWriter.render(sampleWorkbook(), templates: templates)
        let b = try XLSXWriter.render(sampleWorkbook(), templates: try shippedTemplates())
        #expect(a == b)
        let fa = try FlatXMLWriter.render(sampleWorkbook(), templates: templates)
        let fb = try FlatXMLWriter.render(sampleWorkbook(), templates: templates)
        #expect(fa == fb)
    }

    @Test("fixed entry order, fixed 1980-01-01 timestamps, deflate")
    func zipLayout() throws {
        let bytes = try XLSXWriter.render(sampleWorkbook(), templates: try shippedTemplates())
        let (order, _, entries) = try unzip(bytes)
        #expect(order.first == "[Content_Types].xml")
        #expect(Array(order.prefix(8)) == [
            "[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "docProps/app.xml", "xl/workbook.xml",
            "xl/_rels/workbook.xml.rels", "xl/theme/theme1.xml", "xl/styles.xml",
        ])
        // The sheets are streamed as they are rendered; the shared strings are complete only after them
        // (Excel writes its own packages in this order too).
        #expect(Array(order.dropFirst(8).dropLast()) == (1...6).map { "xl/worksheets/sheet\($0).xml" })
        #expect(order.last == "xl/sharedStrings.xml")
        for entry in entries {
            #expect(entry.fileAttributes[.modificationDate] as? Date == Date(timeIntervalSince1970: 315_532_800), "\(entry.path)")
            #expect(entry.isCompressed)
        }
        // MS-DOS date 1980-01-01 00:00 in the first local header: time 0x0000, date 0x0021
        #expect(Array(bytes[10..<14]) == [0x00, 0x00, 0x21, 0x00])
    }
}
