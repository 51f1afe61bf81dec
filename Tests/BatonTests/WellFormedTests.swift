import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import ZIPFoundation

/// Every XML part Baton writes is well formed, by libxml2 (Foundation's XMLParser is built on it), on the
/// example's real output and on the hostile fixture's.
@Suite("XML parts are well formed")
struct WellFormedTests {
    static func parse(_ data: Data) -> (Bool, String) {
        let parser = XMLParser(data: data)
        let ok = parser.parse()
        return (ok, parser.parserError.map { "\($0) at line \(parser.lineNumber), column \(parser.columnNumber)" } ?? "")
    }

    @Test("every part of scorecards.xlsx and scorecards.xml parses", arguments: ["dealer-group", "hostile"])
    func parts(_ fixture: String) throws {
        let tmp = try TemporaryFolder()
        let out = tmp.url.appendingPathComponent("out")
        let r = try CLI.run(["evaluate", "fixtures/\(fixture)", "--period", "2026-10", "--out", out.path, "--quiet"])
        try #require(r.status == 0, "\(r.stderr)")
        let archive = try Archive(url: out.appendingPathComponent("scorecards.xlsx"), accessMode: .read)
        var count = 0
        for entry in archive where entry.path.hasSuffix(".xml") || entry.path.hasSuffix(".rels") {
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            let (ok, why) = Self.parse(data)
            #expect(ok, "\(entry.path): \(why)")
            count += 1
        }
        #expect(count >= 14, "the package has its parts")
        let (ok, why) = Self.parse(try Data(contentsOf: out.appendingPathComponent("scorecards.xml")))
        #expect(ok, "scorecards.xml: \(why)")
    }
}
