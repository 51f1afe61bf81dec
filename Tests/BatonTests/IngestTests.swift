@testable import BatonCore
@testable import BatonIO
import Foundation
import Testing

/// The records (fields, line, line of each field) a streaming reader gives for `bytes`, read
/// `chunk` bytes at a time, or its syntax error.
private func streamed(_ bytes: [UInt8], chunk: Int) throws -> Result<[Record], CSVSyntaxError> {
    let tmp = try TemporaryFolder()
    let file = tmp.url.appendingPathComponent("t.csv")
    try Data(bytes).write(to: file)
    var reader = try CSVFileReader(file, chunk: chunk)
    var out: [Record] = []
    do {
        while let r = try reader.next() {
            out.append(Record(fields: (0..<r.count).map { r.string($0) }, line: r.line,
                              fieldLines: (0..<r.count).map { r.fieldLine($0) }))
        }
    } catch {
        if case .syntax(let e) = error { return .failure(e) }
        throw error
    }
    return .success(out)
}

/// The same records from `CSVReader.parse` (the header as the first record).
private func parsed(_ bytes: [UInt8]) -> Result<[Record], CSVSyntaxError> {
    do {
        let table = try CSVReader.parse(bytes)
        var out: [Record] = []
        if table.storage.recordCount > 0 {
            out.append(Record(fields: (0..<table.storage.fieldCount(record: 0)).map { table.storage.string(record: 0, column: $0) },
                              line: table.headerLine,
                              fieldLines: (0..<table.storage.fieldCount(record: 0)).map { table.storage.fieldLine(record: 0, column: $0) }))
        }
        for i in 0..<table.rowCount {
            let row = table.row(i)
            out.append(Record(fields: row.fields, line: row.line, fieldLines: (0..<row.fieldCount).map { row.fieldLine($0) }))
        }
        return .success(out)
    } catch {
        return .failure(error)
    }
}

private struct Record: Equatable {
    var fields: [String]
    var line: Int
    var fieldLines: [Int]
}

/// Small deterministic generator, so a failing random test can be replayed.
private struct Mix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

@Suite("Reading CSV files record by record")
struct CSVFileReaderTests {
    static let chunks = [1, 2, 3, 5, 8, 13, 64, 4096]

    @Test("records, lines and field lines match the in-memory parser at every chunk size", arguments: chunks)
    func sameRecords(chunk: Int) throws {
        var random = Mix64(state: 20_261_001)
        let alphabet: [String] = ["a", "Z", "7", " ", ",", "\"\"", "\n", "\r", "\r\n", "王", "🚗", "é", "-", "\t"]
        for _ in 0..<60 {
            var text: [UInt8] = random.below(4) == 0 ? [0xEF, 0xBB, 0xBF] : []
            for _ in 0..<(1 + random.below(12)) {
                let fields = (0..<(1 + random.below(5))).map { _ -> String in
                    let body = (0..<random.below(20)).map { _ in alphabet[random.below(alphabet.count)] }.joined()
                    // Quote fields that need it; plain ones drop the characters only quotes allow.
                    if random.below(3) == 0 || body.contains(where: { ",\"\n\r".contains($0) }) {
                        return random.below(2) == 0 ? "\"" + body + "\"" : body.filter { !",\"\n\r".contains($0) }
                    }
                    return body
                }
                text += Array(fields.joined(separator: ",").utf8)
                text += Array([["\n"], ["\r\n"], ["\r"], ["\n", "\n"]][random.below(4)].joined().utf8)
            }
            if random.below(2) == 0 { text.removeLast() }
            // A file of only blanks is "no header" for the in-memory parser, not records of spaces.
            if text.drop(while: { $0 == 0xEF || $0 == 0xBB || $0 == 0xBF }).allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
                continue
            }
            let expected = parsed(text)
            let actual = try streamed(text, chunk: chunk)
            #expect(actual == expected, "\(String(decoding: text, as: UTF8.self).debugDescription)")
        }
    }

    @Test("syntax errors are the same, with the same positions, at every chunk size", arguments: chunks)
    func sameErrors(chunk: Int) throws {
        let header = Array("a,b,c\n".utf8)
        let cases: [[UInt8]] = [
            Array("a,b\n1,\"open\n2,3\n".utf8),
            Array("a\n\"x\ny\"\n\"never".utf8),
            Array("a,b\n1,\"x\"y\n".utf8),
            Array("a,b,c\n1,\"x\ny\"z,3\n".utf8),
            Array("a,b,c\n1,2,3\n4,5 inch \"wide\",6\n".utf8),
            Array("a,b\n1, \"x\"\n".utf8),
            Array("name,phone\n".utf8) + [0xCD, 0xF5] + Array(",1\n".utf8),
            header + Array("1,2,x".utf8) + [0xFF] + Array("\n".utf8),
            header + [0xC0, 0xAF],
            header + Array("1,".utf8) + [0xED, 0xA0, 0x80],
            header + Array("1,\"x\ny".utf8) + [0xE7, 0x8E] + Array(",z\"\n".utf8),
            header + Array("\n\n".utf8) + [0xE7, 0x8E],
            [0xEF, 0xBB, 0xBF, 0x80],
            Array("a,b\n1,x\"y\n2,".utf8) + [0xFF],
            Array("a\n12345678901".utf8) + [0xF4, 0x90, 0x80, 0x80] + Array("12345678901\n".utf8),
            Array("a\r\n1\r\n\"2\r\n".utf8),
        ]
        for bytes in cases {
            guard case .failure(let expected) = parsed(bytes) else {
                Issue.record("expected a syntax error for \(bytes)")
                continue
            }
            #expect(try streamed(bytes, chunk: chunk) == .failure(expected), "\(bytes)")
        }
    }
}

@Suite("Reading a data folder in parallel, streamed")
struct DataFolderStreamingTests {
    static func data(_ folder: URL, chunk: Int) -> Result<PeriodData, InputProblems> {
        do { return .success(try DataFolder.load(folder, currency: .cny, chunk: chunk)) } catch { return .failure(error) }
    }

    static func same(_ a: PeriodData, _ b: PeriodData) -> Bool {
        a.people == b.people && a.leads == b.leads && a.followups == b.followups && a.deals == b.deals
            && a.spend == b.spend && a.targets == b.targets && a.adjustments == b.adjustments
            && a.hasSpend == b.hasSpend && a.hasFollowups == b.hasFollowups
    }

    @Test("every fixture reads the same whatever the chunk size", arguments: ["dealer-group", "hand", "hostile", "pay-09-adjustment"])
    func fixturesAtEveryChunk(name: String) throws {
        guard case .success(let whole) = Self.data(CLI.fixture(name), chunk: 1 << 20) else {
            Issue.record("\(name) did not read")
            return
        }
        #expect(!whole.leads.isEmpty)
        for chunk in [1, 7, 64, 1000] {
            guard case .success(let data) = Self.data(CLI.fixture(name), chunk: chunk) else {
                Issue.record("\(name) did not read with chunk \(chunk)")
                continue
            }
            #expect(Self.same(whole, data), "chunk \(chunk)")
        }
    }

    @Test("problems are the same, in the same order, whatever the chunk size")
    func problemsAtEveryChunk() throws {
        let tmp = try TemporaryFolder()
        let data = try tmp.copy(fixture: "hand", withExpected: false)
        func edit(_ file: String, _ change: (String) -> String) throws {
            let url = data.appendingPathComponent(file)
            try Data(change(try String(contentsOf: url, encoding: .utf8)).utf8).write(to: url)
        }
        try edit("leads.csv") {
            $0.replacingOccurrences(of: "L-1003,2026-10-02T10:00:01", with: "L-1003,2026-13-01")
                .replacingOccurrences(of: "L-1004,2026-10-03T11:00:00", with: "L-1002,2026-10-03T11:00:00")
        }
        try edit("deals.csv") {
            $0.replacingOccurrences(of: "D-0801,2026-08-08,S2,230000.00,1,", with: "D-0801,2026-08-08,S2,abc,two,")
        }
        guard case .failure(let whole) = Self.data(data, chunk: 1 << 20) else {
            Issue.record("bad data was read")
            return
        }
        #expect(whole.problems.count >= 4)
        for chunk in [1, 5, 64] {
            guard case .failure(let problems) = Self.data(data, chunk: chunk) else {
                Issue.record("bad data was read with chunk \(chunk)")
                continue
            }
            #expect(problems.problems == whole.problems, "chunk \(chunk)")
        }
    }
}

@Suite("Timestamps keep their text without keeping a copy")
struct CompactTimestampTests {
    static let forms = [
        "2026-10-03", "2026-10-03T14:05", "2026-10-03T14:05:09", "2026-10-03 14:05", "2026-10-03t14:05:00",
        "2026-10-03T14:05:00.2", "2026-10-03T14:05:00.25", "2026-10-03T14:05:00.250", "2026-10-03T14:05:00,007",
        "2026-10-03T14:05:00.123456", "2026-10-03T14:05:00Z", "2026-10-03T14:05:00z", "2026-10-03T14:05:00+08:00",
        "2026-10-03T14:05:00-05:30", "2026-10-03T14:05:00+0800", "2026-10-03T14:05:00-0330", "2026-10-03T14:05:00+08",
        "2026-10-03T14:05:00-00:00", "2026-10-03T00:00:00+18:59", "2026-10-03Z", "2026-10-03+08:00", "2026-12-31T23:59:60",
        "2026-12-31T23:59:60.5Z", "0001-01-01", "9999-12-31T23:59:59", "2024-02-29T12:00:00.999-12:00",
    ]

    @Test("the text is rebuilt byte for byte", arguments: forms)
    func textRoundTrip(text: String) throws {
        let t = try Timestamp.parse(Substring(text)).get()
        #expect(t.text == text)
        #expect(t.description == text)
        #expect(t.withText { String(decoding: $0, as: UTF8.self) } == text)
        let same = Timestamp(day: t.day, instant: t.instant, text: text)
        #expect(same == t)
        #expect(same.hashValue == t.hashValue)
        #expect(MemoryLayout<Timestamp>.size == 8)
    }

    @Test("surrounding spaces are not part of the text, as before")
    func trimmed() throws {
        #expect(try Timestamp.parse("  2026-10-03T14:05:00\t").get().text == "2026-10-03T14:05:00")
        let bytes = Array(" 2026-10-03 ".utf8)
        #expect(try bytes.withUnsafeBytes { try Timestamp.parse(utf8: $0).get() }.text == "2026-10-03")
    }

    @Test("the day follows from the instant and the written offset, on both sides of midnight")
    func dayFromOffset() throws {
        var random = Mix64(state: 11)
        let offsets = ["", "Z", "+08:00", "-05:30", "+14:00", "-12:00", "+0545", "-0930", "+01", "-11"]
        for _ in 0..<5_000 {
            let year = [1970, 1971, 2000, 2026, 2105, 1969, 1900, 2107, 5000][random.below(9)]
            let month = 1 + random.below(12), dayOfMonth = 1 + random.below(28)
            let hour = [0, 1, 11, 12, 22, 23][random.below(6)], minute = random.below(60), second = random.below(60)
            let text = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", year, month, dayOfMonth, hour, minute, second)
                + offsets[random.below(offsets.count)]
            let t = try Timestamp.parse(Substring(text)).get()
            #expect(t.day == Day(year: year, month: month, day: dayOfMonth), "\(text)")
            #expect(t.text == text)
            #expect(Timestamp(day: t.day, instant: t.instant, text: text) == t, "\(text)")
        }
        // Written before 1970 in its own zone, after it in UTC: the compact form, a day below 0.
        let early = try Timestamp.parse("1969-12-31T23:00:00-05:00").get()
        #expect(early.instant == 14_400 && early.day == Day(number: -1) && early.text == "1969-12-31T23:00:00-05:00")
    }

    @Test("an unusual timestamp made on many threads at once is one value")
    func keptConcurrently() async throws {
        let texts = (0..<64).map { "1950-01-\(String(format: "%02d", 1 + $0 % 28))T00:00:00.123456+0\($0 % 10):00" }
        let made = await withTaskGroup(of: [Timestamp].self) { group in
            for _ in 0..<8 { group.addTask { texts.map { try! Timestamp.parse(Substring($0)).get() } } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        for batch in made { #expect(batch == made[0]) }
        for (t, text) in zip(made[0], texts) { #expect(t.text == text) }
    }

    @Test("a text given with a day and instant it does not match is kept as given")
    func mismatchedText() throws {
        let t = Timestamp(day: Day(number: 0), instant: 5, text: "2026-10-03")
        #expect(t.text == "2026-10-03")
        #expect(t.day == Day(number: 0))
        #expect(t.instant == 5)
        #expect(t != (try Timestamp.parse("2026-10-03").get()))
        var u = try Timestamp.parse("2026-10-03T14:05:00").get()
        u.instant += 60
        #expect(u.text == "2026-10-03T14:05:00")
        u.day = u.day.advanced(by: 1)
        #expect(u.text == "2026-10-03T14:05:00")
        u.text = "anything"
        #expect(u.description == "anything")
    }

    @Test("the quick reading of the usual forms agrees with the full one")
    func plainAgrees() {
        var random = Mix64(state: 7)
        let digits = Array("0123456789".utf8)
        var remembering = PlainTimestamps()
        let bases = ["2026-10-03T14:05:09", "2026-02-28T23:59:59", "2024-02-29T00:00:00", "2026-04-30T12:00:00"]
        for _ in 0..<20_000 {
            var b = Array(bases[random.below(bases.count)].utf8)
            if random.below(2) == 0 { b = Array(b.prefix(10)) }
            for _ in 0..<random.below(4) {
                let i = random.below(b.count)
                b[i] = random.below(4) == 0 ? UInt8(random.below(128)) : digits[random.below(10)]
            }
            b.withUnsafeBytes { raw in
                let full = try? Timestamp.parse(utf8: raw).get()
                #expect(remembering.read(utf8: raw) == Timestamp.plain(utf8: raw), "\(String(decoding: b, as: UTF8.self))")
                if let quick = Timestamp.plain(utf8: raw) {
                    #expect(quick == full, "\(String(decoding: b, as: UTF8.self))")
                    #expect(quick.text == String(decoding: b, as: UTF8.self))
                }
            }
        }
    }

    @Test("days from calendar dates match their components over the whole range")
    func dayRoundTrip() throws {
        let first = try #require(Day(year: 1, month: 1, day: 1)).number
        let last = try #require(Day(year: 9999, month: 12, day: 31)).number
        var n = first
        var wrong = 0
        while n <= last {
            let c = Day(number: n).components
            if Day(year: c.year, month: c.month, day: c.day)?.number != n { wrong += 1 }
            n += 1
        }
        #expect(wrong == 0)
        #expect(Day(year: 2026, month: 2, day: 29) == nil)
        #expect(Day(year: 2024, month: 2, day: 29) != nil)
        #expect(Day(year: 2026, month: 4, day: 31) == nil)
        #expect(Day(year: 1970, month: 1, day: 1)?.number == 0)
    }

    @Test("dates, months and padded numbers written as bytes read as the interpolated forms")
    func writtenAsBytes() throws {
        func plainPad(_ v: Int, _ width: Int) -> String {
            let s = String(v)
            return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        }
        for v in [-12345, -100, -5, -1, 0, 1, 9, 10, 99, 100, 999, 1000, 9999, 10_000, 123_456, Int.max, Int.min] {
            for width in 0...6 { #expect(pad(v, width) == plainPad(v, width), "pad(\(v), \(width))") }
        }
        let first = try #require(Day(year: 1, month: 1, day: 1)).number
        let last = try #require(Day(year: 9999, month: 12, day: 31)).number
        var n = first
        var wrong = 0
        while n <= last {
            let d = Day(number: n), c = d.components
            if d.description != "\(plainPad(c.year, 4))-\(plainPad(c.month, 2))-\(plainPad(c.day, 2))" { wrong += 1 }
            n += 997
        }
        #expect(wrong == 0)
        // Days outside the four-digit years take the interpolated path.
        let before = Day(number: first - 400), after = Day(number: last + 400)
        #expect(before.description == "\(plainPad(before.components.year, 4))-\(plainPad(before.components.month, 2))-\(plainPad(before.components.day, 2))")
        #expect(after.description == "\(plainPad(after.components.year, 4))-\(plainPad(after.components.month, 2))-\(plainPad(after.components.day, 2))")
        for (y, m) in [(1, 1), (999, 7), (2026, 10), (9999, 12)] {
            #expect(try #require(Period.month(y, m)).description == "\(plainPad(y, 4))-\(plainPad(m, 2))")
        }
        #expect(Period.month(10_000, 1) == nil)
    }
}

@Suite("Interned text in the model")
struct SymbolTests {
    @Test("equal texts get one symbol, from strings or bytes, on any thread")
    func interning() async {
        let texts = (0..<500).map { "text-\($0)-王" }
        let fromStrings = texts.map(Symbol.init)
        let fromBytes = texts.map { t in Array(t.utf8).withUnsafeBytes { Symbol(utf8: $0) } }
        #expect(fromStrings == fromBytes)
        #expect(fromStrings.map(\.string) == texts)
        #expect(Symbol("") == .empty && Symbol.empty.string == "")
        let raced = await withTaskGroup(of: [Symbol].self) { group in
            for _ in 0..<4 { group.addTask { Array(texts.reversed().map(Symbol.init).reversed()) } }
            var all: [[Symbol]] = []
            for await r in group { all.append(r) }
            return all
        }
        for r in raced { #expect(r == fromStrings) }
    }

    @Test("rows read and write their texts as before, and stay small")
    func rows() throws {
        let at = try Timestamp.parse("2026-10-03T09:00:00").get()
        var f = Followup(leadID: "L1", at: at, by: "S1", kind: "call", outcome: "约到店，客户说下周再来看车型资料", source: RowSource(line: 7))
        #expect(f.by == "S1" && f.kind == "call" && f.outcome == "约到店，客户说下周再来看车型资料" && f.source.line == 7)
        f.kind = "visit"
        #expect(f.kind == "visit")
        #expect(f == Followup(leadID: "L1", at: at, by: "S1", kind: "visit", outcome: "约到店，客户说下周再来看车型资料", source: RowSource(line: 7)))
        #expect(MemoryLayout<Followup>.stride == 40)

        var l = Lead(id: "L1", createdAt: at, channel: "autohome", campaign: nil, marketingOwner: "M1", phone: " 138 ",
                     contactStatus: .other("已接通"), demand: .unknown, salesLabel: .valid, source: RowSource(line: 3))
        #expect(l.channel == "autohome" && l.campaign == nil && l.marketingOwner == "M1" && l.assignedTo == nil)
        #expect(l.contactStatus == .other("已接通") && l.demand == .unknown && l.phone == " 138 ")
        l.campaign = "国庆购车节"
        l.contactStatus = .reached
        l.demand = nil
        #expect(l.campaign == "国庆购车节" && l.contactStatus == .reached && l.demand == nil)
        #expect(l.marketingOwnerSymbol == Symbol("M1"))
        #expect(MemoryLayout<Lead>.stride <= 88)
        let other = Lead(id: "L1", createdAt: at, channel: "autohome", campaign: "国庆购车节", marketingOwner: "M1", phone: " 138 ",
                         contactStatus: .reached, salesLabel: .valid, source: RowSource(line: 3))
        #expect(l == other)
        #expect(Set([l, other]).count == 1)
        #expect(ContactStatus.Code(.other("reached")) != ContactStatus.Code(.reached))

        var s = Spend(date: at.day, channel: "autohome", campaign: nil, marketingOwner: "M1", amount: Money(minorUnits: 12_345),
                      source: RowSource(line: 9))
        #expect(s.channel == "autohome" && s.campaign == nil && s.marketingOwner == "M1" && s.source.line == 9)
        s.campaign = "国庆购车节"
        s.marketingOwner = nil
        #expect(s.campaign == "国庆购车节" && s.marketingOwner == nil && s.campaignSymbol == Symbol("国庆购车节"))
        #expect(s == Spend(date: at.day, channel: "autohome", campaign: "国庆购车节", amount: Money(minorUnits: 12_345),
                           source: RowSource(line: 9)))
        #expect(s != Spend(date: at.day, channel: "autohome", campaign: "国庆购车节", marketingOwner: "", amount: Money(minorUnits: 12_345),
                           source: RowSource(line: 9)))
        #expect(MemoryLayout<Spend>.stride <= 32)
    }
}

@Suite("Repeated ids are found however the ids are ordered")
struct RepeatedIDTests {
    @Test("a repeat is reported with the first line, ascending ids or not, read or not")
    func repeats() throws {
        let tmp = try TemporaryFolder()
        let data = try tmp.copy(fixture: "hand", withExpected: false)
        let url = data.appendingPathComponent("leads.csv")
        var lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let header = lines.removeFirst()
        let rows = lines.filter { !$0.isEmpty }.sorted()
        // Ascending ids, then: a row whose created_at cannot be read, a repeat of it, a repeat of the
        // first row, and a new id that breaks the order.
        var out = [header] + rows
        out.append("L-9001,not a date,autohome,,M1,S1,13800000000,,,,")
        out.append("L-9001,2026-10-05T10:00:00,autohome,,M1,S1,13800000000,,,,")
        out.append(rows[0])
        out.append("L-0001,2026-10-05T10:00:00,autohome,,M1,S1,13800000000,,,,")
        out.append("L-9001,2026-10-05T10:00:00,autohome,,M1,S1,13800000000,,,,")
        try Data((out.joined(separator: "\n") + "\n").utf8).write(to: url)
        let firstID = String(rows[0].prefix { $0 != "," })
        for chunk in [5, 1 << 20] {
            do {
                _ = try DataFolder.load(data, currency: .cny, chunk: chunk)
                Issue.record("repeated ids were accepted")
            } catch {
                let messages = error.problems.map(\.description)
                let n = rows.count + 1
                #expect(messages.contains { $0.contains("leads.csv:\(n + 1):2: 'created_at' is \"not a date\"") }, "\(messages)")
                #expect(messages.contains { $0.contains("leads.csv:\(n + 2):1: 'lead_id' \"L-9001\" is already used on line \(n + 1).") }, "\(messages)")
                #expect(messages.contains { $0.contains("leads.csv:\(n + 3):1: 'lead_id' \"\(firstID)\" is already used on line 2.") }, "\(messages)")
                #expect(messages.contains { $0.contains("leads.csv:\(n + 5):1: 'lead_id' \"L-9001\" is already used on line \(n + 1).") }, "\(messages)")
                #expect(!messages.contains { $0.contains("\"L-0001\" is already used") })
            }
        }
    }
}

@Suite("First lines of ids")
struct FirstLinesTests {
    @Test("the first line of every id, sorted runs or not, short ids or long, matches a dictionary")
    func matchesDictionary() {
        var random = Mix64(state: 99)
        // Valid UTF-8 pieces (ids are text), NUL and a three-byte character among them.
        let alphabet: [[UInt8]] = [[0x00], [0x30], [0x31], [0x41], [0x42], [0x7A], Array("王".utf8)]
        for round in 0..<40 {
            var ids: [[UInt8]] = (0..<300).map { _ in
                Array((0..<(1 + random.below(12))).map { _ in alphabet[random.below(alphabet.count)] }.joined())
            }
            // Some rounds ascending for a while, with repeats and out-of-order ids later.
            if round % 2 == 0 {
                ids = Array(Set(ids)).sorted { $0.lexicographicallyPrecedes($1) }
                let n = ids.count
                for _ in 0..<20 { ids.append(ids[random.below(n)]) }
            }
            var table = FirstLines()
            var expected: [[UInt8]: Int] = [:]
            for (line, id) in ids.enumerated() {
                // Room after the id, as a reader's buffer has.
                let padded = id + [UInt8](repeating: 0xAA, count: 16)
                let got = padded.withUnsafeBytes { raw in
                    table.insert(UnsafeRawBufferPointer(rebasing: raw[0..<id.count]), line: line) {
                        expected.map { (String(decoding: $0.key, as: UTF8.self), $0.value) }
                    }
                }
                #expect(got == expected[id], "round \(round), line \(line)")
                if expected[id] == nil { expected[id] = line }
            }
            table.deallocate()
        }
    }
}

@Suite("Strings of short fields")
struct FieldStringTests {
    @Test("the quick String of a field is the standard library's, ASCII or not, short or long")
    func matchesDecoding() {
        #expect(SmallASCII.matchesRuntime, "short ASCII Strings are no longer laid out as expected: the quick path is off")
        var random = Mix64(state: 7)
        // ASCII bytes (NUL, DEL, separators, letters) and multi-byte characters, so some fields are not ASCII.
        let alphabet: [[UInt8]] = [[0x00], [0x20], [0x2B], [0x2D], [0x30], [0x39], [0x41], [0x4C], [0x7A], [0x7E], [0x7F],
                                   Array("é".utf8), Array("王".utf8), Array("😀".utf8)]
        for round in 0..<3000 {
            let length = round < 40 ? round : random.below(24)
            var bytes: [UInt8] = []
            let ascii = round % 3 != 0
            while bytes.count < length {
                let piece = alphabet[random.below(ascii ? 11 : alphabet.count)]
                bytes += piece
            }
            // Room after the field, as a reader's buffer has, with bytes that must not leak in.
            let padded = bytes + [UInt8](repeating: 0xAA, count: 16)
            let (quick, plain) = padded.withUnsafeBytes { raw in
                let field = UnsafeRawBufferPointer(rebasing: raw[0..<bytes.count])
                return (fieldString(field), String(decoding: field, as: UTF8.self))
            }
            #expect(quick == plain, "round \(round)")
            #expect(Array(quick.utf8) == bytes, "round \(round)")
            #expect(quick.utf8.count == plain.utf8.count && quick.count == plain.count && quick.hashValue == plain.hashValue)
            #expect(quick + "x" == plain + "x" && quick.lowercased() == plain.lowercased())
            let quickBits = unsafeBitCast(quick, to: (UInt64, UInt64).self)
            let plainBits = unsafeBitCast(plain, to: (UInt64, UInt64).self)
            if bytes.count <= 15 { #expect(quickBits == plainBits, "round \(round): \(bytes)") }
        }
    }
}

@Suite("Byte caches")
struct ByteCacheTests {
    @Test("values are made once per distinct text, in first-seen order, for keys of every length")
    func matchesDictionary() {
        var random = Mix64(state: 2026)
        // Keys share long prefixes and differ in one byte or in length, around the 7, 8 and 16 byte edges.
        let alphabet: [[UInt8]] = [[0x00], [0x30], [0x31], [0x41], Array("王".utf8), Array("约到店".utf8)]
        var keys: [[UInt8]] = []
        for length in 0...40 {
            for _ in 0..<6 {
                var k: [UInt8] = []
                while k.count < length { k += alphabet[random.below(alphabet.count)] }
                keys.append(Array(k.prefix(length)))
            }
        }
        keys += (0..<3000).map { i in Array("person-\(i % 1500)".utf8) } + (0..<2000).map { i in Array("P\(i)".utf8) }
        var cache = ByteCache()
        var expected: [[UInt8]: UInt32] = [:]
        var order: [UInt32] = []
        for round in 0..<20000 {
            let key = keys[round < keys.count ? round : random.below(keys.count)]
            // Room after the key, as a reader's buffer has, with bytes that must not count.
            let padded = key + [UInt8](repeating: 0xAA, count: 16)
            var madeNow = false
            let got = padded.withUnsafeBytes { raw in
                cache.value(UnsafeRawBufferPointer(rebasing: raw[0..<key.count])) { bytes in
                    madeNow = true
                    #expect(Array(bytes) == key)
                    return UInt32(truncatingIfNeeded: ByteHash.hash(bytes))
                }
            }
            if let e = expected[key] {
                #expect(got == e && !madeNow, "round \(round): \(key)")
            } else {
                #expect(madeNow, "round \(round): \(key)")
                expected[key] = got
                order.append(got)
            }
        }
        #expect(cache.made == order)
        cache.deallocate()
    }
}
