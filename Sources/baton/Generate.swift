import ArgumentParser
import BatonIO
import Foundation

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a seeded synthetic dealer group's data folder (for examples and benchmarks)."
    )

    @Option(help: "The folder to write.")
    var out: String

    func run() throws {
        report("generate: not available yet")
        throw ExitCode(Exit.usage)
    }
}
