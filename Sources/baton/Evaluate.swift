import ArgumentParser
import BatonCore
import BatonIO
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
        OUT_DIR is replaced as a whole, and only when everything succeeded.
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

    @Flag(help: "Do not print the summary.")
    var quiet = false

    func validate() throws {
        if case .failure(let f) = Period.parse(period) { throw ValidationError(f.message) }
    }

    func run() throws {
        let period: Period
        do { period = try EvaluationRun.period(self.period) } catch { throw fail(error) }
        let evaluation: Evaluation
        do {
            evaluation = try EvaluationRun.evaluate(dataFolder: fileURL(dataDir), period: period, plan: plan.map(fileURL), previous: previous.map(fileURL))
        } catch {
            throw fail(error)
        }
        let files = ResultFiles.render(evaluation)
        do {
            try OutputFolder.write(files, to: fileURL(out))
        } catch {
            report(error.description)
            throw ExitCode(Exit.cannotWrite)
        }
        if !quiet {
            print(Summary.text(evaluation))
            print("")
            print("Wrote \(files.map { (out as NSString).appendingPathComponent($0.name) }.joined(separator: ", ")).")
        }
    }
}
