import Foundation
import Testing

/// Each pay fixture's README works its pay out by hand; the program must agree to the cent.
@Suite("Pay: worked examples")
struct PayFixtureTests {
    static var payFixtures: [String] {
        let dir = CLI.root.appendingPathComponent("fixtures")
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasPrefix("pay-") }.sorted()
    }

    static func table(_ readme: String, _ title: String) throws -> [[String]] {
        let parts = readme.components(separatedBy: "\n## \(title)\n")
        try #require(parts.count == 2, "README has one '## \(title)' section")
        return parts[1].components(separatedBy: "\n## ")[0].split(separator: "\n").filter { $0.hasPrefix("|") }.dropFirst(2).map {
            $0.trimmingCharacters(in: .whitespaces).dropFirst().dropLast().split(separator: "|", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
        }
    }

    @Test("there are at least twelve worked pay examples")
    func count() {
        #expect(Self.payFixtures.count >= 12)
    }

    @Test("pay lines and payroll equal the README's hand arithmetic, to the cent", arguments: payFixtures)
    func worked(_ name: String) throws {
        let folder = CLI.fixture(name)
        let readme = try String(contentsOf: folder.appendingPathComponent("README.md"), encoding: .utf8)
        let manifest = try String(contentsOf: folder.appendingPathComponent("fixture.yaml"), encoding: .utf8)
        var args = ["evaluate", "fixtures/\(name)", "--quiet"]
        for line in manifest.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.first == "period" { args += ["--period", parts[1]] }
            if parts.first == "previous" { args += ["--previous", "fixtures/\(name)/\(parts[1])"] }
        }
        let tmp = try TemporaryFolder()
        args += ["--out", tmp.url.appendingPathComponent("out").path]
        let r = try CLI.run(args)
        try #require(r.status == 0, "\(r.stderr)")

        let pay = csvRows(try tmp.read("out/pay.csv")).dropFirst().map { [$0[0], $0[1], $0[2]] }
        let expectedPay = try Self.table(readme, "Expected pay").map { [$0[0], $0[1], $0[2]] }
        #expect(pay.map { $0.joined(separator: " ") }.sorted() == expectedPay.map { $0.joined(separator: " ") }.sorted())

        let payroll = csvRows(try tmp.read("out/payroll.csv")).dropFirst().map { [$0[0], $0[3]] }
        let expectedPayroll = try Self.table(readme, "Expected payroll").map { [$0[0], $0[1]] }
        #expect(payroll == expectedPayroll)
    }
}
