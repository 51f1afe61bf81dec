import BatonCore
import BatonIO
import BatonRender
import Dispatch
import Foundation

/// Every output of an evaluation: the result files, and through the templates the HTML page, the .xlsx
/// workbook and the same workbook as one Excel 2003 XML file. The four renderings are independent, so they
/// run on all cores; the files come back in a fixed order, so the output is the same bytes every time.
enum Pages {
    /// One rendering's files and how long it took.
    struct Rendered: Sendable {
        var files: [OutputFile]
        var stage: String
        var seconds: Double
    }

    static func render(_ e: Evaluation, language: Language, templates: String?, clock: inout Stopwatch) throws -> [OutputFile] {
        let roots = try TemplateRoots.locate(user: templates)
        let (html, fallback) = roots.folder("html")
        let page = try HTMLTemplates.load(from: html, fallback: fallback)
        let set = try TemplateSet.load(directory: roots.user ?? roots.defaults, fallback: roots.user == nil ? nil : roots.defaults)
        let workbook = clock.measure("build workbook") { ScorecardWorkbook.make(e, language: language) }
        let jobs: [(String, @Sendable () throws -> [OutputFile])] = [
            ("write json and csv", { ResultFiles.render(e) }),
            ("render html", { [OutputFile(name: "index.html", bytes: page.render(ScorecardView.make(e, language: language)))] }),
            ("render xlsx", { [OutputFile(name: "scorecards.xlsx", bytes: try XLSXWriter.render(workbook, templates: set))] }),
            ("render xml", { [OutputFile(name: "scorecards.xml", bytes: try FlatXMLWriter.render(workbook, templates: set))] }),
        ]
        let results = Results(count: jobs.count)
        clock.measure("render all (parallel)") {
            DispatchQueue.concurrentPerform(iterations: jobs.count) { i in
                let t0 = ContinuousClock.now
                let outcome = Result { try jobs[i].1() }
                let d = ContinuousClock.now - t0
                results.set(i, outcome.map { Rendered(files: $0, stage: jobs[i].0, seconds: Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18) })
            }
        }
        var files: [OutputFile] = []
        for r in results.all() {
            let rendered = try r.get()
            clock.record(rendered.stage, seconds: rendered.seconds, bytes: rendered.files.reduce(0) { $0 + $1.bytes.count })
            files += rendered.files
        }
        return files
    }

    /// The renderings' outcomes, written once each from worker threads.
    final class Results: @unchecked Sendable {
        private let lock = NSLock()
        private var slots: [Result<Rendered, Error>?]
        init(count: Int) { slots = Array(repeating: nil, count: count) }
        func set(_ i: Int, _ r: Result<Rendered, Error>) { lock.lock(); slots[i] = r; lock.unlock() }
        func all() -> [Result<Rendered, Error>] { lock.lock(); defer { lock.unlock() }; return slots.map { $0! } }
    }
}
