import Dispatch

/// Runs independent pieces of a computation on both cores. Each piece is a pure function of values it
/// captured; the results come back in a fixed order, so the outcome never depends on scheduling.
enum Parallel {
    /// `a()` and `b()` at the same time.
    static func both<A, B>(_ a: () -> A, _ b: () -> B) -> (A, B) {
        let slots = Slots<A, B>()
        withoutActuallyEscaping(a) { a in
            withoutActuallyEscaping(b) { b in
                let jobs = UncheckedPair(a: a, b: b)
                DispatchQueue.concurrentPerform(iterations: 2) { i in
                    if i == 0 { slots.a = jobs.a() } else { slots.b = jobs.b() }
                }
            }
        }
        return (slots.a!, slots.b!)
    }

    /// Each slot is written by exactly one iteration and read after `concurrentPerform` returns.
    private final class Slots<A, B>: @unchecked Sendable {
        var a: A?
        var b: B?
    }

    private struct UncheckedPair<A, B>: @unchecked Sendable {
        let a: () -> A
        let b: () -> B
    }
}
