import BatonCore
import Foundation

/// The boss's page: one self-contained HTML file (inline CSS and SVG, no script, no fonts or links from
/// elsewhere) with both sides' scorecards, rendered from a folder of Mustache templates.
public enum HTMLReport {
    /// The page's file name in an output folder.
    public static let fileName = "scorecards.html"

    /// The templates shipped with the project: `templates/html` under the project's root.
    public static func defaultTemplatesFolder(root: URL) -> URL {
        root.appendingPathComponent("templates", isDirectory: true).appendingPathComponent("html", isDirectory: true)
    }

    /// The page for a view, from the templates in `templates` (the folder holding `index.html.mustache`).
    /// Same view and templates, same bytes.
    public static func render(_ view: ScorecardView, templates: URL) throws(HTMLTemplateProblem) -> [UInt8] {
        try HTMLTemplates.load(from: templates).render(view)
    }

    /// The page for an evaluation in one language.
    public static func render(_ e: Evaluation, language: Language, templates: URL) throws(HTMLTemplateProblem) -> [UInt8] {
        try render(ScorecardView.make(e, language: language), templates: templates)
    }
}
