// leads.csv, followups.csv and deals.csv, drawn together lead by lead in time order.
// Leads and their follow-ups stream straight into their writers; only deals (a few % of leads) are kept,
// to be sorted by closed_at at the end. Phone memory is bounded (rings of recent phones and buyers).

private enum PhoneKind { case missing, malformed, landline, new, repeatWithin, repeatBeyond, returning }

/// A phone remembered so a later lead can repeat it.
private struct PhoneEntry {
    var national: Int     // 11-digit mobile
    var customer: Int     // 0: none
    var lastMinute: Int   // latest lead with this phone (its written created_at)
}

/// An earlier buyer who may come back (a returning lead, or a walk-in deal with no lead).
private struct Buyer {
    var national: Int     // 0: the lead had no usable mobile
    var customer: Int
    var leadMinute: Int
    var closedMinute: Int
}

struct SynthDeal {
    var closed: Int
    var seq: Int
    var person: Int
    var amountCents: Int
    var units: Int
    var writeUnits: Bool
    var lead: Int          // lead number, 0: none
    var customer: Int      // 0: none
    var type: UInt8        // 0 empty, 1 new, 2 existing
    var cancelled: Int     // minute, -1: not cancelled
    var discountCents: Int // -1: none
    var dateOnly: Bool
    var writeStatus: Bool
}

struct SynthActivity {
    let world: SynthWorld
    var leads = CSVWriter()
    var followups = CSVWriter()
    private(set) var deals: [SynthDeal] = []

    private var leadRng: SynthRandom
    private var followRng: SynthRandom
    private var dealRng: SynthRandom
    private var ring: [PhoneEntry] = []
    private var ringNext = 0
    private let ringInsertPerMille: Int
    private var buyers: [Buyer] = []
    private var buyersNext = 0
    private let buyerInsertPerMille: Int
    private var nextCustomer = 1
    private let leadWidth: Int
    private let storePicker: SynthCumulative

    private static let ringCapacity = 8_192
    private static let buyerCapacity = 4_096
    private static let hourWeights = [1, 1, 1, 1, 1, 1, 1, 2, 4, 8, 9, 9, 6, 6, 9, 9, 9, 8, 7, 7, 6, 5, 3, 2]
    private static let mobilePrefixes = [130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 150, 151, 152, 153, 155,
                                         156, 157, 158, 159, 166, 173, 175, 176, 177, 180, 181, 182, 183, 185, 186,
                                         187, 188, 189, 198, 199]
    private static let areaCodes = ["0571", "021", "010", "0755", "025", "028"]

    init(world: SynthWorld) {
        self.world = world
        let seed = world.p.seed
        leadRng = SynthRandom(seed: seed, stream: 2)
        followRng = SynthRandom(seed: seed, stream: 3)
        dealRng = SynthRandom(seed: seed, stream: 4)
        // Keep about 60 days of phones in the ring whatever the volume.
        let perDay = max(1, world.p.leadsPerMonth / 30)
        ringInsertPerMille = min(1000, max(1, Self.ringCapacity * 1000 / (perDay * 60)))
        // Likewise about 60 days of buyers (deals run at ~7 % of leads).
        buyerInsertPerMille = min(1000, max(1, Self.buyerCapacity * 1000 / max(1, perDay * 7 / 100 * 60)))
        leadWidth = max(7, SynthText.digitCount(world.p.leadsPerMonth * world.p.months))
        storePicker = SynthCumulative(world.stores.map(\.weight))
        ring.reserveCapacity(Self.ringCapacity)
        buyers.reserveCapacity(Self.buyerCapacity)
    }

    mutating func run() {
        leads.writeRow(["lead_id", "created_at", "channel", "campaign", "marketing_owner", "assigned_to", "phone",
                        "contact_status", "demand", "sales_label", "customer_id"])
        followups.writeRow(["lead_id", "at", "by", "kind", "outcome"])
        var leadNo = 0
        var minutes: [Int] = []
        let hourTotal = Self.hourWeights.reduce(0, +)
        for month in 0..<world.p.months {
            let start = world.monthStarts[month], days = world.monthStarts[month + 1] - start
            // Weekends busier; the National Day week (1-7 October) busiest.
            let (_, monthOfYear, _) = SynthCalendar.civil(start)
            let weights = (0..<days).map { d -> Int in
                if monthOfYear == 10 && d < 7 { return 16 }
                let wd = SynthCalendar.weekday(start + d)
                return wd == 0 || wd == 6 ? 14 : 10
            }
            let total = weights.reduce(0, +)
            var cumulative = 0
            for d in 0..<days {
                // Exact split of the month's leads over its days.
                let before = world.p.leadsPerMonth * cumulative / total
                cumulative += weights[d]
                let count = world.p.leadsPerMonth * cumulative / total - before
                minutes.removeAll(keepingCapacity: true)
                for _ in 0..<count {
                    minutes.append(leadRng.pick(Self.hourWeights, total: hourTotal) * 60 + leadRng.below(60))
                }
                minutes.sort()
                for minute in minutes {
                    leadNo += 1
                    lead(leadNo, day: start + d, minuteOfDay: minute)
                }
            }
        }
        cancelOneAcrossMonths()
    }

    private func leadId(_ n: Int) -> String { SynthText.id("L", n, width: leadWidth) }
    private func customerId(_ n: Int) -> String { n == 0 ? "" : SynthText.id("C", n, width: 7) }
    private mutating func newCustomer() -> Int { defer { nextCustomer += 1 }; return nextCustomer }

    // MARK: one lead

    private mutating func lead(_ n: Int, day: Int, minuteOfDay: Int) {
        let people = world.people
        let now = day * 1440 + minuteOfDay
        let s = storePicker.draw(&leadRng)
        let store = world.stores[s]
        var channel = leadRng.pick(SynthChannel.weights, total: 100)
        let hour = minuteOfDay / 60
        if (channel == SynthChannel.walkIn || channel == SynthChannel.event) && (hour < 9 || hour >= 20) {
            channel = leadRng.pick(SynthChannel.onlineWeights, total: 77)  // nobody walks in at night
        }
        let campaigns = SynthChannel.leadCampaigns[channel]
        let campaign = !campaigns.isEmpty && leadRng.chance(channel >= SynthChannel.walkIn ? 700 : 600)
            ? leadRng.element(campaigns) : ""
        // Hand-entered leads (walk-in, event) sometimes carry only a date; a few API leads carry an offset.
        let dateOnly = (channel == SynthChannel.walkIn || channel == SynthChannel.event) && leadRng.chance(250)
        let offset = !dateOnly && leadRng.chance(20)
        let written = dateOnly ? day * 1440 : now  // what created_at says

        let ownerIndex = store.owners[channel]
        let owner = ownerIndex >= 0 && leadRng.chance(900) ? people[ownerIndex].id : ""
        var assignee: Int? = nil
        if !store.consultants.isEmpty && leadRng.chance(920) {
            for _ in 0..<4 {
                let c = leadRng.element(store.consultants)
                if people[c].active(onDay: day) { assignee = c; break }
            }
        }

        // Phone.
        var kind = PhoneKind.new
        var national = 0
        var customer = 0
        var phone = ""
        let roll = leadRng.below(1000)
        if roll < 30 {
            kind = .missing
        } else if roll < 55 {
            kind = .malformed
            phone = malformedPhone()
        } else if roll < 65 {
            // Well formed for the default pattern, malformed for a Chinese mobile-only pattern.
            kind = .landline
            phone = leadRng.element(Self.areaCodes) + "-" + String(leadRng.int(20_000_000...89_999_999))
            if leadRng.chance(100) { customer = newCustomer() }
        } else {
            let r = leadRng.below(1000)
            if r < 75, let i = pickRing(now: written, within: true) {
                kind = .repeatWithin
                national = ring[i].national
                if ring[i].customer != 0 && leadRng.chance(700) { customer = ring[i].customer }
                ring[i].lastMinute = written
            } else if r >= 75 && r < 100, let i = pickRing(now: written, within: false) {
                kind = .repeatBeyond
                national = ring[i].national
                if ring[i].customer != 0 && leadRng.chance(700) { customer = ring[i].customer }
                ring[i].lastMinute = written
            } else if r >= 100 && r < 110, let b = pickBuyer(now: written) {
                kind = .returning
                national = b.national
                if leadRng.chance(800) { customer = b.customer }
            } else {
                national = leadRng.element(Self.mobilePrefixes) * 100_000_000 + leadRng.below(100_000_000)
                if leadRng.chance(channel == SynthChannel.walkIn ? 450 : 200) { customer = newCustomer() }
                if leadRng.chance(ringInsertPerMille) { remember(national, customer: customer, at: written) }
            }
            phone = formatMobile(national)
        }
        if kind != .new && kind != .landline && kind != .returning && customer == 0 && leadRng.chance(100) {
            customer = newCustomer()
        }

        // Contact status and demand.
        let status: String
        switch kind {
        case .missing: status = ""
        case .malformed: status = leadRng.chance(300) ? "wrong_number" : ""
        default:
            if channel == SynthChannel.walkIn {
                status = leadRng.chance(920) ? "reached" : ""
            } else {
                switch leadRng.below(1000) {
                case 0..<600: status = "reached"
                case 600..<750: status = "no_answer"
                case 750..<785: status = "powered_off"
                case 785..<807: status = "vacant"
                case 807..<822: status = "wrong_number"
                default: status = ""
                }
            }
        }
        let demand: String
        let r = leadRng.below(1000)
        switch status {
        case "reached":
            let no = channel == 2 ? 150 : 100  // douyin brings more curious non-buyers
            demand = r < 640 ? "yes" : r < 640 + no ? "no" : r < 750 + no ? "unknown" : ""
        case "":
            demand = r < 300 ? "yes" : r < 350 ? "no" : r < 500 ? "unknown" : ""
        default:
            demand = r < 300 ? "unknown" : ""
        }
        let badStatus = status == "vacant" || status == "wrong_number" || status == "powered_off"
        let phoneOK = kind != .missing && kind != .malformed
        let intendedValid = phoneOK && !badStatus && demand != "no" && kind != .repeatWithin

        // What sales wrote: mostly agreeing, sometimes not (good leads written off is the case that matters).
        var label = ""
        if let a = assignee {
            let r = leadRng.below(1000)
            if intendedValid {
                label = r < people[a].disputePerMille ? "invalid" : r < 600 ? "valid" : ""
            } else {
                label = r < 600 ? "invalid" : r < 680 ? "valid" : ""
            }
        } else if leadRng.chance(50) {
            label = intendedValid ? "valid" : "invalid"
        }

        let id = leadId(n)
        leads.writeRow([id, dateOnly ? SynthText.date(day) : SynthText.timestamp(now, offset: offset),
                        SynthChannel.names[channel], campaign, owner, assignee.map { people[$0].id } ?? "",
                        phone, status, demand, label, customerId(customer)])

        // Conversion, then follow-ups that lead up to it.
        var closing: Int? = nil
        if let a = assignee {
            let duplicateBuyer = kind == .repeatWithin && !badStatus && demand != "no" && dealRng.chance(300)
            if (intendedValid || duplicateBuyer) && dealRng.chance(people[a].conversionPerMille) {
                closing = leadDeal(n, now: now, writtenMinute: written, person: a, national: national,
                                   customer: customer, returning: kind == .returning)
            }
        }
        if dealRng.chance(4) { walkInDeal(store: s, now: now) }
        followUps(id, now: now, store: s, assignee: assignee, phoneMissing: kind == .missing,
                  status: status, closing: closing)
    }

    // MARK: phones

    private mutating func malformedPhone() -> String {
        let full = String(leadRng.element(Self.mobilePrefixes) * 100_000_000 + leadRng.below(100_000_000))
        switch leadRng.below(10) {
        case 0..<4: return String(full.prefix(leadRng.int(5...6)))                        // too short
        case 4..<7: return String(full.prefix(3)) + "abc" + String(full.suffix(3))       // letters, 6 digits
        default:                                                                           // two numbers, 22 digits
            return full + "/" + String(leadRng.element(Self.mobilePrefixes) * 100_000_000 + leadRng.below(100_000_000))
        }
    }

    /// The same number in the shapes people type it; all normalise to one national number.
    private mutating func formatMobile(_ national: Int) -> String {
        let d = String(national)
        let r = leadRng.below(100)
        if r < 58 { return d }
        let a = d.prefix(3), b = d.dropFirst(3).prefix(4), c = d.suffix(4)
        switch r {
        case 58..<66: return "+86 " + a + "-" + b + "-" + c
        case 66..<73: return "86 " + d
        case 73..<83: return a + " " + b + " " + c
        case 83..<91: return a + "-" + b + "-" + c
        case 91..<96: return "+86" + d
        default: return "+86-" + a + "-" + b + "-" + c
        }
    }

    private mutating func remember(_ national: Int, customer: Int, at minute: Int) {
        let entry = PhoneEntry(national: national, customer: customer, lastMinute: minute)
        if ring.count < Self.ringCapacity { ring.append(entry) } else { ring[ringNext] = entry }
        ringNext = (ringNext + 1) % Self.ringCapacity
    }

    /// A remembered phone last seen under 29 days ago (a duplicate), or over 31 days ago (not one).
    /// The 1-day margins keep the verdict clear of the 30-day edge whatever the time of day.
    private mutating func pickRing(now: Int, within: Bool) -> Int? {
        guard !ring.isEmpty else { return nil }
        for _ in 0..<6 {
            let i = leadRng.below(ring.count)
            let age = now - ring[i].lastMinute
            if within ? (age >= 0 && age < 29 * 1440) : age > 31 * 1440 { return i }
        }
        return nil
    }

    private mutating func pickBuyer(now: Int) -> Buyer? {
        guard !buyers.isEmpty else { return nil }
        for _ in 0..<4 {
            let b = buyers[leadRng.below(buyers.count)]
            if b.national != 0 && b.closedMinute < now && now - b.leadMinute > 31 * 1440 { return b }
        }
        return nil
    }

    private mutating func rememberBuyer(_ b: Buyer) {
        guard dealRng.chance(buyerInsertPerMille) else { return }
        if buyers.count < Self.buyerCapacity { buyers.append(b) } else { buyers[buyersNext] = b }
        buyersNext = (buyersNext + 1) % Self.buyerCapacity
    }

    // MARK: deals

    private mutating func amount() -> (cents: Int, discount: Int) {
        let cents = (120_000 + dealRng.below(3_301) * 100) * 100 + (dealRng.chance(100) ? 50 : 0)
        var discount = -1
        if dealRng.chance(400) { discount = (2_000 + dealRng.below(281) * 100) * 100 + (dealRng.chance(100) ? 50 : 0) }
        return (cents, discount)
    }

    /// Deal on a converted lead, closed 1-39 days later; nil when that falls past the export or after the
    /// consultant left. Returns the closing minute.
    private mutating func leadDeal(_ lead: Int, now: Int, writtenMinute: Int, person: Int, national: Int,
                                   customer leadCustomer: Int, returning: Bool) -> Int? {
        let closeDay = now / 1440 + 1 + dealRng.below(10) + dealRng.below(30)
        let closed = closeDay * 1440 + dealRng.int(600...1199)
        guard closed < world.cutoffMinute, world.people[person].active(onDay: closeDay) else { return nil }
        var (cents, discount) = amount()
        var units = 1
        if dealRng.chance(30) { units = 2; cents *= 2 }  // one customer, two cars, one order
        var customer = leadCustomer
        if customer == 0 && dealRng.chance(600) { customer = newCustomer() }
        let type: UInt8 = returning ? (dealRng.chance(400) ? 2 : 0) : (dealRng.chance(120) ? 1 : 0)
        let second = dealRng.chance(30)
        if second && customer == 0 { customer = newCustomer() }
        append(closed: closed, person: person, cents: cents, units: units, lead: lead, customer: customer,
               type: type, discount: discount, cancellable: true)
        if second {
            // The same customer signs again; the lead still counts once.
            let closed2 = closed + dealRng.int(1...30) * 1440
            if closed2 < world.cutoffMinute {
                let (c2, d2) = amount()
                append(closed: closed2, person: person, cents: c2, units: 1, lead: dealRng.chance(600) ? lead : 0,
                       customer: customer, type: 0, discount: d2, cancellable: false)
            }
        }
        if customer != 0 {
            rememberBuyer(Buyer(national: national, customer: customer, leadMinute: writtenMinute, closedMinute: closed))
        }
        return closed
    }

    /// A deal with no lead: mostly an earlier customer coming back, else no customer key, else a new walk-in.
    private mutating func walkInDeal(store s: Int, now: Int) {
        let consultants = world.stores[s].consultants
        guard !consultants.isEmpty else { return }
        let closeDay = now / 1440 + dealRng.int(0...2)
        let closed = closeDay * 1440 + dealRng.int(600...1199)
        guard closed < world.cutoffMinute else { return }
        var person = -1
        for _ in 0..<4 {
            let c = dealRng.element(consultants)
            if world.people[c].active(onDay: closeDay) { person = c; break }
        }
        guard person >= 0 else { return }
        let (cents, discount) = amount()
        var customer = 0, type: UInt8 = 0
        let r = dealRng.below(100)
        if r < 60, !buyers.isEmpty {
            for _ in 0..<6 {
                let b = buyers[dealRng.below(buyers.count)]
                if b.closedMinute < closed {
                    customer = b.customer
                    type = dealRng.chance(400) ? 2 : 0
                    break
                }
            }
        } else if r >= 80 {
            customer = newCustomer()
            type = dealRng.chance(700) ? 1 : 0
        }
        append(closed: closed, person: person, cents: cents, units: 1, lead: 0, customer: customer, type: type,
               discount: discount, cancellable: true)
    }

    private mutating func append(closed: Int, person: Int, cents: Int, units: Int, lead: Int, customer: Int,
                                 type: UInt8, discount: Int, cancellable: Bool) {
        var cancelled = -1
        if cancellable && dealRng.chance(25) {
            let at = closed + dealRng.int(1...20) * 1440 + dealRng.int(-120...120)
            if at < world.cutoffMinute { cancelled = at }  // a later cancellation is not in the export yet
        }
        deals.append(SynthDeal(closed: closed, seq: deals.count, person: person, amountCents: cents, units: units,
                               writeUnits: units != 1 || dealRng.chance(850), lead: lead, customer: customer,
                               type: type, cancelled: cancelled, discountCents: discount,
                               dateOnly: dealRng.chance(150), writeStatus: cancelled >= 0 || dealRng.chance(950)))
    }

    /// Guarantees the clawback case: a deal closed before the evaluation month and cancelled inside it.
    private mutating func cancelOneAcrossMonths() {
        let monthStart = world.lastMonthStart * 1440, monthEnd = world.endDay * 1440
        if deals.contains(where: { $0.closed < monthStart && $0.cancelled >= monthStart && $0.cancelled < monthEnd }) {
            return
        }
        var best = -1
        for (i, d) in deals.enumerated() where d.closed < monthStart && d.cancelled < 0 {
            if best < 0 || d.closed > deals[best].closed { best = i }
        }
        guard best >= 0 else { return }
        deals[best].cancelled = monthStart + 2 * 1440 + 11 * 60
        deals[best].writeStatus = true
    }

    func dealsCSV() -> CSVWriter {
        var w = CSVWriter()
        w.writeRow(["deal_id", "closed_at", "sales_person", "amount", "units", "lead_id", "customer_id",
                    "customer_type", "status", "cancelled_at", "discount"])
        let sorted = deals.sorted { ($0.closed, $0.seq) < ($1.closed, $1.seq) }
        let width = max(6, SynthText.digitCount(sorted.count))
        for (i, d) in sorted.enumerated() {
            let cancelled = d.cancelled >= 0
            w.writeRow([
                SynthText.id("D", i + 1, width: width),
                d.dateOnly ? SynthText.date(d.closed / 1440) : SynthText.timestamp(d.closed),
                world.people[d.person].id,
                SynthText.money(cents: d.amountCents),
                d.writeUnits ? String(d.units) : "",
                d.lead == 0 ? "" : leadId(d.lead),
                customerId(d.customer),
                d.type == 1 ? "new" : d.type == 2 ? "existing" : "",
                cancelled ? "cancelled" : d.writeStatus ? "won" : "",
                cancelled ? (d.dateOnly ? SynthText.date(d.cancelled / 1440) : SynthText.timestamp(d.cancelled)) : "",
                d.discountCents >= 0 ? SynthText.money(cents: d.discountCents) : "",
            ])
        }
        return w
    }

    // MARK: follow-ups

    private static let countWeights = [60, 120, 200, 260, 210, 150]  // 0...5 follow-ups, mean ~2.9
    private static let reachedCall = ["接通，有意向", "约到店", "报价, 等待回复", "connected", "callback requested", "未接通"]
    private static let unreachedCall = ["未接通", "no answer", "关机", "忙线"]
    private static let messages = ["微信已发车型资料", "SMS sent", "已加微信"]
    private static let visits = ["到店看车", "visited showroom", "到店, 看了两款车"]
    private static let drives = ["试驾完成", "test drive done", "试驾, 满意"]

    private mutating func followUps(_ lead: String, now: Int, store s: Int, assignee: Int?, phoneMissing: Bool,
                                    status: String, closing: Int?) {
        let people = world.people
        let store = world.stores[s]
        var count = followRng.pick(Self.countWeights, total: 1000)
        let deadNumber = status == "vacant" || status == "wrong_number"
        if phoneMissing { count = followRng.chance(300) ? 1 : 0 }
        if deadNumber { count = 1 }
        if assignee == nil { count = followRng.chance(400) ? min(count, 2) : 0 }
        if closing != nil { count = max(count, 3) }
        guard count > 0 else { return }

        // The first touch: within 24 hours for prompt consultants, often minutes; a few exactly on the edges.
        let prompt = assignee.map { people[$0].promptPerMille } ?? 400
        var delay: Int
        if followRng.chance(prompt) {
            let edge = followRng.below(1000)
            delay = edge < 5 ? 0 : edge < 10 ? 1440 : min(followRng.below(1441), followRng.below(1441))
        } else {
            delay = 1441 + followRng.below(4 * 1440)
        }
        var at = now + delay
        // Not the edge cases: people follow up in working hours, so night touches move to the morning.
        if delay != 0 && delay != 1440 { at = workingHours(at) }
        var droveYet = false
        for i in 0..<count {
            if at >= world.cutoffMinute { break }
            var kind: String
            if i == 0 {
                kind = followRng.chance(850) || deadNumber ? "call" : "message"
            } else if let c = closing, !droveYet, at < c, i == count - 1 || followRng.chance(400) {
                kind = "test_drive"
            } else {
                switch followRng.below(100) {
                case 0..<40: kind = "call"
                case 40..<60: kind = "message"
                case 60..<82: kind = "visit"
                default: kind = "test_drive"
                }
            }
            if phoneMissing { kind = "visit" }
            if kind == "test_drive" { droveYet = true }

            var by: Int
            if let a = assignee {
                let r = followRng.below(100)
                by = r < 92 ? a : r < 96 ? store.manager : followRng.element(store.consultants)
                if !people[by].active(onDay: at / 1440) { by = store.manager }
            } else {
                by = followRng.chance(600) || store.consultants.isEmpty ? store.manager : followRng.element(store.consultants)
            }
            if kind == "visit" && followRng.chance(100) { by = store.receptionist }  // reception logs the visit

            let outcome: String
            switch kind {
            case "call":
                if status == "vacant" { outcome = "空号" }
                else if status == "wrong_number" { outcome = "号码错误" }
                else if status == "reached" { outcome = followRng.element(Self.reachedCall) }
                else { outcome = followRng.element(Self.unreachedCall) }
            case "message": outcome = followRng.element(Self.messages)
            case "visit": outcome = followRng.element(Self.visits)
            default: outcome = followRng.element(Self.drives)
            }
            followups.writeRow([lead, SynthText.timestamp(at), people[by].id, kind, outcome])
            at = workingHours(at + followRng.int(600...(7 * 1440)))
        }
    }

    /// Moves a time outside 08:30-21:00 to the next morning, 08:30-10:30 (never earlier than given).
    private mutating func workingHours(_ minute: Int) -> Int {
        let day = minute / 1440, m = minute % 1440
        if m < 510 { return day * 1440 + 510 + followRng.below(120) }
        if m >= 1260 { return (day + 1) * 1440 + 510 + followRng.below(120) }
        return minute
    }
}
