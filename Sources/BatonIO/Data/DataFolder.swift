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

    public static func load(_ folder: URL, currency: Currency) throws(InputProblems) -> PeriodData {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDir), isDir.boolValue else {
            throw InputProblems([InputProblem(file: folder.path, message: "is not a folder. Give the folder that holds people.csv, leads.csv and deals.csv.", kind: .missingInput)])
        }
        var problems: [InputProblem] = []
        var tables: [String: (String, CSVTable)] = [:]
        for (name, required) in files {
            let url = folder.appendingPathComponent(name)
            let path = displayPath(url)
            guard FileManager.default.fileExists(atPath: url.path) else {
                if required {
                    problems.append(InputProblem(file: path, message: "not found. A data folder needs people.csv, leads.csv and deals.csv (see docs/data.md); export it or check the folder name.", kind: .missingInput))
                }
                continue
            }
            do {
                let bytes = try [UInt8](Data(contentsOf: url))
                tables[name] = (path, try CSVReader.parse(bytes))
            } catch let e as CSVSyntaxError {
                problems.append(InputProblem(file: path, line: e.line, column: e.column, message: e.message))
            } catch {
                problems.append(InputProblem(file: path, message: "cannot be read (\(error.localizedDescription)).", kind: .missingInput))
            }
        }
        if !problems.isEmpty { throw InputProblems(problems) }
        var reader = TableSet(currency: currency)
        let data = reader.read(tables)
        if !reader.problems.isEmpty { throw InputProblems(reader.problems) }
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
    let table: CSVTable
    var index: [String: Int] = [:]

    init(file: String, table: CSVTable, required: [String], optional: [String], problems: inout [InputProblem]) {
        self.file = file
        self.table = table
        if table.header.allSatisfy({ $0.isEmpty }) {
            problems.append(InputProblem(file: file, line: 1, message: "has no header row. The first line must name the columns: \(required.joined(separator: ","))."))
            return
        }
        for name in required + optional {
            if let i = table.columnIndex(name) { index[name] = i }
        }
        let missing = required.filter { index[$0] == nil }
        if !missing.isEmpty {
            problems.append(InputProblem(file: file, line: table.headerLine, message: "has no column \(missing.map { "'\($0)'" }.joined(separator: ", ")). The header has: \(table.header.joined(separator: ", ")). Add the column (names are matched ignoring case)."))
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

/// Reads all tables of a folder and checks references between them.
struct TableSet {
    let currency: Currency
    var problems: [InputProblem] = []

    init(currency: Currency) { self.currency = currency }

    mutating func read(_ tables: [String: (String, CSVTable)]) -> PeriodData {
        var data = PeriodData()
        data.hasSpend = false
        data.hasFollowups = false
        if let (file, t) = tables["people.csv"] { data.people = people(file, t) }
        if let (file, t) = tables["leads.csv"] { data.leads = leads(file, t) }
        if let (file, t) = tables["followups.csv"] { data.followups = followups(file, t); data.hasFollowups = true }
        if let (file, t) = tables["deals.csv"] { data.deals = deals(file, t) }
        if let (file, t) = tables["spend.csv"] { data.spend = spend(file, t); data.hasSpend = true }
        if let (file, t) = tables["targets.csv"] { data.targets = targets(file, t) }
        if let (file, t) = tables["adjustments.csv"] { data.adjustments = adjustments(file, t) }
        if problems.isEmpty { checkReferences(data, tables) }
        return data
    }

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

    mutating func leads(_ file: String, _ t: CSVTable) -> [Lead] {
        let cols = Columns(file: file, table: t, required: ["lead_id", "created_at", "channel", "phone"],
                           optional: ["campaign", "marketing_owner", "assigned_to", "contact_status", "demand",
                                      "sales_label", "customer_id"], problems: &problems)
        guard cols.isUsable, cols.index.count >= 4 else { return [] }
        var out: [Lead] = []
        out.reserveCapacity(t.rowCount)
        var firstLine: [String: Int] = Dictionary(minimumCapacity: t.rowCount)
        for i in 0..<t.rowCount {
            let r = RowReader(columns: cols, row: t.row(i))
            guard let id = r.required("lead_id", &problems, what: "a lead_id") else { continue }
            if let first = firstLine[id] {
                r.fail("lead_id", "\"\(id)\" is already used on line \(first). Lead ids must be unique; remove the repeated row or give it its own id.", &problems)
                continue
            }
            firstLine[id] = r.row.line
            guard let created = r.timestamp("created_at", required: true, &problems) else { continue }
            var label: SalesLabel?
            if let l = r.text("sales_label") {
                label = SalesLabel(rawValue: l.lowercased())
                if label == nil { r.fail("sales_label", "is \"\(l)\"; write valid, invalid, or leave it empty.", &problems) }
            }
            out.append(Lead(id: id, createdAt: created, channel: r.text("channel") ?? "",
                            campaign: r.text("campaign"), marketingOwner: r.text("marketing_owner"),
                            assignedTo: r.text("assigned_to"), phone: r.raw("phone") ?? "",
                            contactStatus: r.text("contact_status").map(ContactStatus.init),
                            demand: r.text("demand").map(Demand.init), salesLabel: label,
                            customerID: r.text("customer_id"), source: RowSource(line: r.row.line)))
        }
        return out
    }

    mutating func followups(_ file: String, _ t: CSVTable) -> [Followup] {
        let cols = Columns(file: file, table: t, required: ["lead_id", "at", "by", "kind"], optional: ["outcome"], problems: &problems)
        guard cols.index.count >= 4 else { return [] }
        var out: [Followup] = []
        out.reserveCapacity(t.rowCount)
        for i in 0..<t.rowCount {
            let r = RowReader(columns: cols, row: t.row(i))
            guard let lead = r.required("lead_id", &problems, what: "the lead_id it follows up"),
                  let at = r.timestamp("at", required: true, &problems) else { continue }
            out.append(Followup(leadID: lead, at: at, by: r.text("by") ?? "", kind: (r.text("kind") ?? "").lowercased(),
                                outcome: r.text("outcome") ?? "", source: RowSource(line: r.row.line)))
        }
        return out
    }

    mutating func deals(_ file: String, _ t: CSVTable) -> [Deal] {
        let cols = Columns(file: file, table: t, required: ["deal_id", "closed_at", "sales_person", "amount"],
                           optional: ["units", "lead_id", "customer_id", "customer_type", "status", "cancelled_at", "discount"],
                           problems: &problems)
        guard cols.index.count >= 4 else { return [] }
        var out: [Deal] = []
        out.reserveCapacity(t.rowCount)
        var firstLine: [String: Int] = Dictionary(minimumCapacity: t.rowCount)
        for i in 0..<t.rowCount {
            let r = RowReader(columns: cols, row: t.row(i))
            guard let id = r.required("deal_id", &problems, what: "a deal_id") else { continue }
            if let first = firstLine[id] {
                r.fail("deal_id", "\"\(id)\" is already used on line \(first). Deal ids must be unique.", &problems)
                continue
            }
            firstLine[id] = r.row.line
            let closed = r.timestamp("closed_at", required: true, &problems)
            let seller = r.required("sales_person", &problems, what: "the sales_person credited")
            let amount = r.money("amount", currency: currency, required: true, &problems)
            var units = 1
            if let u = r.text("units") {
                if let n = Int(u), n >= 1 { units = n } else {
                    r.fail("units", "is \"\(u)\", not a whole number of cars. Write 1, 2, ... or leave it empty for 1.", &problems)
                }
            }
            var type: CustomerType?
            if let c = r.text("customer_type") {
                type = CustomerType(rawValue: c.lowercased())
                if type == nil { r.fail("customer_type", "is \"\(c)\"; write new, existing, or leave it empty to derive it.", &problems) }
            }
            var status = DealStatus.won
            if let s = r.text("status") {
                if let v = DealStatus(rawValue: s.lowercased()) { status = v } else {
                    r.fail("status", "is \"\(s)\"; write won or cancelled (empty means won).", &problems)
                }
            }
            let cancelledAt = r.timestamp("cancelled_at", required: false, &problems)
            let discount = r.money("discount", currency: currency, required: false, &problems)
            guard let closed, let seller, let amount else { continue }
            out.append(Deal(id: id, closedAt: closed, salesPerson: seller, amount: amount, units: units,
                            leadID: r.text("lead_id"), customerID: r.text("customer_id"), customerType: type,
                            status: status, cancelledAt: cancelledAt, discount: discount,
                            source: RowSource(line: r.row.line)))
        }
        return out
    }

    mutating func spend(_ file: String, _ t: CSVTable) -> [Spend] {
        let cols = Columns(file: file, table: t, required: ["date", "channel", "amount"],
                           optional: ["campaign", "marketing_owner"], problems: &problems)
        guard cols.index.count >= 3 else { return [] }
        var out: [Spend] = []
        out.reserveCapacity(t.rowCount)
        for i in 0..<t.rowCount {
            let r = RowReader(columns: cols, row: t.row(i))
            let date = r.timestamp("date", required: true, &problems)
            let channel = r.required("channel", &problems, what: "the channel the money was spent on")
            let amount = r.money("amount", currency: currency, required: true, &problems)
            guard let date, let channel, let amount else { continue }
            out.append(Spend(date: date.day, channel: channel, campaign: r.text("campaign"),
                             marketingOwner: r.text("marketing_owner"), amount: amount, source: RowSource(line: r.row.line)))
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

    /// Every person id a row names must be in people.csv.
    mutating func checkReferences(_ data: PeriodData, _ tables: [String: (String, CSVTable)]) {
        let ids = Set(data.people.map(\.id))
        let teams = Set(data.people.map(\.team))
        let roles = Set(data.people.map(\.role))
        func check(_ table: String, _ column: String, _ rows: [(String?, Int)]) {
            guard let (file, t) = tables[table], let c = t.columnIndex(column) else { return }
            for (id, line) in rows {
                guard let id, !ids.contains(id) else { continue }
                let hint = ids.sorted().first { editDistance($0, id) <= 1 }.map { " Did you mean '\($0)'?" } ?? ""
                problems.append(InputProblem(file: file, line: line, column: c + 1,
                    message: "'\(column)' is \"\(id)\", a person not in people.csv.\(hint) Add them to people.csv or correct the id."))
            }
        }
        check("leads.csv", "marketing_owner", data.leads.map { ($0.marketingOwner, $0.source.line) })
        check("leads.csv", "assigned_to", data.leads.map { ($0.assignedTo, $0.source.line) })
        check("deals.csv", "sales_person", data.deals.map { ($0.salesPerson, $0.source.line) })
        check("spend.csv", "marketing_owner", data.spend.map { ($0.marketingOwner, $0.source.line) })
        check("people.csv", "manager_id", data.people.map { ($0.managerID, $0.source.line) })
        check("adjustments.csv", "person_id", data.adjustments.map { ($0.personID, $0.source.line) })
        if let (file, t) = tables["targets.csv"], let c = t.columnIndex("scope") {
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

extension String {
    var trimmed: String { String(Substring(self).trimmingCharacters) }
}
