import BatonCore
import BatonIO
import BatonRender
import Foundation

/// The pages people read, rendered through the templates: the HTML page, the .xlsx workbook and the
/// same workbook as one Excel 2003 XML file.
enum Pages {
    static func render(_ e: Evaluation, language: Language, templates: String?, clock: inout Stopwatch) throws -> [OutputFile] {
        let roots = try TemplateRoots.locate(user: templates)
        let (html, fallback) = roots.folder("html")
        let page = try clock.measure("render html", bytes: \.count) {
            try HTMLTemplates.load(from: html, fallback: fallback).render(ScorecardView.make(e, language: language))
        }
        let set = try TemplateSet.load(directory: roots.user ?? roots.defaults, fallback: roots.user == nil ? nil : roots.defaults)
        let workbook = clock.measure("build workbook") { ScorecardWorkbook.make(e, language: language) }
        let xlsx = try clock.measure("render xlsx", bytes: \.count) { try XLSXWriter.render(workbook, templates: set) }
        let xml = try clock.measure("render xml", bytes: \.count) { try FlatXMLWriter.render(workbook, templates: set) }
        return [
            OutputFile(name: "index.html", bytes: page),
            OutputFile(name: "scorecards.xlsx", bytes: xlsx),
            OutputFile(name: "scorecards.xml", bytes: xml),
        ]
    }
}
