import ArgumentParser
import BatonCore

struct DefaultPlan: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "default-plan",
        abstract: "Print the built-in default plan (a starting point for your own plan.yaml)."
    )

    func run() {
        print(Plan.defaultYAML, terminator: "")
    }
}
