import ArgumentParser
import BatonCore
import BatonIO
import Foundation

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Recompute fixture periods and compare them with their recorded results.",
        discussion: """
        Each FIXTURE_DIR holds a data folder, a fixture.yaml ('period: 2026-10'), optionally a plan.yaml,
        and expected/ with the recorded scorecards.json, kpis.csv and leads.csv. Every figure that moved is
        printed (person, KPI, expected → actual) and the exit code is 1.
        With --record, or \(Fixture.recordVariable)=1 in the environment, the expected results are
        re-recorded instead: do that deliberately, after checking that the change is meant.
        """
    )

    @Argument(help: "Fixture folders.")
    var fixtures: [String]

    @Flag(help: "Re-record the expected results instead of comparing.")
    var record = false

    func run() throws {
        let recording = record || ["1", "true", "yes"].contains(ProcessInfo.processInfo.environment[Fixture.recordVariable]?.lowercased() ?? "")
        var moved = 0
        for path in fixtures {
            let folder = fileURL(path)
            let fixture: Fixture
            let evaluation: Evaluation
            do {
                fixture = try Fixture.open(folder)
                evaluation = try EvaluationRun.evaluate(dataFolder: folder, period: fixture.period, plan: nil, previous: fixture.previous)
            } catch let e as InputProblems {
                throw fail(e)
            } catch let e as EvaluationRun.Failure {
                throw fail(e)
            }
            let actual = ResultFiles.render(evaluation)
            if recording {
                do { try OutputFolder.write(actual, to: fixture.expectedFolder) } catch {
                    report(error.description)
                    throw ExitCode(Exit.cannotWrite)
                }
                print("\(path): recorded \(actual.count) files in expected/")
                continue
            }
            let expected = actual.map { f -> OutputFile in
                let url = fixture.expectedFolder.appendingPathComponent(f.name)
                return OutputFile(name: f.name, bytes: (try? [UInt8](Data(contentsOf: url))) ?? [])
            }.filter { !$0.bytes.isEmpty }
            let diffs = Fixture.differences(expected: expected, actual: actual, people: evaluation.data.people)
            if diffs.isEmpty {
                print("\(path): ok (\(evaluation.periodLeads.count) leads, \(evaluation.people.count) scorecards)")
            } else {
                moved += 1
                print("\(path): \(diffs.count) difference(s)")
                for d in diffs.prefix(200) { print("  " + TerminalText.safe(d)) }
                if diffs.count > 200 { print("  ... and \(diffs.count - 200) more") }
            }
        }
        if moved > 0 {
            print("\(moved) of \(fixtures.count) fixture(s) moved. If the change is meant, re-record with \(Fixture.recordVariable)=1 baton verify ...")
            throw ExitCode(Exit.differences)
        }
    }
}
