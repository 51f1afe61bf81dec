// The dealer group behind the synthetic data: stores, people and their traits, channels, the calendar;
// plus the small tables drawn from it (people.csv, spend.csv, targets.csv).

enum SynthRole: UInt8 { case marketing, sales, manager, receptionist
    var text: String {
        switch self {
        case .marketing: "marketing"
        case .sales: "sales"
        case .manager: "sales_manager"
        case .receptionist: "receptionist"  // a role no default scorecard covers
        }
    }
}

struct SynthPerson {
    let id: String
    let name: String
    let role: SynthRole
    let store: Int
    let manager: Int?  // index into people
    let startDay: Int?
    let endDay: Int?
    let incentive: Int?  // whole yuan
    // Traits that make scorecards differ between people (consultants only).
    let conversionPerMille: Int
    let disputePerMille: Int
    let promptPerMille: Int

    @inline(__always)
    func active(onDay day: Int) -> Bool {
        (startDay.map { $0 <= day } ?? true) && (endDay.map { day <= $0 } ?? true)
    }
}

struct SynthStore {
    let name: String
    let weight: Int  // relative lead volume
    var marketers: [Int] = []
    var consultants: [Int] = []
    var manager = 0
    var receptionist = 0
    /// Per channel, the index of the marketer who owns it in this store (-1: nobody, i.e. walk_in).
    var owners: [Int] = []
}

enum SynthChannel {
    static let names = ["autohome", "baidu_sem", "douyin", "dongchedi", "walk_in", "event", "referral"]
    static let walkIn = 4, event = 5, referral = 6
    static let paid = 0...3
    /// Share of leads per channel (sums to 100).
    static let weights = [25, 15, 22, 15, 12, 6, 5]
    static let onlineWeights = [25, 15, 22, 15]
    /// Spend campaigns; "" is spend not tied to a campaign. One name holds a comma (RFC 4180 quoting).
    static let spendCampaigns: [[String]] = [
        ["", "国庆购车节", "秋季试驾季"], ["brand_kw", "competitor_kw"],
        ["直播,周末场", "short_video", "本地推"], ["dcd_promo", "懂车帝置换补贴"],
    ]
    static let leadCampaigns: [[String]] = [
        ["国庆购车节", "秋季试驾季"], ["brand_kw", "competitor_kw"],
        ["直播,周末场", "short_video", "本地推"], ["dcd_promo", "懂车帝置换补贴"],
        [], ["秋季车展"], ["老带新"],
    ]
    /// Rough cost per lead in yuan, per paid channel.
    static let costPerLead = [180, 150, 90, 160]
}

struct SynthWorld {
    let p: SyntheticParameters
    let firstDay: Int          // first day of the first month
    let lastMonthStart: Int    // first day of the evaluation month
    let endDay: Int            // first day after the evaluation month
    let cutoffMinute: Int      // exclusive end of the export: 5 days after the evaluation month
    let monthStarts: [Int]     // first day of each month, plus endDay
    var people: [SynthPerson] = []
    var stores: [SynthStore] = []

    init(_ p: SyntheticParameters) {
        self.p = p
        var starts: [Int] = []
        var y = p.lastMonth.year, m = p.lastMonth.month
        for _ in 0..<(p.months - 1) { (y, m) = m == 1 ? (y - 1, 12) : (y, m - 1) }
        for _ in 0...p.months {
            starts.append(SynthCalendar.day(year: y, month: m, day: 1))
            (y, m) = m == 12 ? (y + 1, 1) : (y, m + 1)
        }
        monthStarts = starts
        firstDay = starts[0]
        lastMonthStart = starts[p.months - 1]
        endDay = starts[p.months]
        cutoffMinute = (endDay + 5) * SynthCalendar.minutesPerDay
        buildPeople()
    }

    // MARK: people

    private static let surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "高", "罗"]
    private static let surnamesPinyin = ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma", "Zhu", "Hu", "Guo", "He", "Lin", "Gao", "Luo"]
    private static let given = ["建儒", "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "霞", "平", "刚", "桂英", "子涵", "浩然"]
    private static let givenPinyin = ["Jianru", "Wei", "Fang", "Na", "Min", "Jing", "Li", "Qiang", "Lei", "Jun", "Yang", "Yong", "Yan", "Jie", "Juan", "Tao", "Ming", "Chao", "Xiuying", "Xia", "Ping", "Gang", "Guiying", "Zihan", "Haoran"]
    private static let english = ["Kevin", "Tony", "Amy", "Grace", "Jason", "Cindy", "Eric", "Vivian"]
    private static let chineseStores = [2: "杭州西湖店", 6: "上海浦东店"]

    private static func name(_ rng: inout SynthRandom) -> String {
        let s = rng.below(surnames.count), g = rng.below(given.count)
        switch rng.below(10) {
        case 0..<6: return surnames[s] + given[g]
        case 6..<9: return surnamesPinyin[s] + " " + givenPinyin[g]
        default: return rng.element(english) + " " + surnamesPinyin[s]
        }
    }

    private mutating func buildPeople() {
        var rng = SynthRandom(seed: p.seed, stream: 1)
        let storeWidth = max(2, SynthText.digitCount(p.stores))
        let seqWidth = max(2, SynthText.digitCount(max(p.marketersPerStore, p.salesPerStore)))
        let historyStart = firstDay - 8 * 365, historyEnd = firstDay - 30
        func past(_ rng: inout SynthRandom) -> Int? { rng.chance(700) ? rng.int(historyStart...historyEnd) : nil }
        func incentive(_ rng: inout SynthRandom) -> Int { 3_000 + rng.below(11) * 500 }  // 3000...8000

        for s in 0..<p.stores {
            let number = s + 1
            let storeName = Self.chineseStores[s] ?? SynthText.id("Store ", number, width: 2)
            var store = SynthStore(name: storeName, weight: rng.int(6...14))
            let code = SynthText.id("", number, width: storeWidth)
            func pid(_ prefix: String, _ seq: Int) -> String { SynthText.id(prefix + code, seq, width: seqWidth) }

            for j in 0..<p.marketersPerStore {
                store.marketers.append(people.count)
                // Store 01's second marketer has a comma in the name (quoting).
                let name = s == 0 && j == 1 ? "Li, Na" : Self.name(&rng)
                people.append(SynthPerson(id: pid("M", j + 1), name: name, role: .marketing, store: s,
                                          manager: nil, startDay: past(&rng), endDay: nil,
                                          incentive: incentive(&rng), conversionPerMille: 0,
                                          disputePerMille: 0, promptPerMille: 0))
            }
            store.manager = people.count
            people.append(SynthPerson(id: SynthText.id("SM" + code, 1, width: seqWidth), name: Self.name(&rng),
                                      role: .manager, store: s, manager: nil, startDay: past(&rng), endDay: nil,
                                      incentive: 10_000 + rng.below(11) * 500, conversionPerMille: 0,
                                      disputePerMille: 0, promptPerMille: 0))
            for j in 0..<p.salesPerStore {
                store.consultants.append(people.count)
                var start = past(&rng), end: Int? = nil
                // A new hire in every 4th store and a leaver in the next, both inside the evaluation month.
                if p.salesPerStore >= 2 && s % 4 == 0 && j == p.salesPerStore - 1 {
                    start = lastMonthStart + rng.int(7...19)
                }
                if p.salesPerStore >= 2 && s % 4 == 1 && j == p.salesPerStore - 2 {
                    end = lastMonthStart + rng.int(9...24)
                }
                // Store 01's second consultant has a quoted nickname (quoting).
                let name = s == 0 && j == 1 ? "Zhang \"Tony\" Wei" : Self.name(&rng)
                // One consultant in six writes off many good leads as invalid.
                let dispute = rng.chance(170) ? rng.int(100...250) : rng.int(10...40)
                people.append(SynthPerson(id: pid("S", j + 1), name: name, role: .sales, store: s,
                                          manager: store.manager, startDay: start, endDay: end,
                                          incentive: incentive(&rng), conversionPerMille: rng.int(60...160),
                                          disputePerMille: dispute, promptPerMille: rng.int(500...950)))
            }
            store.receptionist = people.count
            people.append(SynthPerson(id: SynthText.id("R" + code, 1, width: seqWidth), name: Self.name(&rng),
                                      role: .receptionist, store: s, manager: store.manager, startDay: past(&rng),
                                      endDay: nil, incentive: nil, conversionPerMille: 0, disputePerMille: 0,
                                      promptPerMille: 0))
            // Marketers own channels in turn; walk-in leads belong to no marketer.
            let m = store.marketers
            store.owners = (0..<SynthChannel.names.count).map { c in
                if m.isEmpty || c == SynthChannel.walkIn { return -1 }
                if c == SynthChannel.event { return m[0] }
                if c == SynthChannel.referral { return m[m.count - 1] }
                return m[c % m.count]
            }
            stores.append(store)
        }
    }

    func peopleCSV() -> CSVWriter {
        var w = CSVWriter()
        w.writeRow(["person_id", "name", "role", "team", "manager_id", "start_date", "end_date", "target_incentive"])
        for person in people {
            w.writeRow([person.id, person.name, person.role.text, stores[person.store].name,
                        person.manager.map { people[$0].id } ?? "",
                        person.startDay.map(SynthText.date) ?? "", person.endDay.map(SynthText.date) ?? "",
                        person.incentive.map(String.init) ?? ""])
        }
        return w
    }

    // MARK: volumes shared by spend and targets

    var totalStoreWeight: Int { stores.reduce(0) { $0 + $1.weight } }

    /// Expected leads of one store in one month.
    func storeMonthLeads(_ s: Int) -> Int { p.leadsPerMonth * stores[s].weight / totalStoreWeight }

    // MARK: spend.csv

    /// Daily rows per store, paid channel and campaign; a weekly event row (Saturdays) and a monthly
    /// referral-bonus row (last day) per store. About 1 row in 20 has no owner.
    func spendCSV() -> CSVWriter {
        var rng = SynthRandom(seed: p.seed, stream: 5)
        var w = CSVWriter()
        w.writeRow(["date", "channel", "campaign", "marketing_owner", "amount"])
        func owner(_ s: Int, _ c: Int, _ rng: inout SynthRandom) -> String {
            let o = stores[s].owners[c]
            return o >= 0 && rng.chance(950) ? people[o].id : ""
        }
        func cents(_ c: Int, _ rng: inout SynthRandom) -> String {
            SynthText.money(cents: rng.chance(300) ? c : c - c % 100)  // cents sometimes
        }
        for month in 0..<p.months {
            let start = monthStarts[month], days = monthStarts[month + 1] - start
            for day in start..<(start + days) {
                let date = SynthText.date(day)
                for s in 0..<stores.count {
                    let leads = storeMonthLeads(s)
                    for c in SynthChannel.paid {
                        let campaigns = SynthChannel.spendCampaigns[c]
                        for campaign in campaigns {
                            let base = leads * SynthChannel.weights[c] * SynthChannel.costPerLead[c] * 100
                                / (100 * days * campaigns.count)
                            let amount = base * rng.int(700...1300) / 1000
                            w.writeRow([date, SynthChannel.names[c], campaign, owner(s, c, &rng), cents(amount, &rng)])
                        }
                    }
                    if SynthCalendar.weekday(day) == 6 {
                        let amount = rng.int(50...300) * 10_000  // 5,000...30,000 yuan
                        w.writeRow([date, "event", "秋季车展", owner(s, SynthChannel.event, &rng), cents(amount, &rng)])
                    }
                    if day == start + days - 1 {
                        let amount = leads * SynthChannel.weights[SynthChannel.referral] / 100 * 200 * 100
                        w.writeRow([date, "referral", "老带新", owner(s, SynthChannel.referral, &rng),
                                    SynthText.money(cents: amount)])
                    }
                }
            }
        }
        return w
    }

    // MARK: targets.csv

    /// Person `total_sales` targets for about 4 consultants in 5, a `team:` target in every third store
    /// (stores 2, 5, ...), a `role:marketing` target for `valid_leads` and a person `leads` target for
    /// Store 01's first marketer. Consultants with no person target in a store without a team target
    /// (e.g. Store 01's third) fall back to history.
    func targetsCSV() -> CSVWriter {
        var rng = SynthRandom(seed: p.seed, stream: 6)
        var w = CSVWriter()
        w.writeRow(["scope", "kpi", "target"])
        // Expected figures, in integers: ~92 % of leads assigned, ~74 % valid, ~9 % converted, ~285k a deal.
        func expectedSales(_ s: Int) -> Int {
            let consultants = max(1, stores[s].consultants.count)
            return storeMonthLeads(s) * 92 / 100 * 74 / 100 * 9 / 100 * 285_000 / consultants
        }
        if p.marketersPerStore > 0 {
            let perMarketer = p.leadsPerMonth * 70 / 100 * 74 / 100 / (p.stores * p.marketersPerStore)
            w.writeRow(["role:marketing", "valid_leads", String(max(10, perMarketer / 10 * 10))])
        }
        for s in 0..<stores.count where s % 3 == 1 && !stores[s].consultants.isEmpty {
            let team = expectedSales(s) * stores[s].consultants.count
            w.writeRow(["team:" + stores[s].name, "total_sales", String(max(100_000, team / 100_000 * 100_000))])
        }
        if let first = stores[0].marketers.first {
            let leads = storeMonthLeads(0) * 55 / 100
            w.writeRow([people[first].id, "leads", String(max(10, leads / 10 * 10))])
        }
        for s in 0..<stores.count {
            for (j, c) in stores[s].consultants.enumerated() where (s + j) % 5 != 2 {
                let target = expectedSales(s) * rng.int(90...130) / 100
                w.writeRow([people[c].id, "total_sales", String(max(10_000, target / 10_000 * 10_000))])
            }
        }
        return w
    }
}
