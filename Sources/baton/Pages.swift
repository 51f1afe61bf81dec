import BatonCore
import BatonIO
import BatonRender
import Dispatch
import Foundation

/// Every output of an evaluation: the result files, and through the templates the HTML page, the .xlsx
/// workbook and the same workbook as one Excel 2003 XML file. The four renderings are independent, so they
/// run on all cores; the files come back in a fixed order, so the output is the same bytes every time.
enum Pages {
    /// One rendering's stage name, how long it took and the bytes it wrote.
    struct Rendered: Sendable {
        var stage: String
        var seconds: Double
        var bytes: Int
    }

    /// A rendering: writes its files into the staged output folder, returns the bytes written.
    typealias Job = @Sendable (OutputFolder.Staging) throws -> Int

    /// Renders every output into `out` (files written as they are rendered; the folder is put in place
    /// by the caller's commit). Returns the names of the files, in a fixed order.
    static func render(_ e: Evaluation, language: Language, templates: String?, into out: OutputFolder.Staging,
                       clock: inout Stopwatch) throws -> [String] {
        let roots = try TemplateRoots.locate(user: templates)
        let (html, fallback) = roots.folder("html")
        let page = try HTMLTemplates.load(from: html, fallback: fallback)
        let set = try TemplateSet.load(directory: roots.user ?? roots.defaults, fallback: roots.user == nil ? nil : roots.defaults)
        let workbook = clock.measure("build workbook") { ScorecardWorkbook.make(e, language: language) }
        func whole(_ files: @escaping @Sendable () throws -> [OutputFile]) -> Job {
            { staging in
                var n = 0
                for f in try files() { try staging.write(f); n += f.bytes.count }
                return n
            }
        }
        let jobs: [(String, Job)] = [
            ("write json and csv", { staging in try ResultFiles.write(e, into: staging) }),
            ("render html", { staging in let file = try staging.file("index.html"); page.render(e, language: language, into: file); return file.written }),
            ("render xlsx", { staging in try XLSXWriter.render(workbook, templates: set, to: try staging.file("scorecards.xlsx")) }),
            ("render xml", { staging in try FlatXMLWriter.render(workbook, templates: set, to: try staging.file("scorecards.xml")) }),
        ]
        let results = Results(count: jobs.count)
        clock.measure("render all (parallel)") {
            DispatchQueue.concurrentPerform(iterations: jobs.count) { i in
                let t0 = ContinuousClock.now
                let outcome = Result { try jobs[i].1(out) }
                let d = ContinuousClock.now - t0
                let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
                results.set(i, outcome.map { Rendered(stage: jobs[i].0, seconds: seconds, bytes: $0) })
            }
        }
        for r in results.all() {
            let rendered = try r.get()
            clock.record(rendered.stage, seconds: rendered.seconds, bytes: rendered.bytes)
        }
        return fileNames
    }

    /// The files an evaluation writes, in the order the summary names them.
    static let fileNames = ["scorecards.json", "kpis.csv", "leads.csv", "payroll.csv", "pay.csv", PreviousResults.file,
                            "index.html", "scorecards.xlsx", "scorecards.xml"]

    /// The renderings' outcomes, written once each from worker threads.
    final class Results: @unchecked Sendable {
        private let lock = NSLock()
        private var slots: [Result<Rendered, Error>?]
        init(count: Int) { slots = Array(repeating: nil, count: count) }
        func set(_ i: Int, _ r: Result<Rendered, Error>) { lock.lock(); slots[i] = r; lock.unlock() }
        func all() -> [Result<Rendered, Error>] { lock.lock(); defer { lock.unlock() }; return slots.map { $0! } }
    }
}
