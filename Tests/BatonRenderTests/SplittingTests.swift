import Foundation
import Testing
@testable import BatonRender

@Suite("Splitting sheets longer than the row limit")
struct SplittingTests {
    func longSheet(rows: Int, name: String = "Long", header: Bool = true) -> Workbook {
        let columns = header ? [Column("N", format: .integer), Column("Twice")] : []
        let data = (1...rows).map { i in
            let r = i + (header ? 1 : 0)
            return Row([.number(String(i), format: .general), .formula("A\(r)*2", cached: String(i * 2), format: .general)])
        }
        return Workbook(properties: DocumentProperties(created: "2025-01-01T00:00:00Z"),
                        sheets: [Sheet(name: name, columns: columns, rows: data), Sheet(name: "After", columns: [Column("x")], rows: [])])
    }

    @Test("rows past the limit continue on NAME (2), NAME (3) with the header repeated")
    func splits() throws {
        let wb = longSheet(rows: 7).splittingLongSheets(maxRows: 4)  // header + 3 rows per sheet
        #expect(wb.sheets.map(\.name) == ["Long", "Long (2)", "Long (3)", "After"])
        #expect(wb.sheets.map(\.rows.count) == [3, 3, 1, 0])
        #expect(wb.sheets[1].columns == wb.sheets[0].columns)
        #expect(wb.sheets[1].rows[0].cells[0] == .number("4", format: .general))

        let parts = try unzip(try XLSXWriter.render(wb, templates: try shippedTemplates())).parts
        for i in 1...3 {
            let cells = try SheetCells.parse(parts["xl/worksheets/sheet\(i).xml"]!, sst: parts["xl/sharedStrings.xml"]).cells
            let firstRow = ["A1", "B1"].compactMap { cells[$0] }
            #expect(firstRow.count == 2)
            #expect(firstRow.allSatisfy { $0.type == "s" })
            #expect(firstRow.map(\.value) == ["N", "Twice"])
        }
    }

    @Test("row-relative formula references move with their rows")
    func formulasShift() {
        let wb = longSheet(rows: 7).splittingLongSheets(maxRows: 4)
        // data row 4 was sheet row 5 ("A5*2"); it is row 2 of "Long (2)"
        #expect(wb.sheets[1].rows[0].cells[1] == .formula("A2*2", cached: "8", format: .general))
        #expect(wb.sheets[2].rows[0].cells[1] == .formula("A2*2", cached: "14", format: .general))
        #expect(wb.sheets[0].rows[2].cells[1] == .formula("A4*2", cached: "6", format: .general))
        #expect(FormulaReferences.shiftingRows("SUM(A5:B6)+$A$5+A$5+Other!A5+'My sheet'!B9", by: -3)
                == "SUM(A2:B3)+$A$5+A$5+Other!A5+'My sheet'!B9")
        #expect(FormulaReferences.shiftingRows("A2+A3", by: -2) == "#REF!+A1")
    }

    @Test("no split at exactly the limit; sheets without header use every row")
    func limits() {
        let exact = longSheet(rows: 3)
        #expect(exact.splittingLongSheets(maxRows: 4) == exact)
        let noHeader = longSheet(rows: 7, header: false).splittingLongSheets(maxRows: 3)
        #expect(noHeader.sheets.map(\.rows.count) == [3, 3, 1, 0])
    }

    @Test("continuation names keep their number within 31 characters")
    func longNames() {
        let name = String(repeating: "N", count: 31)
        let wb = longSheet(rows: 5, name: name).splittingLongSheets(maxRows: 2)
        #expect(wb.sheets[0].name == name)
        #expect(wb.sheets[1].name == String(repeating: "N", count: 27) + " (2)")
        #expect(wb.sheets[4].name == String(repeating: "N", count: 27) + " (5)")
        #expect(wb.sheets.allSatisfy { $0.name.utf16.count <= 31 })
    }

    @Test("the writers split at Excel's limit on their own")
    func writerDefault() {
        #expect(Workbook.excelMaxRows == 1_048_576)
        let wb = longSheet(rows: 2)
        #expect(wb.splittingLongSheets() == wb)
    }
}
