import ArgumentParser
import BatonCore
import BatonIO
import BatonMemory
import Foundation

@main
struct Baton: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baton",
        abstract: "Separate marketing and sales scorecards (and pay) from one period's data.",
        discussion: """
        Exit codes:
          0   success
          1   verify: a fixture's results moved (the differences are printed)
          64  the command line is wrong (unknown option, missing argument)
          65  the data or the plan is wrong (each problem printed as FILE:LINE:COLUMN: what and how to fix)
          66  an input file or folder is missing or unreadable
          73  the results could not be written (nothing is left half-written)
        """,
        version: "0.1.0",
        subcommands: [Evaluate.self, Verify.self, Check.self, Generate.self, DefaultPlan.self]
    )
}

/// The documented exit codes.
enum Exit {
    static let differences: Int32 = 1
    static let usage: Int32 = 64
    static let badData: Int32 = 65
    static let missingInput: Int32 = 66
    static let cannotWrite: Int32 = 73
}

/// Prints to standard error: problems and progress go there, results to files and standard output.
func report(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Prints the problems and ends with the matching exit code.
func fail(_ problems: InputProblems) -> ExitCode {
    report(problems.description)
    return ExitCode(problems.isMissingInput ? Exit.missingInput : Exit.badData)
}

func fail(_ failure: EvaluationRun.Failure) -> ExitCode {
    switch failure {
    case .input(let p): return fail(p)
    case .evaluation(let e):
        report(e.description)
        return ExitCode(Exit.badData)
    }
}

/// Large buffers (row lists, tables) come from and go back to the system directly. glibc otherwise raises
/// its mmap threshold after the first large free, and later large buffers of a brand-sized run are carved
/// from heaps that keep their pages after they are freed: about 50 MB more peak memory at a million
/// leads. 4 MB keeps the writers' 1 MB pieces pooled.
func returnLargeBuffersToTheSystem() {
    _ = baton_unpool_large_blocks(4 << 20)
}

func fileURL(_ path: String) -> URL {
    URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath + "/")).standardizedFileURL
}
