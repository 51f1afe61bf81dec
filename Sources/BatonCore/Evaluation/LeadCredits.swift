/// A lead's credit in four bytes: the rule in the top two bits, the person's or team's index below.
/// `LeadCredit` carries a team's name (a `String`, 24 bytes a lead in an array); this carries its index.
@usableFromInline
struct CompactCredit: Hashable, Sendable {
    @usableFromInline var raw: UInt32

    /// The rules, in the top two bits.
    @usableFromInline
    enum Kind: UInt32 { case owner = 0, channelOwner = 1, assigneeTeam = 2, unattributed = 3 }

    /// Indexes of people and teams fit in 30 bits.
    static let indexLimit = 1 << 30

    @inlinable init(raw: UInt32) { self.raw = raw }

    init(_ kind: Kind, _ index: Int) {
        precondition(index >= 0 && index < CompactCredit.indexLimit, "LeadCredits: person or team index \(index) does not fit in 30 bits")
        raw = kind.rawValue << 30 | UInt32(truncatingIfNeeded: index)
    }

    static func owner(_ p: Int) -> CompactCredit { CompactCredit(.owner, p) }
    static func channelOwner(_ p: Int) -> CompactCredit { CompactCredit(.channelOwner, p) }
    /// `t`: an index into the credits' team names.
    static func assigneeTeam(_ t: Int) -> CompactCredit { CompactCredit(.assigneeTeam, t) }
    static let unattributed = CompactCredit(.unattributed, 0)

    @inlinable var kind: Kind { Kind(rawValue: raw >> 30)! }
    /// The person (owner, channel owner) or the team (assignee team); 0 when unattributed.
    @inlinable var index: Int { Int(raw & 0x3FFF_FFFF) }
    /// The person credited, if a person is.
    var person: Int? { raw >> 30 <= 1 ? index : nil }

    @inlinable
    func credit(teams: [String]) -> LeadCredit {
        switch kind {
        case .owner: return .owner(index)
        case .channelOwner: return .channelOwner(index)
        case .assigneeTeam: return .assigneeTeam(teams[index])
        case .unattributed: return .unattributed
        }
    }
}

/// Every lead's credit (`Evaluation.credits`), four bytes a lead, with the few team names credited kept
/// once. Reads like a `[LeadCredit]`: `credits[i]`, iteration, `==` by elements.
public struct LeadCredits: RandomAccessCollection, Sendable, Equatable, ExpressibleByArrayLiteral {
    @usableFromInline var packed: [UInt32]
    /// The names `.assigneeTeam` credits refer to, by index.
    @usableFromInline var teams: [String]

    init(packed: [UInt32], teams: [String]) {
        self.packed = packed
        self.teams = teams
    }

    public init() { self.init(packed: [], teams: []) }

    public init<S: Sequence>(_ credits: S) where S.Element == LeadCredit {
        var packed: [UInt32] = []
        packed.reserveCapacity(credits.underestimatedCount)
        var teams: [String] = []
        var teamIndex: [String: Int] = [:]
        for c in credits {
            let compact: CompactCredit
            switch c {
            case .owner(let p): compact = .owner(p)
            case .channelOwner(let p): compact = .channelOwner(p)
            case .assigneeTeam(let t):
                let k = teamIndex[t] ?? {
                    teams.append(t)
                    teamIndex[t] = teams.count - 1
                    return teams.count - 1
                }()
                compact = .assigneeTeam(k)
            case .unattributed: compact = .unattributed
            }
            packed.append(compact.raw)
        }
        self.init(packed: packed, teams: teams)
    }

    public init(arrayLiteral credits: LeadCredit...) { self.init(credits) }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { packed.count }
    @inlinable public var count: Int { packed.count }

    @inlinable
    public subscript(position: Int) -> LeadCredit { CompactCredit(raw: packed[position]).credit(teams: teams) }

    /// Lead `i`'s credit in its compact form.
    func compact(_ i: Int) -> CompactCredit { CompactCredit(raw: packed[i]) }

    public static func == (a: LeadCredits, b: LeadCredits) -> Bool {
        if a.packed == b.packed && a.teams == b.teams { return true }
        return a.count == b.count && a.elementsEqual(b)
    }
}
