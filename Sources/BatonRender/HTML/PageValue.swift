/// The view as the page renderer sees it: every struct of `ScorecardView` answers a template's name
/// with a `PageValue` through a `switch` (no reflection, no `[String: Any]` tree).
///
/// The answers are exactly what Mustache found in the reflected dictionaries before (`MustacheTree`):
/// a struct's stored properties under their own names, an absent optional as an absent key, strings,
/// booleans and arrays as they are. `PageValueTests` hold the two to the same values for real pages.

/// A template's name for a property of a view struct. The raw value is the name as written in a template
/// (and documented in docs/templates.md); a name no view struct has is no `PageKey` at all.
enum PageKey: String, Sendable {
    case adjustment, allLeads, amount, amountColumn, anchor, arithmetic, attainment, barWidth, barX, bonus
    case cells, clawback, code, columns, commission, count, countsAgainst, currency, definition, detail
    case disputes, disputesNote, disputesTitle, empty, everyone, evidence, failedRule, figures, figuresTitle
    case footer, funnel, funnelMarketingLegend, funnelNote, funnelSalesLegend, funnelTitle, gate, grandTotal
    case grandTotalAmount, hasBar, hasDisputes, hasLines, hasNotEvaluated, hasOtherPay, hasOutside, hasPay
    case hasValidity, hasWarnings, headcount, id, invalid, isEvidence, isNegative, isTeam, isTotal, kind, kpi
    case label, labels, lang, lead, leadCount, lines, link, madeOf, marketing, marketingLegend, meaning, name
    case noData, noDisputes, noTarget, none, notEvaluated, notEvaluatedNote, notEvaluatedTitle, note
    case otherPay, otherPayNote, otherPayTitle, outside, outsideTitle, owner, pay, payHow, payLine, payNote
    case payRule, payTitle, payTotal, payTotalNote, payroll, payrollTitle, people, peoplePaid, peopleTitle
    case period, periodDays, person, personID, plan, points, rate, role, rounding, rows, rule, sales
    case salesLabel, salesLegend, salesperson, score, scored, scoredOnTeam, scoredOnTeamAfter
    case scoredOnTeamBefore, scoredTitle, side, sideTitle, sides, stages, subtitle, target, targetFrom, team
    case teamTables, teamTotal, teams, teamsTitle, text, title, total, totalWithCode, unassigned
    case unattributed, unattributedLeads, unownedSpend, valid, validLeads, validity, validityNote
    case validityTitle, value, verdict, warnings, warningsTitle, weight, weightedTotal, why
}

extension PageKey {
    /// The key's place among the cases (a case-only enum is stored as its place in one byte), for
    /// `PageKeySet`'s bits.
    @inline(__always)
    var ordinal: Int { Int(unsafeBitCast(self, to: UInt8.self)) }
}

/// A set of names as bits: the names a view struct answers. Looking a name up the context stack skips
/// a row whose struct never has it, without calling into the row's list (a person's section climbs
/// past its rows to the page's labels some fifty times).
struct PageKeySet: Sendable {
    private var bits: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    /// Every name (a struct that may answer any of them).
    static let all = PageKeySet(everything: true)
    static let none = PageKeySet(everything: false)

    private init(everything: Bool) {
        if everything { bits = (.max, .max, .max, .max) }
    }

    init(_ keys: [PageKey]) {
        for k in keys {
            let bit: UInt64 = 1 << UInt64(k.ordinal & 63)
            switch k.ordinal >> 6 {
            case 0: bits.0 |= bit
            case 1: bits.1 |= bit
            case 2: bits.2 |= bit
            default: bits.3 |= bit
            }
        }
    }

    @inline(__always)
    func contains(_ k: PageKey) -> Bool {
        let word: UInt64
        switch k.ordinal >> 6 {
        case 0: word = bits.0
        case 1: word = bits.1
        case 2: word = bits.2
        default: word = bits.3
        }
        return word >> UInt64(k.ordinal & 63) & 1 != 0
    }
}

/// What a name stands for on the context stack: text (escaped when printed), a flag, a list, or one
/// struct (element `index` of a list, so a row is never copied out of its array).
enum PageValue: Sendable {
    case text(String)
    case flag(Bool)
    case list(any PageList)
    case item(any PageList, Int)

    /// The value's own property `key`: only a struct has any.
    @inline(__always)
    func field(_ key: PageKey) -> PageValue? {
        if case .item(let list, let i) = self { return list.field(i, key) }
        return nil
    }

    /// The value as `{{name}}` prints it: text escaped (or as it is, for `{{{name}}}`), a flag as
    /// `true`/`false`, a list or a struct as the description of its reflected tree (what Mustache printed
    /// for them before).
    func print(escaped: Bool, to out: inout PageBytes) {
        let text: String
        switch self {
        case .text(let s):
            out.print(s, escaped: escaped)
            return
        case .flag(let on):
            text = on ? "true" : "false"
        case .list(let list):
            text = String(describing: list.tree)
        case .item(let list, let i):
            text = String(describing: list.tree(i))
        }
        out.print(text, escaped: escaped)
    }
}

extension PageBytes {
    /// A text as `{{name}}` prints it (`escaped`) or as `{{{name}}}` does.
    @inline(__always)
    mutating func print(_ s: borrowing String, escaped: Bool) {
        if escaped { return HTMLEscape.append(s, to: &self) }
        if s.utf8.withContiguousStorageIfAvailable({ append($0) }) == nil {
            append(Array((copy s).utf8))
        }
    }
}

/// A view struct: answers a template's name with its property.
protocol PageFields: Sendable {
    func field(_ key: PageKey) -> PageValue?
    /// Every name `field` may answer (more is harmless, fewer would hide a property).
    static var keys: PageKeySet { get }
    /// The struct as the reflected tree, for the rare `{{name}}` that prints a whole struct (Mustache
    /// prints its description, as before).
    var tree: Any { get }
    /// Prints property `key` of the struct at `row` as `{{key}}` prints `field(key)`; false, printing
    /// nothing, when `field(key)` is nil. A struct whose texts a page prints many times writes them from
    /// where they lie: returning one as a `PageValue` retains and releases it, and passing the struct
    /// itself copies it.
    static func print(_ row: UnsafePointer<Self>, _ key: PageKey, escaped: Bool, to out: inout PageBytes) -> Bool
}

extension PageFields {
    var tree: Any { MustacheTree.from(self) }

    static func print(_ row: UnsafePointer<Self>, _ key: PageKey, escaped: Bool, to out: inout PageBytes) -> Bool {
        printField(row, key, escaped: escaped, to: &out)
    }

    /// `print` through `field`: what any other `print` must agree with.
    @inline(__always)
    static func printField(_ row: UnsafePointer<Self>, _ key: PageKey, escaped: Bool, to out: inout PageBytes) -> Bool {
        guard let v = row.pointee.field(key) else { return false }
        v.print(escaped: escaped, to: &out)
        return true
    }
}

/// An array on the page: its count, its elements as values, and their properties by index.
///
/// A class, so that `PageValue` holds a plain reference: with a struct behind `any PageList` the value
/// is an opaque existential, and every lookup that looks into it (a person's section looks some 300
/// names up, climbing the context stack) had to copy it and destroy the copy.
protocol PageList: AnyObject, Sendable {
    var count: Int { get }
    /// Element `i` as it goes on the context stack.
    func item(_ i: Int) -> PageValue
    /// Property `key` of element `i`.
    func field(_ i: Int, _ key: PageKey) -> PageValue?
    /// Every name `field` may answer for any element.
    var keys: PageKeySet { get }
    /// The array as the reflected tree (printed as its description by `{{name}}`).
    var tree: Any { get }
    /// Element `i` as the reflected tree.
    func tree(_ i: Int) -> Any

    /// `field(i, key)` of the list at `list`, an unretained reference to an instance of this class that
    /// the caller keeps alive. The context stack calls a list this way, through the class's type, so
    /// that no call retains and releases the list (a call on `any PageList` does).
    static func field(of list: UnsafeRawPointer, _ i: Int, _ key: PageKey) -> PageValue?
    /// Prints `field(i, key)` of the list at `list` as `{{key}}` prints it; false (nothing printed) when
    /// it is nil.
    static func print(of list: UnsafeRawPointer, _ i: Int, _ key: PageKey, escaped: Bool, to out: inout PageBytes) -> Bool
}

extension PageList {
    @inline(__always)
    static func field(of list: UnsafeRawPointer, _ i: Int, _ key: PageKey) -> PageValue? {
        Unmanaged<Self>.fromOpaque(list)._withUnsafeGuaranteedRef { $0.field(i, key) }
    }

    static func print(of list: UnsafeRawPointer, _ i: Int, _ key: PageKey, escaped: Bool, to out: inout PageBytes) -> Bool {
        guard let v = field(of: list, i, key) else { return false }
        v.print(escaped: escaped, to: &out)
        return true
    }
}

/// An array of one view struct: each struct has its own (`PersonView.List`), so that a lookup in a row
/// runs code made for that struct instead of generic code that copies the row out of the array first.
protocol ItemList: PageList {
    associatedtype Element: PageFields
    var all: [Element] { get }
}

extension ItemList {
    var count: Int { all.count }
    var keys: PageKeySet { Element.keys }
    func item(_ i: Int) -> PageValue { .item(self, i) }
    @inline(__always)
    func field(_ i: Int, _ key: PageKey) -> PageValue? {
        // Through the buffer, the element is read in place; `all[i].field(key)` may copy a large struct.
        all.withUnsafeBufferPointer { $0[i].field(key) }
    }
    var tree: Any { all.map(\.tree) as [Any] }
    func tree(_ i: Int) -> Any { all[i].tree }

    static func print(of list: UnsafeRawPointer, _ i: Int, _ key: PageKey, escaped: Bool, to out: inout PageBytes) -> Bool {
        Unmanaged<Self>.fromOpaque(list)._withUnsafeGuaranteedRef { list in
            list.all.withUnsafeBufferPointer { Element.print($0.baseAddress! + i, key, escaped: escaped, to: &out) }
        }
    }
}

/// An array of texts (`cells`, `warnings`): each element is text.
final class Texts: PageList {
    let all: [String]
    init(_ all: [String]) { self.all = all }
    var count: Int { all.count }
    func item(_ i: Int) -> PageValue { .text(all[i]) }
    func field(_ i: Int, _ key: PageKey) -> PageValue? { nil }
    var keys: PageKeySet { .none }
    var tree: Any { MustacheTree.from(all) }
    func tree(_ i: Int) -> Any { all[i] }
}
