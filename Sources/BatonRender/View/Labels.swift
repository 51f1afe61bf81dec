import BatonCore

/// Every fixed word on the page, in one language: section titles, column headers, legends.
///
/// Templates print these as they print data (escaped); a template never spells a label itself, so one
/// template serves both languages.
public struct Labels: Sendable {
    public let title: String
    public let subtitle: String
    public let period: String
    public let plan: String
    public let currency: String
    public let marketing: String
    public let sales: String
    public let funnelTitle: String
    public let funnelNote: String
    public let funnelMarketingLegend: String
    public let funnelSalesLegend: String
    public let teamsTitle: String
    public let person: String
    public let teamTotal: String
    public let peopleTitle: String
    public let scoredTitle: String
    public let figuresTitle: String
    public let kpi: String
    public let value: String
    public let target: String
    public let targetFrom: String
    public let attainment: String
    public let score: String
    public let weight: String
    public let points: String
    public let rule: String
    public let why: String
    public let definition: String
    public let madeOf: String
    public let weightedTotal: String
    public let role: String
    public let team: String
    public let id: String
    public let validityTitle: String
    public let validityNote: String
    public let failedRule: String
    public let meaning: String
    public let validLeads: String
    public let allLeads: String
    public let everyone: String
    public let disputesTitle: String
    public let disputesNote: String
    public let lead: String
    public let salesLabel: String
    public let verdict: String
    public let salesperson: String
    public let noDisputes: String
    public let notEvaluatedTitle: String
    public let notEvaluatedNote: String
    public let outsideTitle: String
    public let unattributedLeads: String
    public let unownedSpend: String
    public let warningsTitle: String
    public let footer: String
    public let noData: String
    public let noTarget: String
    public let valid: String
    public let invalid: String
    public let none: String
    public let unattributed: String
    public let unassigned: String
    public let leadCount: String
    public let pay: String
    public let payTitle: String
    public let payNote: String
    public let payLine: String
    public let amount: String
    public let payRule: String
    public let arithmetic: String
    public let payHow: String
    public let payTotal: String
    public let payTotalNote: String
    public let evidence: String
    public let bonus: String
    public let commission: String
    public let gate: String
    public let adjustment: String
    public let clawback: String
    public let payrollTitle: String
    public let grandTotal: String
    public let peoplePaid: String
    public let otherPayTitle: String
    public let otherPayNote: String
    public let scoredOnTeamBefore: String
    public let scoredOnTeamAfter: String

    public static func table(_ language: Language) -> Labels {
        switch language {
        case .en: return .english
        case .zhHans: return .chinese
        }
    }

    static let english = Labels(
        title: "Scorecards",
        subtitle: "Marketing and sales, side by side, from the same leads and deals",
        period: "Period",
        plan: "Plan",
        currency: "Currency",
        marketing: "Marketing",
        sales: "Sales",
        funnelTitle: "Lead funnel",
        funnelNote: "Each bar is as long as its count; the first stage is the longest possible bar. Assigned leads include invalid ones, so that stage can be longer than the one before it.",
        funnelMarketingLegend: "Marketing's stages: bringing leads and making them valid",
        funnelSalesLegend: "Sales' stages: taking assigned leads to won deals",
        teamsTitle: "Teams",
        person: "Person",
        teamTotal: "Team total",
        peopleTitle: "Scorecards by person",
        scoredTitle: "Scored KPIs",
        figuresTitle: "All figures",
        kpi: "KPI",
        value: "Value",
        target: "Target",
        targetFrom: "Target from",
        attainment: "Attainment",
        score: "Score",
        weight: "Weight",
        points: "Points",
        rule: "Scoring rule",
        why: "How the score came about",
        definition: "Definition",
        madeOf: "Made of",
        weightedTotal: "Weighted total",
        role: "Role",
        team: "Team",
        id: "ID",
        validityTitle: "Why leads were invalid",
        validityNote: "Each invalid lead of the period counts once, under the first agreed rule it failed (rules checked top to bottom).",
        failedRule: "Rule failed",
        meaning: "Meaning",
        validLeads: "Valid",
        allLeads: "All leads",
        everyone: "All",
        disputesTitle: "Label disputes",
        disputesNote: "Leads whose sales label disagrees with the agreed rules. A valid lead labelled invalid counts against the salesperson.",
        lead: "Lead",
        salesLabel: "Sales label",
        verdict: "By the rules",
        salesperson: "Salesperson",
        noDisputes: "No disputes.",
        notEvaluatedTitle: "Not evaluated",
        notEvaluatedNote: "The plan has no scorecard for their role.",
        outsideTitle: "Outside the tables",
        unattributedLeads: "Leads credited to no one",
        unownedSpend: "Spend with no owner",
        warningsTitle: "Warnings",
        footer: "Made by Baton from the period's CSV files and the plan. Every figure is computed exactly and only rounded for display.",
        noData: "no data",
        noTarget: "no target",
        valid: "valid",
        invalid: "invalid",
        none: "none",
        unattributed: "Unattributed",
        unassigned: "Not assigned",
        leadCount: "Leads",
        pay: "Pay",
        payTitle: "Pay statement",
        payNote: "Rules and arithmetic are Baton's own words, exactly as in pay.csv.",
        payLine: "Pay line",
        amount: "Amount",
        payRule: "Rule",
        arithmetic: "Arithmetic",
        payHow: "Rule and arithmetic",
        payTotal: "Total pay",
        payTotalNote: "The sum of the rounded lines above.",
        evidence: "evidence: its effect is in the bonus line",
        bonus: "Bonus",
        commission: "Commission",
        gate: "Gate",
        adjustment: "Adjustment",
        clawback: "Clawback",
        payrollTitle: "Payroll",
        grandTotal: "Grand total",
        peoplePaid: "People paid",
        otherPayTitle: "Other pay",
        otherPayNote: "People paid this period who have no scorecard, such as an approved adjustment.",
        scoredOnTeamBefore: "Scores are the team's: the values, attainments and scores below are those of team",
        scoredOnTeamAfter: ", its members' figures summed, not this person's own (their own are under All figures)."
    )

    static let chinese = Labels(
        title: "绩效记分卡",
        subtitle: "市场与销售对照：同一批线索、同一批成交",
        period: "考核期",
        plan: "考核方案",
        currency: "币种",
        marketing: "市场",
        sales: "销售",
        funnelTitle: "线索漏斗",
        funnelNote: "条形长度与数量成正比，第一环节最长。分配线索包含无效线索，因此可能比上一环节更长。",
        funnelMarketingLegend: "市场负责的环节：获取线索并保证线索有效",
        funnelSalesLegend: "销售负责的环节：把分配的线索转化为成交",
        teamsTitle: "团队",
        person: "人员",
        teamTotal: "团队合计",
        peopleTitle: "个人记分卡",
        scoredTitle: "考核指标",
        figuresTitle: "全部指标",
        kpi: "指标",
        value: "实际值",
        target: "目标",
        targetFrom: "目标来源",
        attainment: "达成率",
        score: "得分",
        weight: "权重",
        points: "加权得分",
        rule: "计分规则",
        why: "得分说明",
        definition: "定义",
        madeOf: "构成",
        weightedTotal: "加权总分",
        role: "岗位",
        team: "团队",
        id: "工号",
        validityTitle: "无效线索原因",
        validityNote: "本期每条无效线索只计一次，按约定规则自上而下检查，记在第一条未通过的规则下。",
        failedRule: "未通过的规则",
        meaning: "含义",
        validLeads: "有效",
        allLeads: "线索合计",
        everyone: "合计",
        disputesTitle: "标签争议",
        disputesNote: "销售标注与约定规则判定不一致的线索。有效线索被标为无效，计入该销售顾问。",
        lead: "线索",
        salesLabel: "销售标注",
        verdict: "规则判定",
        salesperson: "销售顾问",
        noDisputes: "无争议。",
        notEvaluatedTitle: "未参与考核",
        notEvaluatedNote: "方案中没有其岗位的记分卡。",
        outsideTitle: "表外事项",
        unattributedLeads: "无归属的线索",
        unownedSpend: "无归属的费用",
        warningsTitle: "提示",
        footer: "由 Baton 根据本期 CSV 数据与考核方案生成。所有数值均精确计算，仅在显示时取整。",
        noData: "无数据",
        noTarget: "无目标",
        valid: "有效",
        invalid: "无效",
        none: "无",
        unattributed: "未归属",
        unassigned: "未分配",
        leadCount: "线索数",
        pay: "薪酬",
        payTitle: "薪酬明细",
        payNote: "规则与算式为 Baton 生成的英文原文，与 pay.csv 完全一致。",
        payLine: "薪酬项目",
        amount: "金额",
        payRule: "规则",
        arithmetic: "算式",
        payHow: "规则与算式",
        payTotal: "应发合计",
        payTotalNote: "以上各项取整后金额之和。",
        evidence: "佐证：其影响已计入奖金",
        bonus: "奖金",
        commission: "提成",
        gate: "门槛",
        adjustment: "调整",
        clawback: "追回",
        payrollTitle: "薪酬汇总",
        grandTotal: "总计",
        peoplePaid: "发放人数",
        otherPayTitle: "其他薪酬",
        otherPayNote: "本期未参与考核、但有薪酬项目的人员（如经批准的调整）。",
        scoredOnTeamBefore: "得分按团队计算：下表的实际值、达成率与得分均为团队",
        scoredOnTeamAfter: "的合计（成员数据相加），并非本人个人数据（本人数据见“全部指标”）。"
    )
}

// MARK: Words about the domain, per language

extension Language {
    /// A KPI's short name: `validity_rate` → "Validity rate" / "有效率".
    func name(_ kpi: KPI) -> String {
        switch self {
        case .en: return Self.englishNames[kpi.name] ?? kpi.name
        case .zhHans: return Self.chineseNames[kpi.name] ?? kpi.name
        }
    }

    /// A KPI's formula in words.
    func definition(_ kpi: KPI) -> String {
        switch self {
        case .en: return kpi.definition
        case .zhHans:
            let key = kpi.side.rawValue + "." + kpi.name
            return Self.chineseDefinitions[key] ?? kpi.definition
        }
    }

    func side(_ side: Side) -> String {
        side == .marketing ? Labels.table(self).marketing : Labels.table(self).sales
    }

    func name(_ rule: FailedRule) -> String {
        switch self {
        case .en:
            switch rule {
            case .missingPhone: return "No phone"
            case .malformedPhone: return "Malformed phone"
            case .vacant: return "Vacant number"
            case .wrongNumber: return "Wrong number"
            case .poweredOff: return "Powered off"
            case .noDemand: return "No demand"
            case .duplicate: return "Duplicate"
            }
        case .zhHans:
            switch rule {
            case .missingPhone: return "无号码"
            case .malformedPhone: return "号码格式错误"
            case .vacant: return "空号"
            case .wrongNumber: return "错号"
            case .poweredOff: return "关机"
            case .noDemand: return "无需求"
            case .duplicate: return "重复线索"
            }
        }
    }

    func explanation(_ rule: FailedRule) -> String {
        switch self {
        case .en: return rule.explanation
        case .zhHans:
            switch rule {
            case .missingPhone: return "未留电话号码"
            case .malformedPhone: return "号码不符合方案规定的号码格式"
            case .vacant: return "号码未开通或已停用"
            case .wrongNumber: return "号码属于他人"
            case .poweredOff: return "联系时对方关机"
            case .noDemand: return "客户没有购车需求"
            case .duplicate: return "去重期内同一号码已有线索"
            }
        }
    }

    /// What a missing value is missing, when the KPI has no data.
    func noDataReason(_ value: KPIValue, data: PeriodData) -> String {
        let k = value.kpi
        if k.side == .marketing && Self.spendKPIs.contains(k.name) && !data.hasSpend {
            return self == .en ? "no spend.csv in the data folder" : "数据中没有 spend.csv"
        }
        if Self.followupKPIs.contains(k.name) && !data.hasFollowups {
            return self == .en ? "no followups.csv in the data folder" : "数据中没有 followups.csv"
        }
        if k.name == "completion_rate" {
            if value.denominator == nil {
                return self == .en ? "no total_sales target" : "没有销售总额目标"
            }
            return self == .en ? "the total_sales target is 0" : "销售总额目标为 0"
        }
        if let words = Self.emptyDenominators[k.name] { return self == .en ? words.0 : words.1 }
        return Labels.table(self).noData
    }

    /// The KPIs that need spend.csv, and those that need followups.csv.
    private static let spendKPIs: Set<String> = ["spend", "cost_per_lead", "cost_per_valid_lead", "marketing_roi"]
    private static let followupKPIs: Set<String> = ["followups", "contacted_24h_rate", "test_drive_rate"]
    /// A ratio's empty denominator, in English and Chinese.
    private static let emptyDenominators: [String: (String, String)] = [
        "validity_rate": ("no leads", "没有线索"),
        "cost_per_lead": ("no leads", "没有线索"),
        "cost_per_valid_lead": ("no valid leads", "没有有效线索"),
        "marketing_roi": ("no spend", "没有投放费用"),
        "new_customer_share": ("no sales", "没有销售额"),
        "conversion_rate": ("no assigned leads", "没有分配线索"),
        "average_deal_value": ("no deals", "没有成交"),
        "contacted_24h_rate": ("no assigned leads", "没有分配线索"),
        "test_drive_rate": ("no assigned leads", "没有分配线索"),
    ]

    static let englishNames: [String: String] = [
        "leads": "Leads",
        "valid_leads": "Valid leads",
        "validity_rate": "Validity rate",
        "spend": "Spend",
        "cost_per_lead": "Cost per lead",
        "cost_per_valid_lead": "Cost per valid lead",
        "new_customer_sales": "New-customer sales",
        "marketing_roi": "Marketing ROI",
        "assigned_leads": "Assigned leads",
        "total_sales": "Total sales",
        "new_customer_share": "New-customer share",
        "deals": "Deals",
        "converted_leads": "Converted leads",
        "conversion_rate": "Conversion rate",
        "average_deal_value": "Average deal value",
        "completion_rate": "Completion rate",
        "disputed_invalid_labels": "Valid leads labelled invalid",
        "followups": "Follow-ups",
        "contacted_24h_rate": "Contacted within 24\u{00A0}h",
        "test_drive_rate": "Test-drive rate",
    ]

    static let chineseNames: [String: String] = [
        "leads": "线索",
        "valid_leads": "有效线索",
        "validity_rate": "有效率",
        "spend": "投放费用",
        "cost_per_lead": "单条线索成本",
        "cost_per_valid_lead": "单条有效线索成本",
        "new_customer_sales": "新客户销售额",
        "marketing_roi": "营销投入产出比",
        "assigned_leads": "分配线索",
        "total_sales": "销售总额",
        "new_customer_share": "新客户销售占比",
        "deals": "成交单数",
        "converted_leads": "转化线索",
        "conversion_rate": "转化率",
        "average_deal_value": "平均成交金额",
        "completion_rate": "完成率",
        "disputed_invalid_labels": "有效线索被标无效",
        "followups": "跟进次数",
        "contacted_24h_rate": "24小时联系率",
        "test_drive_rate": "试驾率",
    ]

    static let chineseDefinitions: [String: String] = [
        "marketing.leads": "本期创建、归属于本人的线索",
        "marketing.valid_leads": "其中通过全部有效性规则的线索",
        "marketing.validity_rate": "有效线索 ÷ 线索",
        "marketing.spend": "spend.csv 中归属本人、日期在本期内的费用",
        "marketing.cost_per_lead": "投放费用 ÷ 线索",
        "marketing.cost_per_valid_lead": "投放费用 ÷ 有效线索",
        "marketing.new_customer_sales": "本期成交的新客户订单金额，其线索归属于本人",
        "marketing.marketing_roi": "新客户销售额 ÷ 投放费用",
        "sales.assigned_leads": "本期创建、分配给本人的线索",
        "sales.total_sales": "本人本期成交的订单金额",
        "sales.new_customer_sales": "同上，仅计新客户订单",
        "sales.new_customer_share": "新客户销售额 ÷ 销售总额",
        "sales.deals": "上述成交订单的数量",
        "sales.converted_leads": "上述成交订单涉及的不同线索数",
        "sales.conversion_rate": "转化线索 ÷ 分配线索",
        "sales.average_deal_value": "销售总额 ÷ 成交单数",
        "sales.completion_rate": "销售总额 ÷ 销售总额目标",
        "sales.disputed_invalid_labels": "分配给本人、被销售标为无效但按规则有效的线索",
        "sales.followups": "本人本期的跟进次数",
        "sales.contacted_24h_rate": "到达后 24 小时内首次跟进的分配线索 ÷ 分配线索",
        "sales.test_drive_rate": "考核期结束前有试驾的分配线索 ÷ 分配线索",
    ]
}
