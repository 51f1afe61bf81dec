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

    /// The page's and the workbooks' templates, found and parsed.
    struct Templates: Sendable {
        let page: HTMLTemplates
        let set: TemplateSet
    }

    /// Finds and parses the templates (the user's folder over the defaults). Done before the data is read,
    /// so that a missing or broken template is reported at once, not after a long evaluation.
    static func load(templates: String?) throws -> Templates {
        let roots = try TemplateRoots.locate(user: templates)
        let (html, fallback) = roots.folder("html")
        let page = try HTMLTemplates.load(from: html, fallback: fallback)
        let set = try TemplateSet.load(directory: roots.user ?? roots.defaults, fallback: roots.user == nil ? nil : roots.defaults)
        return Templates(page: page, set: set)
    }

    /// Renders every output into `out` (files written as they are rendered; the folder is put in place
    /// by the caller's commit). Returns the names of the files, in a fixed order.
    static func render(_ e: Evaluation, language: Language, templates: Templates, into out: OutputFolder.Staging,
                       clock: inout Stopwatch) throws -> [String] {
        let (page, set) = (templates.page, templates.set)
        // The workbook is built by the first of its two renderings to need it (the .xlsx starts first), while
        // the other core already renders the page; the .xml waits for it if it gets there first.
        // Laid out once (styles and widths collected from every cell) for both workbook formats.
        // Jobs start in this order, the next whenever a core is free: the .xlsx (the longest chain: build,
        // rows, deflate) and the page first, then scorecards.json, the .xml and the CSV files fill in.
        // Starting the page second rather than last evens the two cores out when the per-person work
        // dominates (0.29 → 0.24 s at 100k leads); at 1M the order makes no measurable difference. The
        // jobs' own inner loops (the workbook's sheets, the page's rounds) run on their job's thread: a
        // `concurrentPerform` nested in this one gets no other core while this one fills them, so each job
        // is one piece of work here, and the JSON and the CSV files are two.
        let workbook = Shared { Result { try LaidOutWorkbook(ScorecardWorkbook.make(e, language: language)) } }
        let jobs: [(String, Job)] = [
            ("render xlsx", { staging in try XLSXWriter.render(workbook.value.get(), templates: set, to: try staging.file("scorecards.xlsx")) }),
            ("render html", { staging in let file = try staging.file("index.html"); page.render(e, language: language, into: file); return file.written }),
            ("write json", { staging in try ResultFiles.write(ResultFiles.groups[0], e, into: staging) }),
            ("render xml", { staging in try FlatXMLWriter.render(workbook.value.get(), templates: set, to: try staging.file("scorecards.xml")) }),
            ("write csv", { staging in try ResultFiles.write(ResultFiles.groups[1], e, into: staging) }),
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
        clock.record("build workbook", seconds: workbook.seconds, bytes: nil)
        for r in results.all() {
            let rendered = try r.get()
            clock.record(rendered.stage, seconds: rendered.seconds, bytes: rendered.bytes)
        }
        return fileNames
    }

    /// The files an evaluation writes, in the order the summary names them.
    static let fileNames = ["scorecards.json", "kpis.csv", "leads.csv", "payroll.csv", "pay.csv", PreviousResults.file,
                            "index.html", "scorecards.xlsx", "scorecards.xml"]

    /// A value computed once, by the first thread that asks; the others wait for it. Also how long it took.
    final class Shared<Value: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var make: (@Sendable () -> Value)?
        private var made: Value?
        private(set) var seconds = 0.0
        init(_ make: @escaping @Sendable () -> Value) { self.make = make }
        var value: Value {
            lock.lock()
            defer { lock.unlock() }
            if let made { return made }
            let t0 = ContinuousClock.now
            let v = make!()
            let d = ContinuousClock.now - t0
            seconds = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
            made = v
            make = nil
            return v
        }
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
