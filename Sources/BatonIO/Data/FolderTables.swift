import BatonCore
import Foundation

/// One file of a data folder to read, on whichever core is free.
struct TableJob: Sendable {
    let name: String
    let url: URL
    /// The path as messages show it.
    let path: String
    let size: Int

    /// The table's rows and problems, or the one problem that stops the whole folder (the file is
    /// not well-formed CSV or cannot be read).
    func read(currency: Currency, chunk: Int) -> Result<TableOutcome, InputProblem> {
        switch name {
        case "leads.csv", "followups.csv", "deals.csv", "spend.csv":
            do {
                var reader = try CSVFileReader(url, chunk: chunk)
                switch name {
                case "leads.csv": return .success(try BigTables.leads(&reader, file: path))
                case "followups.csv": return .success(try BigTables.followups(&reader, file: path))
                case "deals.csv": return .success(try BigTables.deals(&reader, file: path, currency: currency))
                default: return .success(try BigTables.spend(&reader, file: path, currency: currency))
                }
            } catch {
                switch error {
                case .syntax(let e):
                    return .failure(InputProblem(file: path, line: e.line, column: e.column, message: e.message))
                case .unreadable(let reason):
                    return .failure(InputProblem(file: path, message: "cannot be read (\(reason)).", kind: .missingInput))
                }
            }
        default:
            let table: CSVTable
            do {
                let bytes = try [UInt8](Data(contentsOf: url))
                table = try CSVReader.parse(bytes)
            } catch let e as CSVSyntaxError {
                return .failure(InputProblem(file: path, line: e.line, column: e.column, message: e.message))
            } catch {
                return .failure(InputProblem(file: path, message: "cannot be read (\(error.localizedDescription)).", kind: .missingInput))
            }
            var set = TableSet(currency: currency)
            var out = TableOutcome()
            switch name {
            case "people.csv": out.rows = .people(set.people(path, table))
            case "targets.csv": out.rows = .targets(set.targets(path, table))
            default: out.rows = .adjustments(set.adjustments(path, table))
            }
            out.problems = set.problems
            out.header = CSVHeader(names: table.header, line: table.headerLine, index: table.headerIndex)
            return .success(out)
        }
    }
}

/// Results written once each from worker threads.
final class Slots<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Value?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ value: Value) { lock.lock(); values[i] = value; lock.unlock() }
    func all() -> [Value] { lock.lock(); defer { lock.unlock() }; return values.map { $0! } }
}

/// Every person id a row names must be in people.csv; a target's scope must name a person, team or role.
enum References {
    /// Adds a problem for each reference that names no one, in the order: leads' marketing_owner,
    /// leads' assigned_to, deals' sales_person, spend's marketing_owner, people's manager_id,
    /// adjustments' person_id, targets' scope.
    static func check(_ data: PeriodData, files: [String: String], headers: [String: CSVHeader],
                      into problems: inout [InputProblem]) {
        let ids = Set(data.people.map(\.id))
        let teams = Set(data.people.map(\.team))
        let roles = Set(data.people.map(\.role))
        var sortedIDs: [String]?
        func column(_ table: String, _ name: String) -> (String, Int)? {
            guard let file = files[table], let c = headers[table]?.columnIndex(name) else { return nil }
            return (file, c)
        }
        func unknown(_ id: String, _ file: String, _ line: Int, _ c: Int, _ name: String) {
            if sortedIDs == nil { sortedIDs = ids.sorted() }
            let hint = sortedIDs!.first { editDistance($0, id) <= 1 }.map { " Did you mean '\($0)'?" } ?? ""
            problems.append(InputProblem(file: file, line: line, column: c + 1,
                message: "'\(name)' is \"\(id)\", a person not in people.csv.\(hint) Add them to people.csv or correct the id."))
        }
        func check(_ table: String, _ name: String, _ rows: [(String?, Int)]) {
            guard let (file, c) = column(table, name) else { return }
            for (id, line) in rows {
                guard let id, !ids.contains(id) else { continue }
                unknown(id, file, line, c, name)
            }
        }
        // Leads name people by symbol: a table of which symbols are person ids answers per row.
        if !data.leads.isEmpty {
            let personSymbols = ids.map { Symbol($0).rawValue }
            // Every lead's symbols were made before this count is read.
            var isPerson = [Bool](repeating: false, count: Symbol.count)
            for s in personSymbols { isPerson[Int(s)] = true }
            for name in ["marketing_owner", "assigned_to"] {
                guard let (file, c) = column("leads.csv", name) else { continue }
                let owners = name == "marketing_owner"
                data.leads.withUnsafeBufferPointer { leads in
                    for i in leads.indices {
                        guard let s = owners ? leads[i].marketingOwnerSymbol : leads[i].assignedToSymbol,
                              !isPerson[Int(s.rawValue)] else { continue }
                        unknown(s.string, file, leads[i].source.line, c, name)
                    }
                }
            }
        }
        check("deals.csv", "sales_person", data.deals.map { ($0.salesPerson, $0.source.line) })
        check("spend.csv", "marketing_owner", data.spend.map { ($0.marketingOwner, $0.source.line) })
        check("people.csv", "manager_id", data.people.map { ($0.managerID, $0.source.line) })
        check("adjustments.csv", "person_id", data.adjustments.map { ($0.personID, $0.source.line) })
        if let (file, c) = column("targets.csv", "scope") {
            for row in data.targets {
                let bad: String?
                switch row.scope {
                case .person(let id): bad = ids.contains(id) ? nil : "names \"\(id)\", a person not in people.csv. Use a person_id, team:NAME or role:NAME."
                case .team(let team): bad = teams.contains(team) ? nil : "names team \"\(team)\", which no one in people.csv belongs to. Check the spelling."
                case .role(let role): bad = roles.contains(role) ? nil : "names role \"\(role)\", which no one in people.csv has. Check the spelling."
                }
                if let bad {
                    problems.append(InputProblem(file: file, line: row.source.line, column: c + 1, message: "'scope' \(bad)"))
                }
            }
        }
    }
}
