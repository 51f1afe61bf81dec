import BatonCore
import Foundation

/// Reads a data folder (people, leads, follow-ups, deals, spend, targets) into `PeriodData`, checking
/// every field and every reference, and reporting each problem with its file, line and column.
public enum DataFolder {
    /// The files of a data folder, and whether each must be there.
    public static let files: [(name: String, required: Bool)] = [
        ("people.csv", true), ("leads.csv", true), ("deals.csv", true),
        ("followups.csv", false), ("spend.csv", false), ("targets.csv", false), ("adjustments.csv", false),
    ]

    /// Reads the folder. The tables are read in parallel (largest first, streamed record by record);
    /// the problems come back in the same order as reading them one after another would give.
    public static func load(_ folder: URL, currency: Currency) throws(InputProblems) -> PeriodData {
        try load(folder, currency: currency, chunk: CSVFileReader.defaultChunk)
    }

    /// `load` with the big tables streamed through `chunk` bytes at a time (tests use tiny chunks to
    /// put records across every boundary).
    static func load(_ folder: URL, currency: Currency, chunk: Int) throws(InputProblems) -> PeriodData {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDir), isDir.boolValue else {
            throw InputProblems([InputProblem(file: folder.path, message: "is not a folder. Give the folder that holds people.csv, leads.csv and deals.csv.", kind: .missingInput)])
        }
        var missing: [String: InputProblem] = [:]
        var jobs: [TableJob] = []
        for (name, required) in files {
            let url = folder.appendingPathComponent(name)
            let path = displayPath(url)
            guard FileManager.default.fileExists(atPath: url.path) else {
                if required {
                    missing[name] = InputProblem(file: path, message: "not found. A data folder needs people.csv, leads.csv and deals.csv (see docs/data.md); export it or check the folder name.", kind: .missingInput)
                }
                continue
            }
            let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
            jobs.append(TableJob(name: name, url: url, path: path, size: size))
        }
        // Largest first: the two big tables start at once, the small ones fill in behind.
        jobs.sort { $0.size > $1.size }
        let jobList = jobs
        let outcomes = Slots<Result<TableOutcome, InputProblem>>(count: jobs.count)
        DispatchQueue.concurrentPerform(iterations: jobs.count) { i in
            outcomes.set(i, jobList[i].read(currency: currency, chunk: chunk))
        }
        var tables: [String: TableOutcome] = [:]
        var problems: [InputProblem] = []
        let results = outcomes.all()
        for (i, job) in jobs.enumerated() {
            switch results[i] {
            case .success(let t): tables[job.name] = t
            case .failure(let p): missing[job.name] = p
            }
        }
        // A missing or unreadable file stops here, before any field is checked (in the order of `files`).
        for (name, _) in files { if let p = missing[name] { problems.append(p) } }
        if !problems.isEmpty { throw InputProblems(problems) }

        var data = PeriodData()
        data.hasSpend = false
        data.hasFollowups = false
        for name in ["people.csv", "leads.csv", "followups.csv", "deals.csv", "spend.csv", "targets.csv", "adjustments.csv"] {
            guard let t = tables[name] else { continue }
            problems += t.problems
            switch t.rows {
            case .people(let rows)?: data.people = rows
            case .leads(let rows)?: data.leads = rows
            case .followups(let rows)?: data.followups = rows; data.hasFollowups = true
            case .deals(let rows)?: data.deals = rows
            case .spend(let rows)?: data.spend = rows; data.hasSpend = true
            case .targets(let rows)?: data.targets = rows
            case .adjustments(let rows)?: data.adjustments = rows
            case nil: break
            }
        }
        if problems.isEmpty {
            References.check(data, files: jobs.reduce(into: [:]) { $0[$1.name] = $1.path },
                             headers: tables.compactMapValues(\.header), into: &problems)
        }
        if !problems.isEmpty { throw InputProblems(problems) }
        return data
    }

    /// Paths in messages are as the user gave them, relative to the working folder when inside it.
    static func displayPath(_ url: URL) -> String {
        let cwd = FileManager.default.currentDirectoryPath + "/"
        let p = url.standardizedFileURL.path
        return p.hasPrefix(cwd) ? String(p.dropFirst(cwd.count)) : p
    }
}

/// Reads the columns of one table with position-aware problems.
struct Columns {
    let file: String
    var index: [String: Int] = [:]

    init(file: String, table: CSVTable, required: [String], optional: [String], problems: inout [InputProblem]) {
        self.init(file: file, header: CSVHeader(names: table.header, line: table.headerLine, index: table.headerIndex),
                  required: required, optional: optional, problems: &problems)
    }

    init(file: String, header: CSVHeader, required: [String], optional: [String], problems: inout [InputProblem]) {
        self.file = file
        if header.names.allSatisfy({ $0.isEmpty }) {
            problems.append(InputProblem(file: file, line: 1, message: "has no header row. The first line must name the columns: \(required.joined(separator: ","))."))
            return
        }
        for name in required + optional {
            if let i = header.columnIndex(name) { index[name] = i }
        }
        let missing = required.filter { index[$0] == nil }
        if !missing.isEmpty {
            problems.append(InputProblem(file: file, line: header.line, message: "has no column \(missing.map { "'\($0)'" }.joined(separator: ", ")). The header has: \(header.names.joined(separator: ", ")). Add the column (names are matched ignoring case)."))
        }
    }

    var isUsable: Bool { !index.isEmpty }
}

/// A row being read: typed getters that record a problem (file, line, column, what, how to fix) and
/// return nil on bad values.
struct RowReader {
    let columns: Columns
    let row: CSVRow

    func raw(_ name: String) -> String? {
        guard let c = columns.index[name] else { return nil }
        return row.field(c)
    }

    func where_(_ name: String) -> (Int, Int?) {
        guard let c = columns.index[name] else { return (row.line, nil) }
        return (row.fieldLine(c), c + 1)
    }

    func fail(_ name: String, _ message: String, _ problems: inout [InputProblem]) {
        let (line, col) = where_(name)
        problems.append(InputProblem(file: columns.file, line: line, column: col, message: "'\(name)' \(message)"))
    }

    /// The trimmed text, nil when empty or absent.
    func text(_ name: String) -> String? {
        guard let r = raw(name) else { return nil }
        let t = Substring(r).trimmingCharacters
        return t.isEmpty ? nil : String(t)
    }

    func required(_ name: String, _ problems: inout [InputProblem], what: String) -> String? {
        if let t = text(name) { return t }
        fail(name, "is empty. Every row needs \(what).", &problems)
        return nil
    }

    func timestamp(_ name: String, required: Bool, _ problems: inout [InputProblem]) -> Timestamp? {
        guard let r = raw(name), !Substring(r).trimmingCharacters.isEmpty else {
            if required { fail(name, "is empty, not a date. Write dates as YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS.", &problems) }
            return nil
        }
        switch Timestamp.parse(Substring(r)) {
        case .success(let t): return t
        case .failure(let p): fail(name, p.message, &problems); return nil
        }
    }

    func money(_ name: String, currency: Currency, required: Bool, _ problems: inout [InputProblem]) -> Money? {
        guard let r = raw(name), !Substring(r).trimmingCharacters.isEmpty else {
            if required { fail(name, "is empty, not an amount. Write an amount such as 12800.50.", &problems) }
            return nil
        }
        switch currency.parseAmount(Substring(r)) {
        case .success(let m): return m
        case .failure(let p): fail(name, p.message, &problems); return nil
        }
    }
}

extension Substring {
    /// Without surrounding spaces, tabs, line breaks (and a stray byte-order mark at the start).
    /// Works on UTF-8 bytes: it runs for every field of every row.
    var trimmingCharacters: Substring {
        let u = utf8
        var start = u.startIndex
        var end = u.endIndex
        func blank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A }
        while start < end {
            let b = u[start]
            if blank(b) { start = u.index(after: start); continue }
            // U+FEFF is EF BB BF in UTF-8.
            if b == 0xEF, u.distance(from: start, to: end) >= 3, u[u.index(start, offsetBy: 1)] == 0xBB,
               u[u.index(start, offsetBy: 2)] == 0xBF {
                start = u.index(start, offsetBy: 3)
                continue
            }
            break
        }
        while start < end {
            let before = u.index(before: end)
            guard blank(u[before]) else { break }
            end = before
        }
        if start == u.startIndex && end == u.endIndex { return self }
        return Substring(u[start..<end])
    }
}

/// Reads the small tables (people, targets, adjustments) from a parsed `CSVTable`.
struct TableSet {
    let currency: Currency
    var problems: [InputProblem] = []

    init(currency: Currency) { self.currency = currency }

    mutating func people(_ file: String, _ t: CSVTable) -> [Person] {
        let cols = Columns(file: file, table: t, required: ["person_id", "name", "role", "team"],
                           optional: ["manager_id", "start_date", "end_date", "target_incentive"], problems: &problems)
        guard problems.isEmpty else { return [] }
        var out: [Person] = []
        var firstLine: [String: Int] = [:]
        for i in 0..<t.rowCount {
            let r = RowReader(columns: cols, row: t.row(i))
            guard let id = r.required("person_id", &problems, what: "a person_id") else { continue }
            if let first = firstLine[id] {
                r.fail("person_id", "\"\(id)\" is already used on line \(first). Give each person one row with a unique id.", &problems)
                continue
            }
            firstLine[id] = r.row.line
            let name = r.text("name") ?? ""
            guard let role = r.required("role", &problems, what: "a role (the scorecard that applies, e.g. marketing or sales)"),
                  let team = r.required("team", &problems, what: "a team (store, dealer or department)") else { continue }
            let start = r.timestamp("start_date", required: false, &problems)?.day
            let end = r.timestamp("end_date", required: false, &problems)?.day
            if let start, let end, end < start {
                r.fail("end_date", "(\(end)) is before start_date (\(start)). Swap them or correct the date.", &problems)
            }
            out.append(Person(id: id, name: name, role: role, team: team, managerID: r.text("manager_id"),
                              startDate: start, endDate: end,
                              targetIncentive: r.money("target_incentive", currency: currency, required: false, &problems),
                              source: RowSource(line: r.row.line)))
        }
        return out
    }

    mutating func targets(_ file: String, _ t: CSVTable) -> [TargetRow] {
        let cols = Columns(file: file, table: t, required: ["scope", "kpi", "target"], optional: [], problems: &problems)
        guard cols.index.count >= 3 else { return [] }
        let known = Set(KPI.marketing.map(\.name) + KPI.sales.map(\.name))
        var out: [TargetRow] = []
        var firstLine: [String: Int] = [:]
        for i in 0..<t.rowCount {
            let r = RowReader(columns: cols, row: t.row(i))
            guard let scopeText = r.required("scope", &problems, what: "a scope: a person_id, team:NAME or role:NAME"),
                  let kpi = r.required("kpi", &problems, what: "a KPI name") else { continue }
            let scope: TargetScope
            if scopeText.hasPrefix("team:") { scope = .team(String(scopeText.dropFirst(5)).trimmed) }
            else if scopeText.hasPrefix("role:") { scope = .role(String(scopeText.dropFirst(5)).trimmed) }
            else { scope = .person(scopeText) }
            if !known.contains(kpi) {
                let hint = known.sorted().first { editDistance($0, kpi) <= 3 }.map { " Did you mean '\($0)'?" } ?? ""
                r.fail("kpi", "is \"\(kpi)\", not a KPI.\(hint) See docs/kpis.md for the names.", &problems)
                continue
            }
            guard let raw = r.required("target", &problems, what: "a target value") else { continue }
            guard let value = Exact(decimal: Substring(raw)) else {
                r.fail("target", "is \"\(raw)\", not a number. Write a plain number (1500000, 0.25) or a percentage (25%).", &problems)
                continue
            }
            let key = "\(scope)\u{1}\(kpi)"
            if let first = firstLine[key] {
                r.fail("scope", "\(scope) already has a \(kpi) target on line \(first). Keep one row per scope and KPI.", &problems)
                continue
            }
            firstLine[key] = r.row.line
            out.append(TargetRow(scope: scope, kpi: kpi, target: value, source: RowSource(line: r.row.line)))
        }
        return out
    }

    mutating func adjustments(_ file: String, _ t: CSVTable) -> [Adjustment] {
        let cols = Columns(file: file, table: t, required: ["person_id", "amount", "reason", "approved_by"], optional: [], problems: &problems)
        guard cols.index.count >= 4 else { return [] }
        var out: [Adjustment] = []
        for i in 0..<t.rowCount {
            let r = RowReader(columns: cols, row: t.row(i))
            let person = r.required("person_id", &problems, what: "the person_id the adjustment is for")
            var amount: Money?
            if let raw = r.raw("amount") {
                switch currency.parseAmount(Substring(raw), allowNegative: true) {
                case .success(let m): amount = m
                case .failure(let p): r.fail("amount", p.message, &problems)
                }
            }
            let reason = r.required("reason", &problems, what: "a reason (the evidence HR answers disputes with)")
            let approver = r.required("approved_by", &problems, what: "who approved the adjustment")
            guard let person, let amount, let reason, let approver else { continue }
            out.append(Adjustment(personID: person, amount: amount, reason: reason, approvedBy: approver, source: RowSource(line: r.row.line)))
        }
        return out
    }
}

extension String {
    var trimmed: String { String(Substring(self).trimmingCharacters) }
}
