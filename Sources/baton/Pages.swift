import BatonCore
import BatonIO
import BatonRender
import Foundation

/// The pages people read, rendered through the templates: the HTML page (and the workbooks).
enum Pages {
    static func render(_ e: Evaluation, language: Language, templates: String?) throws -> [OutputFile] {
        let roots = try TemplateRoots.locate(user: templates)
        let (html, fallback) = roots.folder("html")
        let page = try HTMLTemplates.load(from: html, fallback: fallback).render(ScorecardView.make(e, language: language))
        return [OutputFile(name: "index.html", bytes: page)]
    }
}
