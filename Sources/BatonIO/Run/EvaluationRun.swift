import BatonCore
import Foundation

/// Reads a data folder and its plan and evaluates one period: the path every command shares.
public enum EvaluationRun {
    public enum Failure: Error, Sendable, CustomStringConvertible {
        case input(InputProblems)
        case evaluation(EvaluationError)
        public var description: String {
            switch self {
            case .input(let p): return p.description
            case .evaluation(let e): return e.description
            }
        }
    }

    /// `previous`: earlier periods' result folders, whose commission records cancelled deals claw back.
    public static func evaluate(dataFolder: URL, period: Period, plan planURL: URL?, previous: [URL] = []) throws(Failure) -> Evaluation {
        let plan: Plan
        let data: PeriodData
        let paid: [PaidCommission]
        do {
            plan = try PlanFile.resolve(explicit: planURL, dataFolder: dataFolder)
            data = try DataFolder.load(dataFolder, currency: plan.currency)
            paid = try PreviousResults.load(previous, currency: plan.currency)
        } catch {
            throw .input(error)
        }
        do {
            return try Evaluator.evaluate(data, plan: plan, period: period, paidCommissions: paid)
        } catch {
            throw .evaluation(error)
        }
    }

    /// Reads a period argument, with the fix in the message.
    public static func period(_ text: String) throws(InputProblems) -> Period {
        switch Period.parse(text) {
        case .success(let p): return p
        case .failure(let f): throw InputProblems([InputProblem(file: "--period", message: f.message)])
        }
    }
}

/// The short text printed after an evaluation: one paragraph per side, then what needs attention.
public enum Summary {
    public static func text(_ e: Evaluation) -> String {
        let c = e.plan.currency
        func fig(_ values: [KPIValue]?, _ name: String) -> String {
            guard let v = values?.first(where: { $0.kpi.name == name }) else { return "-" }
            guard let x = v.value else { return "no data" }
            switch v.kpi.unit {
            case .count: return String(x.numerator)
            case .money, .moneyRatio: return grouped(x.decimalString(places: c.decimals)) + " " + c.code
            case .rate: return Printing.percent(x)
            }
        }
        var lines: [String] = []
        lines.append("Baton: period \(e.period) (\(e.period.first)..\(e.period.last)), plan \(e.plan.label)")
        let m = e.totals[.marketing]
        lines.append("")
        lines.append("Marketing (\(e.scorecards(.marketing).count) people): \(fig(m, "leads")) leads, \(fig(m, "valid_leads")) valid (\(fig(m, "validity_rate"))), spend \(fig(m, "spend")), cost per valid lead \(fig(m, "cost_per_valid_lead")), new-customer sales \(fig(m, "new_customer_sales")).")
        for t in e.teams(.marketing) {
            lines.append("  \(t.team): \(fig(t.figures, "leads")) leads, \(fig(t.figures, "valid_leads")) valid (\(fig(t.figures, "validity_rate"))), cost per valid lead \(fig(t.figures, "cost_per_valid_lead"))")
        }
        let s = e.totals[.sales]
        lines.append("")
        lines.append("Sales (\(e.scorecards(.sales).count) people): total sales \(fig(s, "total_sales")), new-customer \(fig(s, "new_customer_sales")), completion \(fig(s, "completion_rate")), conversion \(fig(s, "conversion_rate")) of \(fig(s, "assigned_leads")) assigned leads.")
        for t in e.teams(.sales) {
            lines.append("  \(t.team): total sales \(fig(t.figures, "total_sales")), completion \(fig(t.figures, "completion_rate")), conversion \(fig(t.figures, "conversion_rate"))")
        }
        if !e.payroll.statements.isEmpty {
            lines.append("")
            lines.append("Pay: \(e.payroll.statements.count) people, total \(c.formatGrouped(e.payroll.grandTotal)) \(c.code).")
            for t in e.payroll.teamTotals { lines.append("  \(t.team): \(c.formatGrouped(t.amount)) \(c.code)") }
        }
        let disputed = e.labelDisputes.filter { $0.label == .invalid }.count
        if !e.labelDisputes.isEmpty {
            lines.append("")
            lines.append("Label disputes: \(e.labelDisputes.count) lead(s) labelled against the rules, \(disputed) of them valid leads labelled invalid by sales.")
        }
        if !e.warnings.isEmpty {
            lines.append("")
            lines.append("Warnings:")
            for w in e.warnings { lines.append("  - \(w.message)") }
        }
        return TerminalText.safe(lines.joined(separator: "\n"))
    }

    static func grouped(_ s: String) -> String { Printing.grouped(s) }
}
