// Deterministic randomness for the synthetic generator: xoshiro256** seeded through SplitMix64.
// Only integer draws, so the same seed yields the same bytes on every platform.

struct SynthRandom {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// `stream` separates independent sequences (one per table) drawn from one seed,
    /// so changing how one table is drawn does not shift the others.
    init(seed: UInt64, stream: UInt64) {
        var x = seed ^ (stream &* 0xD1B5_4A32_D192_ED03)
        func splitMix(_ x: inout UInt64) -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(&x); s1 = splitMix(&x); s2 = splitMix(&x); s3 = splitMix(&x)
    }

    @inline(__always)
    mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// Uniform in 0..<n (multiply-high; the bias is far below anything the data can show).
    @inline(__always)
    mutating func below(_ n: Int) -> Int {
        precondition(n > 0)
        return Int(UInt64(n).multipliedFullWidth(by: next()).high)
    }

    @inline(__always)
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// True with probability perMille / 1000.
    @inline(__always)
    mutating func chance(_ perMille: Int) -> Bool { below(1000) < perMille }

    /// Index drawn with the given integer weights (small tables only: linear scan).
    @inline(__always)
    mutating func pick(_ weights: [Int], total: Int) -> Int {
        var r = below(total)
        for (i, w) in weights.enumerated() {
            if r < w { return i }
            r -= w
        }
        return weights.count - 1
    }

    @inline(__always)
    mutating func element<T>(_ items: [T]) -> T { items[below(items.count)] }
}

/// Weighted draw over many items (stores): cumulative weights and a binary search.
struct SynthCumulative {
    private let cumulative: [Int]
    let total: Int

    init(_ weights: [Int]) {
        var sum = 0
        var c: [Int] = []
        c.reserveCapacity(weights.count)
        for w in weights { sum += w; c.append(sum) }
        cumulative = c
        total = sum
    }

    func draw(_ rng: inout SynthRandom) -> Int {
        let r = rng.below(total)
        var lo = 0, hi = cumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulative[mid] > r { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }
}
