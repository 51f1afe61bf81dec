import BatonCore
import BatonIO
import BatonRender
import Foundation

/// The pages people read, rendered through the templates: the HTML page, the .xlsx workbook and the
/// same workbook as one Excel 2003 XML file.
enum Pages {
    static func render(_ e: Evaluation, language: Language, templates: String?) throws -> [OutputFile] {
        let roots = try TemplateRoots.locate(user: templates)
        let (html, fallback) = roots.folder("html")
        let page = try HTMLTemplates.load(from: html, fallback: fallback).render(ScorecardView.make(e, language: language))
        let set = try TemplateSet.load(directory: roots.user ?? roots.defaults, fallback: roots.user == nil ? nil : roots.defaults)
        let workbook = ScorecardWorkbook.make(e, language: language)
        return [
            OutputFile(name: "index.html", bytes: page),
            OutputFile(name: "scorecards.xlsx", bytes: try XLSXWriter.render(workbook, templates: set)),
            OutputFile(name: "scorecards.xml", bytes: try FlatXMLWriter.render(workbook, templates: set)),
        ]
    }
}
