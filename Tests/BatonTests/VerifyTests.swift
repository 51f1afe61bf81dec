import Foundation
import Testing

@Suite("verify: golden fixtures")
struct VerifyTests {
    static var fixtureNames: [String] {
        let dir = CLI.root.appendingPathComponent("fixtures")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { FileManager.default.fileExists(atPath: dir.appendingPathComponent("\($0)/fixture.yaml").path) }.sorted()
    }

    @Test("baton verify passes on every bundled fixture")
    func allFixturesPass() throws {
        let names = Self.fixtureNames
        #expect(names.contains("hand"))
        let r = try CLI.run(["verify"] + names.map { "fixtures/\($0)" })
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        for n in names { #expect(r.stdout.contains("fixtures/\(n): ok")) }
    }

    @Test("changing one lead's phone makes verify fail, naming the marketer and the KPI that moved")
    func phoneChangeIsCaught() throws {
        let tmp = try TemporaryFolder()
        let fixture = try tmp.copy(fixture: "hand")
        let leadsURL = fixture.appendingPathComponent("leads.csv")
        let leads = try String(contentsOf: leadsURL, encoding: .utf8)
        // L-1020 is one of M1's valid leads (no twin elsewhere); a five-digit-short phone is malformed.
        let changed = leads.replacingOccurrences(of: "M1,S1,13666667777,", with: "M1,S1,136666,")
        #expect(changed != leads)
        try Data(changed.utf8).write(to: leadsURL)

        let r = try CLI.run(["verify", fixture.path])
        #expect(r.status == 1)
        #expect(r.stdout.contains("M1 (李娜) marketing valid_leads: 11 → 10"), "\(r.stdout)")
        #expect(r.stdout.contains("M1 (李娜) marketing validity_rate: 0.4782608696 → 0.4347826087"), "\(r.stdout)")
        #expect(r.stdout.contains("lead L-1020: failed_rule (no data) → malformed_phone"), "\(r.stdout)")
        // Nothing was re-recorded by a failing verify.
        let recorded = try String(contentsOf: fixture.appendingPathComponent("expected/kpis.csv"), encoding: .utf8)
        #expect(recorded.contains("M1,marketing,valid_leads,11\n"))
    }

    @Test("BATON_RECORD=1 re-records deliberately, after which verify passes again")
    func recordVariable() throws {
        let tmp = try TemporaryFolder()
        let fixture = try tmp.copy(fixture: "hand")
        let leadsURL = fixture.appendingPathComponent("leads.csv")
        let leads = try String(contentsOf: leadsURL, encoding: .utf8)
        try Data(leads.replacingOccurrences(of: "M1,S1,13666667777,", with: "M1,S1,136666,").utf8).write(to: leadsURL)
        let rec = try CLI.run(["verify", fixture.path], environment: ["BATON_RECORD": "1"])
        #expect(rec.status == 0)
        #expect(rec.stdout.contains("recorded 6 files"))
        let again = try CLI.run(["verify", fixture.path])
        #expect(again.status == 0, "\(again.stdout)")
        let recorded = try String(contentsOf: fixture.appendingPathComponent("expected/kpis.csv"), encoding: .utf8)
        #expect(recorded.contains("M1,marketing,valid_leads,10\n"))
    }

    @Test("the output folder's missing parents are created, as the README's first command needs")
    func nestedOut() throws {
        let tmp = try TemporaryFolder()
        let r = try CLI.run(["evaluate", CLI.fixture("hand").path, "--period", "2026-10", "--out", "out/2026-10/hand", "--quiet"], in: tmp.url)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: tmp.url.appendingPathComponent("out/2026-10/hand/kpis.csv").path))
        #expect(try tmp.contents() == ["out"])
    }

    @Test("evaluating the same data twice gives byte-identical results")
    func deterministic() throws {
        let tmp = try TemporaryFolder()
        for n in ["a", "b"] {
            let r = try CLI.run(["evaluate", "fixtures/hand", "--period", "2026-10", "--out", tmp.url.appendingPathComponent(n).path, "--quiet"])
            #expect(r.status == 0)
        }
        for f in ["scorecards.json", "kpis.csv", "leads.csv"] {
            #expect(try tmp.read("a/\(f)") == tmp.read("b/\(f)"), "\(f) differs between runs")
        }
    }
}

@Suite("The default plan")
struct DefaultPlanTests {
    @Test("docs/plan.md prints the built-in default plan exactly as baton default-plan does")
    func documented() throws {
        let r = try CLI.run(["default-plan"])
        #expect(r.status == 0)
        let doc = try String(contentsOf: CLI.root.appendingPathComponent("docs/plan.md"), encoding: .utf8)
        #expect(doc.contains("```yaml\n" + r.stdout + "```"), "docs/plan.md is out of date: paste `baton default-plan` into it")
    }

    @Test("without plan.yaml the default plan evaluates roles marketing and sales and lists the rest as not evaluated")
    func usedWithoutPlan() throws {
        let tmp = try TemporaryFolder()
        let data = try tmp.copy(fixture: "hand", withExpected: false)
        try FileManager.default.removeItem(at: data.appendingPathComponent("plan.yaml"))
        let r = try CLI.run(["evaluate", "hand", "--period", "2026-10", "--out", "out"], in: tmp.url)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("plan (default plan)"))
        #expect(r.stdout.contains("1 person is not evaluated: no scorecard in the plan for role 'receptionist'."))
        let json = try tmp.read("out/scorecards.json")
        #expect(json.contains("\"not_evaluated\": [\n    {\n      \"person_id\": \"R1\""))
    }
}
