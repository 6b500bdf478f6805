import BakenEngine
import Foundation

/// Figures for the funders: conversations in a period, grouped by municipality, branch, topic
/// or language, with their outcomes and the promise rate (the share of finished conversations
/// that ended answered, referred or handed to a person).
///
/// Aggregates only. In every export a count from 1 to 4 is written as "< 5", and a rate over
/// fewer than 5 finished conversations is not given, so no resident can be singled out. When
/// one part of a published sum is hidden — an outcome of a row (they add up to `finished`), or
/// a group's cell in a column (the groups add up to the total) — a second part is hidden too
/// ("x") and rates built from hidden counts are left out, so no hidden count can be worked out
/// by subtraction (``table()``).
///
/// ```swift
/// let report = Report(conversations: records, referrals: referrals, knowledge: knowledge, by: .municipality,
///                     from: start, to: end)
/// print(report.markdown())
/// ```
public struct Report: Sendable {
    /// How rows are grouped.
    public enum Grouping: String, Sendable, CaseIterable {
        case municipality, branch, topic, question, language, total
    }

    /// One row of figures.
    public struct Row: Sendable, Equatable {
        public var group: String
        public var conversations = 0
        public var answered = 0
        public var referred = 0
        public var handedOff = 0
        public var unresolved = 0
        /// Conversations in which the resident asked for, or was passed to, a person.
        public var handoffRequested = 0
        /// Referrals created in these conversations, by status.
        public var referrals: [ReferralRecord.Status: Int] = [:]
        /// Conversations whose first question or button was answered by the reply to it, and
        /// the conversations in which the resident asked something at all.
        public var firstAnswered = 0
        public var firstQuestions = 0
        /// Residents who left while waiting in the queue, before a person came.
        public var leftQueue = 0
        /// Conversations in which nobody could take the chat and the fallbacks were given.
        public var fallbacks = 0
        /// How long residents waited for a person, in seconds (one per conversation taken over).
        public var waits: [Double] = []

        mutating func count(_ record: ConversationRecord, referrals: [ReferralRecord]) {
            conversations += 1
            if record.handedOff || record.queuedAt != nil { handoffRequested += 1 }
            if let outcome = record.outcome {
                switch outcome {
                case .answered: answered += 1
                case .referred: referred += 1
                case .handedOff: handedOff += 1
                case .unresolved: unresolved += 1
                }
            }
            for referral in referrals { self.referrals[referral.status, default: 0] += 1 }
            if let first = record.firstAnswered {
                firstQuestions += 1
                if first { firstAnswered += 1 }
            }
            if record.leftQueue { leftQueue += 1 }
            if record.fallbackGiven { fallbacks += 1 }
            if let waited = record.waitedSeconds { waits.append(waited) }
        }

        /// Answered in the first reply, over conversations with a question; nil under 5.
        public var firstReplyRate: Double? {
            firstQuestions >= Report.smallest ? Double(firstAnswered) / Double(firstQuestions) : nil
        }

        /// The wait that `share` (0…1) of the residents taken over did not exceed (nearest rank);
        /// nil when fewer than 5 waited, so no one resident's wait can be read off.
        public func wait(percentile share: Double) -> Double? {
            guard waits.count >= Report.smallest else { return nil }
            let sorted = waits.sorted()
            return sorted[max(0, Int((share * Double(sorted.count)).rounded(.up)) - 1)]
        }

        /// Conversations that reached an outcome (closed).
        public var finished: Int { answered + referred + handedOff + unresolved }

        /// answered + referred + handed off, over finished; nil when fewer than 5 finished.
        public var promiseRate: Double? {
            finished >= Report.smallest ? Double(answered + referred + handedOff) / Double(finished) : nil
        }
    }

    /// One "was this helpful?" answer and the topic of its reply.
    public struct Feedback: Sendable, Hashable {
        public var conversation: String
        public var topic: String?
        public var helpful: Bool

        public init(conversation: String, topic: String?, helpful: Bool) {
            self.conversation = conversation
            self.topic = topic
            self.helpful = helpful
        }
    }

    /// Counts below this are hidden in exports.
    public static let smallest = 5

    public let grouping: Grouping
    public let from: Date
    public let to: Date
    /// Rows sorted by group name, "total" last.
    public let rows: [Row]
    /// Conversations started per local weekday (0 = Monday … 6 = Sunday) and hour (0 … 23),
    /// in the knowledge base's time zone: when residents chat, for staffing the chat.
    public let busyHours: [[Int]]
    /// Per day of the period (`YYYY-MM-DD`, UTC days like the period itself): the conversations
    /// started and the distinct residents (browser sessions) who started them.
    public let days: [(date: String, conversations: Int, residents: Int)]
    /// Distinct residents (browser sessions) over the whole period.
    public let residents: Int
    /// Referrals made in these conversations, per partner and status.
    public let referralsByPartner: [String: [ReferralRecord.Status: Int]]
    /// "Was this helpful?" per topic: yes and no.
    public let helpfulByTopic: [String: (yes: Int, no: Int)]
    /// Call-back requests left in the period: still open, and handled (called back).
    public let callbacks: (open: Int, handled: Int)

    /// Builds the report of conversations created in `from ..< to`.
    public init(
        conversations: [ConversationRecord], referrals: [ReferralRecord], feedback: [Feedback] = [], tickets: [TicketRecord] = [],
        knowledge: KnowledgeBase, by grouping: Grouping, from: Date, to: Date
    ) {
        let requested = tickets.filter { $0.createdAt >= from && $0.createdAt < to }
        callbacks = (requested.count { $0.status == "open" }, requested.count { $0.status != "open" })
        self.grouping = grouping
        self.from = from
        self.to = to
        let inPeriod = conversations.filter { $0.createdAt >= from && $0.createdAt < to }
        let referralsByConversation = Dictionary(grouping: referrals, by: \.conversation)
        func group(_ record: ConversationRecord) -> String {
            switch grouping {
            case .total: return "total"
            case .language: return record.language.rawValue
            case .topic: return record.lastIntent.map { String($0.prefix { $0 != "/" }) } ?? "(no topic)"
            case .question: return record.lastIntent ?? "(no topic)"
            case .branch: return record.location.map { knowledge.location($0)?.name ?? $0 } ?? "(unknown)"
            case .municipality: return record.location.flatMap { knowledge.location($0)?.municipality } ?? "(unknown)"
            }
        }
        var byGroup: [String: Row] = [:]
        var total = Row(group: "total")
        for record in inPeriod {
            let name = group(record)
            let ofRecord = referralsByConversation[record.id] ?? []
            byGroup[name, default: Row(group: name)].count(record, referrals: ofRecord)
            total.count(record, referrals: ofRecord)
        }
        rows = grouping == .total ? [total] : byGroup.values.sorted { $0.group < $1.group } + [total]
        // Local weekday and hour by arithmetic on the zone's offset (looked up once per hour of
        // time): a calendar per conversation costs seconds on a month of 100,000.
        let zone = TimeZone(identifier: knowledge.timeZone) ?? TimeZone(identifier: "Europe/Amsterdam")!
        var offsets: [Int: Int] = [:]
        var busy = [[Int]](repeating: [Int](repeating: 0, count: 24), count: 7)
        // Per UTC day since 1970: conversations and the sessions that started them.
        var perDay: [Int: (conversations: Int, sessions: Set<String>)] = [:]
        for record in inPeriod {
            let seconds = Int(record.createdAt.timeIntervalSince1970.rounded(.down))
            let hourKey = seconds >= 0 ? seconds / 3600 : (seconds - 3599) / 3600
            let offset = offsets[hourKey] ?? {
                let offset = zone.secondsFromGMT(for: record.createdAt)
                offsets[hourKey] = offset
                return offset
            }()
            let local = seconds + offset
            let days = local >= 0 ? local / 86400 : (local - 86399) / 86400
            let weekday = ((days + 3) % 7 + 7) % 7  // 1970-01-01 was a Thursday: Monday = 0
            busy[weekday][(local - days * 86400) / 3600] += 1
            let utcDay = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
            perDay[utcDay, default: (0, [])].conversations += 1
            perDay[utcDay]!.sessions.insert(record.sessionHash)
        }
        busyHours = busy
        residents = Set(inPeriod.map(\.sessionHash)).count
        // Every day of the period, also the quiet ones (a missing day would read as "no data").
        let utc = TimeZone(identifier: "UTC")!
        let firstDay = Self.localDay(from, zone: utc), lastDay = Self.localDay(to.addingTimeInterval(-1), zone: utc)
        let dayFormat = Date.ISO8601FormatStyle().year().month().day()
        self.days = firstDay > lastDay ? [] : (firstDay...lastDay).map { day in
            let date = Date(timeIntervalSince1970: Double(day) * 86400).formatted(dayFormat)
            return (date, perDay[day]?.conversations ?? 0, perDay[day]?.sessions.count ?? 0)
        }
        var byPartner: [String: [ReferralRecord.Status: Int]] = [:]
        let ids = Set(inPeriod.map(\.id))
        for referral in referrals where ids.contains(referral.conversation) { byPartner[referral.partner, default: [:]][referral.status, default: 0] += 1 }
        referralsByPartner = byPartner
        var helpful: [String: (yes: Int, no: Int)] = [:]
        for answer in feedback where ids.contains(answer.conversation) {
            let topic = answer.topic.flatMap { $0.split(separator: "/").first.map(String.init) } ?? "(no topic)"
            if answer.helpful { helpful[topic, default: (0, 0)].yes += 1 } else { helpful[topic, default: (0, 0)].no += 1 }
        }
        helpfulByTopic = helpful
    }

    /// Days since 1970-01-01 of `date`'s local date in `zone`.
    static func localDay(_ date: Date, zone: TimeZone) -> Int {
        let local = Int(date.timeIntervalSince1970.rounded(.down)) + zone.secondsFromGMT(for: date)
        return local >= 0 ? local / 86400 : (local - 86399) / 86400
    }

    /// Counts whose sum is published elsewhere (the days and the busy hours add up to the
    /// total's conversations) as exported: 1 to 4 as "< 5", and when exactly one is hidden,
    /// the smallest other non-zero one too ("x"), so the hidden one is not the total minus
    /// the rest.
    static func series(_ counts: [Int]) -> [String] {
        var cells = counts.map(cell)
        let hidden = cells.indices.filter { cells[$0] == "< 5" }
        if hidden.count == 1, let other = counts.indices.filter({ $0 != hidden[0] && counts[$0] > 0 }).min(by: { counts[$0] < counts[$1] }) {
            cells[other] = suppressed
        }
        return cells
    }

    // MARK: - Exports

    /// The columns of every export, in order.
    public static let columns = [
        "group", "conversations", "finished", "answered", "referred", "handed_off", "unresolved", "promise_rate", "asked_for_a_person",
        "referrals_delivered", "referrals_pending", "referrals_dead", "first_reply_answered", "first_reply_rate", "wait_p50_seconds",
        "wait_p90_seconds", "left_the_queue", "fallback_given",
    ]

    /// A count as exported: "< 5" from 1 to 4.
    static func cell(_ count: Int) -> String { count > 0 && count < smallest ? "< 5" : String(count) }

    /// The row's cells in `columns` order, small counts shown as "< 5" (before the secondary
    /// suppression of ``table()``).
    func cells(_ row: Row) -> [String] {
        let pending = (row.referrals[.pendingConsent] ?? 0) + (row.referrals[.queued] ?? 0)
        func seconds(_ value: Double?) -> String { value.map { String(format: "%.0f", $0) } ?? "–" }
        return [row.group, Self.cell(row.conversations), Self.cell(row.finished)]
            + [row.answered, row.referred, row.handedOff, row.unresolved].map(Self.cell) + [
                row.promiseRate.map { String(format: "%.1f%%", $0 * 100) } ?? "–", Self.cell(row.handoffRequested),
                Self.cell(row.referrals[.delivered] ?? 0), Self.cell(pending), Self.cell(row.referrals[.dead] ?? 0), Self.cell(row.firstAnswered),
                row.firstReplyRate.map { String(format: "%.1f%%", $0 * 100) } ?? "–", seconds(row.wait(percentile: 0.5)),
                seconds(row.wait(percentile: 0.9)), Self.cell(row.leftQueue), Self.cell(row.fallbacks),
            ]
    }

    /// The exported table, one line of cells per row (the total last), with secondary suppression:
    /// a count hidden as "< 5" must not be recoverable by subtraction. The table publishes sums —
    /// a row's `finished` is the sum of its four outcomes, and the total row is the sum of the
    /// group rows in every count column — and wherever exactly one cell of such an equation is
    /// hidden, the smallest other non-zero cell of it (a part or the sum) is hidden too ("x"),
    /// until no equation has a single hidden cell. A rate built from a hidden count is not given.
    func table() -> [[String]] {
        var table = rows.map(cells)
        let counts = rows.map { row in
            [0, row.conversations, row.finished, row.answered, row.referred, row.handedOff, row.unresolved, 0, row.handoffRequested,
             row.referrals[.delivered] ?? 0, (row.referrals[.pendingConsent] ?? 0) + (row.referrals[.queued] ?? 0), row.referrals[.dead] ?? 0,
             row.firstAnswered, 0, 0, 0, row.leftQueue, row.fallbacks]
        }
        func isHidden(_ cell: (Int, Int)) -> Bool { table[cell.0][cell.1] == "< 5" || table[cell.0][cell.1] == Self.suppressed }
        var equations: [[(Int, Int)]] = rows.indices.map { r in (2...6).map { (r, $0) } }
        if grouping != .total, rows.count > 2 {
            let total = rows.count - 1
            for c in [1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 16, 17] { equations.append((0...total).map { ($0, c) }) }
        }
        var changed = true
        while changed {
            changed = false
            for cells in equations where cells.filter(isHidden).count == 1 {
                let shown = cells.filter { !isHidden($0) && counts[$0.0][$0.1] > 0 }
                guard let other = shown.min(by: { counts[$0.0][$0.1] < counts[$1.0][$1.1] }) else { continue }
                table[other.0][other.1] = Self.suppressed
                changed = true
            }
        }
        for r in table.indices {
            if (2...6).contains(where: { isHidden((r, $0)) }) { table[r][7] = "–" }
            if isHidden((r, 12)) { table[r][13] = "–" }
        }
        return table
    }

    /// A count hidden so that another, small one cannot be worked out.
    public static let suppressed = "x"

    private var period: String {
        let day = Date.ISO8601FormatStyle().year().month().day()
        return "\(from.formatted(day)) to \(to.addingTimeInterval(-1).formatted(day))"
    }

    /// A Markdown table with a title line.
    public func markdown() -> String {
        var lines = [
            "# Baken report, \(period), by \(grouping.rawValue)", "",
            "Counts from 1 to 4 are shown as \"< 5\"; the promise rate (answered, referred or handed to a person, of finished conversations) needs at least 5.",
            "first_reply_rate: the resident's first question answered by the reply to it, of conversations with a question (needs 5). wait_p50/p90_seconds: the wait for a person that half / nine in ten of the residents taken over did not exceed (needs 5 waits).",
            "", "| " + Self.columns.joined(separator: " | ") + " |", "|" + String(repeating: "---|", count: Self.columns.count),
        ]
        for line in table() { lines.append("| " + line.joined(separator: " | ") + " |") }
        lines += ["", "Call-back requests left in the period: \(Self.cell(callbacks.open)) open, \(Self.cell(callbacks.handled)) handled."]
        lines += ["", "Distinct residents (browser sessions) in the period: \(Self.cell(residents)).", "", "| day | conversations | residents |", "|---|---|---|"]
        let dayCells = Self.series(days.map(\.conversations))
        for (index, day) in days.enumerated() { lines.append("| \(day.date) | \(dayCells[index]) | \(Self.cell(day.residents)) |") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// RFC 4180 CSV with a header row.
    public func csv() -> String {
        func quote(_ field: String) -> String {
            field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
        }
        return ([Self.columns] + table()).map { $0.map(quote).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    /// JSON: the period, the grouping, the locations it covers (empty: all) and the rows as
    /// objects of strings (as exported).
    public func json(scope: [String] = [], choices: String? = nil) -> String {
        var w = JSONWriter()
        let day = Date.ISO8601FormatStyle().year().month().day()
        w.string("from", from.formatted(day))
        w.string("to", to.addingTimeInterval(-1).formatted(day))
        w.string("by", grouping.rawValue)
        w.strings("scope", scope)
        if let choices { w.raw("choices", choices) }
        w.rawArray(
            "rows",
            table().map { line in
                var o = JSONWriter()
                for (column, value) in zip(Self.columns, line) { o.string(column, value) }
                return o.finish()
            })
        // Monday first; small counts hidden like every other cell (they add up to the total).
        let busyCells = Self.series(busyHours.flatMap { $0 })
        w.rawArray(
            "busy_hours",
            (0..<7).map { day in "[" + busyCells[(day * 24)..<(day * 24 + 24)].map { "\"" + $0 + "\"" }.joined(separator: ",") + "]" })
        w.string("residents", Self.cell(residents))
        let dayCells = Self.series(days.map(\.conversations))
        w.rawArray(
            "days",
            days.indices.map { index in
                var o = JSONWriter()
                o.string("date", days[index].date)
                o.string("conversations", dayCells[index])
                // Residents per day do not add up to anything published (one resident can come
                // back another day): small ones are hidden, no second cell is needed.
                o.string("residents", Self.cell(days[index].residents))
                return o.finish()
            })
        // Per partner and status. The partners add up to the total row's delivered, pending
        // (waiting for consent + queued) and dead columns: a lone hidden cell gets a companion.
        let partners = referralsByPartner.keys.sorted()
        func counts(_ status: ReferralRecord.Status) -> [Int] { partners.map { referralsByPartner[$0]?[status] ?? 0 } }
        var statusCells: [ReferralRecord.Status: [String]] = [:]
        for status in [ReferralRecord.Status.delivered, .dead, .cancelled] {
            statusCells[status] = status == .cancelled ? counts(status).map(Self.cell) : Self.series(counts(status))
        }
        let pending = Self.series(counts(.pendingConsent) + counts(.queued))
        statusCells[.pendingConsent] = Array(pending[0..<partners.count])
        statusCells[.queued] = Array(pending[partners.count...])
        w.rawArray(
            "referrals",
            partners.indices.map { index in
                var o = JSONWriter()
                o.string("partner", partners[index])
                for status in ReferralRecord.Status.allCases { o.string(status.rawValue, statusCells[status]?[index] ?? Self.cell(0)) }
                return o.finish()
            })
        var callbackCounts = JSONWriter()
        callbackCounts.string("open", Self.cell(callbacks.open))
        callbackCounts.string("handled", Self.cell(callbacks.handled))
        w.raw("call_back_requests", callbackCounts.finish())
        w.rawArray(
            "helpful",
            helpfulByTopic.keys.sorted().map { topic in
                let counts = helpfulByTopic[topic]!
                var o = JSONWriter()
                o.string("topic", topic)
                o.string("yes", Self.cell(counts.yes))
                o.string("no", Self.cell(counts.no))
                let answers = counts.yes + counts.no
                // With "yes" or "no" hidden, the rate and the other count would give it away.
                let shown = Self.cell(counts.yes) != "< 5" && Self.cell(counts.no) != "< 5"
                o.string("rate", answers >= Self.smallest && shown ? String(format: "%.1f%%", Double(counts.yes) / Double(answers) * 100) : "–")
                return o.finish()
            })
        return w.finish() + "\n"
    }
}

/// A store that can list the conversations of a period, for reports.
public protocol ReportingStore: Sendable {
    /// Conversations that started in `from ..< to`, and the referrals made in them.
    func conversations(from: Date, to: Date) async throws -> (conversations: [ConversationRecord], referrals: [ReferralRecord])
    /// "Was this helpful?" answers in those conversations, with the topic of the reply they are
    /// about (the conversation's last topic when the reply is no longer stored).
    func feedback(from: Date, to: Date) async throws -> [Report.Feedback]
}
