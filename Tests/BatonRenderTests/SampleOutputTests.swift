import Foundation
import Testing
@testable import BatonRender

/// Writes `sample.xlsx`, `scorecards.xml` and `expected.json` (the model as the files should
/// read back) for `scripts/check-xlsx.py`. The directory is `$BATON_SAMPLE_DIR` when set,
/// otherwise a temporary one (the test then only proves the sample renders).
@Suite("Sample output for external validators")
struct SampleOutputTests {
    @Test("the sample workbook renders to xlsx and flat XML and is written out with its expected values")
    func writeSample() throws {
        let dir: URL
        if let env = ProcessInfo.processInfo.environment["BATON_SAMPLE_DIR"], !env.isEmpty {
            dir = URL(fileURLWithPath: env, isDirectory: true)
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        } else {
            dir = try makeTempDir("baton-sample")
        }
        let templates = try shippedTemplates()
        let wb = sampleWorkbook()
        let xlsx = try XLSXWriter.render(wb, templates: templates)
        let flat = try FlatXMLWriter.render(wb, templates: templates)
        try Data(xlsx).write(to: dir.appendingPathComponent("sample.xlsx"))
        try Data(flat).write(to: dir.appendingPathComponent("scorecards.xml"))
        // Also the unzipped parts, so each can be checked with xmllint.
        let parts = try unzip(xlsx)
        for (path, bytes) in parts.parts {
            let url = dir.appendingPathComponent("parts").appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
        }
        let json = try JSONSerialization.data(withJSONObject: expectedModel(wb), options: [.prettyPrinted, .sortedKeys])
        try json.write(to: dir.appendingPathComponent("expected.json"))
        #expect(xlsx.count > 1000)
        #expect(flat.count > 1000)
    }

    /// What a reader must find: final sheet names, header row, every cell (illegal XML
    /// characters replaced by U+FFFD), cached formula values.
    func expectedModel(_ wb: Workbook) -> [String: Any] {
        let names = SheetName.uniqued(wb.sheets.map(\.name))
        func clean(_ s: String) -> String {
            String(String.UnicodeScalarView(s.unicodeScalars.map { XMLEscape.isLegalXMLChar($0) ? $0 : XMLEscape.replacement }))
        }
        /// Number format code the cell must carry (its own, or the column's for `.general`).
        func code(_ c: Cell, _ column: Column?) -> String {
            StyleTable.key(for: c, column: column, bold: false)?.code ?? "General"
        }
        func cell(_ c: Cell, _ column: Column?) -> Any {
            switch c {
            case .empty: return NSNull()
            case .text(let t): return ["type": "text", "value": clean(t)]
            case .number(let v, _): return ["type": "number", "value": v, "format": code(c, column)]
            case .formula(let f, let cached, _):
                return ["type": "formula", "formula": f, "cached": cached.map { $0 as Any } ?? NSNull(),
                        "format": code(c, column)] as [String: Any]
            }
        }
        let sheets: [[String: Any]] = wb.sheets.enumerated().map { i, s in
            var rows: [Any] = []
            var bold: [Bool] = []
            if s.hasHeader {
                rows.append(s.columns.map { ["type": "text", "value": clean($0.header)] })
                bold.append(true)
            }
            for r in s.rows {
                rows.append(r.cells.enumerated().map { c, v in cell(v, c < s.columns.count ? s.columns[c] : nil) })
                bold.append(r.style != .normal)
            }
            let width = s.rows.reduce(s.columns.count) { max($0, $1.cells.count) }
            let autoFilter: Any = s.autoFilter && s.hasHeader
                ? "A1:" + FormulaReferences.a1(row: rows.count, column: width) : NSNull()
            return ["name": names[i], "rows": rows, "rowBold": bold, "freeze": s.freezeHeader && s.hasHeader,
                    "autoFilter": autoFilter, "widths": s.columns.map(\.width)]
        }
        return ["sheets": sheets, "title": wb.properties.title, "created": wb.properties.created]
    }
}
