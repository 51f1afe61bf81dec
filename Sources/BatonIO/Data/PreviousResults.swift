import BatonCore
import Foundation

/// Earlier periods' result folders (`--previous DIR`): the commission shares they paid per deal, which a
/// cancellation in this period claws back.
public enum PreviousResults {
    public static let file = "commission_deals.csv"

    public static func load(_ folders: [URL], currency: Currency) throws(InputProblems) -> [PaidCommission] {
        var out: [PaidCommission] = []
        var problems: [InputProblem] = []
        for folder in folders {
            let url = folder.appendingPathComponent(file)
            let path = DataFolder.displayPath(url)
            guard let data = try? Data(contentsOf: url) else {
                problems.append(InputProblem(file: path, message: "not found. --previous takes the result folder of an earlier `baton evaluate` whose plan paid commission.", kind: .missingInput))
                continue
            }
            let table: CSVTable
            do { table = try CSVReader.parse([UInt8](data)) } catch {
                problems.append(InputProblem(file: path, line: error.line, column: error.column, message: error.message))
                continue
            }
            let cols = Columns(file: path, table: table, required: ["deal_id", "person_id", "commission", "share"], optional: [], problems: &problems)
            guard cols.index.count == 4 else { continue }
            for i in 0..<table.rowCount {
                let r = RowReader(columns: cols, row: table.row(i))
                guard let deal = r.required("deal_id", &problems, what: "a deal_id"),
                      let person = r.required("person_id", &problems, what: "a person_id"),
                      let share = r.money("share", currency: currency, required: true, &problems) else { continue }
                out.append(PaidCommission(dealID: deal, personID: person, commission: r.text("commission") ?? "",
                                          share: share, origin: "\(folder.lastPathComponent)/\(file) line \(r.row.line)"))
            }
        }
        if !problems.isEmpty { throw InputProblems(problems) }
        return out
    }
}
