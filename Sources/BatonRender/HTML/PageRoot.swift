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
    let cards: [PersonScorecard]

    init(builder: ScorecardViewBuilder, cards: [PersonScorecard]) {
        self.builder = builder
        self.cards = cards
    }

    var count: Int { cards.count }
    func item(_ i: Int) -> PageValue {
        // The scorecard is read in place: `cards[i]` would copy it, with all its figures' references.
        .item(PersonView.List([cards.withUnsafeBufferPointer { builder.person($0[i]) }]), 0)
    }
    func field(_ i: Int, _ key: PageKey) -> PageValue? { builder.person(cards[i]).field(key) }
    var tree: Any { cards.map { MustacheTree.from(builder.person($0)) } as [Any] }
    func tree(_ i: Int) -> Any { MustacheTree.from(builder.person(cards[i])) }
}
