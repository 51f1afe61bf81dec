import BatonCore

/// The page's context: the view's own fields, with the structs every person's section reaches for
/// (`labels`) wrapped once, and the people's sections either the view's or made one by one as the page
/// is written (`LazyPeople`), so a brand's page never holds every person's section at once. A class: it
/// is at the bottom of every lookup that climbs the context stack, and is shared, never copied.
final class PageRoot: PageFields {
    let view: ScorecardView
    let people: any PageList
    private let labels: PageValue
    private let funnel: PageValue
    private let payroll: PageValue
    private let validity: PageValue

    init(_ view: ScorecardView, people: (any PageList)? = nil) {
        self.view = view
        self.people = people ?? PersonView.List(view.people)
        labels = .item(Labels.List([view.labels]), 0)
        funnel = .item(FunnelView.List([view.funnel]), 0)
        payroll = .item(PayrollView.List([view.payroll]), 0)
        validity = .item(ValidityView.List([view.validity]), 0)
    }

    func field(_ key: PageKey) -> PageValue? {
        switch key {
        case .people: return .list(people)
        case .labels: return labels
        case .funnel: return funnel
        case .payroll: return payroll
        case .validity: return validity
        default: return view.field(key)
        }
    }

    /// The root answers the view's names and its own: any name may be there.
    static let keys = PageKeySet.all

    final class List: ItemList {
        let all: [PageRoot]
        init(_ all: [PageRoot]) { self.all = all }
    }

    var tree: Any {
        guard var tree = MustacheTree.from(view) as? [String: Any] else { return MustacheTree.from(view) }
        tree["people"] = people.tree
        return tree
    }
}

/// The people's sections of an evaluation, each made when the renderer reaches it (on whichever thread
/// renders it).
final class LazyPeople: PageList {
    let builder: ScorecardViewBuilder
    /// The scorecards' places in the evaluation's `people`, in the page's order.
    let cards: [Int]
    private let people: [PersonScorecard]

    init(builder: ScorecardViewBuilder, cards: [Int]) {
        self.builder = builder
        self.cards = cards
        people = builder.e.people
    }

    var count: Int { cards.count }
    /// Person `i`'s section, the scorecard read in place: `people[k]` would copy it, with all its
    /// figures' references.
    private func person(_ i: Int) -> PersonView {
        let k = cards[i]
        return people.withUnsafeBufferPointer { builder.person(at: $0.baseAddress! + k) }
    }
    func item(_ i: Int) -> PageValue { .item(PersonView.List([person(i)]), 0) }
    func field(_ i: Int, _ key: PageKey) -> PageValue? { person(i).field(key) }
    var keys: PageKeySet { PersonView.keys }
    var tree: Any { (0..<count).map { MustacheTree.from(person($0)) } as [Any] }
    func tree(_ i: Int) -> Any { MustacheTree.from(person(i)) }
}
