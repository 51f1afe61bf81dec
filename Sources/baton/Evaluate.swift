import ArgumentParser
import BatonCore
import BatonIO
import BatonRender
import Foundation

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate one period and write the scorecards.",
        discussion: """
        Reads DATA_DIR (people.csv, leads.csv, deals.csv; followups.csv, spend.csv, targets.csv when present)
        and the plan (--plan, else DATA_DIR/plan.yaml, else the built-in default plan), then writes into OUT_DIR:
          scorecards.json  everything, with each figure's numerator, denominator and rows
          kpis.csv         person_id,side,kpi,value: one figure a row (team rows as team:NAME)
          leads.csv        each lead of the period with its verdict, failed rule and evidence
          payroll.csv      person_id,name,team,amount,currency: each paid person's pay
          pay.csv          every pay line with its rule and arithmetic
          commission_deals.csv  each deal's commission share (for a later period's clawback)
          index.html       the scorecards for a browser: both sides, the funnel, teams, people, pay
        Pages are rendered through the templates in templates/ (read at run time); --templates DIR
        overlays your own copies file by file. OUT_DIR is replaced as a whole, and only when everything
        succeeded.
        """
    )

    @Argument(help: "The data folder.")
    var dataDir: String

    @Option(help: "The period: a month (2026-10), a quarter (2026-Q4) or a range (2026-10-01..2026-10-31).")
    var period: String

    @Option(help: "The plan file (default: DATA_DIR/plan.yaml, else the built-in default plan).")
    var plan: String?

    @Option(help: ArgumentHelp("An earlier period's result folder (repeatable): deals cancelled in this period claw back the commission recorded there.", valueName: "dir"))
    var previous: [String] = []

    @Option(help: "The folder to write the results to.")
    var out: String

    @Option(help: ArgumentHelp("A folder of your own templates (html/, xlsx/, xml/), overlaid on the defaults file by file.", valueName: "dir"))
    var templates: String?

    @Option(help: "The language of the pages: en or zh-Hans.")
    var lang: String = "en"

    @Flag(help: "Print how long each stage took, the bytes it wrote and the peak memory when it ended (KiB) on standard error.")
    var timings = false

    @Flag(help: "Do not print the summary.")
    var quiet = false

    func validate() throws {
        if Language(tag: lang) == nil { throw ValidationError("--lang \(lang): write en or zh-Hans.") }
        if case .failure(let f) = Period.parse(period) { throw ValidationError(f.message) }
    }

    func run() throws {
        returnLargeBuffersToTheSystem()
        var clock = Stopwatch(enabled: timings)
        let period: Period
        do { period = try EvaluationRun.period(self.period) } catch { throw fail(error) }
        let pages: Pages.Templates
        do {
            pages = try clock.measure("read templates") { try Pages.load(templates: templates) }
        } catch let e as TemplateLocationError {
            report(e.description)
            throw ExitCode(Exit.missingInput)
        } catch {
            report("\(error)")
            throw ExitCode(Exit.badData)
        }
        let evaluation: Evaluation
        do {
            let folder = fileURL(dataDir)
            let plan = try clock.measure("read plan") { try PlanFile.resolve(explicit: self.plan.map(fileURL), dataFolder: folder) }
            let data = try clock.measure("read data") { try DataFolder.load(folder, currency: plan.currency) }
            let paid = try clock.measure("read previous") { try PreviousResults.load(previous.map(fileURL), currency: plan.currency) }
            var laps = Laps()
            evaluation = try clock.measure("evaluate") {
                try Evaluator.evaluate(data, plan: plan, period: period, paidCommissions: paid, step: { laps.lap($0) })
            }
            for (name, seconds) in laps.done { clock.record(name, seconds: seconds, bytes: nil) }
        } catch let e as InputProblems {
            throw fail(e)
        } catch let e as EvaluationError {
            report(e.description)
            throw ExitCode(Exit.badData)
        }
        let staging: OutputFolder.Staging
        do {
            staging = try OutputFolder.Staging(fileURL(out))
        } catch {
            report(error.description)
            throw ExitCode(Exit.cannotWrite)
        }
        let files: [String]
        do {
            files = try Pages.render(evaluation, language: Language(tag: lang)!, templates: pages, into: staging, clock: &clock)
        } catch let e as OutputFolder.WriteError {
            staging.discard()
            report(e.description)
            throw ExitCode(Exit.cannotWrite)
        } catch {
            staging.discard()
            report("\(error)")
            throw ExitCode(Exit.badData)
        }
        do {
            try clock.measure("write folder") { try staging.commit() }
        } catch let e as OutputFolder.WriteError {
            report(e.description)
            throw ExitCode(Exit.cannotWrite)
        }
        clock.report(leads: evaluation.data.leads.count)
        if !quiet {
            print(Summary.text(evaluation))
            print("")
            print("Wrote \(files.map { (out as NSString).appendingPathComponent($0) }.joined(separator: ", ")).")
        }
        // Everything is written and committed. Freeing a brand-sized evaluation object by object takes
        // about a second and gives nothing back that the process's end does not: end it now.
        withExtendedLifetime(evaluation) {
            fflush(nil)
            Foundation.exit(0)
        }
    }
}
