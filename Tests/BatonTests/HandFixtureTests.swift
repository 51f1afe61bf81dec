import Foundation
import Testing

/// The hand-checkable fixture's README works every figure out by hand; these tests hold the program to it.
@Suite("The hand-worked fixture")
struct HandFixtureTests {
    /// The rows of the one markdown table under `## TITLE` in the fixture's README.
    static func readmeTable(_ title: String) throws -> [[String]] {
        let readme = try String(contentsOf: CLI.fixture("hand").appendingPathComponent("README.md"), encoding: .utf8)
        let parts = readme.components(separatedBy: "\n## \(title)\n")
        try #require(parts.count == 2, "README has one '## \(title)' section")
        let section = parts[1].components(separatedBy: "\n## ")[0]
        let lines = section.split(separator: "\n").filter { $0.hasPrefix("|") }
        return lines.dropFirst(2).map { line in
            line.trimmingCharacters(in: .whitespaces).dropFirst().dropLast()
                .split(separator: "|", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
        }
    }

    static func evaluate() throws -> (TemporaryFolder, URL) {
        let tmp = try TemporaryFolder()
        let out = tmp.url.appendingPathComponent("out")
        let r = try CLI.run(["evaluate", "fixtures/hand", "--period", "2026-10", "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        return (tmp, out)
    }

    @Test("every figure in kpis.csv equals the README's hand arithmetic, and no figure is unaccounted for")
    func figures() throws {
        let expected = try Self.readmeTable("Expected figures")
        #expect(expected.count > 90)
        let (tmp, out) = try Self.evaluate()
        let rows = csvRows(try String(contentsOf: out.appendingPathComponent("kpis.csv"), encoding: .utf8))
        #expect(rows.first == ["person_id", "side", "kpi", "value"])
        var actual: [String: String] = [:]
        for r in rows.dropFirst() { actual[r[0] + "|" + r[1] + "|" + r[2]] = r[3] }
        for e in expected {
            let key = e[0] + "|" + e[1] + "|" + e[2]
            #expect(actual[key] == e[3], "\(key): README \(e[3]), baton \(actual[key] ?? "missing")")
        }
        #expect(actual.count == expected.count, "kpis.csv has rows the README does not work out")
        _ = tmp
    }

    @Test("each scored KPI's target, attainment and score, and each weighted total, equal the README")
    func scores() throws {
        let (tmp, out) = try Self.evaluate()
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("scorecards.json"))) as! [String: Any]
        var scores: [String: [String: Any]] = [:]
        var totals: [String: String] = [:]
        for side in ["marketing", "sales"] {
            let people = (json[side] as! [String: Any])["people"] as! [[String: Any]]
            for p in people {
                let id = p["person_id"] as! String
                totals[id] = p["weighted_total_rounded"] as? String
                for s in p["scores"] as! [[String: Any]] { scores[id + "|" + (s["kpi"] as! String)] = s }
            }
        }
        let expected = try Self.readmeTable("Expected scores")
        #expect(expected.count >= 20)
        for e in expected {
            let s = try #require(scores[e[0] + "|" + e[1]], "no score for \(e[0]) \(e[1])")
            let target = ((s["target"] as? [String: Any])?["value"] as? String).map { tenPlaces($0) } ?? ""
            #expect(target == e[2], "\(e[0]) \(e[1]) target")
            #expect((s["attainment"] as? String ?? "") == e[3], "\(e[0]) \(e[1]) attainment")
            #expect((s["score"] as? String ?? "") == e[4], "\(e[0]) \(e[1]) score")
        }
        for e in try Self.readmeTable("Expected totals") {
            #expect(totals[e[0]] == e[1], "\(e[0]) weighted total")
        }
        _ = tmp
    }

    /// A short exact decimal written out to ten places ("440" → "440.0000000000").
    func tenPlaces(_ s: String) -> String {
        var parts = s.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        if parts.count == 1 { parts.append("") }
        return parts[0] + "." + parts[1].padding(toLength: 10, withPad: "0", startingAt: 0)
    }
}
