@testable import BatonCore
import Testing

/// The evaluation's compact containers against the plain ones they replace: `RowList` behaves like an
/// `[Int]` (however it was made: literal, shared buffer of a counting sort, appends, joins), and
/// `LeadCredits` gives back exactly the `LeadCredit`s put in.
@Suite("Compact row lists and credits")
struct CompactListTests {
    /// Every reading of `list` agrees with `plain`.
    func same(_ list: RowList, _ plain: [Int], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(list.count == plain.count, sourceLocation: sourceLocation)
        #expect(list.isEmpty == plain.isEmpty, sourceLocation: sourceLocation)
        #expect(Array(list) == plain, sourceLocation: sourceLocation)
        #expect(list.indices == plain.indices, sourceLocation: sourceLocation)
        for k in plain.indices { #expect(list[k] == plain[k], sourceLocation: sourceLocation) }
        #expect(list.first == plain.first && list.last == plain.last, sourceLocation: sourceLocation)
        #expect(list == RowList(plain), sourceLocation: sourceLocation)
        #expect(list.hashValue == RowList(plain).hashValue, sourceLocation: sourceLocation)
        var chunks: [Int] = []
        list.forEachChunk { chunk in
            #expect(!chunk.isEmpty, sourceLocation: sourceLocation)
            for r in chunk { chunks.append(Int(r)) }
        }
        #expect(chunks == plain, sourceLocation: sourceLocation)
        #expect(list.description == plain.description, sourceLocation: sourceLocation)
    }

    @Test("RowList reads, compares and hashes like [Int]")
    func likeArray() {
        same([], [])
        same(RowList(), [])
        same([7], [7])
        same([3, 1, 2, 1], [3, 1, 2, 1])
        same(RowList([0, Int(UInt32.max)]), [0, Int(UInt32.max)])
        // One reference and two 32-bit fields: KPIValue holds eight lists.
        #expect(MemoryLayout<RowList>.size == 16)
        #expect(RowList([1, 2]) != RowList([2, 1]))
        #expect(RowList([1, 2]) != RowList([1, 2, 3]))
        #expect(RowList([]) == RowList())
        #expect(Set([RowList([1, 2]), RowList([1, 2]), RowList([2])]).count == 2)
        #expect(RowRefs(leads: [1, 2]) == RowRefs(leads: RowList([1, 2])))
        #expect(RowRefs(leads: [1, 2]) != RowRefs(deals: [1, 2]))
        #expect(RowRefs().isEmpty && !RowRefs(spend: [0]).isEmpty)
    }

    @Test("RowList appends and joins like [Int], on whole, shared and empty lists")
    func appends() {
        var rng = SplitMix64(seed: 20_261_124)
        // Lists that share one buffer, as the counting sort makes them.
        let buffer: [UInt32] = (0..<200).map { _ in UInt32(rng.next() % 1_000_000) }
        var pieces: [(RowList, [Int])] = [(RowList(), []), ([5], [5])]
        for _ in 0..<30 {
            let a = Int(rng.next() % 200), n = Int(rng.next() % UInt64(201 - a))
            pieces.append((RowList(base: buffer, start: a, count: n), buffer[a..<a + n].map(Int.init)))
        }
        for _ in 0..<300 {
            let (x, px) = pieces[Int(rng.next() % UInt64(pieces.count))]
            let (y, py) = pieces[Int(rng.next() % UInt64(pieces.count))]
            var joined = x
            joined += y
            same(joined, px + py)
            var appended = x
            appended.append(contentsOf: py.filter { $0 % 2 == 0 })
            same(appended, px + py.filter { $0 % 2 == 0 })
            var one = x
            one.append(42)
            same(one, px + [42])
            // The lists joined are unchanged (they share buffers with the result).
            same(x, px)
            same(y, py)
            if rng.next() % 3 == 0 { pieces.append((joined, px + py)) }
        }
    }

    @Test("counted-only lists keep their counts through joins")
    func countedOnly() {
        var list = RowList()
        for r in 0..<5 { list.add(r, keep: false) }
        #expect(list.count == 5 && !list.isEmpty && list.isCountedOnly)
        var sum = list
        sum += RowList.countedOnly(3)
        sum += RowList()
        #expect(sum.count == 8 && sum.isCountedOnly)
        #expect(RowList.countedOnly(2) == RowList.countedOnly(2))
        #expect(RowList.countedOnly(2) != RowList([1, 2]))
        #expect(!RowList.countedOnly(0).isCountedOnly)
        var kept = RowList()
        for r in [4, 2, 9] { kept.add(r, keep: true) }
        same(kept, [4, 2, 9])
    }

    @Test("RowGroups.make groups rows like a dictionary of arrays, counting the groups it does not keep")
    func rowGroups() {
        var rng = SplitMix64(seed: 99)
        for trial in 0..<40 {
            let groups = 1 + Int(rng.next() % 12)
            let rows = Int(rng.next() % 400)
            let keys: [Int32] = (0..<rows).map { _ in rng.next() % 4 == 0 ? -1 : Int32(rng.next() % UInt64(groups)) }
            let flags: [UInt8] = (0..<rows).map { _ in UInt8(rng.next() % 16) }
            let flag = UInt8(1) << UInt8(trial % 4)
            let low = Int(rng.next() % UInt64(groups + 1))
            let keep = low..<(low + Int(rng.next() % UInt64(groups - low + 1)))
            for withFlags in [false, true] {
                var plain = [[Int]](repeating: [], count: groups)
                for i in 0..<rows where keys[i] >= 0 && (!withFlags || flags[i] & flag != 0) { plain[Int(keys[i])].append(i) }
                let made = withFlags ? RowGroups.make(keys, groups: groups, flags: flags, flag: flag, keep: keep)
                                     : RowGroups.make(keys, groups: groups, keep: keep)
                #expect(made.count == groups)
                for k in 0..<groups {
                    #expect(made[k].count == plain[k].count)
                    if keep.contains(k) || plain[k].isEmpty {
                        same(made[k], plain[k])
                    } else {
                        #expect(made[k].isCountedOnly)
                    }
                }
            }
        }
    }

    @Test("LeadCredits gives back every credit put in, whatever the case")
    func creditsRoundTrip() {
        let cases: [LeadCredit] = [
            .owner(0), .owner(1), .owner((1 << 30) - 1), .channelOwner(0), .channelOwner(12_345),
            .assigneeTeam("North"), .assigneeTeam(""), .assigneeTeam("Süd · 南"), .assigneeTeam("North"),
            .assigneeTeam("a team name longer than fifteen bytes"), .unattributed, .unattributed,
        ]
        let credits = LeadCredits(cases)
        #expect(credits.count == cases.count)
        #expect(Array(credits) == cases)
        for (k, c) in cases.enumerated() {
            #expect(credits[k] == c)
            #expect(credits[k].person == c.person)
            #expect(credits[k].rule == c.rule)
        }
        #expect(credits.teams.count == 4)  // each name kept once
        #expect(LeadCredits() == [])
        #expect(credits == LeadCredits(cases))
        #expect(credits != LeadCredits(cases.dropLast()))
        #expect(credits != LeadCredits(cases.reversed()))
        // The same credits over another team table are still equal.
        let reordered = LeadCredits(packed: LeadCredits([.assigneeTeam("x"), .assigneeTeam("North")]).packed, teams: ["x", "North"])
        #expect(reordered == [.assigneeTeam("x"), .assigneeTeam("North")])
        let compact: [CompactCredit] = [.owner(3), .channelOwner(4), .assigneeTeam(1), .unattributed]
        #expect(compact.map(\.kind) == [.owner, .channelOwner, .assigneeTeam, .unattributed])
        #expect(compact.map(\.index) == [3, 4, 1, 0])
        #expect(compact.map(\.person) == [3, 4, nil, nil])
        #expect(compact.map { $0.credit(teams: ["a", "b"]) } == [.owner(3), .channelOwner(4), .assigneeTeam("b"), .unattributed])
    }

    @Test("Verdicts gives back every verdict put in: packed phones, long and odd ones, every rule")
    func verdictsRoundTrip() {
        var rng = SplitMix64(seed: 5)
        var verdicts: [Verdict] = []
        let phones = ["", "+", "0", "007", "+8613800138000", "13800138000", "99999999999999999", "+00000000000000000",
                      "123456789012345678", "+123456789012345678",
                      "+123456789012345", "1234567890123456", "+1234567890123456", "12345678901234567", "12+3", "++1", "１２３", "phone", "1 2", "+0"]
        for (k, p) in phones.enumerated() {
            for rule in [nil] + FailedRule.allCases {
                verdicts.append(Verdict(failedRule: rule, normalisedPhone: p, duplicateOf: rule == .duplicate ? k : nil))
            }
        }
        for _ in 0..<2_000 {
            let digits = String((0..<Int(rng.next() % 20)).map { _ in Character(String(rng.next() % 10)) })
            let phone = (rng.next() % 2 == 0 ? "+" : "") + digits
            let rule = FailedRule.allCases[Int(rng.next() % UInt64(FailedRule.allCases.count))]
            verdicts.append(Verdict(failedRule: rng.next() % 3 == 0 ? nil : rule, normalisedPhone: phone,
                                    duplicateOf: rng.next() % 4 == 0 ? Int(rng.next() % 1_000_000) : nil))
        }
        for packed in [Verdicts(verdicts), Verdicts(verdicts.prefix(1)), Verdicts([])] {
            let plain = Array(verdicts.prefix(packed.count))
            #expect(packed.count == plain.count)
            #expect(Array(packed) == plain)
            for (i, v) in plain.enumerated() {
                #expect(packed[i] == v)
                #expect(packed.isValid(i) == v.isValid)
                #expect(packed.failedRule(i) == v.failedRule)
                #expect(packed.duplicateOf(i) == v.duplicateOf)
                #expect(packed.normalisedPhone(i) == v.normalisedPhone)
                #expect(packed.withNormalisedPhone(i) { Array($0) } == Array(v.normalisedPhone.utf8))
            }
        }
        #expect(Verdicts(verdicts) == Verdicts(verdicts))
        #expect(Verdicts(verdicts) != Verdicts(verdicts.dropFirst()))
    }
}
