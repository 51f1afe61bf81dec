/// Which side of the quarrel a scorecard belongs to.
public enum Side: String, Sendable, Hashable, CaseIterable {
    case marketing, sales
}

/// Whether a bigger value of a KPI is better (sales) or worse (cost per lead).
public enum Direction: String, Sendable, Hashable {
    case higher, lower
}

/// What kind of number a KPI is, which decides how it is printed.
public enum KPIUnit: String, Sendable, Hashable {
    /// A whole number of leads, deals, follow-ups.
    case count
    /// A sum of money: exact in the currency's minor unit.
    case money
    /// Money divided by a count (cost per lead, average deal value): a fraction of money.
    case moneyRatio
    /// A dimensionless fraction (validity rate, ROI, completion rate).
    case rate
}

/// A scorecard figure: its name (as in docs/kpis.md and kpis.csv), side, unit and default direction.
public struct KPI: Sendable, Hashable, CustomStringConvertible {
    public let name: String
    public let side: Side
    public let unit: KPIUnit
    public let direction: Direction
    /// The formula in words, shown on scorecards.
    public let definition: String

    public var description: String { name }

    public static let marketing: [KPI] = [
        KPI(name: "leads", side: .marketing, unit: .count, direction: .higher,
            definition: "leads credited to the person, created in the period"),
        KPI(name: "valid_leads", side: .marketing, unit: .count, direction: .higher,
            definition: "those leads that pass every validity rule"),
        KPI(name: "validity_rate", side: .marketing, unit: .rate, direction: .higher,
            definition: "valid_leads / leads"),
        KPI(name: "spend", side: .marketing, unit: .money, direction: .lower,
            definition: "spend.csv amounts owned by the person, dated in the period"),
        KPI(name: "cost_per_lead", side: .marketing, unit: .moneyRatio, direction: .lower,
            definition: "spend / leads"),
        KPI(name: "cost_per_valid_lead", side: .marketing, unit: .moneyRatio, direction: .lower,
            definition: "spend / valid_leads"),
        KPI(name: "new_customer_sales", side: .marketing, unit: .money, direction: .higher,
            definition: "won new-customer deals closed in the period whose lead is credited to the person"),
        KPI(name: "marketing_roi", side: .marketing, unit: .rate, direction: .higher,
            definition: "new_customer_sales / spend"),
    ]

    public static let sales: [KPI] = [
        KPI(name: "assigned_leads", side: .sales, unit: .count, direction: .higher,
            definition: "leads assigned to the person, created in the period"),
        KPI(name: "total_sales", side: .sales, unit: .money, direction: .higher,
            definition: "won deals of the person closed in the period"),
        KPI(name: "new_customer_sales", side: .sales, unit: .money, direction: .higher,
            definition: "the same, new-customer deals only"),
        KPI(name: "new_customer_share", side: .sales, unit: .rate, direction: .higher,
            definition: "new_customer_sales / total_sales"),
        KPI(name: "deals", side: .sales, unit: .count, direction: .higher,
            definition: "count of those won deals"),
        KPI(name: "converted_leads", side: .sales, unit: .count, direction: .higher,
            definition: "distinct leads among those won deals"),
        KPI(name: "conversion_rate", side: .sales, unit: .rate, direction: .higher,
            definition: "converted_leads / assigned_leads"),
        KPI(name: "average_deal_value", side: .sales, unit: .moneyRatio, direction: .higher,
            definition: "total_sales / deals"),
        KPI(name: "completion_rate", side: .sales, unit: .rate, direction: .higher,
            definition: "total_sales / the total_sales target"),
        KPI(name: "disputed_invalid_labels", side: .sales, unit: .count, direction: .lower,
            definition: "assigned leads labelled invalid by sales but valid by the rules"),
        KPI(name: "followups", side: .sales, unit: .count, direction: .higher,
            definition: "follow-ups by the person in the period"),
        KPI(name: "contacted_24h_rate", side: .sales, unit: .rate, direction: .higher,
            definition: "assigned leads first followed up within 24 hours of arriving / assigned_leads"),
        KPI(name: "test_drive_rate", side: .sales, unit: .rate, direction: .higher,
            definition: "assigned leads with a test drive by the period's end / assigned_leads"),
    ]

    public static func all(_ side: Side) -> [KPI] { side == .marketing ? marketing : sales }

    public static func named(_ name: String, side: Side) -> KPI? {
        all(side).first { $0.name == name }
    }
}
