/// The first agreed validity rule a lead failed, in the order they are checked.
/// It is the evidence when marketing and sales dispute a count.
public enum FailedRule: String, Sendable, Hashable, CaseIterable, Comparable {
    case missingPhone = "missing_phone"
    case malformedPhone = "malformed_phone"
    case vacant
    case wrongNumber = "wrong_number"
    case poweredOff = "powered_off"
    case noDemand = "no_demand"
    case duplicate

    public static func < (a: FailedRule, b: FailedRule) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// The rule in words, for scorecards.
    public var explanation: String {
        switch self {
        case .missingPhone: return "no phone captured"
        case .malformedPhone: return "phone does not match the plan's phone pattern"
        case .vacant: return "number not in service"
        case .wrongNumber: return "number belongs to someone else"
        case .poweredOff: return "phone was powered off"
        case .noDemand: return "the contact has no demand"
        case .duplicate: return "same phone arrived as a lead within the dedupe window"
        }
    }
}

/// A lead's verdict under the plan's validity rules.
public struct Verdict: Sendable, Hashable {
    /// The digits of the phone, with a leading `+` kept.
    public var normalisedPhone: String
    /// `duplicateOf` in 4 bytes (-1: none), so a verdict takes 24 bytes: there is one per lead.
    private var duplicateRow: Int32
    /// nil when the lead is valid.
    public var failedRule: FailedRule?
    /// For a duplicate: index (into `PeriodData.leads`) of the latest earlier lead with the same phone.
    public var duplicateOf: Int? {
        get { duplicateRow >= 0 ? Int(duplicateRow) : nil }
        set {
            precondition(newValue.map { $0 >= 0 && $0 <= Int(Int32.max) } ?? true, "lead index out of range")
            duplicateRow = newValue.map { Int32($0) } ?? -1
        }
    }
    public var isValid: Bool { failedRule == nil }

    public init(failedRule: FailedRule?, normalisedPhone: String, duplicateOf: Int? = nil) {
        self.failedRule = failedRule
        self.normalisedPhone = normalisedPhone
        self.duplicateRow = -1
        self.duplicateOf = duplicateOf
    }
}

/// The phone rules: normalising, the plan's pattern, and the key duplicates are matched on.
public struct PhoneRules: Sendable {
    public let pattern: String
    private let matcher: Matcher

    private enum Matcher: @unchecked Sendable {
        /// `^\+?[0-9]{min,max}$` on a normalised phone is a digit count check.
        case digitCount(ClosedRange<Int>)
        case regex(Regex<AnyRegexOutput>)
    }

    /// Compiles the plan's phone pattern; the error text is the regular expression engine's.
    public init(pattern: String) throws {
        self.pattern = pattern
        if pattern == ValidityRules.defaultPhonePattern {
            matcher = .digitCount(7...15)
        } else {
            matcher = .regex(try Regex(pattern))
        }
    }

    /// The digits of a phone with a leading `+` kept: `+86 138-0013-8000` → `+8613800138000`.
    public static func normalise(_ raw: String) -> String {
        var out = [UInt8]()
        out.reserveCapacity(16)
        var sawContent = false
        for c in raw.utf8 {
            if c >= 48 && c <= 57 {
                out.append(c)
                sawContent = true
            } else if c == UInt8(ascii: "+") && !sawContent && out.isEmpty {
                out.append(c)
                sawContent = true
            } else if c != UInt8(ascii: " ") && c != UInt8(ascii: "\t") {
                sawContent = true
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The digit counts the pattern accepts, when it is the digit count check (nil: a regular expression).
    var digitRange: ClosedRange<Int>? {
        if case .digitCount(let range) = matcher { return range }
        return nil
    }

    /// `isWellFormed(normalised)` for a digit count check, from the normalised text's bytes (no text).
    static func digitCountMatches(_ digits: UnsafeBufferPointer<UInt8>, _ range: ClosedRange<Int>) -> Bool {
        var count = digits.count
        var rest = digits[...]
        if rest.first == UInt8(ascii: "+") { rest = rest.dropFirst(); count -= 1 }
        return range.contains(count) && rest.allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    public func isWellFormed(_ normalised: String) -> Bool {
        switch matcher {
        case .digitCount(let range):
            var u = Substring(normalised).utf8[...]
            if u.first == UInt8(ascii: "+") { u = u.dropFirst() }
            return range.contains(u.count) && u.allSatisfy { $0 >= 48 && $0 <= 57 }
        case .regex(let r):
            return (try? r.wholeMatch(in: normalised)) != nil
        }
    }

    /// The key duplicates are matched on: a leading `+86`/`86` before exactly 11 digits is removed,
    /// so `+8613800138000` and `13800138000` are one phone.
    public static func key(_ normalised: String) -> String {
        let u = normalised.utf8
        if u.count == 14 && normalised.hasPrefix("+86") { return String(normalised.dropFirst(3)) }
        if u.count == 13 && normalised.hasPrefix("86") { return String(normalised.dropFirst(2)) }
        return normalised
    }
}

/// Judges every lead (history included) against the agreed rules, in arrival order.
public enum LeadValidity {
    /// Every lead's verdict. The rules of one lead are checked on both cores (halves of the leads); the
    /// duplicate walk is split by phone key (two leads can only be duplicates when their keys are equal,
    /// so each core walks every lead in arrival order and handles the keys of its half of the key space).
    /// The result does not depend on how the work is split.
    public static func judge(_ leads: [Lead], rules: ValidityRules, phones: PhoneRules) -> [Verdict] {
        Array(judgeWithKeys(leads, rules: rules, phones: phones).verdicts)
    }

    /// The verdicts, and each lead's phone duplicate key (`.none` for a missing or malformed phone).
    /// Also whether the lead ids increase (see `LeadIndex`) and the leads' earliest day, found out while
    /// the leads are read anyway.
    static func judgeWithKeys(_ leads: [Lead], rules: ValidityRules, phones: PhoneRules)
        -> (verdicts: Verdicts, keys: [PhoneKey], idsIncrease: Bool, earliestDay: Day?) {
        // Written in place, packed (see `Verdicts`): each core initializes its own leads' elements.
        let n = leads.count
        let half = n / 2
        // Each half also tells whether its leads are in arrival order (exports usually are), so the
        // duplicate walk can skip sorting.
        var halves = (RulesPass(), RulesPass())
        var packedPhones: [UInt64] = [], duplicateRows: [Int32] = [], ruleCodes: [UInt8] = []
        var keys = [PhoneKey](unsafeUninitializedCapacity: n) { keys, keysDone in
            packedPhones = [UInt64](unsafeUninitializedCapacity: n) { packed, packedDone in
                duplicateRows = [Int32](unsafeUninitializedCapacity: n) { duplicates, duplicatesDone in
                    ruleCodes = [UInt8](unsafeUninitializedCapacity: n) { codes, codesDone in
                        let out = Verdicts.Shared(phones: packed, duplicateRows: duplicates, rules: codes, keys: keys)
                        halves = leads.withUnsafeBufferPointer { leads in
                            Parallel.both({ checkRules(leads, 0..<half, phones: phones, into: out) },
                                          { checkRules(leads, half..<n, phones: phones, into: out) })
                        }
                        codesDone = n
                    }
                    duplicatesDone = n
                }
                packedDone = n
            }
            keysDone = n
        }
        var verdicts = Verdicts(phones: packedPhones, duplicateRows: duplicateRows, rules: ruleCodes)
        let (first, second) = halves
        for (i, text) in first.long + second.long { verdicts.longPhones[i] = text }
        // Duplicates: walk leads in arrival order (instant, then file order) and compare each with the
        // latest earlier lead of the same phone key, whatever that lead's verdict.
        let inOrder = first.inOrder && second.inOrder
            && (half == 0 || half == leads.count || leads[half - 1].createdAt.instant <= leads[half].createdAt.instant)
        let window = Int64(rules.dedupeDays) * 86_400
        leads.withUnsafeBufferPointer { buffer in
            verdicts.withShared(keys: &keys) { out in
                markDuplicates(buffer, inOrder ? nil : { arrivalOrder(leads) }, window: window, out)
            }
        }
        let earliestDay = [first.earliestDay, second.earliestDay].compactMap { $0 }.min()
        return (verdicts, keys, first.idsIncrease && second.idsIncrease, earliestDay)
    }

    /// Lead indexes by (instant, row): each half sorted on its own core by integer keys, then merged.
    /// When a half's instants span few enough seconds, each key is one integer (instant since the half's
    /// earliest, then row), which sorts faster than pairs.
    static func arrivalOrder(_ leads: [Lead]) -> [Int] {
        typealias Arrival = (at: Int64, row: Int)
        let rowBits = UInt64(Int.bitWidth - max(leads.count, 1).leadingZeroBitCount)
        func sorted(_ range: Range<Int>) -> [Arrival] {
            var earliest = Int64.max, latest = Int64.min
            for i in range {
                let at = leads[i].createdAt.instant
                earliest = min(earliest, at)
                latest = max(latest, at)
            }
            let (span, overflow) = latest.subtractingReportingOverflow(earliest)
            if !range.isEmpty && !overflow && rowBits < 63 && UInt64(span) < (1 as UInt64) << (63 - rowBits) {
                var keys = range.map { UInt64(leads[$0].createdAt.instant - earliest) << rowBits | UInt64($0) }
                keys.sort()
                let rowMask = (1 as UInt64) << rowBits - 1
                return keys.map { (at: earliest + Int64($0 >> rowBits), row: Int($0 & rowMask)) }
            }
            var keys = range.map { (at: leads[$0].createdAt.instant, row: $0) }
            keys.sort { $0.at != $1.at ? $0.at < $1.at : $0.row < $1.row }
            return keys
        }
        let half = leads.count / 2
        let (a, b) = Parallel.both({ sorted(0..<half) }, { sorted(half..<leads.count) })
        var order = [Int]()
        order.reserveCapacity(leads.count)
        var i = 0, j = 0
        while i < a.count && j < b.count {
            // On equal instants the first half's row comes first (its rows are the smaller).
            if b[j].at < a[i].at { order.append(b[j].row); j += 1 } else { order.append(a[i].row); i += 1 }
        }
        while i < a.count { order.append(a[i].row); i += 1 }
        while j < b.count { order.append(b[j].row); j += 1 }
        return order
    }


    /// What the rules pass tells of its range besides the verdicts.
    struct RulesPass {
        /// Whether the leads are in arrival order.
        var inOrder = true
        /// The normalised phones too long to pack, by lead.
        var long: [(Int, String)] = []
        /// Whether the ids (from the lead before the range) increase by bytes.
        var idsIncrease = true
        /// The earliest `createdAt.day`.
        var earliestDay: Day?
    }

    /// The rule a well-formed phone's lead fails by what the call found (vacant, wrong number, powered
    /// off) or by its stated lack of demand, in that order; nil when it fails none.
    @inline(__always)
    private static func callRule(_ status: ContactStatus.Code, _ demand: Demand.Code) -> FailedRule? {
        switch status.status {
        case .vacant: return .vacant
        case .wrongNumber: return .wrongNumber
        case .poweredOff: return .poweredOff
        default: return demand.demand == .no ? .noDemand : nil
        }
    }

    /// The per-lead rules (phone present, pattern, contact status, demand) and the phone key of `range`.
    /// Initializes every element of `range` in `out` (the arrays are made uninitialized, so that each core
    /// writes its own half's fresh memory the first time).
    /// Also finds out, while the leads are read anyway, what `RulesPass` holds.
    private static func checkRules(_ leads: UnsafeBufferPointer<Lead>, _ range: Range<Int>, phones: PhoneRules,
                                   into out: Verdicts.Shared) -> RulesPass {
        let digitRange = phones.digitRange
        let regex = digitRange == nil ? phones : nil
        var inOrder = true
        var idsIncrease = true
        var long: [(Int, String)] = []
        var previous = Int64.min
        var previousPrefix: UInt64 = 0
        var earliestDay: Day?
        for i in range {
            let at = leads[i].createdAt.instant
            if at < previous { inOrder = false }
            previous = at
            let day = leads[i].createdAt.day
            if earliestDay == nil || day < earliestDay! { earliestDay = day }
            // By the ids' first eight bytes, each id read once; only equal prefixes need the whole ids.
            if idsIncrease {
                let prefix = LeadIndex.prefix(leads[i].id)
                if i > 0 {
                    if i == range.lowerBound { previousPrefix = LeadIndex.prefix(leads[i - 1].id) }
                    if prefix < previousPrefix
                        || prefix == previousPrefix && LeadIndex.order(leads[i - 1].id, leads[i].id) >= 0 {
                        idsIncrease = false
                    }
                }
                previousPrefix = prefix
            }
            // The usual phone (digits, maybe a leading `+` and blanks, under the digit count check) in
            // one pass over its bytes; any other through `PhoneFacts`.
            if let digitRange {
                if let plain = leads[i].phone.withUTF8InPlace({ PhoneFacts.plain($0, digitRange: digitRange) }) {
                    let rule: FailedRule?
                    if !plain.isWellFormed {
                        rule = .malformedPhone
                        (out.keys.baseAddress! + i).initialize(to: .none)
                    } else {
                        (out.keys.baseAddress! + i).initialize(to: .number(plain.key))
                        rule = callRule(leads[i].contactStatusCode, leads[i].demandCode)
                    }
                    out.rules[i] = Verdicts.code(rule)
                    out.phones[i] = plain.packed
                    out.duplicateRows[i] = -1
                    continue
                }
            }
            let phone = PhoneFacts(leads[i].phone, digitRange: digitRange, regex: regex)
            let rule: FailedRule?
            if phone.isBlank || !phone.isWellFormed {
                (out.keys.baseAddress! + i).initialize(to: .none)
            }
            if phone.isBlank {
                rule = .missingPhone
            } else if !phone.isWellFormed {
                rule = .malformedPhone
            } else {
                (out.keys.baseAddress! + i).initialize(to: phone.key)
                rule = callRule(leads[i].contactStatusCode, leads[i].demandCode)
            }
            out.rules[i] = Verdicts.code(rule)
            out.phones[i] = phone.packed ?? Verdicts.kept
            out.duplicateRows[i] = -1
            if phone.packed == nil { long.append((i, phone.normalised)) }
        }
        return RulesPass(inOrder: inOrder, long: long, idsIncrease: idsIncrease, earliestDay: earliestDay)
    }

    /// A lead's packed phone key and arrival, in a bucket of the key space (see `markDuplicates`).
    private struct KeyedLead {
        var key: UInt64
        var at: Int64
        var row: Int32

        /// Arrival order: instant, then file order.
        @inline(__always)
        static func arrivesBefore(_ a: KeyedLead, _ b: KeyedLead) -> Bool { a.at != b.at ? a.at < b.at : a.row < b.row }
    }

    /// A slot of a bucket's table: the key, its latest lead and that lead's instant, and the bucket it was
    /// written for (a slot written for another bucket is empty, so the table is never cleared).
    private struct LatestSlot {
        var key: UInt64 = 0
        var at: Int64 = 0
        var row: Int32 = 0
        var stamp: UInt32 = 0
    }

    /// The buckets packed keys are split into (by the top bits of a multiplicative hash).
    private static let bucketBits = 8

    @inline(__always)
    private static func bucket(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9e37_79b9_7f4a_7c15) >> UInt64(64 - bucketBits))
    }

    /// Marks duplicates: walking the leads in arrival order (instant, then file order), each lead is
    /// compared with the latest earlier lead of the same phone key, whatever that lead's verdict.
    ///
    /// Two leads can only be duplicates when their keys are equal, so the packed keys are first grouped
    /// into buckets of the key space in file order (a counting sort, each core placing half of the leads),
    /// each bucket is put in arrival order (`arrivalOrder`: nil when file order is arrival order), and
    /// each core walks half of the buckets with a table small enough to stay in cache (a bucket holds
    /// about 1/256 of the keys) instead of one table of millions of slots. Exports are nearly in arrival
    /// order, so a bucket is sorted by insertion (a few moves), or fully when that would take long. Keys
    /// that are not packed (rare) are walked apart, in the leads' arrival order, with a dictionary. The
    /// result does not depend on the split.
    private static func markDuplicates(_ leads: UnsafeBufferPointer<Lead>, _ arrivalOrder: (() -> [Int])?,
                                       window: Int64, _ out: Verdicts.Shared) {
        let n = leads.count, half = n / 2
        precondition(n <= Int(Int32.max), "lead index out of range")
        let buckets = 1 << bucketBits
        /// Per bucket, how many packed keys the leads `range` hold; and how many text keys.
        func count(_ range: Range<Int>) -> ([Int], Int) {
            var counts = [Int](repeating: 0, count: buckets)
            var texts = 0
            for i in range {
                switch out.keys[i] {
                case .none: continue
                case .number(let key): counts[bucket(key)] += 1
                case .text: texts += 1
                }
            }
            return (counts, texts)
        }
        let ((firstCounts, firstTexts), (secondCounts, secondTexts)) = Parallel.both({ count(0..<half) }, { count(half..<n) })
        // Each bucket: the first half's leads, then the second half's.
        var firstStart = [Int](repeating: 0, count: buckets)
        var secondStart = [Int](repeating: 0, count: buckets)
        var bucketStart = [Int](repeating: 0, count: buckets + 1)
        var total = 0
        for b in 0..<buckets {
            bucketStart[b] = total
            firstStart[b] = total
            total += firstCounts[b]
            secondStart[b] = total
            total += secondCounts[b]
        }
        bucketStart[buckets] = total
        // Every element is written once: the counts add up to `total`.
        var keyed = [KeyedLead](unsafeUninitializedCapacity: total) { keyed, initialized in
            let keyed = keyed
            func place(_ range: Range<Int>, _ start: [Int]) {
                var next = start
                for i in range {
                    guard case .number(let key) = out.keys[i] else { continue }
                    let b = bucket(key)
                    keyed[next[b]] = KeyedLead(key: key, at: leads[i].createdAt.instant, row: Int32(truncatingIfNeeded: i))
                    next[b] += 1
                }
            }
            _ = Parallel.both({ place(0..<half, firstStart) }, { place(half..<n, secondStart) })
            initialized = total
        }
        /// Marks lead `i` a duplicate of `previous` when it arrived within the window and is otherwise valid.
        @inline(__always) func judge(_ i: Int, gap: Int64, after previous: Int) {
            if gap <= window && out.rules[i] == 0 {
                out.rules[i] = Verdicts.code(.duplicate)
                out.duplicateRows[i] = Int32(previous)
            }
        }
        let sortBuckets = arrivalOrder != nil
        func walk(_ range: Range<Int>, _ keyed: UnsafeMutableBufferPointer<KeyedLead>) {
            var largest = 0
            for b in range { largest = max(largest, bucketStart[b + 1] - bucketStart[b]) }
            var size = 16
            while size < largest * 2 { size <<= 1 }
            let mask = size - 1
            var slots = [LatestSlot](repeating: LatestSlot(), count: size)
            slots.withUnsafeMutableBufferPointer { slots in
                for b in range {
                    let bucketRange = bucketStart[b] ..< bucketStart[b + 1]
                    if sortBuckets { sortByArrival(UnsafeMutableBufferPointer(rebasing: keyed[bucketRange])) }
                    let stamp = UInt32(b + 1)
                    for e in keyed[bucketRange] {
                        var h = e.key &* 0x9e37_79b9_7f4a_7c15
                        h ^= h >> 31
                        var j = Int(truncatingIfNeeded: h) & mask
                        while slots[j].stamp == stamp && slots[j].key != e.key { j = (j + 1) & mask }
                        if slots[j].stamp == stamp {
                            judge(Int(e.row), gap: e.at - slots[j].at, after: Int(slots[j].row))
                            slots[j].at = e.at
                            slots[j].row = e.row
                        } else {
                            slots[j] = LatestSlot(key: e.key, at: e.at, row: e.row, stamp: stamp)
                        }
                    }
                }
            }
        }
        // Only for keys that are not packed: the leads in arrival order.
        let order: [Int]? = firstTexts + secondTexts > 0 ? arrivalOrder?() : nil
        keyed.withUnsafeMutableBufferPointer { keyed in
            let keyed = keyed
            _ = Parallel.both({
                walk(0 ..< buckets / 2, keyed)
                guard firstTexts + secondTexts > 0 else { return }
                var latestText = [String: Int]()
                for k in 0..<n {
                    let i = order?[k] ?? k
                    guard case .text(let key) = out.keys[i] else { continue }
                    if let previous = latestText[key] {
                        judge(i, gap: leads[i].createdAt.instant - leads[previous].createdAt.instant, after: previous)
                    }
                    latestText[key] = i
                }
            }, { walk(buckets / 2 ..< buckets, keyed) })
        }
    }

    /// Puts a bucket's leads (in file order) in arrival order: by insertion while that takes few moves
    /// (nearly sorted), else by a full sort. Same order either way (instant, then row: a total order).
    private static func sortByArrival(_ part: UnsafeMutableBufferPointer<KeyedLead>) {
        var budget = 8 * part.count + 64
        var k = 1
        while k < part.count {
            let e = part[k]
            var j = k
            while j > 0 && KeyedLead.arrivesBefore(e, part[j - 1]) {
                part[j] = part[j - 1]
                j -= 1
                budget -= 1
            }
            part[j] = e
            if budget < 0 {
                var all = part
                all.sort(by: KeyedLead.arrivesBefore)
                return
            }
            k += 1
        }
    }
}

/// What the rules need of one captured phone, read from its bytes in one pass: the same answers as
/// `PhoneRules.normalise`, `isWellFormed`, `PhoneRules.key` and `PhoneKey(_:)` applied in turn (a test
/// compares them), without building the intermediate texts.
struct PhoneFacts {
    /// Only spaces and tabs (or nothing).
    var isBlank = true
    /// The normalised phone packed as in `Verdicts` (nil: it does not pack; then it is in `longText`).
    var packed: UInt64?
    var longText: String?
    var isWellFormed: Bool
    /// The duplicate key (meaningful when well formed).
    var key: PhoneKey

    /// What `PhoneFacts` says of a phone made only of digits, at most one leading `+`, spaces, tabs and
    /// dashes (`138-0013-8000`, common in exports), with 1 to 16 digits and `+`, under a digit count check: its packed normalised text, whether it is
    /// well formed, and its packed duplicate key (`PhoneKey.number`). Nil for any other phone (then
    /// `PhoneFacts.init` answers). One pass over the bytes, no buffer.
    struct Plain {
        var packed: UInt64
        var isWellFormed: Bool
        var key: UInt64
    }

    @inline(__always)
    static func plain(_ bytes: UnsafeBufferPointer<UInt8>, digitRange: ClosedRange<Int>) -> Plain? {
        var packed: UInt64 = 0
        var n = 0, digits = 0
        var plus = false, dashed = false
        var value: UInt64 = 0
        for c in bytes {
            if c >= 48 && c <= 57 {
                guard n < 16 else { return nil }
                packed = packed << 4 | UInt64(c - 48)
                value = value &* 10 &+ UInt64(c - 48)
                n += 1; digits += 1
            } else if c == UInt8(ascii: "+") && n == 0 && !dashed {
                packed = 0xA
                plus = true
                n = 1
            } else if c == UInt8(ascii: "-") {
                // Dropped like a blank, but it is content: a `+` after it is not kept (`normalise`), so
                // such a phone is left to `PhoneFacts.init`.
                dashed = true
            } else if c != UInt8(ascii: " ") && c != UInt8(ascii: "\t") {
                return nil
            }
        }
        guard n > 0 else { return nil }
        let rest = 64 - 4 * n
        if rest > 0 { packed = packed << UInt64(rest) | (1 << UInt64(rest) - 1) }
        // The duplicate key: a leading +86 / 86 before exactly 11 digits is dropped (`PhoneRules.key`).
        var key: UInt64
        let national: UInt64 = 100_000_000_000
        if digits == 13 && n == 14 && plus && value / national == 86 {
            key = UInt64(11) << 57 | value % national
        } else if digits == 13 && !plus && value / national == 86 {
            key = UInt64(11) << 57 | value % national
        } else {
            key = (plus ? 1 << 62 : 0) | UInt64(digits) << 57 | value
        }
        return Plain(packed: packed, isWellFormed: digitRange.contains(digits), key: key)
    }

    /// The digits of the phone with a leading `+` kept (`PhoneRules.normalise`).
    var normalised: String { longText ?? Verdicts.unpacked(packed!) }

    init(_ raw: String, _ rules: PhoneRules) {
        let range = rules.digitRange
        self.init(raw, digitRange: range, regex: range == nil ? rules : nil)
    }

    /// `digitRange`: the rules' digit count check; else `regex`, the rules (the usual check needs no
    /// `PhoneRules`, so none is copied per lead).
    init(_ raw: String, digitRange: ClosedRange<Int>?, regex: PhoneRules?) {
        var raw = raw
        (isBlank, packed, longText, isWellFormed, key) = raw.withUTF8 { bytes in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bytes.count + 1) { out in
                var n = 0
                var sawContent = false
                var blank = true
                for c in bytes {
                    if c >= 48 && c <= 57 {
                        out[n] = c; n += 1
                        sawContent = true
                    } else if c == UInt8(ascii: "+") && !sawContent && n == 0 {
                        out[n] = c; n += 1
                        sawContent = true
                    } else if c != UInt8(ascii: " ") && c != UInt8(ascii: "\t") {
                        sawContent = true
                    }
                    if c != UInt8(ascii: " ") && c != UInt8(ascii: "\t") { blank = false }
                }
                let digits = UnsafeBufferPointer(rebasing: out[0..<n])
                // No text is made for a phone that packs (nearly all).
                let packed = Verdicts.pack(digits)
                let wellFormed = digitRange.map { PhoneRules.digitCountMatches(digits, $0) }
                    ?? regex!.isWellFormed(String(decoding: digits, as: UTF8.self))
                // The duplicate key: a leading +86 / 86 before exactly 11 digits is dropped.
                var start = 0
                if n == 14 && out[0] == UInt8(ascii: "+") && out[1] == UInt8(ascii: "8") && out[2] == UInt8(ascii: "6") {
                    start = 3
                } else if n == 13 && out[0] == UInt8(ascii: "8") && out[1] == UInt8(ascii: "6") {
                    start = 2
                }
                return (blank, packed, packed == nil ? String(decoding: digits, as: UTF8.self) : nil, wellFormed,
                        PhoneKey(bytes: UnsafeBufferPointer(rebasing: out[start..<n])))
            }
        }
    }
}

/// A phone's duplicate key: packed into an integer when it is `+` and up to 17 digits (every phone the
/// default pattern accepts), else kept as text. Two keys are equal exactly when their texts are.
enum PhoneKey: Hashable {
    case none
    /// Bit 62: a leading `+`; bits 57-61: the digit count (leading zeros matter); bits 0-56: the digits' value.
    case number(UInt64)
    case text(String)

    init(_ key: String) {
        var key = key
        self = key.withUTF8 { PhoneKey(bytes: $0) }
    }

    init(bytes key: UnsafeBufferPointer<UInt8>) {
        var digits = 0
        var value: UInt64 = 0
        var plus: UInt64 = 0
        var packable = true
        for n in key.indices {
            let c = key[n]
            if n == 0 && c == UInt8(ascii: "+") { plus = 1; continue }
            guard c >= 48 && c <= 57, digits < 17 else { packable = false; break }
            value = value * 10 + UInt64(c - 48)
            digits += 1
        }
        self = packable ? .number(plus << 62 | UInt64(digits) << 57 | value) : .text(String(decoding: key, as: UTF8.self))
    }
}

/// Every lead's verdict (`Evaluation.verdicts`) in 13 bytes a lead instead of a `Verdict`'s 24: the
/// normalised phone packed into an integer (up to 16 characters, a `+` and 15 digits: every phone the
/// default pattern accepts; longer ones are kept as text aside), the duplicate's row and the failed
/// rule. Reads like a `[Verdict]`; the accessors by index read one field without making the phone's text.
public struct Verdicts: RandomAccessCollection, Sendable, Equatable {
    /// Per lead: the normalised phone, a character per 4 bits from the top (0-9 a digit, 0xA `+`, 0xF
    /// after the end), or `Verdicts.kept`: the phone is in `longPhones`.
    @usableFromInline var phones: [UInt64]
    /// Per lead: the index of the lead it duplicates (-1: none).
    @usableFromInline var duplicateRows: [Int32]
    /// Per lead: 0 when valid, else 1 + the failed rule's place in `FailedRule.allCases`.
    @usableFromInline var rules: [UInt8]
    /// Normalised phones that do not pack, by lead.
    @usableFromInline var longPhones: [Int: String]

    /// No packed phone starts with the nibble 0xB.
    @usableFromInline static let kept: UInt64 = 0xB << 60
    @usableFromInline static let ruleOfCode: [FailedRule?] = [nil] + FailedRule.allCases

    /// `count` valid verdicts with empty phones, to be written in place.
    init(count: Int) {
        phones = [UInt64](repeating: UInt64.max, count: count)
        duplicateRows = [Int32](repeating: -1, count: count)
        rules = [UInt8](repeating: 0, count: count)
        longPhones = [:]
    }

    /// Verdicts from their packed arrays (of equal counts).
    init(phones: [UInt64], duplicateRows: [Int32], rules: [UInt8]) {
        precondition(phones.count == rules.count && duplicateRows.count == rules.count)
        self.phones = phones
        self.duplicateRows = duplicateRows
        self.rules = rules
        longPhones = [:]
    }

    public init<S: Sequence>(_ verdicts: S) where S.Element == Verdict {
        self.init(count: 0)
        for v in verdicts {
            let i = phones.count
            var text = v.normalisedPhone
            let packed = text.withUTF8 { Verdicts.pack($0) }
            phones.append(packed ?? Verdicts.kept)
            if packed == nil { longPhones[i] = text }
            precondition((v.duplicateOf ?? -1) <= Int(Int32.max), "lead index out of range")
            duplicateRows.append(Int32(v.duplicateOf ?? -1))
            rules.append(Verdicts.code(v.failedRule))
        }
    }

    static func code(_ rule: FailedRule?) -> UInt8 {
        guard let rule else { return 0 }
        return UInt8(FailedRule.allCases.firstIndex(of: rule)! + 1)
    }

    /// Up to 16 characters, each a digit or `+`, as one integer; nil for any other text.
    static func pack(_ s: UnsafeBufferPointer<UInt8>) -> UInt64? {
        guard s.count <= 16 else { return nil }
        if s.isEmpty { return UInt64.max }
        var packed: UInt64 = 0
        for c in s {
            let nibble: UInt64
            if c >= 48 && c <= 57 { nibble = UInt64(c - 48) } else if c == UInt8(ascii: "+") { nibble = 0xA } else { return nil }
            packed = packed << 4 | nibble
        }
        // The unused low nibbles are 0xF (a shift by 64 would be out of range: the full case is apart).
        let rest = 64 - 4 * s.count
        return rest == 0 ? packed : packed << rest | (1 << rest - 1)
    }

    /// The text of a packed phone.
    static func unpacked(_ packed: UInt64) -> String {
        withUnpacked(packed) { String(decoding: $0, as: UTF8.self) }
    }

    @inlinable
    static func withUnpacked<R>(_ packed: UInt64, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        var text: (UInt64, UInt64) = (0, 0)
        return try withUnsafeMutableBytes(of: &text) { raw in
            let out = raw.bindMemory(to: UInt8.self)
            var n = 0
            while n < 16 {
                let nibble = UInt8(truncatingIfNeeded: packed >> UInt64(60 - 4 * n)) & 0xF
                if nibble == 0xF { break }
                out[n] = nibble == 0xA ? UInt8(ascii: "+") : 48 + nibble
                n += 1
            }
            return try body(UnsafeBufferPointer(rebasing: out[0 ..< n]))
        }
    }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { rules.count }
    @inlinable public var count: Int { rules.count }

    public subscript(i: Int) -> Verdict {
        Verdict(failedRule: failedRule(i), normalisedPhone: normalisedPhone(i), duplicateOf: duplicateOf(i))
    }

    @inlinable public func failedRule(_ i: Int) -> FailedRule? { Verdicts.ruleOfCode[Int(rules[i])] }
    @inlinable public func isValid(_ i: Int) -> Bool { rules[i] == 0 }
    @inlinable public func duplicateOf(_ i: Int) -> Int? { duplicateRows[i] >= 0 ? Int(duplicateRows[i]) : nil }
    public func normalisedPhone(_ i: Int) -> String {
        withNormalisedPhone(i) { String(decoding: $0, as: UTF8.self) }
    }

    /// Lead `i`'s normalised phone as UTF-8 bytes, without making a `String` (when it is packed).
    @inlinable
    public func withNormalisedPhone<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let packed = phones[i]
        if packed == Verdicts.kept {
            var text = longPhones[i]!
            return try text.withUTF8(body)
        }
        return try Verdicts.withUnpacked(packed, body)
    }

    public static func == (a: Verdicts, b: Verdicts) -> Bool { a.count == b.count && a.elementsEqual(b) }

    /// Where the judging writes, on both cores: each core writes its own leads' elements.
    struct Shared: @unchecked Sendable {
        let phones: UnsafeMutableBufferPointer<UInt64>
        let duplicateRows: UnsafeMutableBufferPointer<Int32>
        let rules: UnsafeMutableBufferPointer<UInt8>
        let keys: UnsafeMutableBufferPointer<PhoneKey>
    }

    mutating func withShared<R>(keys: inout [PhoneKey], _ body: (Shared) -> R) -> R {
        phones.withUnsafeMutableBufferPointer { phones in
            duplicateRows.withUnsafeMutableBufferPointer { duplicateRows in
                rules.withUnsafeMutableBufferPointer { rules in
                    keys.withUnsafeMutableBufferPointer { keys in
                        body(Shared(phones: phones, duplicateRows: duplicateRows, rules: rules, keys: keys))
                    }
                }
            }
        }
    }
}
