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
    /// nil when the lead is valid.
    public var failedRule: FailedRule?
    /// The digits of the phone, with a leading `+` kept.
    public var normalisedPhone: String
    /// For a duplicate: index (into `PeriodData.leads`) of the latest earlier lead with the same phone.
    public var duplicateOf: Int?
    public var isValid: Bool { failedRule == nil }

    public init(failedRule: FailedRule?, normalisedPhone: String, duplicateOf: Int? = nil) {
        self.failedRule = failedRule
        self.normalisedPhone = normalisedPhone
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

/// Judges every lead (history included) against the agreed rules, in one pass in arrival order.
public enum LeadValidity {
    public static func judge(_ leads: [Lead], rules: ValidityRules, phones: PhoneRules) -> [Verdict] {
        var verdicts = [Verdict]()
        verdicts.reserveCapacity(leads.count)
        var keys = [PhoneKey](repeating: .none, count: leads.count)
        for (i, lead) in leads.enumerated() {
            let normalised = PhoneRules.normalise(lead.phone)
            let rule: FailedRule?
            if lead.phone.utf8.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) {
                rule = .missingPhone
            } else if !phones.isWellFormed(normalised) {
                rule = .malformedPhone
            } else {
                keys[i] = PhoneKey(PhoneRules.key(normalised))
                switch lead.contactStatus {
                case .vacant: rule = .vacant
                case .wrongNumber: rule = .wrongNumber
                case .poweredOff: rule = .poweredOff
                default: rule = lead.demand == .no ? .noDemand : nil
                }
            }
            verdicts.append(Verdict(failedRule: rule, normalisedPhone: normalised))
        }
        // Duplicates: walk leads in arrival order (instant, then file order) and compare each with the
        // latest earlier lead of the same phone key, whatever that lead's verdict. Exports are usually
        // already in arrival order, which is checked before sorting.
        var inOrder = true
        for i in leads.indices.dropFirst() where leads[i].createdAt.instant < leads[i - 1].createdAt.instant {
            inOrder = false
            break
        }
        let order = inOrder ? Array(leads.indices) : leads.indices.sorted {
            let a = leads[$0].createdAt.instant, b = leads[$1].createdAt.instant
            return a != b ? a < b : $0 < $1
        }
        let window = Int64(rules.dedupeDays) * 86_400
        var latestNumber = IntTable(capacity: leads.count)
        var latestText = [String: Int]()
        for i in order {
            let previous: Int?
            switch keys[i] {
            case .none: continue
            case .number(let k):
                previous = latestNumber[k].map(Int.init)
                latestNumber[k] = Int32(i)
            case .text(let k):
                previous = latestText[k]
                latestText[k] = i
            }
            if let previous {
                let gap = leads[i].createdAt.instant - leads[previous].createdAt.instant
                if gap <= window && verdicts[i].failedRule == nil {
                    verdicts[i].failedRule = .duplicate
                    verdicts[i].duplicateOf = previous
                }
            }
        }
        return verdicts
    }
}

/// A phone's duplicate key: packed into an integer when it is `+` and up to 17 digits (every phone the
/// default pattern accepts), else kept as text. Two keys are equal exactly when their texts are.
enum PhoneKey {
    case none
    /// Bit 62: a leading `+`; bits 57-61: the digit count (leading zeros matter); bits 0-56: the digits' value.
    case number(UInt64)
    case text(String)

    init(_ key: String) {
        var digits = 0
        var value: UInt64 = 0
        var plus: UInt64 = 0
        var packable = true
        for (n, c) in key.utf8.enumerated() {
            if n == 0 && c == UInt8(ascii: "+") { plus = 1; continue }
            guard c >= 48 && c <= 57, digits < 17 else { packable = false; break }
            value = value * 10 + UInt64(c - 48)
            digits += 1
        }
        self = packable ? .number(plus << 62 | UInt64(digits) << 57 | value) : .text(key)
    }
}
