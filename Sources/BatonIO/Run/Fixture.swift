import BatonCore
import Foundation

/// A golden fixture: a data folder with `fixture.yaml` (the period) and `expected/` (the recorded results).
/// Verifying recomputes it and compares figure by figure, so a plan or code change that moves anyone's
/// numbers is seen.
public struct Fixture: Sendable {
    public let folder: URL
    public let period: Period
    /// Earlier periods' result folders (`previous: DIR` lines), for clawbacks.
    public let previous: [URL]

    /// The file naming the period of a fixture.
    public static let manifest = "fixture.yaml"
    /// The environment variable that re-records expected results instead of comparing.
    public static let recordVariable = "BATON_RECORD"

    public static func open(_ folder: URL) throws(InputProblems) -> Fixture {
        let url = folder.appendingPathComponent(manifest)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw InputProblems([InputProblem(file: DataFolder.displayPath(url), message: "not found. A fixture folder holds its data, a fixture.yaml with 'period: 2026-10', and expected/.", kind: .missingInput)])
        }
        var period: Period?
        var previous: [URL] = []
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let l = line.trimmingCharacters
            guard !l.isEmpty, !l.hasPrefix("#") else { continue }
            if l.hasPrefix("period:") {
                var v = l.dropFirst("period:".count).trimmingCharacters
                if v.count >= 2, v.first == v.last, v.first == "'" || v.first == "\"" { v = v.dropFirst().dropLast() }
                switch Period.parse(String(v)) {
                case .success(let p): period = p
                case .failure(let f):
                    throw InputProblems([InputProblem(file: DataFolder.displayPath(url), line: n + 1, column: 9, message: "'period' \(f.message)")])
                }
            } else if l.hasPrefix("previous:") {
                let v = l.dropFirst("previous:".count).trimmingCharacters
                previous.append(folder.appendingPathComponent(String(v)))
            } else {
                throw InputProblems([InputProblem(file: DataFolder.displayPath(url), line: n + 1, column: 1, message: "\"\(l)\" is not understood. A fixture.yaml has 'period: 2026-10' and optional 'previous: FOLDER' lines.")])
            }
        }
        guard let period else {
            throw InputProblems([InputProblem(file: DataFolder.displayPath(url), message: "has no 'period:' line. Add one, e.g. period: 2026-10.")])
        }
        return Fixture(folder: folder, period: period, previous: previous)
    }

    public var expectedFolder: URL { folder.appendingPathComponent("expected") }

    /// Differences between recorded and computed results, most readable first.
    public static func differences(expected: [OutputFile], actual: [OutputFile], people: [Person]) -> [String] {
        var out: [String] = []
        let exp = Dictionary(expected.map { ($0.name, $0.bytes) }, uniquingKeysWith: { a, _ in a })
        let act = Dictionary(actual.map { ($0.name, $0.bytes) }, uniquingKeysWith: { a, _ in a })
        let names = Dictionary(people.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        // Figures first (the readable diff), then verdicts, then whatever else moved.
        let order = ["kpis.csv", "payroll.csv", "leads.csv", "pay.csv"]
        let files = actual.map(\.name).sorted { (order.firstIndex(of: $0) ?? 9, $0) < (order.firstIndex(of: $1) ?? 9, $1) }
        for file in files {
            guard let e = exp[file] else {
                out.append("\(file): no recorded copy in expected/ (record it with \(recordVariable)=1)")
                continue
            }
            let a = act[file]!
            if e == a { continue }
            switch file {
            case "kpis.csv": out += keyedDiff(e, a, keyColumns: 3, file: file) { key, what in
                let who = key[0].hasPrefix("team:") ? key[0] : "\(key[0])\(names[key[0]].map { " (\($0))" } ?? "")"
                return "\(who) \(key[1]) \(key[2]): \(what)"
            }
            case "leads.csv": out += keyedDiff(e, a, keyColumns: 1, file: file) { key, what in "lead \(key[0]): \(what)" }
            case "payroll.csv": out += keyedDiff(e, a, keyColumns: 1, file: file) { key, what in
                "pay of \(key[0])\(names[key[0]].map { " (\($0))" } ?? ""): \(what)"
            }
            default: out += lineDiff(e, a, file: file)
            }
        }
        return out
    }

    /// Rows keyed by their first columns; the rest compared column by column.
    static func keyedDiff(_ e: [UInt8], _ a: [UInt8], keyColumns: Int, file: String,
                          describe: ([String], String) -> String) -> [String] {
        guard let et = try? CSVReader.parse(e), let at = try? CSVReader.parse(a) else { return lineDiff(e, a, file: file) }
        func rows(_ t: CSVTable) -> ([[String]], [String: [String]]) {
            var order: [[String]] = []
            var map: [String: [String]] = [:]
            for i in 0..<t.rowCount {
                let f = t.row(i).fields
                let key = Array(f.prefix(keyColumns))
                order.append(key)
                map[key.joined(separator: "\u{1}")] = f
            }
            return (order, map)
        }
        let (eOrder, eMap) = rows(et)
        let (aOrder, aMap) = rows(at)
        var out: [String] = []
        let header = at.header
        for key in eOrder {
            let k = key.joined(separator: "\u{1}")
            guard let ar = aMap[k] else { out.append(describe(key, "recorded, now missing")); continue }
            let er = eMap[k]!
            for c in keyColumns..<max(er.count, ar.count) {
                let ev = c < er.count ? er[c] : "", av = c < ar.count ? ar[c] : ""
                if ev != av {
                    let col = c < header.count && keyColumns > 1 && header.count == keyColumns + 1 ? "" : "\(c < header.count ? header[c] : "column \(c + 1)") "
                    out.append(describe(key, "\(col)\(show(ev)) → \(show(av))"))
                }
            }
        }
        for key in aOrder where eMap[key.joined(separator: "\u{1}")] == nil {
            out.append(describe(key, "new, not recorded"))
        }
        if out.isEmpty { out.append("\(file): same rows, different order or formatting") }
        return out
    }

    static func show(_ v: String) -> String { v.isEmpty ? "(no data)" : v }

    static func lineDiff(_ e: [UInt8], _ a: [UInt8], file: String) -> [String] {
        let el = String(decoding: e, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let al = String(decoding: a, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        var out: [String] = []
        for i in 0..<max(el.count, al.count) {
            let x = i < el.count ? String(el[i]) : "(end of file)"
            let y = i < al.count ? String(al[i]) : "(end of file)"
            if x != y {
                out.append("\(file):\(i + 1): expected \(x.trimmingCharacters(in: .whitespaces)) → actual \(y.trimmingCharacters(in: .whitespaces))")
                if out.count >= 10 { out.append("\(file): ... further lines differ"); break }
            }
        }
        return out
    }
}
