@testable import BatonCore
import Testing

/// The evaluator's own hash tables and the packed phone key: the same answers as a Dictionary and as
/// comparing the texts, whatever the order or size.
@Suite("Lookup tables")
struct LookupTableTests {
    @Test("StringTable finds what was inserted, keeps the first value, and grows")
    func stringTable() {
        var t = StringTable(capacity: 4)
        var reference: [String: Int32] = [:]
        var rng = SplitMix64(seed: 7)
        for i in 0..<5_000 {
            // Short (inline) and long (heap) strings, with repeats.
            let key = rng.next() % 3 == 0 ? "lead-\(rng.next() % 2_000)-with-a-long-enough-suffix" : "L\(rng.next() % 3_000)"
            let kept = t.insertIfAbsent(key, Int32(i))
            if let r = reference[key] { #expect(kept == r) } else { reference[key] = Int32(i); #expect(kept == Int32(i)) }
        }
        #expect(t.count == reference.count)
        for (k, v) in reference { #expect(t.find(k) == v) }
        #expect(t.find("absent") == nil)
        #expect(t.find("") == nil)
    }

    @Test("LeadIndex finds each id's first lead, whatever the split between its two tables")
    func leadIndex() throws {
        var rng = SplitMix64(seed: 41)
        let at = try Timestamp.parse(Substring("2026-10-01T09:00:00")).get()
        for count in [0, 1, 2, 3, 17, 3_000] {
            var leads: [Lead] = []
            var first: [String: Int32] = [:]
            for i in 0..<count {
                // Short (inline) and long (heap) ids, with repeats.
                let id = rng.next() % 4 == 0 ? "lead-\(rng.next() % UInt64(count))-with-a-long-enough-suffix" : "L\(rng.next() % UInt64(count * 2 + 1))"
                leads.append(Lead(id: id, createdAt: at, channel: "c", phone: "1"))
                if first[id] == nil { first[id] = Int32(i) }
            }
            let index = LeadIndex(leads)
            for (id, i) in first { #expect(index.find(id) == i, "\(id)") }
            #expect(index.find("absent") == nil)
            #expect(index.find("") == nil)
        }
    }

    @Test("LeadIndex over increasing ids (no table) finds like a Dictionary, by binary search and from any hint")
    func sortedLeadIndex() throws {
        var rng = SplitMix64(seed: 43)
        let at = try Timestamp.parse(Substring("2026-10-01T09:00:00")).get()
        for count in [0, 1, 2, 3, 17, 3_000] {
            // Increasing by bytes: short (inline) and long (heap) ids, a shared prefix, non-ASCII bytes.
            var ids = Set<String>()
            while ids.count < count {
                switch rng.next() % 4 {
                case 0: ids.insert("lead-\(rng.next() % UInt64(count * 3))-with-a-long-enough-suffix")
                case 1: ids.insert("é\(rng.next() % UInt64(count * 3 + 1))")
                default: ids.insert("L\(rng.next() % UInt64(count * 3 + 1))")
                }
            }
            let sorted = ids.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            let leads = sorted.map { Lead(id: $0, createdAt: at, channel: "c", phone: "1") }
            let index = LeadIndex(leads)
            #expect(index.isSorted)
            var probes = sorted + ["absent", "", "L", "L0", "Z", "é", "lead-", "\u{10FFFF}"]
            for _ in 0..<200 { probes.append("L\(rng.next() % UInt64(count * 4 + 1))") }
            var hint = 0
            for (k, id) in probes.enumerated() {
                let expected = sorted.firstIndex(of: id).map(Int32.init)
                #expect(index.find(id) == expected, "\(id)")
                // From the previous search's hint (mostly in order), and from a random one.
                #expect(index.find(id, hint: &hint) == expected, "\(id) after \(k)")
                var random = Int(rng.next() % UInt64(count + 3)) - 1
                #expect(index.find(id, hint: &random) == expected, "\(id) from a random hint")
            }
            // Many at once (with gaps), in a shuffled order.
            var many: [String?] = probes.map { rng.next() % 5 == 0 ? nil : $0 }
            for k in many.indices.reversed() { many.swapAt(k, Int(rng.next() % UInt64(k + 1))) }
            #expect(index.find(many: many) == many.map { $0.flatMap { id in sorted.firstIndex(of: id).map(Int32.init) } })
        }
        // A repeated or decreasing id: the hash table.
        let repeated = ["a", "b", "b"].map { Lead(id: $0, createdAt: at, channel: "c", phone: "1") }
        #expect(!LeadIndex(repeated).isSorted)
        #expect(LeadIndex(repeated).find("b") == 1)
        #expect(LeadIndex(repeated).find(many: ["b", nil, "a", "c"]) == [1, nil, 0, nil])
        let decreasing = ["b", "a"].map { Lead(id: $0, createdAt: at, channel: "c", phone: "1") }
        #expect(!LeadIndex(decreasing).isSorted)
        var hint = 0
        #expect(LeadIndex(decreasing).find("a", hint: &hint) == 1)
    }

    @Test("judging the leads finds out whether their ids increase, as LeadIndex does, wherever a pair breaks it")
    func idsIncreaseWhileJudging() throws {
        let at = try Timestamp.parse(Substring("2026-10-01T09:00:00")).get()
        let phones = try PhoneRules(pattern: ValidityRules.defaultPhonePattern)
        // Short ids (their first eight bytes decide) and ids that share their first eight bytes.
        for (count, form) in [0, 1, 2, 3, 10, 11].flatMap({ c in [(c, "L"), (c, "lead-with-a-long-prefix-")] }) {
            let ids = (0..<count).map { "\(form)\(1_000 + $0)" }
            var cases = [ids]
            // Each adjacent pair swapped in turn (the middle pair crosses the two halves), and a repeat.
            for k in ids.indices.dropFirst() {
                var swapped = ids
                swapped.swapAt(k - 1, k)
                cases.append(swapped)
                var repeated = ids
                repeated[k] = repeated[k - 1]
                cases.append(repeated)
            }
            for c in cases {
                let leads = c.map { Lead(id: $0, createdAt: at, channel: "c", phone: "13800138000") }
                let judged = LeadValidity.judgeWithKeys(leads, rules: ValidityRules(), phones: phones).idsIncrease
                #expect(judged == LeadIndex.idsIncrease(leads), "\(c)")
                #expect(judged == zip(c, c.dropFirst()).allSatisfy { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }, "\(c)")
            }
        }
    }

    @Test("byte order of texts is the order of their UTF-8 bytes")
    func byteOrder() {
        let texts = ["", "a", "ab", "abcdefgh", "abcdefgi", "abcdefghi", "abcdefgh\u{0}", "é", "e\u{301}", "L0000001",
                     "L0000002", "L00000010", "lead-with-a-long-enough-suffix-1", "lead-with-a-long-enough-suffix-2"]
        for a in texts {
            for b in texts {
                let expected = Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8)) ? -1 : (Array(a.utf8) == Array(b.utf8) ? 0 : 1)
                #expect(LeadIndex.order(a, b).signum() == expected, "\(a) vs \(b)")
            }
        }
    }

    @Test("a text's bytes read in place are its UTF-8 bytes, short or long, read from an array or not")
    func bytesInPlace() {
        let texts = ["", "a", "L0000001", "fifteen-bytes!!", "sixteen-bytes!!!", "é", "e\u{301}", "电话号码很长的一个文本",
                     String(repeating: "lead-", count: 40), String("xx-a-slice-of-a-longer-text-xx".dropFirst(3).dropLast(3))]
        for text in texts {
            #expect(text.withUTF8InPlace { Array($0) } == Array(text.utf8), "\(text)")
        }
        texts.withUnsafeBufferPointer { held in
            for i in held.indices { #expect(held[i].withUTF8InPlace { Array($0) } == Array(texts[i].utf8)) }
        }
    }

    @Test("packed phone keys are equal exactly when the texts are")
    func phoneKeys() {
        let texts = ["13800138000", "013800138000", "+13800138000", "+013800138000", "0", "00", "+0",
                     "12345678901234567", "012345678901234567", "123456789012345678", "1234567890123456789",
                     "+99999999999999999", "99999999999999999"]
        for a in texts {
            for b in texts {
                #expect((key(a) == key(b)) == (a == b), "\(a) vs \(b)")
            }
        }
        if case .text = PhoneKey("123456789012345678") {} else { Issue.record("18 digits cannot be packed") }
        if case .number = PhoneKey("+12345678901234567") {} else { Issue.record("+ and 17 digits are packed") }
    }

    @Test("a phone's facts read from bytes equal normalise, isWellFormed, key and PhoneKey in turn")
    func phoneFacts() throws {
        let pieces = ["1", "3", "8", "0", "9", "+", " ", "\t", "-", "(", ")", "86", "+86", "a", "１", "٣", "é", "\u{200F}", ".", "00"]
        var rng = SplitMix64(seed: 29)
        var phonesSeen: [String] = ["", " ", "\t \t", "+", "+8613800138000", "8613800138000", "13800138000",
                                    "+86 138-0013-8000", "86 138 0013 8000", "+1 (555) 123-4567", "x13800138000"]
        for _ in 0..<4_000 {
            var p = ""
            for _ in 0..<Int(rng.next() % 22) { p += pieces[Int(rng.next() % UInt64(pieces.count))] }
            phonesSeen.append(p)
        }
        for pattern in [ValidityRules.defaultPhonePattern, "^1[0-9]{10}$", "^\\+?[0-9]{3,20}$"] {
            let rules = try PhoneRules(pattern: pattern)
            for raw in phonesSeen {
                let facts = PhoneFacts(raw, rules)
                let normalised = PhoneRules.normalise(raw)
                #expect(facts.normalised == normalised, "\(raw)")
                #expect(facts.isBlank == raw.utf8.allSatisfy { $0 == 0x20 || $0 == 0x09 }, "\(raw)")
                #expect(facts.isWellFormed == rules.isWellFormed(normalised), "\(raw) \(pattern)")
                #expect(describe(facts.key) == key(PhoneRules.key(normalised)), "\(raw)")
            }
        }
    }

    @Test("a plain phone's facts in one pass equal PhoneFacts, and any other phone is left to it")
    func plainPhoneFacts() throws {
        let pieces = ["1", "3", "8", "6", "0", "9", "+", " ", "\t", "86", "+86", "138", "0013", "8000", "-", "a"]
        var rng = SplitMix64(seed: 31)
        var phones = ["", " ", "+", "+ ", " +1", "0", "+0", "8613800138000", "+8613800138000", "+86 138 0013 8000",
                      "86138001380001", "+861380013800", "1234567890123456", "+123456789012345", "12345678901234567",
                      "+1234567890123456", "++1", "1+1", "0086138001380", "+0861380013800", "138-0013-8000",
                      "+86-138-0013-8000", "+86 138-0013-8000", "-+8613800138000", "+-8613800138000", "-", "--1",
                      "1-", "8-6-1-3-8-0-0-1-3-8-0-0-0", "1234567890123456-7", "- 1"]
        for _ in 0..<6_000 {
            var p = ""
            for _ in 0..<Int(rng.next() % 12) { p += pieces[Int(rng.next() % UInt64(pieces.count))] }
            phones.append(p)
        }
        let rules = try PhoneRules(pattern: ValidityRules.defaultPhonePattern)
        var plainCount = 0
        for raw in phones {
            for range in [7...15, 0...16, 11...11] {
                let facts = PhoneFacts(raw, digitRange: range, regex: nil)
                var text = raw
                guard let plain = text.withUTF8({ PhoneFacts.plain($0, digitRange: range) }) else {
                    // Left to PhoneFacts: blank, too long, or a character other than digits, `+` and blanks.
                    let plainChars = raw.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || $0 == 0x20 || $0 == 0x09 || $0 == 0x2B }
                    #expect(facts.isBlank || facts.packed == nil || !plainChars || raw.utf8.filter { $0 == 0x2B }.count > 0, "\(raw)")
                    continue
                }
                plainCount += 1
                #expect(!facts.isBlank, "\(raw)")
                #expect(facts.packed == plain.packed, "\(raw)")
                #expect(facts.isWellFormed == plain.isWellFormed, "\(raw) \(range)")
                #expect(describe(facts.key) == describe(PhoneKey.number(plain.key)), "\(raw)")
            }
            // The default rules' check agrees too.
            #expect(PhoneFacts(raw, rules).isWellFormed == rules.isWellFormed(PhoneRules.normalise(raw)), "\(raw)")
        }
        #expect(plainCount > 3_000)
    }

    @Test("arrival order sorted in halves and merged equals one sort by instant, then row")
    func arrivalOrder() throws {
        var rng = SplitMix64(seed: 53)
        for count in [0, 1, 2, 3, 4, 5, 1_001] {
            var leads: [Lead] = []
            for i in 0..<count {
                // Few distinct instants: many ties, across both halves.
                let at = try Timestamp.parse(Substring("2026-10-0\(1 + rng.next() % 3)T0\(rng.next() % 3):00:00")).get()
                leads.append(Lead(id: "L\(i)", createdAt: at, channel: "c", phone: "1"))
            }
            let expected = leads.indices.sorted {
                let a = leads[$0].createdAt.instant, b = leads[$1].createdAt.instant
                return a != b ? a < b : $0 < $1
            }
            #expect(LeadValidity.arrivalOrder(leads) == expected, "\(count) leads")
        }
    }

    @Test("leads out of arrival order get the same verdicts as in order")
    func orderDoesNotMatter() throws {
        let phones = try PhoneRules(pattern: ValidityRules.defaultPhonePattern)
        var rng = SplitMix64(seed: 3)
        var leads: [Lead] = []
        for i in 0..<400 {
            let day = 1 + Int(rng.next() % 28)
            let at = try Timestamp.parse(Substring("2026-10-\(day < 10 ? "0" : "")\(day)T0\(rng.next() % 10):00:00")).get()
            leads.append(Lead(id: "L\(i)", createdAt: at, channel: "c", phone: "1380013800\(rng.next() % 10)"))
        }
        let sorted = leads.sorted { $0.createdAt.instant < $1.createdAt.instant }
        let rules = ValidityRules(phonePattern: ValidityRules.defaultPhonePattern)
        let a = LeadValidity.judge(leads, rules: rules, phones: phones)
        let b = LeadValidity.judge(sorted, rules: rules, phones: phones)
        // Same lead, same verdict; duplicates point at the same lead id.
        let byID = Dictionary(uniqueKeysWithValues: zip(sorted.map(\.id), b.map { ($0.failedRule, $0.duplicateOf.map { sorted[$0].id }) }))
        for (l, v) in zip(leads, a) {
            let other = byID[l.id]!
            #expect(v.failedRule == other.0 && v.duplicateOf.map { leads[$0].id } == other.1, "\(l.id)")
        }
        #expect(a.contains { $0.failedRule == .duplicate })
    }

    @Test("verdicts equal a plain walk in arrival order with a dictionary of phone keys, whatever the order and keys")
    func verdictsEqualPlainWalk() throws {
        var rng = SplitMix64(seed: 61)
        let statuses: [ContactStatus?] = [nil, nil, nil, .vacant, .wrongNumber, .poweredOff]
        for (count, pattern) in [(0, ValidityRules.defaultPhonePattern), (1, ValidityRules.defaultPhonePattern),
                                 (7, ValidityRules.defaultPhonePattern), (3_000, ValidityRules.defaultPhonePattern),
                                 (2_000, "^\\+?[0-9]{3,24}$")] {
            let phones = try PhoneRules(pattern: pattern)
            let rules = ValidityRules(phonePattern: pattern, dedupeDays: 2)
            var leads: [Lead] = []
            for i in 0..<count {
                // Few days and hours: many ties; a few phones: many repeats; some too long to pack, some
                // +86 forms of others, some blank or malformed.
                let day = 1 + Int(rng.next() % 9)
                let at = try Timestamp.parse(Substring("2026-10-0\(day)T0\(rng.next() % 4):00:00")).get()
                let phone: String
                switch rng.next() % 10 {
                case 0: phone = "+86 1380013800\(rng.next() % 5)"
                case 1: phone = "12345678901234567890\(rng.next() % 3)"
                case 2: phone = rng.next() % 2 == 0 ? "" : "12-ab"
                case 3: phone = "+1 555 01\(rng.next() % 4)"
                default: phone = "1380013800\(rng.next() % 5)"
                }
                leads.append(Lead(id: "L\(i)", createdAt: at, channel: "c", phone: phone,
                                  contactStatus: statuses[Int(rng.next() % UInt64(statuses.count))]))
            }
            // The plain reference: rules in turn, then duplicates in arrival order (instant, then row).
            var expected: [(FailedRule?, Int?)] = leads.map { lead in
                let normalised = PhoneRules.normalise(lead.phone)
                if lead.phone.utf8.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return (.missingPhone, nil) }
                if !phones.isWellFormed(normalised) { return (.malformedPhone, nil) }
                switch lead.contactStatus {
                case .vacant?: return (.vacant, nil)
                case .wrongNumber?: return (.wrongNumber, nil)
                case .poweredOff?: return (.poweredOff, nil)
                default: return (nil, nil)
                }
            }
            let order = leads.indices.sorted {
                let a = leads[$0].createdAt.instant, b = leads[$1].createdAt.instant
                return a != b ? a < b : $0 < $1
            }
            var latest: [String: Int] = [:]
            for i in order {
                let normalised = PhoneRules.normalise(leads[i].phone)
                guard !leads[i].phone.utf8.allSatisfy({ $0 == 0x20 || $0 == 0x09 }), phones.isWellFormed(normalised) else { continue }
                let key = PhoneRules.key(normalised)
                if let previous = latest[key], leads[i].createdAt.instant - leads[previous].createdAt.instant <= 2 * 86_400,
                   expected[i].0 == nil {
                    expected[i] = (.duplicate, previous)
                }
                latest[key] = i
            }
            let verdicts = LeadValidity.judge(leads, rules: rules, phones: phones)
            for i in leads.indices {
                #expect(verdicts[i].failedRule == expected[i].0 && verdicts[i].duplicateOf == expected[i].1,
                        "\(count) leads, lead \(i) \(leads[i].phone)")
            }
            if count >= 2_000 { #expect(expected.contains { $0.0 == .duplicate }) }
            // In arrival order, the same verdicts (by lead id).
            let arrived = order.map { leads[$0] }
            let again = LeadValidity.judge(arrived, rules: rules, phones: phones)
            for (k, i) in order.enumerated() {
                #expect(again[k].failedRule == expected[i].0 && again[k].duplicateOf.map { arrived[$0].id } == expected[i].1.map { leads[$0].id })
            }
        }
    }

    private func key(_ s: String) -> String { describe(PhoneKey(s)) }

    private func describe(_ k: PhoneKey) -> String {
        switch k {
        case .none: return "none"
        case .number(let n): return "n\(n)"
        case .text(let t): return "t\(t)"
        }
    }
}
