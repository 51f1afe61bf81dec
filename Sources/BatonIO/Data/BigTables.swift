import BatonCore
import Foundation

// The big tables (leads, follow-ups, deals, spend) read straight from the file's bytes: each record is
// converted in place as the file streams through a small buffer, columns are found once per table,
// numbers, money, dates and enums are read from bytes, and repeated texts are interned through
// per-column caches. Every check, message and position is the same as `RowReader`'s (the slow path
// of each conversion is the same code).

/// The columns of one table, found once from its header, with the same problems as `Columns`.
struct ColumnPositions {
    let file: String
    let header: CSVHeader
    /// The column of each name (required names, then optional ones), -1 when absent.
    private(set) var positions: [Int] = []
    /// How many of the names have a column.
    private(set) var found = 0

    init(file: String, header: CSVHeader, required: [String], optional: [String], problems: inout [InputProblem]) {
        self.file = file
        self.header = header
        let columns = Columns(file: file, header: header, required: required, optional: optional, problems: &problems)
        positions = (required + optional).map { columns.index[$0] ?? -1 }
        found = columns.index.count
    }

    subscript(_ k: Int) -> Int { positions[k] }
}

/// One record of a big table with `RowReader`'s getters, by column position (-1: no such column).
struct FastRow {
    let record: CSVRecord
    let file: String

    /// The field as it is, nil when the table has no such column.
    @inline(__always)
    func raw(_ c: Int) -> UnsafeRawBufferPointer? { c < 0 ? nil : record.field(c) }

    /// The trimmed field, nil when empty or absent.
    @inline(__always)
    func text(_ c: Int) -> UnsafeRawBufferPointer? {
        guard c >= 0 else { return nil }
        let t = trimmedField(record.field(c))
        return t.isEmpty ? nil : t
    }

    func fail(_ c: Int, _ name: String, _ message: String, _ problems: inout [InputProblem]) {
        if c >= 0 {
            problems.append(InputProblem(file: file, line: record.fieldLine(c), column: c + 1, message: "'\(name)' \(message)"))
        } else {
            problems.append(InputProblem(file: file, line: record.line, column: nil, message: "'\(name)' \(message)"))
        }
    }

    @inline(__always)
    func required(_ c: Int, _ name: String, _ problems: inout [InputProblem], what: @autoclosure () -> String) -> UnsafeRawBufferPointer? {
        if let t = text(c) { return t }
        fail(c, name, "is empty. Every row needs \(what()).", &problems)
        return nil
    }

    @inline(__always)
    func timestamp(_ c: Int, _ name: String, required: Bool, _ problems: inout [InputProblem]) -> Timestamp? {
        var plain = PlainTimestamps()
        return timestamp(c, name, required: required, &plain, &problems)
    }

    /// The usual forms only (`timestamp`'s first step), read in the row's loop; nil for anything
    /// else, which the caller hands to `timestamp` for its exact result or message.
    @inline(__always)
    func plainTimestamp(_ c: Int, _ plain: inout PlainTimestamps) -> Timestamp? {
        c >= 0 ? plain.read(utf8: record.field(c)) : nil
    }

    /// `timestamp` reading the usual forms through `plain` (which remembers the month).
    @inline(never)
    func timestamp(_ c: Int, _ name: String, required: Bool, _ plain: inout PlainTimestamps,
                   _ problems: inout [InputProblem]) -> Timestamp? {
        guard let r = raw(c) else {
            if required { fail(c, name, "is empty, not a date. Write dates as YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS.", &problems) }
            return nil
        }
        if let t = plain.read(utf8: r) { return t }
        guard !trimmedField(r).isEmpty else {
            if required { fail(c, name, "is empty, not a date. Write dates as YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS.", &problems) }
            return nil
        }
        switch Timestamp.parse(utf8: r) {
        case .success(let t): return t
        case .failure(let p): fail(c, name, p.message, &problems); return nil
        }
    }

    @inline(__always)
    func money(_ c: Int, _ name: String, currency: Currency, required: Bool, _ problems: inout [InputProblem]) -> Money? {
        guard let r = raw(c), !trimmedField(r).isEmpty else {
            if required { fail(c, name, "is empty, not an amount. Write an amount such as 12800.50.", &problems) }
            return nil
        }
        if let m = plainAmount(r, decimals: currency.decimals) { return m }
        switch currency.parseAmount(Substring(String(decoding: r, as: UTF8.self))) {
        case .success(let m): return m
        case .failure(let p): fail(c, name, p.message, &problems); return nil
        }
    }
}

/// `Substring.trimmingCharacters` on bytes: without surrounding spaces, tabs and line breaks, and
/// byte-order marks at the start.
@inline(__always)
func trimmedField(_ f: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
    var start = 0
    var end = f.count
    @inline(__always) func blank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A }
    while start < end {
        let b = f[start]
        if blank(b) { start += 1; continue }
        if b == 0xEF, end - start >= 3, f[start + 1] == 0xBB, f[start + 2] == 0xBF { start += 3; continue }
        break
    }
    while start < end && blank(f[end - 1]) { end -= 1 }
    if start == 0 && end == f.count { return f }
    return UnsafeRawBufferPointer(rebasing: f[start..<end])
}

/// The common case of `Currency.parseAmount`: digits with at most one point, at most 17 digits, no
/// more places than the currency has (surrounding spaces and tabs ignored). nil for anything else,
/// which the caller hands to `parseAmount` for its exact result or message.
@inline(__always)
func plainAmount(_ raw: UnsafeRawBufferPointer, decimals: Int) -> Money? {
    var start = 0
    var end = raw.count
    while start < end, raw[start] == 0x20 || raw[start] == 0x09 { start += 1 }
    while end > start, raw[end - 1] == 0x20 || raw[end - 1] == 0x09 { end -= 1 }
    var units: Int64 = 0
    var digits = 0
    var places = 0
    var seenPoint = false
    for i in start..<end {
        let c = raw[i]
        if c == UInt8(ascii: ".") && !seenPoint { seenPoint = true; continue }
        guard c >= 48 && c <= 57 else { return nil }
        digits += 1
        if digits > 17 { return nil }
        units = units * 10 + Int64(c &- 48)
        if seenPoint { places += 1 }
    }
    guard digits > 0, places <= decimals else { return nil }
    for _ in places..<decimals { units *= 10 }
    return Money(minorUnits: units)
}

/// A String of the bytes (already valid UTF-8).
@inline(__always)
func makeString(_ bytes: UnsafeRawBufferPointer) -> String {
    String(decoding: bytes, as: UTF8.self)
}

/// How many rows to reserve for a table: its size over the bytes per row of the first rows read,
/// with a little room.
func expectedRows(fileSize: Int, sampleBytes: Int, sampleRows: Int) -> Int {
    guard sampleRows > 0, sampleBytes > 0 else { return 0 }
    return Int(Double(fileSize) / (Double(sampleBytes) / Double(sampleRows)) * 1.03) + 16
}

/// What reading one table gives.
struct TableOutcome: Sendable {
    enum Rows: Sendable {
        case people([Person]), leads([Lead]), followups([Followup]), deals([Deal]), spend([Spend])
        case targets([TargetRow]), adjustments([Adjustment])
    }
    var rows: Rows?
    var problems: [InputProblem] = []
    /// For the reference checks: the header, to find a column's position.
    var header: CSVHeader?
    /// For the reference checks: the distinct texts of a column naming people, when the reader
    /// kept them (when all name people, no row needs checking).
    var distinct: [String: [String]] = [:]
}

enum BigTables {
    /// The file's header: its first record (no record at all reads as an empty header, which
    /// `Columns` reports as a missing header row, as for a blank file).
    static func header(_ reader: inout CSVFileReader) throws(CSVFileReader.Failure) -> CSVHeader {
        try reader.header() ?? CSVHeader(fields: [], line: 1)
    }

    /// leads.csv: one `Lead` per row with a unique id and a readable created_at.
    static func leads(_ reader: inout CSVFileReader, file: String) throws(CSVFileReader.Failure) -> TableOutcome {
        var out = TableOutcome()
        let header = try self.header(&reader)
        out.header = header
        let cols = ColumnPositions(file: file, header: header, required: ["lead_id", "created_at", "channel", "phone"],
                                   optional: ["campaign", "marketing_owner", "assigned_to", "contact_status", "demand",
                                              "sales_label", "customer_id"], problems: &out.problems)
        guard cols.found >= 4 else { out.rows = .leads([]); return out }
        let cId = cols[0], cCreated = cols[1], cChannel = cols[2], cPhone = cols[3], cCampaign = cols[4]
        let cOwner = cols[5], cAssigned = cols[6], cContact = cols[7], cDemand = cols[8], cLabel = cols[9]
        let cCustomer = cols[10]
        var leads: [Lead] = []
        var dates = PlainTimestamps()
        var firstLine = FirstLines()
        /// Ids recorded in `firstLine` whose row made no lead (created_at was not readable).
        var unread: [(id: String, line: Int)] = []
        // Owners and assignees are both person ids: one cache serves both.
        var channels = ByteCache(), campaigns = ByteCache(), people = ByteCache()
        var contacts = ByteCache(), demands = ByteCache(), labels = ByteCache()
        let strings = FieldStrings()
        defer {
            firstLine.deallocate()
            for c in [channels, campaigns, people, contacts, demands, labels] { c.deallocate() }
        }
        var problems: [InputProblem] = []
        var rows = 0
        let firstOffset = reader.offset
        while let record = try reader.next() {
            rows += 1
            if rows == 1000 {
                let n = expectedRows(fileSize: reader.size, sampleBytes: reader.offset - firstOffset, sampleRows: rows)
                leads.reserveCapacity(n)
            }
            let r = FastRow(record: record, file: file)
            guard let idBytes = r.required(cId, "lead_id", &problems, what: "a lead_id") else { continue }
            if let first = firstLine.insert(idBytes, line: record.line, earlier: {
                leads.map { ($0.id, $0.source.line) } + unread
            }) {
                r.fail(cId, "lead_id", "\"\(makeString(idBytes))\" is already used on line \(first). Lead ids must be unique; remove the repeated row or give it its own id.", &problems)
                continue
            }
            guard let created = r.plainTimestamp(cCreated, &dates)
                    ?? r.timestamp(cCreated, "created_at", required: true, &dates, &problems) else {
                unread.append((makeString(idBytes), record.line))
                continue
            }
            var label: SalesLabel?
            if let l = r.text(cLabel) {
                // 0: not a label; 1 valid; 2 invalid.
                let code = labels.value(l) { SalesLabel(rawValue: makeString($0).lowercased()).map { $0 == .valid ? 1 : 2 } ?? 0 }
                label = code == 1 ? .valid : code == 2 ? .invalid : nil
                if label == nil { r.fail(cLabel, "sales_label", "is \"\(makeString(l))\"; write valid, invalid, or leave it empty.", &problems) }
            }
            let channel = r.text(cChannel).map { Symbol(rawValue: channels.value($0, intern)) } ?? .empty
            let campaign = r.text(cCampaign).map { Symbol(rawValue: campaigns.value($0, intern)) }
            let owner = r.text(cOwner).map { Symbol(rawValue: people.value($0, intern)) }
            let assignee = r.text(cAssigned).map { Symbol(rawValue: people.value($0, intern)) }
            let contact = r.text(cContact).map {
                ContactStatus.Code(rawValue: contacts.value($0) { ContactStatus.Code(ContactStatus(makeString($0))).rawValue })
            } ?? .none
            let demand = r.text(cDemand).map {
                Demand.Code(rawValue: demands.value($0) { Demand.Code(Demand(makeString($0))).rawValue })
            } ?? .none
            leads.append(Lead(id: strings.string(idBytes), createdAt: created, channel: channel, campaign: campaign,
                              marketingOwner: owner, assignedTo: assignee, phone: r.raw(cPhone).map { strings.string($0) } ?? "",
                              contactStatus: contact, demand: demand, salesLabel: label,
                              customerID: r.text(cCustomer).map { strings.string($0) }, source: RowSource(line: record.line)))
        }
        out.problems += problems
        out.rows = .leads(leads)
        // Owners and assignees share one cache: both columns get the texts of either.
        let named = people.made.map { Symbol(rawValue: $0).string }
        out.distinct = ["marketing_owner": named, "assigned_to": named]
        return out
    }

    /// followups.csv: one `Followup` per row with a lead_id and a readable time.
    static func followups(_ reader: inout CSVFileReader, file: String) throws(CSVFileReader.Failure) -> TableOutcome {
        var out = TableOutcome()
        let header = try self.header(&reader)
        out.header = header
        let cols = ColumnPositions(file: file, header: header, required: ["lead_id", "at", "by", "kind"],
                                   optional: ["outcome"], problems: &out.problems)
        guard cols.found >= 4 else { out.rows = .followups([]); return out }
        let cLead = cols[0], cAt = cols[1], cBy = cols[2], cKind = cols[3], cOutcome = cols[4]
        var followups: [Followup] = []
        var people = ByteCache(), kinds = ByteCache(), outcomes = ByteCache()
        var leadIDs = StringMemo()
        var dates = PlainTimestamps()
        defer { for c in [people, kinds, outcomes] { c.deallocate() } }
        var problems: [InputProblem] = []
        var rows = 0
        let firstOffset = reader.offset
        while let record = try reader.next() {
            rows += 1
            if rows == 1000 {
                followups.reserveCapacity(expectedRows(fileSize: reader.size, sampleBytes: reader.offset - firstOffset, sampleRows: rows))
            }
            let r = FastRow(record: record, file: file)
            guard let lead = r.required(cLead, "lead_id", &problems, what: "the lead_id it follows up"),
                  let at = r.plainTimestamp(cAt, &dates) ?? r.timestamp(cAt, "at", required: true, &dates, &problems)
            else { continue }
            let by = r.text(cBy).map { Symbol(rawValue: people.value($0, intern)) } ?? .empty
            // Kinds are compared lowercased; String.lowercased() keeps the exact Unicode rules.
            let kind = r.text(cKind).map { Symbol(rawValue: kinds.value($0) { Symbol(makeString($0).lowercased()).rawValue }) } ?? .empty
            let outcome = r.text(cOutcome).map { Symbol(rawValue: outcomes.value($0, intern)) } ?? .empty
            followups.append(Followup(leadID: leadIDs.string(lead), at: at, by: by, kind: kind, outcome: outcome,
                                      source: RowSource(line: record.line)))
        }
        out.problems += problems
        out.rows = .followups(followups)
        return out
    }

    /// deals.csv: one `Deal` per row with a unique id, a closing date, a seller and an amount.
    static func deals(_ reader: inout CSVFileReader, file: String, currency: Currency) throws(CSVFileReader.Failure) -> TableOutcome {
        var out = TableOutcome()
        let header = try self.header(&reader)
        out.header = header
        let cols = ColumnPositions(file: file, header: header, required: ["deal_id", "closed_at", "sales_person", "amount"],
                                   optional: ["units", "lead_id", "customer_id", "customer_type", "status", "cancelled_at", "discount"],
                                   problems: &out.problems)
        guard cols.found >= 4 else { out.rows = .deals([]); return out }
        let cId = cols[0], cClosed = cols[1], cSeller = cols[2], cAmount = cols[3], cUnits = cols[4], cLead = cols[5]
        let cCustomer = cols[6], cType = cols[7], cStatus = cols[8], cCancelled = cols[9], cDiscount = cols[10]
        var deals: [Deal] = []
        var firstLine = FirstLines()
        /// Ids recorded in `firstLine` whose row made no deal.
        var unread: [(id: String, line: Int)] = []
        var sellers = StringCache(), types = ByteCache(), statuses = ByteCache()
        defer {
            firstLine.deallocate()
            sellers.deallocate()
            types.deallocate()
            statuses.deallocate()
        }
        var problems: [InputProblem] = []
        var rows = 0
        let firstOffset = reader.offset
        while let record = try reader.next() {
            rows += 1
            if rows == 1000 {
                let n = expectedRows(fileSize: reader.size, sampleBytes: reader.offset - firstOffset, sampleRows: rows)
                deals.reserveCapacity(n)
            }
            let r = FastRow(record: record, file: file)
            guard let idBytes = r.required(cId, "deal_id", &problems, what: "a deal_id") else { continue }
            if let first = firstLine.insert(idBytes, line: record.line, earlier: {
                deals.map { ($0.id, $0.source.line) } + unread
            }) {
                r.fail(cId, "deal_id", "\"\(makeString(idBytes))\" is already used on line \(first). Deal ids must be unique.", &problems)
                continue
            }
            let closed = r.timestamp(cClosed, "closed_at", required: true, &problems)
            let seller = r.required(cSeller, "sales_person", &problems, what: "the sales_person credited").map { sellers.string($0) }
            let amount = r.money(cAmount, "amount", currency: currency, required: true, &problems)
            var units = 1
            if let u = r.text(cUnits) {
                if let n = wholeNumber(u), n >= 1 { units = n } else {
                    r.fail(cUnits, "units", "is \"\(makeString(u))\", not a whole number of cars. Write 1, 2, ... or leave it empty for 1.", &problems)
                }
            }
            var type: CustomerType?
            if let c = r.text(cType) {
                // 0: not a type; 1 new; 2 existing.
                let code = types.value(c) { CustomerType(rawValue: makeString($0).lowercased()).map { $0 == .new ? 1 : 2 } ?? 0 }
                type = code == 1 ? .new : code == 2 ? .existing : nil
                if type == nil { r.fail(cType, "customer_type", "is \"\(makeString(c))\"; write new, existing, or leave it empty to derive it.", &problems) }
            }
            var status = DealStatus.won
            if let s = r.text(cStatus) {
                // 0: not a status; 1 won; 2 cancelled.
                let code = statuses.value(s) { DealStatus(rawValue: makeString($0).lowercased()).map { $0 == .won ? 1 : 2 } ?? 0 }
                if code != 0 { status = code == 1 ? .won : .cancelled } else {
                    r.fail(cStatus, "status", "is \"\(makeString(s))\"; write won or cancelled (empty means won).", &problems)
                }
            }
            let cancelledAt = r.timestamp(cCancelled, "cancelled_at", required: false, &problems)
            let discount = r.money(cDiscount, "discount", currency: currency, required: false, &problems)
            guard let closed, let seller, let amount else {
                unread.append((makeString(idBytes), record.line))
                continue
            }
            deals.append(Deal(id: fieldString(idBytes), closedAt: closed, salesPerson: seller, amount: amount, units: units,
                              leadID: r.text(cLead).map(fieldString), customerID: r.text(cCustomer).map(fieldString),
                              customerType: type, status: status, cancelledAt: cancelledAt, discount: discount,
                              source: RowSource(line: record.line)))
        }
        out.problems += problems
        out.rows = .deals(deals)
        out.distinct = ["sales_person": sellers.distinct]
        return out
    }

    /// spend.csv: one `Spend` per row with a date, a channel and an amount.
    static func spend(_ reader: inout CSVFileReader, file: String, currency: Currency) throws(CSVFileReader.Failure) -> TableOutcome {
        var out = TableOutcome()
        let header = try self.header(&reader)
        out.header = header
        let cols = ColumnPositions(file: file, header: header, required: ["date", "channel", "amount"],
                                   optional: ["campaign", "marketing_owner"], problems: &out.problems)
        guard cols.found >= 3 else { out.rows = .spend([]); return out }
        let cDate = cols[0], cChannel = cols[1], cAmount = cols[2], cCampaign = cols[3], cOwner = cols[4]
        var spend: [Spend] = []
        var channels = ByteCache(), campaigns = ByteCache(), owners = ByteCache()
        var dates = PlainTimestamps()
        defer { for c in [channels, campaigns, owners] { c.deallocate() } }
        var problems: [InputProblem] = []
        var rows = 0
        let firstOffset = reader.offset
        while let record = try reader.next() {
            rows += 1
            if rows == 1000 {
                spend.reserveCapacity(expectedRows(fileSize: reader.size, sampleBytes: reader.offset - firstOffset, sampleRows: rows))
            }
            let r = FastRow(record: record, file: file)
            let date = r.plainTimestamp(cDate, &dates) ?? r.timestamp(cDate, "date", required: true, &dates, &problems)
            let channel = r.required(cChannel, "channel", &problems, what: "the channel the money was spent on")
            let amount = r.money(cAmount, "amount", currency: currency, required: true, &problems)
            guard let date, let channel, let amount else { continue }
            spend.append(Spend(date: date.day, channel: Symbol(rawValue: channels.value(channel, intern)),
                               campaign: r.text(cCampaign).map { Symbol(rawValue: campaigns.value($0, intern)) },
                               marketingOwner: r.text(cOwner).map { Symbol(rawValue: owners.value($0, intern)) },
                               amount: amount, source: RowSource(line: record.line)))
        }
        out.problems += problems
        out.rows = .spend(spend)
        out.distinct = ["marketing_owner": owners.made.map { Symbol(rawValue: $0).string }]
        return out
    }

    /// `Symbol(utf8:)` as a cache's value.
    @inline(__always)
    static func intern(_ bytes: UnsafeRawBufferPointer) -> UInt32 { Symbol(utf8: bytes).rawValue }

    /// `Int(text)` for a trimmed field: plain digits read in place, anything else by `Int.init`.
    static func wholeNumber(_ t: UnsafeRawBufferPointer) -> Int? {
        if t.count <= 18 && t.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
            return t.reduce(0) { $0 * 10 + Int($1 &- 48) }
        }
        return Int(makeString(t))
    }
}

/// Strings made once per distinct text, so equal values in many rows share one storage.
struct StringCache {
    private var cache = ByteCache()
    private var strings: [String] = []

    mutating func string(_ bytes: UnsafeRawBufferPointer) -> String {
        let k = cache.value(bytes) { [count = strings.count] _ in UInt32(count) }
        if Int(k) == strings.count { strings.append(makeString(bytes)) }
        return strings[Int(k)]
    }

    /// Every distinct text, in the order first seen.
    var distinct: [String] { strings }

    func deallocate() { cache.deallocate() }
}
